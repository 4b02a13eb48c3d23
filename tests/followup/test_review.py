"""Finance's review page: every committee, the municipality's result against the target,
and approving or returning reports without leaving the page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.audit import Actor, Source
from budget.models import Municipality
from followup.models import Report
from followup.reports.actions import save_measures
from followup.reports.figures import MunicipalityResult, current_frames
from followup.reports.workflow import open_report, save_report, submit_report
from tests.followup.actions import new_measure
from tests.followup.committees import extra_committees
from tests.followup.test_dashboard_sorting import table_of
from tests.pages import page_as

MKR = Decimal(1_000_000)
REVIEW = reverse("followup:review", kwargs={"year": 2026, "month": 3})


def forecast(committee, period, user, deviations_mkr: dict, *, submit=False):
    """A report whose forecast is each activity's budget plus the given deviation (mkr)."""
    actor = Actor(user=user, source=Source.PAGE)
    report = open_report(committee=committee, period=period, actor=actor)
    activities = list(committee.activities.all())
    frames = current_frames(activities, period)
    values = {
        a.pk: (frames[a.pk] / 4, frames[a.pk] + deviations_mkr.get(a.code, 0) * MKR, "")
        for a in activities
    }
    report = save_report(report=report, row_version=report.row_version, values=values, actor=actor)
    if submit:
        report = submit_report(
            report=report, actor=actor, shortfall_reason="Fler åtgärder tas fram till april."
        )
    return report


@pytest.fixture
def forecasts(march, bildning, finance_lines, bildning_controller, finance_officer):
    """Bildningsnämnden forecasts −6,7 mkr (with an action plan); finance forecasts
    tax revenue 2,0 mkr above budget."""
    save_measures(
        committee=bildning,
        period=march,
        measures=[new_measure()],
        actor=Actor(user=bildning_controller),
    )
    forecast(
        bildning, march, bildning_controller, {"bildningsnamnden": Decimal("-6.7")}, submit=True
    )
    forecast(finance_lines, march, finance_officer, {"skatteintakter": Decimal("2.0")})


def test_finance_keeps_finansforvaltningens_lines_and_controllers_do_not(
    finance_officer, bildning_controller, finance_lines, bildning
):
    assert finance_officer.has_perm("budget.work_on_committee", finance_lines)
    assert not finance_officer.has_perm("budget.work_on_committee", bildning)
    assert not bildning_controller.has_perm("budget.work_on_committee", finance_lines)


def test_the_municipalitys_forecast_result_is_measured_against_budget_and_the_target(
    client, forecasts, finance_officer
):
    response = page_as(client, finance_officer, REVIEW)

    result = response.context["result"]
    assert result.budget == Decimal("5.9") * MKR  # the sum of the document's rounded rows
    assert result.adopted_budget == Decimal("6.0") * MKR  # as stated: the rounding is the source's
    assert result.forecast == Decimal("1.2") * MKR  # 5,9 − 6,7 + 2,0
    assert result.deviation == Decimal("-4.7") * MKR
    assert result.tax_base_forecast == result.tax_base_budget + 2 * MKR
    assert result.forecast_target == (result.tax_base_budget + 2 * MKR) * Decimal("0.005")
    assert result.forecast_meets_target is False
    assert result.budget_meets_target is False  # 6,0 < 6,08: the document's own shortfall
    assert "Omsorgsnämnden" in [c.name for c in result.without_forecast]
    assert "1,2" in response.text and "\u22124,7" in response.text


def test_finance_approves_from_the_review_page_and_comes_back_to_it(
    client, forecasts, finance_officer
):
    client.force_login(finance_officer)
    url = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})

    response = client.post(url, {"action": "godkann", "next": REVIEW})

    assert response.status_code == 302
    assert response.url == REVIEW
    assert Report.objects.get(committee__code="bildningsnamnden").status == "godkand"


def test_finance_returns_from_the_review_page_with_a_comment(client, forecasts, finance_officer):
    client.force_login(finance_officer)
    url = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})

    response = client.post(
        url, {"action": "skicka_tillbaka", "comment": "Förklara prognosen", "next": REVIEW}
    )

    assert response.url == REVIEW
    report = Report.objects.get(committee__code="bildningsnamnden")
    assert report.status == "aterskickad"
    assert [(n.kind, n.text, n.written_by) for n in report.notes.all()] == [
        ("aterskickning", "Förklara prognosen", finance_officer)
    ]


def test_a_return_address_on_another_site_is_ignored(client, forecasts, finance_officer):
    client.force_login(finance_officer)
    url = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})

    response = client.post(url, {"action": "godkann", "next": "https://example.org/"})

    assert response.url == url


def test_the_review_page_offers_approval_only_for_submitted_reports(
    client, forecasts, finance_officer
):
    client.force_login(finance_officer)

    response = client.get(REVIEW)

    assert response.text.count('value="godkann"') == 1  # Bildningsnämnden's; finance's is a draft


def row_of(text, committee):
    """The review table's row of ``committee``: column header → the cell's text."""
    headers, body, _ = table_of(text, "tabell-namnder")
    return dict(zip(headers, next(r for r in body if r[0] == committee.name), strict=True))


def test_each_row_says_the_reports_status_its_action_plan_and_how_to_review_it(
    client, forecasts, march, bildning, finance_lines, finance_officer
):
    response = page_as(client, finance_officer, REVIEW)
    submitted_row = row_of(response.text, bildning)
    draft_row = row_of(response.text, finance_lines)

    today = timezone.localdate()
    late = " Sen" if today > march.deadline else ""  # submitted today
    assert submitted_row["Status"] == f"Inlämnad inlämnad {today:%Y-%m-%d}{late}"
    assert submitted_row["Granska"] == (
        "Godkänn Bildningsnämnden Skicka tillbaka Bildningsnämnden "
        "Varför skickas rapporten tillbaka? Skicka tillbaka"
    )
    assert draft_row["Status"] == f"Utkast{late}"
    assert draft_row["Granska"] == ""
    plan_url = reverse(
        "followup:action_plan", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"}
    )
    assert re.search(rf'<a href="{plan_url}">1 åtgärder</a>, täcker [0-9]+,[0-9]\s%', response.text)
    assert response.text.count(f'name="next" value="{REVIEW}"') == 2  # approve, return


def test_under_the_single_officer_exception_the_row_says_finance_approves_its_own_report(
    client, march, plan, finance_lines, finance_officer
):
    Municipality.objects.filter(pk=plan.municipality_id).update(single_officer_exception=True)
    forecast(finance_lines, march, finance_officer, {}, submit=True)

    row = row_of(page_as(client, finance_officer, REVIEW).text, finance_lines)

    assert row["Granska"].startswith(
        "Godkänn Finansförvaltningen Undantag för ensam ekonom: du lämnade in rapporten. "
    )


def test_a_committees_name_is_shown_as_text_in_every_cell_not_as_markup(
    client, forecasts, bildning, finance_officer
):
    bildning.name = "Bildning <i>& skola</i>"
    bildning.save()

    text = page_as(client, finance_officer, REVIEW).text

    table = text.split('id="tabell-namnder"')[1].split("</table>")[0]
    assert table.count("Bildning &lt;i&gt;&amp; skola&lt;/i&gt;") == 3  # name, approve, return
    assert "<i>" not in table


def test_the_review_page_runs_a_bounded_number_of_queries_whatever_the_committees(
    client, forecasts, finance_officer, plan, django_assert_max_num_queries
):
    extra_committees(plan.municipality, 30, activities=1)
    client.force_login(finance_officer)

    # 19 (23 before the period's figures were summed in the database, 20 before the
    # document's rounding came with the frames' sums): 7 for the committees' figures (the
    # reports, three sums, the action plans), one each for the reports' threads and last
    # year's outcome
    with django_assert_max_num_queries(19):
        response = client.get(REVIEW)

    assert response.status_code == 200
    assert "Extranämnd 29" in response.text


def test_the_forecast_target_check_does_not_turn_on_the_documents_rounding():
    # The document states 6,1 mkr; its rows sum to 6,0; the target is 6,08 mkr. Every
    # committee forecasts its budget: the forecast is the adopted result, which meets it.
    result = MunicipalityResult(
        budget=Decimal("6000000"),
        outcome=None,
        forecast=Decimal("6000000"),
        forecast_change=None,
        tax_base_budget=Decimal("1216000000"),
        tax_base_forecast=Decimal("1216000000"),
        target_share=Decimal("0.005"),
        stated_rounding=Decimal("100000"),
    )

    assert result.forecast < result.forecast_target < result.adopted_forecast
    assert (result.budget_meets_target, result.forecast_meets_target) == (True, True)
    assert result.forecast_share == result.budget_share
