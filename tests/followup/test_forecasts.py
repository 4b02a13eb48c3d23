"""Forecast proposals: each method on small exact figures, the choice between them by their
past accuracy (without looking ahead), the queries a report's proposals cost, the
investment projects' proposals and their unspent-budget warning."""

import datetime
import logging
from collections import OrderedDict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import F
from django.test import override_settings

from budget.models import BudgetPlan, BudgetYear, Committee, FrameEntry
from followup.forecasts import methods, proposals
from followup.forecasts.choice import propose, track_record
from followup.forecasts.history import activity_years
from followup.forecasts.investments import (
    Pace,
    investment_proposals,
    pace,
    propose_project,
)
from followup.forecasts.methods import ActivityYear
from followup.forecasts.proposals import history_years, proposals_for
from followup.investments.figures import follow_up
from followup.models import (
    BudgetProfile,
    InvestmentProject,
    Report,
    ReportingPeriod,
    ReportLine,
)
from followup.periods import cache
from tests.cache import clear_own_keys, own_keys
from tests.followup.periods import period_of
from tests.followup.test_published_cache import DOWN

D = Decimal


def cumulative(*monthly) -> tuple:
    """A profile's cumulative shares from its twelve monthly shares."""
    running, shares = D(0), []
    for share in monthly:
        running += D(share)
        shares.append(running)
    return tuple(shares)


# Twelve months; 60 % of the budget by the end of August, 75 % by the end of September.
PROFILE = cumulative(*["0.075"] * 8, "0.15", "0.1", "0.05", "0.05")


def year_of(year=2026, *, budget=None, outcomes=None, forecasts=None, final=None, shares=None):
    return ActivityYear(
        year=year,
        budgets=dict.fromkeys(range(1, 13), D(budget)) if budget is not None else {},
        shares=shares or methods.twelfths(),
        profiled=shares is not None,
        outcomes={m: D(v) for m, v in (outcomes or {}).items()},
        forecasts={m: D(v) for m, v in (forecasts or {}).items()},
        final=None if final is None else D(final),
    )


# --- The methods ----------------------------------------------------------------------------


def test_profile_scales_the_outcome_to_date_by_the_profiles_share_of_the_year():
    now = year_of(budget=-1_200_000, outcomes={9: -930_000}, shares=PROFILE)
    found = methods.profile(now, 9)
    assert found.amount == D("-1240000.00")  # −930 000 / 0,75
    assert found.basis == (
        "utfall jan–sep omräknat med verksamhetens säsongsprofil "
        "(75,0\u00a0% av årets budget t.o.m. september)"
    )


def test_profile_without_a_profile_spreads_the_budget_in_twelfths():
    found = methods.profile(year_of(outcomes={3: -300_000}), 3)
    assert found.amount == D("-1200000.00")  # −300 000 / (3/12)
    assert found.basis == (
        "utfall jan–mar omräknat med jämn fördelning över året (3/12 av årets budget)"
    )


def test_profile_has_nothing_to_go_on_without_outcome_or_share():
    assert methods.profile(year_of(outcomes={}), 3) is None
    no_share = cumulative(*["0"] * 3, *["0.1"] * 9, "0.1")[:12]
    assert methods.profile(year_of(outcomes={3: -1}, shares=no_share), 3) is None


def test_last_year_divides_by_the_share_of_its_outcome_last_year_had_reached():
    before = year_of(2025, outcomes={9: -800_000}, final=-1_000_000)
    now = year_of(outcomes={9: -930_000})
    found = methods.last_year(now, 9, before)
    assert found.amount == D("-1162500.00")  # −930 000 / (−800 000 / −1 000 000)
    assert found.basis == (
        "utfall jan–sep omräknat med fjolårets förlopp "
        "(2025 hade 80,0\u00a0% av helårets utfall nått t.o.m. september)"
    )


def test_last_year_needs_last_years_outcome_for_the_month_and_the_year():
    now = year_of(outcomes={9: -930_000})
    assert methods.last_year(now, 9, None) is None
    assert methods.last_year(now, 9, year_of(2025, outcomes={9: -8}, final=None)) is None
    assert methods.last_year(now, 9, year_of(2025, outcomes={8: -8}, final=-10)) is None


def test_last_forecast_moves_by_the_change_in_the_outcomes_deviation_since_it_was_made():
    # August: outcome −760 000 against 60 % of −1 200 000 = −720 000, deviation −40 000;
    # September: −930 000 against −900 000, deviation −30 000: it moved +10 000.
    now = year_of(
        budget=-1_200_000,
        outcomes={8: -760_000, 9: -930_000},
        forecasts={8: -1_250_000},
        shares=PROFILE,
    )
    found = methods.last_forecast(now, 9)
    assert found.amount == D("-1240000.00")
    assert found.basis == (
        "prognosen från augusti (\u22121\u00a0250 tkr) justerad med avvikelsens förändring "
        "mot budget sedan dess (10 tkr)"
    )


def test_last_forecast_reads_only_forecasts_made_before_the_month():
    now = year_of(budget=-1_200_000, outcomes={9: -930_000}, forecasts={9: -1})
    assert methods.last_forecast(now, 9) is None


def test_budget_proposes_the_frame_the_month_is_measured_against():
    found = methods.budget(year_of(budget=-1_200_000), 9)
    assert found.amount == D("-1200000.00")
    assert found.basis == "årets budget (prognos = budget)"


def test_a_method_without_grounds_stands_back_for_the_profile_then_the_budget():
    now = year_of(budget=-1_200_000, outcomes={3: -300_000})
    assert methods.estimate("last_forecast", now, 3).method == "profile"
    assert methods.estimate("last_year", year_of(budget=-5), 3).method == "budget"


# --- The choice -----------------------------------------------------------------------------

# Spending that is late in the year, the same every year (10 % by March, 40 % by June, 60 %
# by September), and a budget far below it: last year's pattern hits exactly.
SEASONAL = {3: -100_000, 6: -400_000, 9: -600_000, 12: -1_000_000}


def seasonal_history():
    return {
        y: year_of(y, budget=-600_000, outcomes=SEASONAL, final=-1_000_000)
        for y in (2023, 2024, 2025)
    }


def test_the_method_that_came_closest_in_earlier_years_is_chosen():
    years = seasonal_history() | {2026: year_of(budget=-600_000, outcomes={3: -110_000})}
    # By hand, over March, June and September of 2023–2025 against −1 000 000 a year:
    # profile (twelfths) misses 600 000 + 200 000 + 200 000 each year; last year's pattern
    # the same in 2023 (no 2022: it stands back for the profile) and nothing after;
    # the budget misses 400 000 three times a year; outcomes 9 × 1 000 000.
    record = track_record(years, 2026)
    assert dict(record.errors) == {
        "profile": D(3_000_000),
        "last_year": D(1_000_000),
        "last_forecast": D(3_000_000),
        "budget": D(3_600_000),
    }
    proposal = propose(years, 2026, 3)
    assert proposal.method == proposal.chosen == "last_year"
    assert proposal.amount == D("-1100000.00")  # −110 000 / 10 %
    assert proposal.text == (
        "Förslag \u22121\u00a0100 tkr: utfall jan–mar omräknat med fjolårets förlopp "
        "(2025 hade 10,0\u00a0% av helårets utfall nått t.o.m. mars). Omräkningen med "
        "fjolårets förlopp vald för att den träffat bäst för verksamheten tidigare år "
        "(2023–2025): medelfel 11,1\u00a0%, budgeten 40,0\u00a0%."
    )


def test_the_budget_is_chosen_where_it_came_closest():
    # A budget of −1 000 000 hits the year's outcome exactly every year.
    years = {
        y: year_of(y, budget=-1_000_000, outcomes=SEASONAL, final=-1_000_000)
        for y in (2024, 2025, 2026)
    }
    proposal = propose(years, 2026, 6)
    assert (proposal.method, proposal.amount) == ("budget", D("-1000000.00"))
    assert proposal.basis.endswith(
        "Budgeten vald för att den träffat bäst för verksamheten tidigare år (2024–2025): "
        "medelfel 0,0\u00a0%."
    )


def test_no_look_ahead_the_years_outcome_and_later_years_do_not_count():
    years = seasonal_history() | {2026: year_of(budget=-600_000, outcomes={3: -110_000})}
    # 2026's own outcome and a 2027 where the budget hits exactly would favour the budget.
    future = years | {
        2026: year_of(budget=-600_000, outcomes={3: -110_000, 12: -600_000}, final=-600_000),
        2027: year_of(2027, budget=-600_000, outcomes={3: -60_000}, final=-600_000),
    }
    assert propose(future, 2026, 3) == propose(years, 2026, 3)
    assert propose(future, 2026, 3).chosen == "last_year"


def test_without_earlier_years_the_profile_is_used_and_the_basis_says_why():
    proposal = propose({2026: year_of(budget=-1_200_000, outcomes={3: -300_000})}, 2026, 3)
    assert (proposal.method, proposal.amount) == ("profile", D("-1200000.00"))
    assert proposal.basis == (
        "utfall jan–mar omräknat med jämn fördelning över året (3/12 av årets budget). "
        "Omräkningen med periodiseringen används eftersom verksamheten saknar tidigare år "
        "att jämföra metoderna med."
    )


def test_a_chosen_method_without_grounds_this_month_says_what_stands_in_for_it():
    # 2025's forecasts of March and June hit the year. By hand against −1 000 000: the
    # adjusted forecast misses 600 000 in March (no forecast before it: the profile stands
    # in), 150 000 in June, 50 000 in September; the profile and last year's pattern
    # (no 2024: the profile) 1 000 000, the budget 1 200 000, of outcomes 3 000 000. In
    # February 2026 there is no forecast yet, and 2025 has no February for last year's
    # pattern.
    history = year_of(
        2025,
        budget=-600_000,
        outcomes=SEASONAL,
        forecasts={3: -1_000_000, 6: -1_000_000},
        final=-1_000_000,
    )
    years = {2025: history, 2026: year_of(budget=-600_000, outcomes={2: -50_000})}
    assert track_record(years, 2026).errors["last_forecast"] == D(800_000)
    proposal = propose(years, 2026, 2)
    assert (proposal.chosen, proposal.method) == ("last_forecast", "profile")
    assert proposal.amount == D("-300000.00")  # −50 000 / (2/12)
    assert proposal.basis.endswith(
        "medelfel 26,7\u00a0%, budgeten 40,0\u00a0%; den saknar underlag i februari, så "
        "omräkningen med periodiseringen används i stället."
    )


# --- From the database ----------------------------------------------------------------------


def earlier_year(plan, committee, year, lines, *, status=Report.Status.APPROVED):
    """``year`` as an earlier plan of the municipality (the one there is, else a new one): a
    budget column with each activity's frame and, per month, an approved report of
    ``committee``. ``lines``: activity →
    (frame, {month: (outcome, forecast)})."""
    earlier, _ = BudgetPlan.objects.get_or_create(
        municipality=plan.municipality, year=year, defaults={"title": f"Mål och budget {year}"}
    )
    column, _ = BudgetYear.objects.get_or_create(
        plan=earlier,
        year=year,
        kind=BudgetYear.Kind.BUDGET,
        defaults={"status": BudgetYear.Status.ADOPTED},
    )
    months = sorted({m for _, by_month in lines.values() for m in by_month})
    reports = {}
    for month in months:
        period, _ = ReportingPeriod.objects.get_or_create(
            plan=earlier,
            year=year,
            month=month,
            defaults={
                "kind": ReportingPeriod.Kind.MONTHLY,
                "content": "Ekonomisk uppföljning",
                "status": ReportingPeriod.Status.PUBLISHED,
            },
        )
        reports[month] = Report.objects.create(committee=committee, period=period, status=status)
    for activity, (frame, by_month) in lines.items():
        FrameEntry.objects.create(
            activity=activity, budget_year=column, kind=FrameEntry.Kind.ORIGINAL, amount=frame
        )
        for month, (outcome, forecast) in by_month.items():
            ReportLine.objects.create(
                report=reports[month], activity=activity, outcome=outcome, forecast=forecast
            )
    return earlier


@pytest.fixture
def october(demo_year):
    return ReportingPeriod.objects.get(plan=demo_year, month=10)


def report_of(code, period):
    report = Report.objects.current().get(committee__code=code, period=period)
    return Report.objects.get(pk=report.pk)  # nothing read beforehand


@pytest.fixture
def audit(demo_year):
    """Kommunrevisionen and its one activity."""
    committee = Committee.objects.get(code="kommunrevisionen")
    return committee, committee.activities.get()


def test_an_earlier_year_is_read_with_its_frames_outcomes_forecasts_and_final(demo_year, audit):
    committee, activity = audit
    earlier_year(
        demo_year,
        committee,
        2025,
        {activity: (D(-1_000), {3: (D(-240), D(-990)), 12: (D(-1_010), None)})},
    )
    read = activity_years([committee.pk], range(2025, 2026))[activity.pk][2025]
    assert read.budgets[3] == read.budgets[12] == D(-1_000)
    assert read.outcomes == {3: D(-240), 12: D(-1_010)}
    assert read.forecasts == {3: D(-990)}
    assert read.final == D(-1_010)
    assert not read.profiled


def test_a_years_outcome_counts_only_from_an_approved_report(demo_year, audit):
    committee, activity = audit
    earlier_year(
        demo_year,
        committee,
        2025,
        {activity: (D(-1_000), {12: (D(-1_010), None)})},
        status=Report.Status.SUBMITTED,
    )
    read = activity_years([committee.pk], range(2025, 2026))[activity.pk][2025]
    assert read.outcomes == {12: D(-1_010)}
    assert read.final is None


def test_a_reports_proposals_come_from_its_own_outcome(demo_year, october):
    report = report_of("bildningsnamnden", october)
    line = report.lines.get()
    proposal = proposals_for(report)[line.activity_id]
    # No earlier year in the demo: the outcome to date in twelfths, 10/12 of the year.
    assert proposal.method == "profile"
    assert proposal.amount == methods.kronor(line.outcome / (D(1) / 12 * 10))
    assert proposal.text.startswith(
        f"Förslag {methods.format_tkr(proposal.amount)} tkr: utfall jan–okt omräknat med "
        "jämn fördelning över året (10/12 av årets budget)."
    )


def test_a_reports_proposals_learn_from_the_committees_earlier_years(demo_year, october):
    committee = Committee.objects.get(code="kommunrevisionen")
    activity = committee.activities.get()
    report = report_of("kommunrevisionen", october)
    budget = report.lines.get().forecast  # the demo's forecast is the budget
    # 2024 and 2025 ended exactly on budget while their outcome ran 20 % behind twelfths.
    for year in (2024, 2025):
        behind = {10: (budget * D("0.8") * 10 / 12, None), 12: (budget, None)}
        earlier_year(demo_year, committee, year, {activity: (budget, behind)})
    proposal = proposals_for(report)[activity.pk]
    assert proposal.chosen in {"last_year", "budget"}
    assert proposal.error == 0
    assert "tidigare år (2024–2025): medelfel 0,0\u00a0%" in proposal.basis


def computed_directly(report) -> dict:
    """The report's proposals as ``propose`` gives them from all the years read at once,
    nothing kept: what ``proposals_for`` must give."""
    year, month = report.period.year, report.period.month
    years = activity_years([report.committee_id], history_years(year), report=report)
    found = {a: propose(by, year, month) for a, by in years.items() if year in by}
    return {a: proposal for a, proposal in found.items() if proposal is not None}


def varied_history(plan, committee, years):
    """Earlier years of ``committee`` in which each activity has its own kind of year: on
    budget, spent late and well over it, spent evenly and under it, or ending far from the
    budget and its forecasts, year by year; forecasts in March, August and October, the
    year's outcome in an approved December report."""
    for year in years:
        lines = {}
        for n, activity in enumerate(committee.activities.order_by("pk")):
            frame = D(-1_000_000 * (n + 1))
            swing = D((year + n) % 3 - 1) * D("0.3")
            final = frame * [D(1), D("1.4"), D("0.7"), 1 + swing, D("1.2") - swing][n % 5]
            varied = D(1) + D((n + year) % 4 - 1) / 4
            lateness = [varied, D("1.5"), D(1), varied, varied][n % 5]
            by_month = {}
            for month in (2, 3, 5, 8, 10, 12):
                outcome = final * (D(month) / 12) ** lateness
                forecast = final + frame * D(month - 9) / 50 if month in (3, 8, 10) else None
                by_month[month] = (
                    outcome.quantize(D("0.01")),
                    None if forecast is None else forecast.quantize(D("0.01")),
                )
            lines[activity] = (frame, by_month)
        earlier_year(plan, committee, year, lines)


@pytest.fixture
def empty_cache(monkeypatch):
    """None of this process's keys in the cache or its memo, and the cache not paused."""
    monkeypatch.setattr(cache, "_paused_until", 0.0)
    monkeypatch.setattr(proposals, "_memo", OrderedDict())
    clear_own_keys()
    yield
    clear_own_keys()


@pytest.fixture
def finance_with_history(demo_year):
    """Finansförvaltningen (five activities) with five earlier years, 2021–2025, an
    activity with a periodisation profile in 2025 and 2026, and a frame change decided in
    June 2026."""
    finance = Committee.objects.get(code="finansforvaltningen")
    varied_history(demo_year, finance, range(2021, 2026))
    first, second = finance.activities.order_by("pk")[:2]
    late = ["0.05"] * 6 + ["0.1"] * 5 + ["0.2"]  # 30 % of the year by June
    for year in (2025, 2026):
        for month, share in enumerate(late, start=1):
            BudgetProfile.objects.create(activity=first, year=year, month=month, share=D(share))
    FrameEntry.objects.create(
        activity=second,
        budget_year=BudgetYear.objects.get(plan=demo_year, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=FrameEntry.Kind.CHANGE,
        amount=D(-250_000),
        decided_on=datetime.date(2026, 6, 15),
    )
    return finance


def test_kept_earlier_figures_give_exactly_the_proposals_computed_from_all_years(
    finance_with_history, empty_cache
):
    for month in (3, 8, 10):  # the months that ask for a forecast
        period = ReportingPeriod.objects.get(plan__year=2026, month=month)
        expected = computed_directly(report_of("finansforvaltningen", period))
        assert len(expected) == 5

        computed = proposals_for(report_of("finansforvaltningen", period))  # and kept
        remembered = proposals_for(report_of("finansforvaltningen", period))  # the memo
        proposals._memo.clear()  # as another process would
        kept = proposals_for(report_of("finansforvaltningen", period))  # the cache

        assert computed == expected
        assert remembered == expected
        assert kept == expected
    # Learnt from 2021–2025, and not every activity the same way.
    assert all("tidigare år (2021–2025)" in p.basis for p in expected.values())
    assert len({p.chosen for p in expected.values()}) > 1
    # Kept once for each month of the committee.
    assert len([k for k in own_keys() if k.startswith("forecasts:")]) == 3


@pytest.mark.parametrize("year, month", [(2025, 12), (2026, 8)])
def test_a_change_before_the_month_is_learnt_by_the_next_request(
    finance_with_history, october, empty_cache, year, month
):
    proposals_for(report_of("finansforvaltningen", october))  # computed and kept
    # An outcome corrected (2025's for the whole year, or this August's): a saved report
    # has a new row version.
    line = (
        ReportLine.objects.filter(
            report__committee=finance_with_history,
            report__period__year=year,
            report__period__month=month,
        )
        .exclude(report__status=Report.Status.SUPERSEDED)
        .first()
    )
    ReportLine.objects.filter(pk=line.pk).update(outcome=line.outcome * 2)
    Report.objects.filter(pk=line.report_id).update(row_version=F("row_version") + 1)

    after = proposals_for(report_of("finansforvaltningen", october))

    assert len([k for k in own_keys() if k.startswith("forecasts:")]) == 2  # a new key
    assert after == computed_directly(report_of("finansforvaltningen", october))


def test_a_correction_of_an_earlier_month_counts_as_in_the_direct_computation(
    finance_with_history, october, empty_cache
):
    august = ReportingPeriod.objects.get(plan__year=2026, month=8)
    approved = report_of("finansforvaltningen", august)
    correction = Report.objects.create(
        committee=finance_with_history, period=august, version=2, corrects=approved
    )
    ReportLine.objects.bulk_create(
        ReportLine(report=correction, activity_id=line.activity_id, outcome=line.outcome * 2)
        for line in approved.lines.all()
    )
    expected = computed_directly(report_of("finansforvaltningen", october))

    assert proposals_for(report_of("finansforvaltningen", october)) == expected
    proposals._memo.clear()
    assert proposals_for(report_of("finansforvaltningen", october)) == expected


def test_a_cache_that_fails_is_passed_by(finance_with_history, october, empty_cache, caplog):
    expected = computed_directly(report_of("finansforvaltningen", october))
    with override_settings(CACHES=DOWN), caplog.at_level(logging.WARNING):
        assert proposals_for(report_of("finansforvaltningen", october)) == expected
    assert "The cache failed" in caplog.text


def test_a_reports_proposals_cost_the_same_queries_whatever_its_activities_and_years(
    demo_year, october, empty_cache, django_assert_num_queries
):
    # Kommunrevisionen has one activity, finansförvaltningen five; each two earlier years.
    reported = {3: (D(-250), D(-1_000)), 12: (D(-990), None)}
    for code in ("kommunrevisionen", "finansforvaltningen"):
        committee = Committee.objects.get(code=code)
        for year in (2024, 2025):
            lines = {a: (D(-1_000), reported) for a in committee.activities.all()}
            earlier_year(demo_year, committee, year, lines)
    for code, activities in (("kommunrevisionen", 1), ("finansforvaltningen", 5)):
        first, again = report_of(code, october), report_of(code, october)
        # The period; the report's lines with the versions of the reports before it, the
        # year's profiles, its frames; what came before not kept yet: all the years' lines,
        # profiles and frames.
        with django_assert_num_queries(7):
            assert len(proposals_for(first)) == activities
        proposals._memo.clear()  # as another process would: read from the cache
        with django_assert_num_queries(4):
            assert len(proposals_for(again)) == activities
    # February of the demo's first year: no report before it, nothing to learn or keep.
    first_month = report_of("bildningsnamnden", period_of(demo_year, 2))
    with django_assert_num_queries(4):
        assert len(proposals_for(first_month)) == 1
    assert len([k for k in own_keys() if k.startswith("forecasts:")]) == 2


# --- Investment projects --------------------------------------------------------------------


def project_figures(*, outcome, month, budget, status=InvestmentProject.Status.ONGOING):
    return SimpleNamespace(
        outcome=D(outcome),
        outcome_period=SimpleNamespace(month=month),
        budget_incl=D(budget),
        project=SimpleNamespace(status=status),
    )


def test_a_projects_pace_is_what_earlier_years_had_spent_by_each_month():
    learnt = pace(
        [(2024, {6: D(100), 12: D(400)}), (2025, {6: D(300), 10: D(500), 12: D(600)})],
        "nämndens",
    )
    assert learnt.years == (2024, 2025)
    assert learnt.share(6) == D("0.4")  # (100 + 300) / (400 + 600)
    assert learnt.share(10) == D("0.6")  # (100 + 500) / 1 000: 2024 had spent 100 by October
    assert learnt.share(3) == 0


def test_a_project_is_forecast_from_its_spending_and_the_pace_of_earlier_years():
    learnt = Pace(shares={8: D("0.4")}, source="nämndens", years=(2024, 2025))
    proposal = propose_project(
        project_figures(outcome=2_000_000, month=8, budget=4_000_000), learnt
    )
    assert proposal.amount == D("5000000.00")  # 2 mkr / 40 %
    assert proposal.unspent == D("-0.25")
    assert proposal.warning == ""
    assert proposal.text == (
        "Förslag 5,0 mkr: utfall t.o.m. augusti 2,0 mkr omräknat med nämndens "
        "investeringstakt tidigare år (2024–2025: 40,0\u00a0% av årets utgifter t.o.m. augusti)"
    )


def test_a_project_on_course_to_leave_over_a_quarter_of_its_budget_unspent_is_warned():
    even = Pace(shares={})  # no earlier years: an even pace
    proposal = propose_project(project_figures(outcome=1_800_000, month=6, budget=6_000_000), even)
    assert proposal.amount == D("3600000.00")  # 1,8 mkr / (6/12)
    assert proposal.basis == "utfall t.o.m. juni 1,8 mkr omräknat med jämn takt över året (6/12)"
    assert proposal.unspent == D("0.4")
    assert proposal.warning == (
        "På väg att lämna 40\u00a0% av årets budget oförbrukad (2,4 av 6,0 mkr)"
    )
    exactly_a_quarter = project_figures(outcome=2_250_000, month=6, budget=6_000_000)
    assert propose_project(exactly_a_quarter, even).warning == ""


def test_a_finished_project_spends_no_more_than_its_outcome():
    done = project_figures(
        outcome=1_450_000, month=8, budget=1_500_000, status=InvestmentProject.Status.FINISHED
    )
    proposal = propose_project(done, Pace(shares={}))
    assert proposal.amount == D(1_450_000)
    assert proposal.basis == "utfall t.o.m. augusti 1,5 mkr; projektet är avslutat"


def test_the_demo_projects_proposals_cost_one_query_and_warn_of_slipping_projects(
    demo_investments, django_assert_num_queries
):
    figures = follow_up(plan=demo_investments, period=period_of(demo_investments, 10))
    with django_assert_num_queries(1):
        proposals = investment_proposals(figures)
    by_code = {f.project.code: proposals[f.project.pk] for f in figures.total.projects}
    # KS-2602: 3,9 mkr spent by October of 7,2 mkr; at an even pace 4,68 mkr, 35 % unspent.
    assert by_code["KS-2602"].amount == D("4680000.00")
    assert by_code["KS-2602"].warning == (
        "På väg att lämna 35\u00a0% av årets budget oförbrukad (2,5 av 7,2 mkr)"
    )
    # KS-2601: 7,1 mkr of 8,5 by October: 8,52 mkr, on budget.
    assert by_code["KS-2601"].amount == D("8520000.00")
    assert by_code["KS-2601"].warning == ""
