"""The goal-analysis page (followup:goal_analysis) and the goals page's follow-up
(budget:goals): finance writes an analysis per goal for the interim report and the annual
accounts; councillors, the council secretary and controllers read it once the period is
published; the goals page shows each indicator's values, trend and source, and the
budget's balanskravsutredning."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from budget.models import AuditEntry, FinancialIndicator, Indicator
from budget.money import format_mkr
from budget.reports import document
from followup.goals.progress import budget_balance
from followup.models import FinancialIndicatorValue, GoalAnalysis, IndicatorValue, ReportingPeriod
from tests.followup.periods import period_of
from tests.pages import assert_sent_to_login, page_as

FETCHED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def url(month=8):
    return reverse("followup:goal_analysis", kwargs={"year": 2026, "month": month})


def goals_url():
    return reverse("budget:goals", kwargs={"year": 2026})


@pytest.fixture
def published(plan):
    return period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)


@pytest.fixture
def goal(plan):
    return plan.goals.get(number=1)


def analysis_entries():
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(GoalAnalysis))


def add_values(plan):
    ind = Indicator.objects.get(goal__plan=plan, code="livskvalitet")
    for year, value in ((2023, "52"), (2024, "53.5")):
        IndicatorValue.objects.create(
            indicator=ind,
            municipality_code="2083",
            year=year,
            value=Decimal(value),
            source="kolada",
            kpi="U01405",
            fetched_at=FETCHED,
        )
    IndicatorValue.objects.create(
        indicator=ind,
        municipality_code="2084",
        year=2024,
        value=Decimal("56"),
        source="kolada",
        kpi="U01405",
        fetched_at=FETCHED,
    )
    return ind


def post(client, goal, text, row_version=0, **extra):
    return client.post(url(), {"goal": goal.pk, "text": text, "row_version": row_version, **extra})


# --- finance writes ------------------------------------------------------------------------


def test_finance_sees_every_goal_with_a_field_for_its_analysis(
    client, plan, august, finance_officer
):
    add_values(plan)
    response = page_as(client, finance_officer, url())

    text = response.text
    for g in plan.goals.all():
        assert f"{g.number}. {g.title}" in text
        assert f"Spara analysen av mål {g.number}" in text
    assert text.count("<textarea") == plan.goals.count()
    assert "Bättre" in text  # 52 → 53,5
    assert "53,5" in text
    assert "Källa: Kolada (hämtad 2026-03-02)" in text
    assert "Finansiella nyckeltal" in text


def test_finance_saves_an_analysis(client, plan, august, goal, finance_officer):
    client.force_login(finance_officer)

    response = post(client, goal, "Livskvaliteten har ökat sedan 2022.")

    assert response.status_code == 302
    assert response.url == f"{url()}#mal-1"
    analysis = GoalAnalysis.objects.get(goal=goal, period=august)
    assert analysis.text == "Livskvaliteten har ökat sedan 2022."
    assert analysis.recorded_by == finance_officer
    assert analysis_entries().count() == 1
    assert "Livskvaliteten har ökat sedan 2022." in client.get(url()).text


def test_a_stale_form_is_refused_and_the_text_is_kept_in_it(
    client, plan, august, goal, finance_officer
):
    client.force_login(finance_officer)
    post(client, goal, "Först sparad")

    response = post(client, goal, "Min nya text", row_version=0)

    assert response.status_code == 400
    assert "Någon annan har sparat analysen av mål 1" in response.text
    assert "Min nya text" in response.text
    assert GoalAnalysis.objects.get().text == "Först sparad"
    assert analysis_entries().count() == 1


def test_an_empty_analysis_changes_nothing(client, plan, august, goal, finance_officer):
    client.force_login(finance_officer)

    response = post(client, goal, "   ")

    assert response.status_code == 400
    assert not GoalAnalysis.objects.exists()
    assert not analysis_entries().exists()


@pytest.mark.parametrize(
    "data",
    [
        {"goal": "999999", "text": "Text", "row_version": "0"},
        {"goal": "inte-ett-tal", "text": "Text", "row_version": "0"},
        {"text": "Text", "row_version": "0"},
        {"goal": "GOAL", "text": "Text", "row_version": "-1"},
    ],
)
def test_bad_input_changes_nothing(client, plan, august, goal, finance_officer, data):
    client.force_login(finance_officer)
    data = {k: (str(goal.pk) if v == "GOAL" else v) for k, v in data.items()}

    response = client.post(url(), data)

    assert response.status_code == 400
    assert not GoalAnalysis.objects.exists()
    assert not analysis_entries().exists()


def test_a_goal_of_another_plans_number_is_not_found(client, plan, august, goal, finance_officer):
    client.force_login(finance_officer)

    response = client.post(url(), {"goal": goal.pk + 1000, "text": "Text", "row_version": 0})

    assert response.status_code == 400
    assert "Målet finns inte i budgeten" in response.text


def test_a_period_not_yet_open_says_so_and_refuses_a_save(client, plan, goal, finance_officer):
    period_of(plan, 8, ReportingPeriod.Status.PLANNED)
    client.force_login(finance_officer)

    page = client.get(url())
    response = post(client, goal, "Text")

    assert page.status_code == 200
    assert "Perioden är inte öppnad ännu" in page.text
    assert "<textarea" not in page.text
    assert response.status_code == 400
    assert not GoalAnalysis.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, plan, august, finance_officer, method):
    client.force_login(finance_officer)

    response = getattr(client, method)(url())

    assert response.status_code == 405
    assert not GoalAnalysis.objects.exists()


def test_a_month_report_has_no_goal_analysis_page(client, plan, finance_officer):
    client.force_login(finance_officer)

    assert client.get(url(month=3)).status_code == 404
    assert client.get(url(month=12)).status_code == 200


# --- the others read ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["councillor", "council_secretary", "bildning_controller"])
def test_readers_see_the_analysis_of_a_published_period(request, client, plan, goal, persona):
    period = period_of(plan, 8)
    GoalAnalysis.objects.create(
        goal=goal, period=period, text="Publicerad analys", recorded_at=FETCHED
    )
    client.force_login(request.getfixturevalue(persona))

    before = client.get(url())
    period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)
    after = client.get(url())

    assert before.status_code == 404
    assert after.status_code == 200
    assert "Publicerad analys" in after.text
    assert "<textarea" not in after.text


def test_a_councillor_cannot_write_an_analysis(client, plan, published, goal, councillor):
    client.force_login(councillor)

    response = post(client, goal, "Inte min")

    assert response.status_code == 403
    assert not GoalAnalysis.objects.exists()


@pytest.mark.parametrize("persona", ["administrator", "outsider"])
def test_others_may_not_open_it(request, client, plan, published, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url()).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, plan, published, goal):
    response = post(client, goal, "Text")

    assert_sent_to_login(response)
    assert not GoalAnalysis.objects.exists()


# --- the goals page -------------------------------------------------------------------------


def test_the_goals_page_shows_values_trend_target_and_source(client, plan, councillor):
    add_values(plan)
    client.force_login(councillor)

    text = client.get(goals_url()).text

    assert "Kommunindex Livskvalitet" in text
    assert "53,5" in text and ">52<" in text
    assert "Bättre" in text
    assert "Ingen jämförelse ännu" in text  # the indicators without values
    assert "Källa: Kolada (hämtad 2026-03-02)" in text
    assert "55 (2026)" in text
    assert "1,5 kvar" in text  # 55 − 53,5
    assert "Avesta 56" in text
    assert "Under målet" in text  # what it showed before stays


def test_the_goals_page_shows_the_budgets_balance_requirement(client, plan, snapshot, councillor):
    comparison = document.comparison(snapshot)
    expected = budget_balance(snapshot, comparison)
    client.force_login(councillor)

    text = client.get(goals_url()).text

    assert f"Balanskravsutredning för budgeten {expected.year}" in text
    assert "Balanskravsresultat" in text
    assert f"balanskravsresultatet är {format_mkr(expected.statement.balance_result)} mkr" in text


def test_the_goals_page_links_finance_to_the_analysis_pages(
    client, plan, finance_officer, councillor
):
    client.force_login(finance_officer)
    finance_page = client.get(goals_url()).text
    client.force_login(councillor)
    councillor_page = client.get(goals_url()).text

    assert f'href="{url(8)}"' in finance_page
    assert f'href="{url(12)}"' in finance_page
    assert f'href="{url(8)}"' not in councillor_page  # not published yet


@pytest.fixture
def entered(plan):
    """The financial indicator that finance enters (kommunkoncernens soliditet)."""
    return FinancialIndicator.objects.get(plan=plan, method=FinancialIndicator.Method.ENTERED)


def test_finance_enters_kommunkoncernens_soliditet_and_it_is_shown(
    client, august, entered, finance_officer
):
    client.force_login(finance_officer)
    before = AuditEntry.objects.count()

    response = client.post(url(8), {"nyckeltal": entered.pk, "procent": "23,4"})

    assert response.status_code == 302
    value = FinancialIndicatorValue.objects.get(indicator=entered, period=august)
    assert value.value == Decimal("0.234")
    assert AuditEntry.objects.count() == before + 1
    page = client.get(url(8)).text
    assert "23,4\u00a0%" in page
    assert "Inmatat av ekonomiavdelningen." in page


def test_text_as_an_entered_indicator_is_refused_and_nothing_changes(
    client, august, entered, finance_officer
):
    client.force_login(finance_officer)

    response = client.post(url(8), {"nyckeltal": entered.pk, "procent": "mycket"})

    assert response.status_code == 400
    assert "är inte ett belopp" in response.text
    assert not FinancialIndicatorValue.objects.exists()


def test_a_computed_indicator_cannot_be_entered(client, plan, august, finance_officer):
    computed = (
        FinancialIndicator.objects.filter(plan=plan)
        .exclude(method=FinancialIndicator.Method.ENTERED)
        .first()
    )
    client.force_login(finance_officer)

    response = client.post(url(8), {"nyckeltal": computed.pk, "procent": "50"})

    assert response.status_code == 400
    assert not FinancialIndicatorValue.objects.exists()
