"""The proposals' prognossäkerhet beside the controllers': per committee and forecast month,
the sum of the proposals the report form showed − the year's outcome; the mean absolute
miss of each side; kept in the cache under a published annual record only; the table and
sentence of the dashboard's include."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from budget.audit import Actor, Source
from budget.models import Committee
from followup.dashboard.overview import forecast_accuracy, plan_periods
from followup.forecasts.accuracy import PART, proposal_accuracy
from followup.models import Report, ReportingPeriod, ReportLine
from followup.periods import cache, shown
from followup.periods.record import write_record
from tests.cache import clear_own_keys, own_keys

D = Decimal
Status = ReportingPeriod.Status

# No earlier year and no periodisation profile: each activity's proposal is its outcome to
# date spread in twelfths (outcome × 12 / month), the proposal the form shows first.
# activity index → (outcome to date, the controller's forecast), per forecast month; the
# audit's one activity, then finansförvaltningen's five. August: no report of finance.
AUDIT = {3: [(-300_000, -1_200_000)], 8: [(-840_000, -1_240_000)], 10: [(-1_050_000, -1_250_000)]}
FINANCE = {
    3: [(-100_000, -400_000), (-50_000, -300_000), (25_000, 0), (0, 0), (-75_000, -400_000)],
    10: [(-400_000, -500_000), (-200_000, -250_000), (50_000, 0), (0, 0), (-200_000, -250_000)],
}
# The year's outcome in the annual accounts: the audit −1,25 mkr, finance −1,0 mkr.
FINAL = {"kommunrevisionen": [-1_250_000], "finansforvaltningen": [-500_000, -500_000, 0, 0, 0]}


def report(committee, period, lines):
    """An approved report of ``committee`` with a line per activity: (outcome, forecast)."""
    made = Report.objects.create(committee=committee, period=period, status=Report.Status.APPROVED)
    activities = committee.activities.order_by("pk")
    for activity, (outcome, forecast) in zip(activities, lines, strict=True):
        ReportLine.objects.create(
            report=made,
            activity=activity,
            outcome=D(outcome),
            forecast=None if forecast is None else D(forecast),
        )


@pytest.fixture
def empty_cache(monkeypatch):
    monkeypatch.setattr(cache, "_paused_until", 0.0)
    clear_own_keys()
    yield
    clear_own_keys()


@pytest.fixture
def committees(plan):
    return [
        Committee.objects.get(code="kommunrevisionen"),
        Committee.objects.get(code="finansforvaltningen"),
    ]


@pytest.fixture
def year(plan, committees):
    """The year reported: the forecast months March, August and October, the annual
    accounts in December begun (closed, as finance sees them before publishing)."""
    audit, finance = committees
    for month in (3, 8, 10):
        period = ReportingPeriod.objects.get(plan=plan, month=month)
        period.status = Status.PUBLISHED
        period.save()
        report(audit, period, AUDIT[month])
        if month in FINANCE:
            report(finance, period, FINANCE[month])
    december = ReportingPeriod.objects.get(plan=plan, month=12)
    december.status = Status.CLOSED
    december.save()
    for committee in committees:
        report(committee, december, [(o, None) for o in FINAL[committee.code]])
    return plan


def published_annual_accounts(plan, finance_officer):
    december = ReportingPeriod.objects.get(plan=plan, month=12)
    december.status = Status.PUBLISHED
    december.save()
    write_record(december, actor=Actor(user=finance_officer, source=Source.PAGE))


def accuracy_of(plan, committees):
    """The proposals' accuracy as the dashboard would ask for it: beside the controllers'
    rows of ``forecast_accuracy``, from periods read afresh (as by a new request)."""
    periods = plan_periods(plan)
    controllers = forecast_accuracy(
        periods, committees, rows=lambda p: shown.shown_rows(p, committees)
    )
    return proposal_accuracy(periods, controllers), controllers


def test_a_proposals_miss_is_the_sum_of_the_committees_proposals_minus_the_years_outcome(
    year, committees, empty_cache
):
    found, _ = accuracy_of(year, committees)

    audit, finance = found.rows
    assert [p.month for p in found.periods] == [3, 8, 10]
    assert audit.committee == committees[0]
    assert audit.outcome == D(-1_250_000)
    # March −300 000 × 12/3 = −1 200 000; August −840 000 × 12/8 = −1 260 000; October
    # −1 050 000 × 12/10 = −1 260 000; each − (−1 250 000).
    assert audit.misses == {3: D(50_000), 8: D(-10_000), 10: D(-10_000)}
    # March (−100 000 − 50 000 + 25 000 − 75 000) × 4 = −800 000; October −750 000 × 1,2
    # = −900 000; each − (−1 000 000). August: no report, no proposal.
    assert finance.outcome == D(-1_000_000)
    assert finance.misses == {3: D(200_000), 8: None, 10: D(100_000)}


def test_the_means_compare_both_sides_on_the_months_where_both_missed_something(
    year, committees, empty_cache
):
    found, controllers = accuracy_of(year, committees)

    # The controllers: the audit 50 000, 10 000, 0; finance −100 000, (none), 0.
    assert [c.misses for c in controllers] == [
        {3: D(50_000), 8: D(10_000), 10: D(0)},
        {3: D(-100_000), 8: None, 10: D(0)},
    ]
    # Five cells: proposals (50 + 10 + 10 + 200 + 100) / 5 = 74 000 kr, the controllers
    # (50 + 10 + 0 + 100 + 0) / 5 = 32 000 kr.
    assert found.proposals_mean == D(74_000)
    assert found.controllers_mean == D(32_000)


def test_nothing_is_shown_before_the_annual_accounts(plan, committees):
    periods = plan_periods(plan)
    assert proposal_accuracy(periods, []) is None


def test_a_published_years_proposals_are_read_from_the_cache_the_second_time(
    year, committees, finance_officer, empty_cache, django_assert_num_queries
):
    published_annual_accounts(year, finance_officer)
    periods = plan_periods(year)
    controllers = forecast_accuracy(
        periods, committees, rows=lambda p: shown.shown_rows(p, committees)
    )
    first = proposal_accuracy(periods, controllers)
    kept = [k for k in own_keys() if PART in k]
    assert len(kept) == 1

    again = plan_periods(year)  # a new request: the annual period's record read again
    with django_assert_num_queries(1):  # the record; no report, line or proposal
        second = proposal_accuracy(again, controllers)

    assert second.rows == first.rows
    assert second.rows[0].misses == {3: D(50_000), 8: D(-10_000), 10: D(-10_000)}


def test_annual_accounts_begun_but_not_published_are_computed_on_each_request(
    year, committees, empty_cache, django_assert_max_num_queries
):
    first, controllers = accuracy_of(year, committees)
    periods = plan_periods(year)

    with django_assert_max_num_queries(200) as counted:
        second = proposal_accuracy(periods, controllers)

    assert len(counted.captured_queries) > 10  # every month's reports and proposals again
    assert second.rows == first.rows
    assert [k for k in own_keys() if PART in k] == []


def test_the_include_shows_the_proposals_table_and_compares_the_means(
    year, committees, empty_cache
):
    found, _ = accuracy_of(year, committees)
    request = RequestFactory().get("/oversikt/2026/")

    html = render_to_string(
        "followup/_proposal_accuracy.html", {"proposal_accuracy": found}, request=request
    )

    assert "Förslagens träffsäkerhet" in html
    assert (
        "Hur långt de föreslagna prognoserna hade legat från årets utfall: "
        "förslag − utfall (mkr)" in html
    )
    assert 'id="tabell-forslagens-traffsakerhet"' in html
    assert ">Mars</th>" in html and ">Augusti</th>" in html and ">Oktober</th>" in html
    # Finance's row: outcome −1,0; March 0,2; August none; October 0,1 (mkr).
    finance_row = html.split("Finansförvaltningen")[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in finance_row.split('<td class="num">')[1:]]
    assert cells == ["\u22121,0", "0,2", "–", "0,1"]
    assert "Förslagen missade i medel 0,1 mkr, nämndernas prognoser 0,0 mkr." in html


def test_the_include_shows_nothing_without_the_proposals_accuracy():
    html = render_to_string("followup/_proposal_accuracy.html", {"proposal_accuracy": None})
    assert html.strip() == ""
