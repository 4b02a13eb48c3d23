"""The drill-down from the dashboard: a committee's activities in a period, with budget,
budget to date, outcome, forecast and deviation, for each role that may follow the period.

Who sees which period follows the dashboard (``overview.visible_periods``): finance and
administrators every period that has begun, everyone else the published ones; whose report
they read follows ``Report.objects.visible_to``."""

import html
import re

import pytest
from django.urls import reverse

from budget.models import Committee
from budget.money import format_mkr
from followup.models import Report, ReportingPeriod
from followup.reports.figures import report_figures
from tests.pages import assert_sent_to_login, log_in_as, page_as

COLUMNS = ["budget", "budget_to_date", "outcome", "outcome_deviation", "forecast", "deviation"]


def drill(code, month):
    return reverse(
        "followup:committee_overview", kwargs={"year": 2026, "month": month, "code": code}
    )


def activity_rows(text) -> dict:
    """Activity name → its amounts as shown, from the page's table of activities."""
    table = text.split('id="tabell-verksamheter"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        name = re.search(r"<th[^>]*>(.*?)(?:<span|</th>)", row, re.S)[1].strip()
        cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
        rows[html.unescape(name)] = [c.strip() for c in cells]
    return rows


def expected_rows(report) -> dict:
    """The report's activities as its figures are (``report_figures``), in mkr."""
    return {
        line.activity.name: [format_mkr(getattr(line, c)) or "–" for c in COLUMNS]
        for line in report_figures(report).lines
    }


def current_report(month, code):
    return Report.objects.current().get(
        period__plan__year=2026, period__month=month, committee__code=code
    )


def an_unpublished_report():
    """October (open in the demo): a committee's report that is not approved."""
    return (
        Report.objects.current()
        .filter(period__month=10, period__plan__year=2026)
        .exclude(status=Report.Status.APPROVED)
        .select_related("committee")
        .order_by("committee__position", "id")
        .first()
    )


# --- Who reaches the activities of a published period ---------------------------------------


@pytest.mark.parametrize(
    "role", ["councillor", "controller", "finance", "secretary", "administrator"]
)
def test_every_role_that_follows_the_year_sees_a_published_periods_activities(
    client, demo_year, request, role
):
    log_in_as(client, request, role)
    report = current_report(8, "omsorgsnamnden")
    assert report.period.status == ReportingPeriod.Status.PUBLISHED

    response = client.get(drill("omsorgsnamnden", 8))

    assert response.status_code == 200
    shown = activity_rows(response.text)
    assert shown == expected_rows(report)
    assert len(shown) == report.lines.count()


def test_a_controller_reads_another_committees_published_activities(
    client, demo_year, bildning_controller
):
    report = current_report(8, "omsorgsnamnden")

    response = page_as(client, bildning_controller, drill("omsorgsnamnden", 8))

    assert activity_rows(response.text) == expected_rows(report)
    assert "Öppna rapporten" not in response.text  # not their committee's report


def test_the_committees_own_controller_may_open_the_report_from_the_drill_down(
    client, demo_year, bildning_controller
):
    response = page_as(client, bildning_controller, drill("bildningsnamnden", 8))

    assert "Öppna rapporten" in response.text


# --- A period that is not published ---------------------------------------------------------


@pytest.mark.parametrize("role", ["councillor", "controller", "secretary"])
def test_outside_finance_nobody_sees_an_unpublished_periods_activities(
    client, demo_year, request, role
):
    report = an_unpublished_report()
    assert report.period.status != ReportingPeriod.Status.PUBLISHED
    log_in_as(client, request, role)

    response = client.get(drill(report.committee.code, 10))

    assert response.status_code == 404
    assert "tabell-verksamheter" not in response.text


def test_a_councillor_cannot_reach_an_unpublished_period_through_any_committee(
    client, demo_year, councillor
):
    client.force_login(councillor)

    for committee in Committee.objects.of_plan(demo_year):
        assert client.get(drill(committee.code, 10)).status_code == 404, committee.code


@pytest.mark.parametrize("role", ["finance", "administrator"])
def test_finance_and_administrators_follow_the_open_period_with_its_drafts(
    client, demo_year, request, role
):
    report = an_unpublished_report()
    log_in_as(client, request, role)

    response = client.get(drill(report.committee.code, 10))

    assert response.status_code == 200
    assert activity_rows(response.text) == expected_rows(report)
    assert "Siffrorna är preliminära" in response.text  # the period is not published


def test_a_period_that_has_not_begun_is_not_found_even_for_finance(
    client, demo_year, finance_officer
):
    december = ReportingPeriod.objects.get(plan=demo_year, month=12)
    assert december.status == ReportingPeriod.Status.PLANNED
    client.force_login(finance_officer)

    assert client.get(drill("omsorgsnamnden", 12)).status_code == 404


def test_the_drill_down_is_refused_to_an_outsider_and_sends_a_visitor_to_log_in(
    client, demo_year, outsider
):
    assert_sent_to_login(client.get(drill("omsorgsnamnden", 8)))
    client.force_login(outsider)

    assert client.get(drill("omsorgsnamnden", 8)).status_code == 403


# --- From the dashboard ---------------------------------------------------------------------


def test_each_committee_of_the_dashboard_links_to_its_activities_in_the_chosen_period(
    client, demo_year, councillor
):
    text = page_as(
        client, councillor, reverse("followup:dashboard", kwargs={"year": 2026}) + "?period=9"
    ).text
    table = text.split('id="tabell-avvikelser"')[1].split("</table>")[0]

    for committee in Committee.objects.of_plan(demo_year):
        assert f'href="{drill(committee.code, 9)}"' in table, committee.code


def test_the_drill_down_runs_a_bounded_number_of_queries_whatever_the_activities(
    client, demo_year, finance_officer, django_assert_max_num_queries
):
    # 20 in the open period (22 before its figures were read by join): the report, its
    # activities, their frames, budget profiles, previous forecasts and lines, the action
    # plan with its measures; one page each for the menu, the session and the user.
    committee = Committee.objects.get(code="omsorgsnamnden")
    client.force_login(finance_officer)
    with django_assert_max_num_queries(20) as few:
        client.get(drill("omsorgsnamnden", 10))
    for n in range(20):
        committee.activities.create(code=f"tillagd-{n}", name=f"Tillagd {n}", position=100 + n)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(drill("omsorgsnamnden", 10))

    assert "Tillagd 19" in response.text
