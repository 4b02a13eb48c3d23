"""Goal follow-up (followup/goals/progress.py): an indicator's trend against its desired direction
with the tolerance, the distance to the target, the source and the comparison
municipalities; finance's analysis per goal and period (audited, stale and empty saves
refused); the financial indicators as of a period and the budget's balanskravsutredning.

Expected values come from the data each test creates or from the plan's own figures.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.loader import read_toml
from budget.models import (
    AuditEntry,
    BudgetYear,
    Indicator,
    KeyFact,
    StatementAmount,
    StatementLine,
)
from budget.money import ratio, round_mkr
from budget.reports import document, indicators
from budget.reports.snapshot import PlanSnapshot
from followup.goals.progress import (
    TOLERANCE_SHARE,
    GoalAnalysisError,
    StaleAnalysis,
    Trend,
    budget_balance,
    financial_follow_up,
    goals_follow_up,
    remaining_to_target,
    save_goal_analysis,
    tolerance,
    trend,
)
from followup.models import (
    EarlierDeficit,
    GoalAnalysis,
    IndicatorValue,
    ReportingPeriod,
    StatementFigure,
)
from followup.reports.demo import load_demo_followup
from followup.statements.result import RESERVE_FACT, year_result
from tests.followup.periods import period_of
from tests.followup.test_demo import DEMO

HEDEMORA = "2083"
FETCHED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 4, 15, 9, 30, tzinfo=datetime.UTC)


def indicator(plan, code="livskvalitet") -> Indicator:
    return Indicator.objects.get(goal__plan=plan, code=code)


def add_value(ind, year, value, *, code=HEDEMORA, source="kolada", at=FETCHED):
    return IndicatorValue.objects.create(
        indicator=ind,
        municipality_code=code,
        year=year,
        value=Decimal(value),
        source=source,
        kpi="U01405" if source == "kolada" else "",
        fetched_at=at,
    )


def follow_up_of(plan, ind, period=None):
    for g in goals_follow_up(plan, period=period):
        for f in g.indicators:
            if f.indicator.pk == ind.pk:
                return g, f
    raise AssertionError(ind)


def history():
    """The audit entries about analyses (loading the plan writes others in the area)."""
    return AuditEntry.objects.filter(
        area=AuditEntry.Area.GOALS, content_type=ContentType.objects.get_for_model(GoalAnalysis)
    )


# --- the trend rule -----------------------------------------------------------------------


def test_the_tolerance_is_half_a_percent_of_the_baseline(plan):
    ind = indicator(plan)  # baseline 51

    assert TOLERANCE_SHARE == Decimal("0.005")
    assert tolerance(ind) == ind.baseline_value * Decimal("0.005")


def test_a_rise_is_better_and_a_fall_worse_when_the_indicator_should_increase(plan):
    ind = indicator(plan)
    assert ind.direction == Indicator.Direction.INCREASE

    assert trend(indicator=ind, earlier=Decimal(52), later=Decimal(53)) == Trend.BETTER
    assert trend(indicator=ind, earlier=Decimal(53), later=Decimal(52)) == Trend.WORSE


def test_a_fall_is_better_when_the_indicator_should_decrease(plan):
    ind = indicator(plan)
    ind.direction = Indicator.Direction.DECREASE

    assert trend(indicator=ind, earlier=Decimal(53), later=Decimal(52)) == Trend.BETTER
    assert trend(indicator=ind, earlier=Decimal(52), later=Decimal(53)) == Trend.WORSE


def test_a_change_under_the_tolerance_is_unchanged_and_the_tolerance_itself_is_a_change(plan):
    ind = indicator(plan)
    step = tolerance(ind)
    just_under = step - Decimal("0.0001")

    assert trend(indicator=ind, earlier=Decimal(52), later=Decimal(52)) == Trend.UNCHANGED
    assert trend(indicator=ind, earlier=Decimal(52), later=52 + just_under) == Trend.UNCHANGED
    assert trend(indicator=ind, earlier=Decimal(52), later=52 - just_under) == Trend.UNCHANGED
    assert trend(indicator=ind, earlier=Decimal(52), later=52 + step) == Trend.BETTER
    assert trend(indicator=ind, earlier=Decimal(52), later=52 - step) == Trend.WORSE


def test_without_two_values_there_is_no_comparison_yet(plan):
    ind = indicator(plan)

    assert trend(indicator=ind, earlier=None, later=Decimal(52)) == Trend.NONE
    assert Trend.NONE.label == "Ingen jämförelse ännu"
    assert [t.label for t in (Trend.BETTER, Trend.UNCHANGED, Trend.WORSE)] == [
        "Bättre",
        "Oförändrat",
        "Sämre",
    ]


def test_the_distance_to_the_target_is_counted_in_the_desired_direction(plan):
    ind = indicator(plan)  # target 55, increase

    assert remaining_to_target(ind, Decimal("53.5")) == ind.target_value - Decimal("53.5")
    assert remaining_to_target(ind, ind.target_value + 1) == -1
    ind.direction = Indicator.Direction.DECREASE
    assert remaining_to_target(ind, Decimal("57")) == Decimal("57") - ind.target_value
    assert remaining_to_target(ind, None) is None


# --- an indicator's values over the years -------------------------------------------------


def test_an_indicator_without_values_has_no_trend_nor_source(plan):
    _, f = follow_up_of(plan, indicator(plan))

    assert f.values == ()
    assert f.trend == Trend.NONE
    assert f.since_baseline == Trend.NONE
    assert f.remaining is None
    assert f.source_text == ""


def test_the_latest_value_is_compared_with_the_previous_and_with_the_baseline(plan):
    ind = indicator(plan)  # baseline 51 (2022), target 55
    add_value(ind, 2024, "53")
    add_value(ind, 2023, "54")
    add_value(ind, 2022, "51")

    goal, f = follow_up_of(plan, ind)

    assert [v.year for v in f.values] == [2022, 2023, 2024]
    assert (f.previous.value, f.latest.value) == (Decimal(54), Decimal(53))
    assert f.trend == Trend.WORSE  # 54 → 53
    assert f.since_baseline == Trend.BETTER  # 51 → 53
    assert f.remaining == ind.target_value - 53
    assert f.target_reached is False
    assert goal.years == (2022, 2023, 2024)
    row = next(r for r in goal.rows if r.follow_up.indicator.pk == ind.pk)
    assert row.cells == ("51", "54", "53")


def test_a_single_value_after_the_baseline_year_is_compared_with_the_baseline_only(plan):
    ind = indicator(plan)
    add_value(ind, 2023, str(ind.baseline_value - 2))

    _, f = follow_up_of(plan, ind)

    assert f.trend == Trend.NONE
    assert f.since_baseline == Trend.WORSE


def test_a_value_of_the_baseline_year_is_not_compared_with_the_baseline(plan):
    ind = indicator(plan)
    add_value(ind, ind.baseline_year, str(ind.baseline_value + 3))

    _, f = follow_up_of(plan, ind)

    assert f.since_baseline == Trend.NONE


def test_a_decreasing_indicator_improves_when_its_value_falls(plan):
    ind = indicator(plan)
    ind.direction = Indicator.Direction.DECREASE
    ind.baseline_value, ind.target_value = Decimal(20), Decimal(15)
    ind.save()
    add_value(ind, 2023, "19")
    add_value(ind, 2024, "17")

    _, f = follow_up_of(plan, ind)

    assert f.trend == Trend.BETTER
    assert f.since_baseline == Trend.BETTER
    assert f.remaining == Decimal(17) - Decimal(15)


def test_the_target_reached_is_said_so(plan):
    ind = indicator(plan)
    add_value(ind, 2024, str(ind.target_value))

    _, f = follow_up_of(plan, ind)

    assert f.target_reached is True
    assert f.remaining_shown == "Målvärdet är nått"


def test_other_municipalities_values_do_not_count_in_the_trend(plan):
    ind = indicator(plan)
    add_value(ind, 2023, "52")
    add_value(ind, 2024, "52")
    add_value(ind, 2023, "40", code="2080")
    add_value(ind, 2024, "70", code="2080")

    _, f = follow_up_of(plan, ind)

    assert [v.municipality_code for v in f.values] == [HEDEMORA, HEDEMORA]
    assert f.trend == Trend.UNCHANGED


def test_the_source_is_kolada_with_the_latest_fetch_date(plan):
    ind = indicator(plan)
    add_value(ind, 2023, "52", at=FETCHED)
    add_value(ind, 2024, "53", at=LATER)

    _, f = follow_up_of(plan, ind)

    assert f.source_text == "Källa: Kolada (hämtad 2026-04-15)"


def test_an_entered_value_says_so_beside_the_kolada_values(plan):
    ind = indicator(plan)
    add_value(ind, 2023, "52", at=FETCHED)
    add_value(ind, 2024, "53", source="inmatad", at=LATER)

    _, f = follow_up_of(plan, ind)

    assert f.sources == (
        "Källa: Kolada (hämtad 2026-03-02)",
        "Inmatad av ekonomiavdelningen (2026-04-15)",
    )


def test_a_municipality_without_a_kolada_id_has_no_values_of_its_own(plan):
    ind = indicator(plan)
    add_value(ind, 2024, "53")
    plan.municipality.kolada_id = ""
    plan.municipality.save()

    _, f = follow_up_of(plan, ind)

    assert f.values == ()


# --- comparison municipalities ------------------------------------------------------------


def test_comparison_municipalities_give_their_value_of_the_latest_year(plan):
    ind = indicator(plan)
    add_value(ind, 2023, "52")
    add_value(ind, 2024, "53")
    add_value(ind, 2024, "58", code="2084")
    add_value(ind, 2024, "49.5", code="2080")
    add_value(ind, 2023, "60", code="2081")  # not of the latest year

    _, f = follow_up_of(plan, ind)

    assert [(c.code, c.year, c.value) for c in f.comparisons] == [
        ("2080", 2024, Decimal("49.5")),
        ("2084", 2024, Decimal(58)),
    ]
    # Names from the county's data file (fixtures/kolada-kommuner-dalarna.toml).
    assert [c.name for c in f.comparisons] == ["Falun", "Avesta"]
    assert [c.shown for c in f.comparisons] == ["49,5", "58"]


def test_without_values_of_its_own_there_is_nothing_to_compare_with(plan):
    ind = indicator(plan)
    add_value(ind, 2024, "58", code="2084")

    _, f = follow_up_of(plan, ind)

    assert f.comparisons == ()


# --- queries --------------------------------------------------------------------------------


def test_the_follow_up_reads_in_a_fixed_number_of_queries(plan, august):
    ind = indicator(plan)
    add_value(ind, 2024, "53")
    add_value(ind, 2024, "50", code="2084")
    with CaptureQueriesContext(connection) as base:
        goals_follow_up(plan, period=august)

    for code in ("hme", "trygghet-och-sakerhet", "nojd-inflytande"):
        other = indicator(plan, code)
        for year in range(2018, 2026):
            add_value(other, year, "50")
            for municipality in ("2080", "2081", "2082", "2084"):
                add_value(other, year, "48", code=municipality)
    for g in plan.goals.all():
        GoalAnalysis.objects.create(goal=g, period=august, text="Text", recorded_at=FETCHED)

    with CaptureQueriesContext(connection) as grown:
        follow_up = goals_follow_up(plan, period=august)

    # Goals, indicators with their values, the analyses, and the comparison group.
    assert len(grown.captured_queries) == len(base.captured_queries) == 4
    assert all(g.analysis is not None for g in follow_up)
    assert sum(len(f.values) for g in follow_up for f in g.indicators) == 1 + 3 * 8


# --- finance's analysis -------------------------------------------------------------------


def test_finance_writes_an_analysis_with_one_audit_entry(plan, august, by_finance):
    goal = plan.goals.get(number=1)

    analysis, changed = save_goal_analysis(
        goal=goal, period=august, text="  Livskvaliteten ökar.  ", actor=by_finance, now=FETCHED
    )

    assert changed is True
    assert GoalAnalysis.objects.get(goal=goal, period=august) == analysis
    assert (analysis.text, analysis.row_version) == ("Livskvaliteten ökar.", 1)
    assert analysis.recorded_by == by_finance.user
    entry = history().get()
    assert entry.action == AuditEntry.Action.CREATED
    assert entry.plan == plan
    assert "Livskvaliteten ökar." in entry.new_value


def test_a_changed_analysis_records_the_old_and_new_text(plan, august, by_finance):
    goal = plan.goals.get(number=1)
    save_goal_analysis(goal=goal, period=august, text="Första", actor=by_finance)

    analysis, changed = save_goal_analysis(
        goal=goal, period=august, text="Andra", actor=by_finance, row_version=1
    )

    assert changed is True
    assert (analysis.text, analysis.row_version) == ("Andra", 2)
    entry = history().get(action=AuditEntry.Action.CHANGED)
    assert (entry.old_value, entry.new_value, entry.field) == ("Första", "Andra", "analys")
    assert history().count() == 2


def test_the_same_text_again_changes_nothing(plan, august, by_finance):
    goal = plan.goals.get(number=1)
    save_goal_analysis(goal=goal, period=august, text="Samma", actor=by_finance)

    analysis, changed = save_goal_analysis(
        goal=goal, period=august, text="Samma ", actor=by_finance, row_version=1
    )

    assert changed is False
    assert analysis.row_version == 1
    assert history().count() == 1


def test_a_stale_save_is_refused_and_keeps_the_saved_text(plan, august, by_finance):
    goal = plan.goals.get(number=1)
    save_goal_analysis(goal=goal, period=august, text="Sparad av någon annan", actor=by_finance)

    with pytest.raises(StaleAnalysis) as refused:
        save_goal_analysis(
            goal=goal, period=august, text="Min text", actor=by_finance, row_version=0
        )

    assert "Någon annan har sparat analysen av mål 1" in str(refused.value)
    assert GoalAnalysis.objects.get(goal=goal, period=august).text == "Sparad av någon annan"
    assert history().count() == 1


def test_a_new_analysis_shown_with_a_version_is_stale(plan, august, by_finance):
    goal = plan.goals.get(number=1)

    with pytest.raises(StaleAnalysis):
        save_goal_analysis(goal=goal, period=august, text="Text", actor=by_finance, row_version=3)

    assert not GoalAnalysis.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_analysis_is_refused(plan, august, by_finance, text):
    goal = plan.goals.get(number=1)
    save_goal_analysis(goal=goal, period=august, text="Finns", actor=by_finance)

    with pytest.raises(GoalAnalysisError) as refused:
        save_goal_analysis(goal=goal, period=august, text=text, actor=by_finance, row_version=1)

    assert refused.value.errors == [("text", "Skriv en analys av mål 1; den får inte vara tom.")]
    assert GoalAnalysis.objects.get().text == "Finns"
    assert history().count() == 1


def test_a_month_report_has_no_goal_analysis(plan, by_finance):
    march = period_of(plan, 3, ReportingPeriod.Status.OPEN)

    with pytest.raises(GoalAnalysisError, match="delårsrapporten och årsbokslutet"):
        save_goal_analysis(
            goal=plan.goals.get(number=1), period=march, text="Text", actor=by_finance
        )

    assert not GoalAnalysis.objects.exists()
    assert not history().exists()


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        (ReportingPeriod.Status.PLANNED, "inte öppnad"),
        (ReportingPeriod.Status.PUBLISHED, "publicerad"),
    ],
)
def test_an_analysis_is_written_while_the_period_is_open_or_closed(
    plan, by_finance, status, refused
):
    goal = plan.goals.get(number=1)
    december = period_of(plan, 12, ReportingPeriod.Status.CLOSED)
    save_goal_analysis(goal=goal, period=december, text="Rättad", actor=by_finance)
    december = period_of(plan, 12, status)

    with pytest.raises(GoalAnalysisError, match=refused):
        save_goal_analysis(goal=goal, period=december, text="Ny", actor=by_finance, row_version=1)

    assert GoalAnalysis.objects.get().text == "Rättad"


def test_the_analysis_is_part_of_the_goals_follow_up(plan, august, by_finance):
    goal = plan.goals.get(number=2)
    save_goal_analysis(goal=goal, period=august, text="Engagemanget", actor=by_finance)

    by_goal = {g.goal.number: g for g in goals_follow_up(plan, period=august)}

    assert by_goal[2].analysis.text == "Engagemanget"
    assert by_goal[1].analysis is None
    assert all(g.analysis is None for g in goals_follow_up(plan))


# --- financial indicators as of a period ----------------------------------------------------


def budget_rows(plan):
    snapshot = PlanSnapshot(plan)
    _, rows = indicators.financial_indicators(snapshot, document.comparison(snapshot))
    return rows, snapshot.main_year().key


def by_method(period):
    snapshot = PlanSnapshot(period.plan)
    rows, key = budget_rows(period.plan)
    return {
        f.indicator.method: f
        for f in financial_follow_up(period, snapshot, budget_rows=rows, budget_key=key)
    }


def balance_amount_lines(plan):
    """The balance sheet's amount lines with a budget for the budget year: (line, amount)."""
    return [
        (a.line, a.amount)
        for a in StatementAmount.objects.filter(
            line__statement__plan=plan,
            line__statement__kind="balansbudget",
            line__line_type=StatementLine.Type.AMOUNT,
            budget_year__year=plan.year,
            budget_year__kind=BudgetYear.Kind.BUDGET,
        ).select_related("line")
    ]


def test_the_result_share_is_the_years_result_over_tax_and_grants(plan):
    load_demo_followup(read_toml(DEMO), plan=plan)
    august = period_of(plan, 8)
    result = year_result(august)

    row = by_method(august)["resultatandel"]

    assert result.result is not None
    assert row.figure == ratio(result.result, result.tax_and_grants)
    assert row.budget == next(
        r.values["budget-2026"] for r in budget_rows(plan)[0] if r.method == "resultatandel"
    )


def test_soliditet_needs_the_balance_sheet_entered_for_the_period(august):
    rows = by_method(august)

    assert rows["soliditet"].figure is None
    assert "inte registrerad" in rows["soliditet"].note
    assert rows["soliditet"].budget is not None


def test_soliditet_is_computed_from_the_entered_balance_sheet(august):
    # Every line entered at twice its budget: the ratios are the budget's.
    for line, amount in balance_amount_lines(august.plan):
        StatementFigure.objects.create(
            period=august, line=line, amount=amount * 2, recorded_at=FETCHED
        )

    rows = by_method(august)

    for method in ("soliditet", "soliditet_inkl_pension"):
        assert rows[method].figure == rows[method].budget, method
        assert rows[method].figure is not None
        assert rows[method].note == ""


def test_soliditet_is_missing_while_a_line_of_the_balance_sheet_is_not_entered(august):
    lines = balance_amount_lines(august.plan)
    for line, amount in lines[1:]:
        StatementFigure.objects.create(period=august, line=line, amount=amount, recorded_at=FETCHED)

    rows = by_method(august)

    assert rows["soliditet"].figure is None


def test_the_groups_soliditet_is_entered_not_computed(august):
    row = by_method(august)["inmatad"]

    assert (row.budget, row.figure) == (None, None)
    assert "Inmatas" in row.note


# --- the budget's balanskravsutredning --------------------------------------------------------


def test_the_budgets_balance_requirement_starts_from_the_budgeted_result(snapshot):
    comparison = document.comparison(snapshot)
    # The document states 6,0; its rows sum to 5,9 by rounding: the stated result is used.
    result = Decimal("6.0") * 1_000_000

    budget = budget_balance(snapshot, comparison)

    assert budget.year == 2026
    assert budget.result == result
    assert budget.computed_result == comparison.row("resultat").values["budget-2026"]
    assert round_mkr(budget.computed_result) == Decimal("5.9")
    assert budget.tax_and_grants == snapshot.tax_base("budget-2026")
    lines = {line.label: line.amount for line in budget.statement.lines}
    assert lines["Årets resultat"] == result
    assert lines["Årets resultat efter balanskravsjusteringar"] == result
    assert budget.statement.balance_result == result
    assert budget.statement.reserve.value == "RUR"
    assert budget.statement.messages == ()


def test_the_budgets_balance_requirement_restores_earlier_deficits(plan, snapshot):
    EarlierDeficit.objects.create(
        plan=plan, year=2024, amount=Decimal("-2000000"), recorded_at=FETCHED
    )
    comparison = document.comparison(snapshot)
    result = comparison.figure("resultat", "budget-2026").value  # 6,0 as stated

    budget = budget_balance(snapshot, comparison)

    lines = {line.label: line.amount for line in budget.statement.lines}
    assert lines["Balanskravsunderskott från tidigare år"] == Decimal("-2000000")
    assert lines["Balanskravsresultat efter återställande av tidigare underskott"] == (
        result - Decimal("2000000")
    )
    assert KeyFact.objects.filter(plan=plan, code=RESERVE_FACT).exists()
