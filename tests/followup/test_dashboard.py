"""The start page: the year at a glance, every figure equal to the table it summarises.

Councillors follow the published periods; finance every period that has begun and the open
period's review; controllers what they must do next for their committees.
"""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from budget.models import Committee
from budget.money import format_mkr
from followup.investments.figures import follow_up
from followup.models import ReportingPeriod
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share
from tests.followup.committees import extra_committees
from tests.pages import page_as

DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-uppfoljning-2026.toml"


def deviations_table(html) -> str:
    """The dashboard's table of each committee's deviation, as HTML."""
    return html.split('id="tabell-avvikelser"')[1].split("</table>")[0]


def page(month=None, compare=None):
    url = reverse("followup:dashboard", kwargs={"year": 2026})
    query = "&".join(
        f"{k}={v}" for k, v in (("period", month), ("jamfor", compare)) if v is not None
    )
    return f"{url}?{query}" if query else url


def charts_of(response):
    """The charts' JSON blocks, by id."""
    blocks = re.findall(
        r'<script id="(chart-[a-z]+)" type="application/json">(.*?)</script>',
        response.text,
        re.S,
    )
    return {chart_id: json.loads(body) for chart_id, body in blocks}


def overview(plan, month):
    period = ReportingPeriod.objects.get(plan=plan, month=month)
    rows = period_overview(period, Committee.objects.of_plan(plan).with_activities())
    return rows, MunicipalityResult.of(rows, target_share=surplus_target_share(plan))


def test_the_start_page_opens_the_dashboard(client, demo_year, councillor):
    client.force_login(councillor)

    response = client.get(reverse("budget:start"))

    assert response.status_code == 302
    assert response.url == reverse("followup:dashboard", kwargs={"year": 2026})


def test_a_councillor_sees_the_latest_published_forecast_by_default(client, demo_year, councillor):
    client.force_login(councillor)

    response = client.get(page())

    assert response.status_code == 200
    board = response.context["board"]
    assert board.period.month == 8  # the latest published period with a forecast
    assert [p.month for p in board.periods] == [2, 3, 4, 5, 8, 9]  # October is not published


def test_the_municipality_result_equals_the_review_table(client, demo_year, councillor):
    client.force_login(councillor)
    rows, result = overview(demo_year, 8)

    response = client.get(page(8))

    shown = response.context["board"].current.result
    assert (shown.forecast, shown.budget, shown.forecast_target) == (
        result.forecast,
        result.budget,
        result.forecast_target,
    )
    # The headlines are the adopted result (the document's 6,0) and the forecast on it.
    assert f"{format_mkr(result.adopted_forecast)} mkr" in response.text
    assert f"{format_mkr(result.adopted_budget)} mkr" in response.text
    assert result.adopted_budget - result.budget == result.stated_rounding


def test_the_headline_says_the_rows_sum_where_the_document_rounded_its_result(
    client, demo_year, councillor
):
    _, result = overview(demo_year, 8)

    response = page_as(client, councillor, page(8))

    assert result.stated_rounding == Decimal("100000")  # 6,0 stated, 5,9 in the rows
    assert f"raderna summerar till {format_mkr(result.budget)} mkr" in response.text
    assert result.adopted_forecast == result.adopted_budget + result.deviation


def test_a_period_without_forecast_says_so_instead_of_an_empty_result(
    client, demo_year, councillor
):
    client.force_login(councillor)
    rows, result = overview(demo_year, 5)

    response = client.get(page(5))

    assert result.forecast is None
    assert "Ingen helårsprognos i maj" in response.text
    assert "Avvikelse: ingen prognos" in response.text
    assert f"{format_mkr(result.budget)} mkr" in response.text
    assert '<p class="key-figure__value"> mkr</p>' not in response.text


def test_each_committees_deviation_equals_the_review_table_in_the_table_and_the_chart(
    client, demo_year, councillor
):
    client.force_login(councillor)
    rows, _ = overview(demo_year, 8)
    expected = {r.committee.name: format_mkr(r.deviation) for r in rows}

    response = client.get(page(8))

    chart = charts_of(response)["chart-deviation"]
    assert chart["labels"] == list(expected)
    shown_in_chart = [format_mkr(Decimal(v) * 1_000_000) for v in chart["datasets"][0]["data"]]
    assert shown_in_chart == list(expected.values())
    table = deviations_table(response.text)
    for name, deviation in expected.items():
        assert name in table
        assert deviation in table
    assert "Finansförvaltningen" in table  # its lines are part of the result
    _, result = overview(demo_year, 8)
    assert sum(r.deviation for r in rows) == result.deviation
    assert format_mkr(result.deviation) in table.split("<tfoot>")[1]


def test_the_forecast_through_the_year_has_one_point_per_forecast_period(
    client, demo_year, councillor
):
    client.force_login(councillor)
    _, march = overview(demo_year, 3)
    _, august = overview(demo_year, 8)

    response = client.get(page(8))

    chart = charts_of(response)["chart-result"]
    assert chart["labels"] == ["Mars", "Augusti"]
    forecast = chart["datasets"][0]
    assert forecast["label"] == "Prognos"
    # On the adopted result, as the headlines: the document's 6,0 plus the deviations.
    assert [Decimal(v) for v in forecast["data"]] == [
        Decimal(format_mkr(march.adopted_forecast).replace("\u2212", "-").replace(",", ".")),
        Decimal(format_mkr(august.adopted_forecast).replace("\u2212", "-").replace(",", ".")),
    ]


def test_the_investments_equal_the_investment_follow_up(client, demo_year, councillor):
    client.force_login(councillor)
    august = ReportingPeriod.objects.get(plan=demo_year, month=8)
    total = follow_up(plan=demo_year, period=august).total

    response = client.get(page(8))

    assert response.context["board"].investments.total.budget_incl == total.budget_incl
    assert response.context["board"].investments.total.forecast == total.forecast


def test_two_periods_are_compared_committee_by_committee(client, demo_year, councillor):
    client.force_login(councillor)
    rows_now, result_now = overview(demo_year, 8)
    rows_then, result_then = overview(demo_year, 3)

    response = client.get(page(8, compare=3))

    comparison = response.context["comparison"]
    assert [(c["now"], c["then"]) for c in comparison] == [
        (now.deviation, then.deviation) for now, then in zip(rows_now, rows_then, strict=True)
    ]
    assert format_mkr(result_now.forecast - result_then.forecast) in response.text


def test_a_councillor_cannot_choose_a_period_that_is_not_published(client, demo_year, councillor):
    response = page_as(client, councillor, page(10))

    assert response.context["board"].period.month == 8
    assert "oktober" not in [p.month_name for p in response.context["board"].periods]


def test_finance_follows_the_open_period_and_sees_its_review_status(
    client, demo_year, finance_officer
):
    client.force_login(finance_officer)

    response = client.get(page(10))

    assert response.context["board"].period.month == 10
    assert "PRELIMINÄR" in response.text
    status = dict(response.context["review_status"])
    assert status["Utkast"] == 2  # Bildningsnämnden and finansförvaltningen still work on it
    assert status["Inlämnad"] == 7
    assert "Granska periodens rapporter" in response.text


def test_a_controller_is_told_what_to_do_next_for_their_committee(
    client, demo_year, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.get(page())

    steps = response.context["next_steps"]
    assert steps[0].startswith("Bildningsnämnden: rapporten för oktober är ett utkast; lämna in")
    assert all(step.startswith("Bildningsnämnden") for step in steps)


def test_a_year_without_a_published_period_says_so(client, plan, councillor):
    client.force_login(councillor)

    response = client.get(page())

    assert response.status_code == 200
    assert "Ingen uppföljning är publicerad för 2026 ännu" in response.text


def test_the_charts_load_only_our_own_scripts(client, demo_year, councillor):
    client.force_login(councillor)

    response = client.get(page(8))

    scripts = re.findall(r"<script[^>]*>", response.text)
    assert all('type="application/json"' in s or 'src="/static/' in s for s in scripts)
    assert "chartjs-4.6.1/chart.umd.min.js" in response.text
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_outsider_is_refused(client, demo_year, outsider):
    client.force_login(outsider)

    assert client.get(page()).status_code == 403


# The start page's queries for each role (was 40 for finance, 42 for a controller and 28 for
# a councillor before a period's figures were summed in the database): the figures of an
# open period are six queries whatever its committees and activities (the reports, two
# sums and the action plans; the previous forecasts are not shown, so not summed), the plan
# and the periods are read once, the document's
# rounding once per set of committees (here two: those the published periods were recorded
# with, and today's, which the open period's frames bring); the preliminary notice is told from the open period's rows, the
# investments are read with the periods the page has and the published periods' records
# in one query.
FINANCE_QUERIES = 26
CONTROLLER_QUERIES = 26
COUNCILLOR_QUERIES = 19


def added_committee(municipality):
    """One committee more than the plan's, so that the open period's committees differ from
    those the published periods were recorded with (the document's rounding is read once
    per set of committees)."""
    committee = Committee.objects.create(
        municipality=municipality,
        code="tillagd",
        name="Tillagd nämnd",
        kind=Committee.Kind.COMMITTEE,
        position=99,
    )
    committee.activities.create(code="tillagd-0", name="V 0")


def test_the_dashboard_runs_a_bounded_number_of_queries_whatever_the_committees(
    client, demo_year, finance_officer, django_assert_max_num_queries
):
    # October is open: its figures are summed from the tables, per committee.
    added_committee(demo_year.municipality)
    client.force_login(finance_officer)
    with django_assert_max_num_queries(FINANCE_QUERIES) as few:
        client.get(page(10))
    extra_committees(demo_year.municipality, 12, activities=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page(10))

    assert "Extranämnd 11" in response.text


def test_a_controllers_start_page_runs_a_bounded_number_of_queries_whatever_the_committees(
    client, demo_year, bildning_controller, django_assert_max_num_queries
):
    # Their committee's row in the open period, beside the published periods' figures.
    added_committee(demo_year.municipality)
    client.force_login(bildning_controller)
    with django_assert_max_num_queries(CONTROLLER_QUERIES) as few:
        client.get(page())
    extra_committees(demo_year.municipality, 12, activities=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page())

    assert "Rapporten för Bildningsnämnden, oktober" in response.text


def test_a_published_period_keeps_the_committees_it_was_published_with(
    client, demo_year, councillor, django_assert_max_num_queries
):
    client.force_login(councillor)
    before = client.get(page(8))
    extra_committees(demo_year.municipality, 12, activities=1)

    with django_assert_max_num_queries(COUNCILLOR_QUERIES):
        after = client.get(page(8))

    assert "Extranämnd 11" not in after.text
    assert deviations_table(after.text) == deviations_table(before.text)


# --- The drill-down ------------------------------------------------------------------------


def drill(code="omsorgsnamnden", month=8):
    return reverse(
        "followup:committee_overview", kwargs={"year": 2026, "month": month, "code": code}
    )


def test_a_councillor_drills_down_to_a_committees_activities_comments_and_action_plan(
    client, demo_year, councillor
):
    client.force_login(councillor)
    rows, _ = overview(demo_year, 8)
    omsorg = next(r for r in rows if r.committee.code == "omsorgsnamnden")

    response = client.get(drill())

    assert response.status_code == 200
    assert response.context["figures"].deviation == omsorg.deviation
    assert format_mkr(omsorg.deviation) in response.text
    assert "Åtgärdsplan" in response.text
    assert response.context["action_plan"] is not None
    assert "Restriktiv hållning" in response.text  # its activity overspends
    assert "Öppna rapporten" not in response.text  # councillors read the report here


def test_a_councillor_cannot_drill_into_a_period_that_is_not_published(
    client, demo_year, councillor
):
    client.force_login(councillor)

    assert client.get(drill(month=10)).status_code == 404


def test_the_drill_down_of_an_unknown_committee_is_not_found(client, demo_year, councillor):
    client.force_login(councillor)

    assert client.get(drill(code="ingen-sadan")).status_code == 404


def test_the_drill_down_refuses_an_outsider(client, demo_year, outsider):
    client.force_login(outsider)

    assert client.get(drill()).status_code == 403


@pytest.mark.parametrize(
    ("today", "said"),
    [
        ("2026-11-05", "lämna in senast 2026-11-11."),
        ("2026-11-20", "lämna in; sista dagen var 2026-11-11, rapporten är sen."),
    ],
)
def test_the_next_step_says_the_deadline_or_that_the_report_is_late(
    demo_year, bildning_controller, today, said
):
    import datetime

    from followup.dashboard.overview import next_steps

    october = ReportingPeriod.objects.get(plan=demo_year, month=10)
    rows, _ = overview(demo_year, 10)

    steps = next_steps(
        plan=demo_year,
        user=bildning_controller,
        period=october,
        rows=rows,
        today=datetime.date.fromisoformat(today),
    )

    assert steps[0] == f"Bildningsnämnden: rapporten för oktober är ett utkast; {said}"


def test_forecast_accuracy_sets_each_forecast_beside_the_years_outcome(
    client, demo_year, finance_officer
):
    from followup.models import Report, ReportLine

    december = ReportingPeriod.objects.get(plan=demo_year, month=12)
    december.status = ReportingPeriod.Status.CLOSED
    december.save()
    rows_august, _ = overview(demo_year, 8)
    outcome_by_committee = {}
    for row in rows_august:
        report = Report.objects.create(
            committee=row.committee, period=december, status=Report.Status.APPROVED
        )
        for activity in row.committee.activities.all():
            # The year ended 0,5 mkr worse than each activity's budget.
            budget = next(line.budget for line in _report_lines(row) if line.activity == activity)
            ReportLine.objects.create(
                report=report, activity=activity, outcome=budget - Decimal("500000")
            )
        outcome_by_committee[row.committee.pk] = sum(
            (line.budget - Decimal("500000") for line in _report_lines(row)), Decimal(0)
        )
    client.force_login(finance_officer)

    response = client.get(page(12))

    accuracy = {a.committee.pk: a for a in response.context["board"].accuracy}
    omsorg = next(r for r in rows_august if r.committee.code == "omsorgsnamnden")
    assert accuracy[omsorg.committee.pk].outcome == outcome_by_committee[omsorg.committee.pk]
    assert accuracy[omsorg.committee.pk].misses[8] == (
        omsorg.forecast - outcome_by_committee[omsorg.committee.pk]
    )
    assert "Hur långt nämndernas prognoser låg från årets utfall" in response.text


def test_the_proposals_accuracy_stands_beside_the_controllers_once_the_annual_accounts_are_published(
    client, demo_year, finance_officer
):
    from budget.audit import Actor, Source
    from followup.models import Report, ReportLine
    from followup.periods.record import write_record

    december = ReportingPeriod.objects.get(plan=demo_year, month=12)
    december.status = ReportingPeriod.Status.CLOSED
    december.save()
    for row in overview(demo_year, 8)[0]:
        report = Report.objects.create(
            committee=row.committee, period=december, status=Report.Status.APPROVED
        )
        for line in _report_lines(row):
            ReportLine.objects.create(report=report, activity=line.activity, outcome=line.budget)
    client.force_login(finance_officer)

    closed = client.get(page(12))

    assert closed.context["board"].accuracy
    assert closed.context["board"].proposal_accuracy is None
    assert "Förslagens träffsäkerhet" not in closed.text

    december.status = ReportingPeriod.Status.PUBLISHED
    december.save()
    write_record(december, actor=Actor(user=finance_officer, source=Source.PAGE))
    published = client.get(page(12))

    board = published.context["board"]
    assert [r.committee for r in board.proposal_accuracy.rows] == [
        a.committee for a in board.accuracy
    ]
    assert "Förslagens träffsäkerhet" in published.text
    assert "Förslagen missade i medel" in published.text


def _report_lines(row):
    from followup.reports.figures import report_figures

    return report_figures(row.report).lines


def test_the_goals_are_listed_with_their_indicators(client, demo_year, councillor):
    from budget.models import Indicator

    client.force_login(councillor)

    response = client.get(page(8))

    for indicator in Indicator.objects.filter(goal__plan=demo_year):
        assert indicator.name in response.text
