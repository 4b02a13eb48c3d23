"""The pages of the comparisons in the interim report and the annual accounts: finance
enters the outcome so far and a note beside each statement line's forecast, last year's
outcome per statement line and per committee (a page of its own, finance only), and the
assessment of god ekonomisk hushållning (finance writes it; the others read it once the
period is published)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budget.models import Committee
from followup.models import ReportingPeriod, StatementFigure
from followup.models.statements import PreviousYearFigure, StewardshipAssessment
from followup.statements.assessment import assessment_of
from tests.followup.periods import period_of
from tests.followup.statements import history, line
from tests.pages import assert_sent_to_login, page_as

pytestmark = pytest.mark.usefixtures("demo_year")

MINUS = "\u2212"


def statements_url(month=8):
    return reverse("followup:statement_figures", kwargs={"year": 2026, "month": month})


def previous_url():
    return reverse("followup:previous_year_figures", kwargs={"year": 2026})


def assessment_url(month=8):
    return reverse("followup:stewardship_assessment", kwargs={"year": 2026, "month": month})


# --- The statements page: the outcome so far and a note -------------------------------------


def test_finance_enters_the_outcome_so_far_and_a_note_on_the_statements_page(
    client, finance_officer, august
):
    depreciation = line(august.plan, "resultatbudget", "avskrivningar")
    client.force_login(finance_officer)

    response = client.post(
        statements_url(),
        {
            f"line_{depreciation.pk}": "-23 000",
            f"to_date_{depreciation.pk}": f"{MINUS}15 200",
            f"note_{depreciation.pk}": "Enligt budget.",
        },
    )

    assert response.status_code == 302
    figure = StatementFigure.objects.get(period=august, line=depreciation)
    assert (figure.amount, figure.outcome_to_date, figure.note) == (
        Decimal("-23000000"),
        Decimal("-15200000"),
        "Enligt budget.",
    )
    assert history().count() == 1
    page = client.get(response.url)
    assert "Utfall jan–aug 2026" in page.text
    assert f'name="to_date_{depreciation.pk}"' in page.text
    assert "Enligt budget." in page.text


def test_the_annual_accounts_page_asks_no_outcome_so_far(client, finance_officer, plan):
    period_of(plan, 12, ReportingPeriod.Status.OPEN)
    depreciation = line(plan, "resultatbudget", "avskrivningar")

    page = page_as(client, finance_officer, statements_url(12))

    assert f'name="line_{depreciation.pk}"' in page.text
    assert f'name="note_{depreciation.pk}"' in page.text
    assert f'name="to_date_{depreciation.pk}"' not in page.text


def test_an_outcome_so_far_without_the_forecast_is_refused_on_the_page(
    client, finance_officer, august
):
    depreciation = line(august.plan, "resultatbudget", "avskrivningar")
    client.force_login(finance_officer)

    response = client.post(statements_url(), {f"to_date_{depreciation.pk}": "-15 200"})

    assert response.status_code == 400
    assert "ange prognosen för raden också" in response.text
    assert not StatementFigure.objects.exists()


# --- Last year's outcome ---------------------------------------------------------------------


def test_finance_enters_last_years_outcome_on_its_page(client, finance_officer, plan):
    tax = line(plan, "resultatbudget", "skatteintakter")
    bildning = Committee.objects.get(code="bildningsnamnden")
    client.force_login(finance_officer)
    page = client.get(previous_url())
    assert page.status_code == 200
    assert "Utfall jan–aug 2025" in page.text and "Utfall 2025" in page.text

    response = client.post(
        previous_url(),
        {
            "version": "",
            f"line_{tax.pk}_8": "550 700",
            f"line_{tax.pk}_12": "826 000",
            f"committee_{bildning.pk}_12": f"{MINUS}522 400",
        },
    )

    assert response.status_code == 302
    assert {
        (f.line_id, f.committee_id, f.months): f.amount for f in PreviousYearFigure.objects.all()
    } == {
        (tax.pk, None, 8): Decimal("550700000"),
        (tax.pk, None, 12): Decimal("826000000"),
        (None, bildning.pk, 12): Decimal("-522400000"),
    }
    assert history().count() == 3
    page = client.get(response.url)
    assert "Utfallet 2025 är sparat." in page.text
    assert "Ändringar av utfallet 2025" in page.text


def test_last_years_outcome_from_a_stale_page_is_refused(client, finance_officer, plan):
    bildning = Committee.objects.get(code="bildningsnamnden")
    client.force_login(finance_officer)
    client.post(previous_url(), {"version": "", f"committee_{bildning.pk}_12": "-522 400"})

    response = client.post(previous_url(), {"version": "", f"committee_{bildning.pk}_12": "-1"})

    assert response.status_code == 400
    assert "Någon annan har sparat föregående års utfall" in response.text
    assert PreviousYearFigure.objects.get().amount == Decimal("-522400000")


@pytest.mark.parametrize("persona", ["councillor", "bildning_controller", "council_secretary"])
def test_only_finance_reaches_last_years_outcome(client, request, persona, plan):
    bildning = Committee.objects.get(code="bildningsnamnden")
    client.force_login(request.getfixturevalue(persona))

    opened = client.get(previous_url())
    posted = client.post(previous_url(), {f"committee_{bildning.pk}_12": "-1"})

    assert (opened.status_code, posted.status_code) == (403, 403)
    assert not PreviousYearFigure.objects.exists()


def test_anonymous_is_sent_to_login_from_the_new_pages(plan, august):
    anonymous = Client()
    for url in (previous_url(), assessment_url()):
        assert_sent_to_login(anonymous.get(url))
        assert_sent_to_login(anonymous.post(url, {"text": "x"}))
    assert not PreviousYearFigure.objects.exists()
    assert not StewardshipAssessment.objects.exists()


# --- The assessment of god ekonomisk hushållning ---------------------------------------------


def test_finance_writes_the_assessment(client, finance_officer, august):
    client.force_login(finance_officer)

    response = client.post(assessment_url(), {"text": "God hushållning.", "row_version": "0"})

    assert response.status_code == 302
    assert assessment_of(august).text == "God hushållning."
    assert assessment_of(august).recorded_by == finance_officer
    page = client.get(response.url)
    assert "God hushållning." in page.text
    assert "Ändringar av bedömningen" in page.text


def test_an_assessment_from_a_stale_page_is_refused(client, finance_officer, august):
    client.force_login(finance_officer)
    client.post(assessment_url(), {"text": "Första.", "row_version": "0"})

    response = client.post(assessment_url(), {"text": "Min version.", "row_version": "0"})

    assert response.status_code == 400
    assert "Någon annan har sparat bedömningen" in response.text
    assert "Min version." in response.text  # what the user wrote stays in the form
    assert assessment_of(august).text == "Första."


@pytest.mark.parametrize("persona", ["councillor", "bildning_controller"])
def test_others_may_not_write_the_assessment(client, request, persona, plan):
    published = period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(assessment_url(), {"text": "Min bedömning.", "row_version": "0"})

    assert response.status_code == 403
    assert assessment_of(published) is None


def test_others_read_the_assessment_once_the_period_is_published(
    client, councillor, plan, finance_officer
):
    august = period_of(plan, 8, ReportingPeriod.Status.OPEN)
    client.force_login(finance_officer)
    client.post(assessment_url(), {"text": "God hushållning.", "row_version": "0"})
    client.force_login(councillor)
    assert client.get(assessment_url()).status_code == 404

    period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)
    page = page_as(client, councillor, assessment_url())

    assert "God hushållning." in page.text
    assert 'name="text"' not in page.text
    assert assessment_of(august) is not None


def test_a_month_report_has_no_assessment_page(client, finance_officer, plan):
    client.force_login(finance_officer)

    assert client.get(assessment_url(4)).status_code == 404
