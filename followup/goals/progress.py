"""Goal follow-up: how each indicator has moved, finance's analysis per goal and period,
the financial indicators as of a period, and the budget's balanskravsutredning.

The goals (inriktningsmål) are followed by trend, not by a yearly "måluppfyllelse"
(docs/domain.md, "Goals"). An indicator's values per year for the plan's municipality
(``IndicatorValue``, municipality = ``plan.municipality.kolada_id``) give its trend:

- **Bättre** / **Sämre**: the latest value moved in (against) the desired direction
  (``Indicator.direction``: "oka" or "minska") compared with the value before it;
- **Oförändrat**: it moved by less than the tolerance, :data:`TOLERANCE_SHARE` of the
  indicator's baseline value (0,5 %: for a baseline of 51 a change under 0,255 counts as
  unchanged; a change of exactly the tolerance counts as a change);
- **Ingen jämförelse ännu**: there is no earlier value to compare with.

The same rule compares the latest value with the baseline (``since_baseline``), once the
latest value is of a later year than the baseline. The distance to the target is counted
in the desired direction: what remains, zero or less once the target is reached.

Every function reads in a fixed number of queries, whatever the number of goals,
indicators, years or comparison municipalities.
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from budget import concurrency
from budget.audit import Actor, Area, History, Scope, field_label, record_with_history
from budget.models import (
    AuditEntry,
    Committee,
    FinancialIndicator,
    Goal,
    Indicator,
    Statement,
    StatementLine,
)
from budget.money import format_number, ratio
from followup.errors import FieldErrors
from followup.goals.kolada.benchmarks import Benchmark, benchmark, circles
from followup.models import (
    EarlierDeficit,
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    ReportingPeriod,
)
from followup.periods.entry import check_open
from followup.reports.figures import period_overview
from followup.statements import balance
from followup.statements.figures import figures_by_role, period_statements
from followup.statements.result import RESERVE_FACT, year_result

TOLERANCE_SHARE = Decimal("0.005")  # a change under 0,5 % of the baseline is "Oförändrat"
ANALYSIS_KINDS = (ReportingPeriod.Kind.INTERIM, ReportingPeriod.Kind.ANNUAL)
Action = AuditEntry.Action


# --- Trend ----------------------------------------------------------------------------------


class Trend(enum.StrEnum):
    BETTER = "battre"
    UNCHANGED = "oforandrat"
    WORSE = "samre"
    NONE = "ingen"

    @property
    def label(self) -> str:
        return {
            Trend.BETTER: "Bättre",
            Trend.UNCHANGED: "Oförändrat",
            Trend.WORSE: "Sämre",
            Trend.NONE: "Ingen jämförelse ännu",
        }[self]


def tolerance(indicator) -> Decimal:
    """The smallest change that counts: :data:`TOLERANCE_SHARE` of the baseline value."""
    return abs(indicator.baseline_value) * TOLERANCE_SHARE


def trend(*, indicator, earlier: Decimal | None, later: Decimal | None) -> Trend:
    """How ``later`` compares with ``earlier`` against the indicator's desired direction."""
    if earlier is None or later is None:
        return Trend.NONE
    change = later - earlier
    if abs(change) < tolerance(indicator):
        return Trend.UNCHANGED
    improved = change > 0 if indicator.direction == Indicator.Direction.INCREASE else change < 0
    return Trend.BETTER if improved else Trend.WORSE


def remaining_to_target(indicator, value: Decimal | None) -> Decimal | None:
    """How far ``value`` is from the target in the desired direction: positive is still to
    go, zero or negative is reached (or passed)."""
    if value is None:
        return None
    if indicator.direction == Indicator.Direction.INCREASE:
        return indicator.target_value - value
    return value - indicator.target_value


def shown_value(value: Decimal | None) -> str:
    """An indicator value as a page shows it: Swedish format, at most two decimals."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 0
    return format_number(value, places)


# --- Indicators with their values -----------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Another municipality's value of the indicator for the same year."""

    code: str
    name: str
    year: int
    value: Decimal

    @property
    def shown(self) -> str:
        return shown_value(self.value)


@dataclass(frozen=True)
class IndicatorFollowUp:
    indicator: Indicator
    values: tuple  # the municipality's IndicatorValue rows, by year
    comparisons: tuple = ()  # Comparison, the county's, for the latest value's year, by code
    benchmark: Benchmark | None = None  # the latest value beside the county's and group's means

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> IndicatorValue | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def trend(self) -> Trend:
        """The latest value against the one before it."""
        latest, previous = self.latest, self.previous
        return trend(
            indicator=self.indicator,
            earlier=None if previous is None else previous.value,
            later=None if latest is None else latest.value,
        )

    @property
    def since_baseline(self) -> Trend:
        """The latest value against the baseline, once it is of a later year."""
        latest = self.latest
        if latest is None or latest.year <= self.indicator.baseline_year:
            return Trend.NONE
        return trend(
            indicator=self.indicator, earlier=self.indicator.baseline_value, later=latest.value
        )

    @property
    def remaining(self) -> Decimal | None:
        return remaining_to_target(
            self.indicator, None if self.latest is None else self.latest.value
        )

    @property
    def target_reached(self) -> bool | None:
        remaining = self.remaining
        return None if remaining is None else remaining <= 0

    @property
    def remaining_shown(self) -> str:
        remaining = self.remaining
        if remaining is None:
            return ""
        if remaining <= 0:
            return "Målvärdet är nått"
        return f"{shown_value(remaining)} kvar"

    @property
    def latest_shown(self) -> str:
        return "" if self.latest is None else shown_value(self.latest.value)

    def value_of(self, year) -> IndicatorValue | None:
        return next((v for v in self.values if v.year == year), None)

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the values come from: "Källa: Kolada (hämtad 2026-03-02)", and for values
        finance entered "Inmatad av ekonomiavdelningen (2026-03-02)"; latest date each."""
        texts = []
        for source, text in (
            (IndicatorValue.Source.KOLADA, "Källa: Kolada (hämtad {})"),
            (IndicatorValue.Source.ENTERED, "Inmatad av ekonomiavdelningen ({})"),
        ):
            dates = [v.fetched_at for v in self.values if v.source == source]
            if dates:
                texts.append(text.format(_local_date(max(dates)).isoformat()))
        return tuple(texts)

    @property
    def source_text(self) -> str:
        return "; ".join(self.sources)


def _local_date(moment) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator with its values aligned to its goal's years (for a table)."""

    follow_up: IndicatorFollowUp
    values: tuple  # IndicatorValue or None, one per GoalFollowUp.years

    @property
    def cells(self) -> tuple[str, ...]:
        """The values as shown ("" for a year without one)."""
        return tuple("" if v is None else shown_value(v.value) for v in self.values)


@dataclass(frozen=True)
class GoalFollowUp:
    goal: Goal
    indicators: tuple  # IndicatorFollowUp
    years: tuple  # the years with a value of any of the goal's indicators, ascending
    analysis: GoalAnalysis | None = None

    @property
    def rows(self) -> tuple:
        return tuple(
            IndicatorRow(follow_up=f, values=tuple(f.value_of(y) for y in self.years))
            for f in self.indicators
        )

    @property
    def has_values(self) -> bool:
        return any(f.values for f in self.indicators)


def municipality_code(plan) -> str:
    """The plan's municipality in Kolada ("2083" for Hedemora), "" if not set."""
    return plan.municipality.kolada_id or ""


def goals_follow_up(plan, *, period=None, circle=None) -> list[GoalFollowUp]:
    """Every goal of ``plan`` with its indicators' values per year, trend, source and the
    comparison municipalities' values; with ``period``, finance's analysis of each goal
    for it. Two queries, one more with ``period`` and one more when there are comparison
    municipalities (the comparison group; the county's names are in its file), whatever the number of goals, indicators, years and
    municipalities."""
    goals = list(Goal.objects.filter(plan=plan).order_by("number", "id"))
    indicators, values = _indicators_and_values(plan)
    own = municipality_code(plan)
    analyses = {}
    if period is not None:
        analyses = {
            a.goal_id: a
            for a in GoalAnalysis.objects.filter(period=period).select_related("recorded_by")
        }
    others = {v.municipality_code for v in values if v.municipality_code != own}
    # The names of the county's municipalities are data (fixtures/kolada-kommuner-*.toml).
    if others:
        circle = circle or circles(plan)  # ``circle``: benchmarks.circles(plan), if at hand
    else:
        circle = None
    names = dict(circle.towns) if circle else {}
    by_indicator = {}
    for v in values:
        by_indicator.setdefault(v.indicator_id, []).append(v)
    follow_ups = {}
    for indicator in indicators:
        rows = by_indicator.get(indicator.pk, [])
        mine = tuple(v for v in rows if own and v.municipality_code == own)
        latest_year = mine[-1].year if mine else None
        of_year = {v.municipality_code: v.value for v in rows if v.year == latest_year}
        comparisons = tuple(
            Comparison(code=code, name=names[code], year=latest_year, value=of_year[code])
            for code in sorted(of_year)
            if circle and code in circle.county
        )
        follow_ups.setdefault(indicator.goal_id, []).append(
            IndicatorFollowUp(
                indicator=indicator,
                values=mine,
                comparisons=comparisons,
                benchmark=benchmark(circle, latest_year, of_year) if circle and mine else None,
            )
        )
    result = []
    for goal in goals:
        of_goal = tuple(follow_ups.get(goal.pk, []))
        years = tuple(sorted({v.year for f in of_goal for v in f.values}))
        result.append(
            GoalFollowUp(
                goal=goal,
                indicators=of_goal,
                years=years,
                analysis=analyses.get(goal.pk),
            )
        )
    return result


VALUE_FIELDS = (
    "id",
    "municipality_code",
    "year",
    "value",
    "source",
    "kpi",
    "fetched_at",
    "recorded_by_id",
)


def _indicators_and_values(plan) -> tuple[list, list]:
    """(the plan's indicators, all their values), in one query: each indicator joined to
    its values (an indicator without values comes once, with none), ordered by indicator,
    municipality, year."""
    joined = (
        Indicator.objects.filter(goal__plan=plan)
        .annotate(
            **{f"v_{name}": F(f"values__{name.removesuffix('_id')}") for name in VALUE_FIELDS}
        )
        .order_by("goal_id", "id", "values__municipality_code", "values__year", "values__id")
    )
    indicators, values = {}, []
    for row in joined:
        indicator = indicators.setdefault(row.pk, row)
        if row.v_id is None:
            continue
        value = IndicatorValue.from_db(
            joined.db,
            ["indicator_id", *VALUE_FIELDS],
            [row.pk, *(getattr(row, f"v_{name}") for name in VALUE_FIELDS)],
        )
        value.indicator = indicator
        values.append(value)
    return list(indicators.values()), values


# --- Finance's analysis per goal and period -------------------------------------------------


class GoalAnalysisError(FieldErrors):
    """Why an analysis is refused: ``errors`` is [(field or None, message)]."""


class StaleAnalysis(GoalAnalysisError):
    def __init__(self, goal):
        super().__init__(
            (
                "text",
                f"Någon annan har sparat analysen av mål {goal.number} efter att du öppnade "
                "sidan. Din text har inte sparats; den står kvar i formuläret. Jämför med den "
                "sparade (ladda om sidan) och spara igen.",
            )
        )


def may_have_analysis(period) -> bool:
    return period.kind in ANALYSIS_KINDS


@transaction.atomic
def save_goal_analysis(
    *, goal, period, text: str, actor: Actor, row_version: int | None = None, now=None
) -> tuple[GoalAnalysis, bool]:
    """Write (or change) finance's analysis of ``goal`` for ``period``, an interim report
    or the annual accounts. ``row_version`` is the analysis's version as the form was
    shown (0 for none yet); if it has been saved since, nothing is saved. An empty text
    is refused: an analysis once written is changed, not removed. Returns (analysis,
    whether anything changed); every change is one audit entry (area "mal")."""
    errors = []
    if not may_have_analysis(period):
        errors.append(
            "Målen analyseras i delårsrapporten och årsbokslutet, inte i månadsrapporter."
        )
    if goal.plan_id != period.plan_id:
        errors.append("Målet hör inte till periodens budget.")
    cleaned = (text or "").strip() if isinstance(text, str) or text is None else None
    if cleaned is None:
        raise TypeError(f"text must be a str, not {text!r}")
    if not cleaned:
        errors.append(("text", f"Skriv en analys av mål {goal.number}; den får inte vara tom."))
    if errors:
        raise GoalAnalysisError(*errors)
    check_open(period, actor, GoalAnalysisError)
    analysis = GoalAnalysis.objects.select_for_update().filter(goal=goal, period=period).first()
    stale = partial(StaleAnalysis, goal)
    concurrency.check_version(
        shown=row_version, current=concurrency.row_version(analysis), stale=stale
    )
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.GOALS, plan=goal.plan)
    label = field_label(GoalAnalysis, "text")
    if analysis is None:
        analysis = concurrency.create_or_stale(
            GoalAnalysis,
            stale=stale,
            goal=goal,
            period=period,
            text=cleaned,
            recorded_at=now,
            recorded_by=user,
        )
        history.add(obj=analysis, action=Action.CREATED, scope=scope, new=f"{label}: {cleaned}")
        history.write()
        return analysis, True
    if analysis.text == cleaned:
        return analysis, False
    history.add(
        obj=analysis,
        action=Action.CHANGED,
        scope=scope,
        field_label=label,
        old=analysis.text,
        new=cleaned,
    )
    analysis.text, analysis.recorded_at, analysis.recorded_by = cleaned, now, user
    analysis.row_version += 1
    analysis.save(update_fields=["text", "row_version", "recorded_at", "recorded_by"])
    history.write()
    return analysis, True


# --- Financial indicators: budget, forecast and outcome --------------------------------------


@dataclass(frozen=True)
class FinancialFollowUp:
    """A financial indicator for the budget year and as of a period (forecast in the
    interim report, outcome in the annual accounts); a value is a fraction or None, and
    ``note`` says why one is missing or what it rests on."""

    indicator: FinancialIndicator
    budget: Decimal | None
    figure: Decimal | None
    note: str = ""
    explanation: str = ""


def financial_follow_up(
    period, snapshot, *, budget_rows, budget_key, rows=None
) -> list[FinancialFollowUp]:
    """The plan's financial indicators as of ``period`` beside the budget's.

    ``budget_rows`` are budget.reports.indicators.financial_indicators' rows (the budget
    years), ``budget_key`` the budget year's column key. Årets resultat som andel av
    skatter och generella statsbidrag comes from ``year_result(period)``; soliditet from
    the period's balance sheet as the council's paper shows it
    (followup.statements.figures: what finance entered, and Årets resultat from the result
    statement), once both summa eget kapital and summa tillgångar are complete (soliditet
    inkl. pensions also needs pensionsåtaganden); kommunkoncernens soliditet is entered,
    not computed. ``rows``: the period's CommitteeRows, when the caller has them."""
    label = "utfallet" if period.kind == ReportingPeriod.Kind.ANNUAL else "prognosen"
    if rows is None:
        committees = Committee.objects.of_plan(period.plan).with_activities()
        rows = period_overview(period, committees)
    result = year_result(period, rows=rows)
    sheets = period_statements(period, snapshot, rows=rows)
    by_role = figures_by_role(snapshot, sheets.get(Statement.Kind.BALANCE))
    assets = by_role.get(StatementLine.Role.TOTAL_ASSETS)
    equity = by_role.get(StatementLine.Role.TOTAL_EQUITY)
    pensions = by_role.get(StatementLine.Role.PENSION_COMMITMENTS)
    entered = dict(
        FinancialIndicatorValue.objects.filter(period=period).values_list("indicator_id", "value")
    )
    not_entered = (
        f"Balansräkningen enligt {label} är inte registrerad för perioden: summa eget kapital "
        "och summa tillgångar behövs."
    )
    out = []
    for row in budget_rows:
        indicator = row.indicator
        method = FinancialIndicator.Method
        if row.method == method.RESULT_SHARE:
            figure = ratio(result.result, result.tax_and_grants)
            note = (
                f"Årets resultat enligt {label} / skatteintäkter och generella statsbidrag "
                f"enligt {label}."
                if figure is not None
                else f"Årets resultat enligt {label} finns inte ännu."
            )
        elif row.method == method.EQUITY_RATIO:
            figure = ratio(equity, assets)
            note = "" if figure is not None else not_entered
        elif row.method == method.EQUITY_RATIO_WITH_PENSIONS:
            figure = (
                None if equity is None or pensions is None else ratio(equity - pensions, assets)
            )
            note = (
                ""
                if figure is not None
                else f"Balansräkningen enligt {label} är inte registrerad för perioden: summa "
                "eget kapital, summa tillgångar och pensionsåtaganden behövs."
            )
        else:
            figure = entered.get(indicator.pk) if indicator is not None else None
            note = (
                "Inmatat av ekonomiavdelningen."
                if figure is not None
                else "Inmatas av ekonomiavdelningen; värdet finns inte i budgetens eller "
                "periodens underlag."
            )
        out.append(
            FinancialFollowUp(
                indicator=indicator,
                budget=row.values.get(budget_key),
                figure=figure,
                note=note,
                explanation=row.explanation,
            )
        )
    return out


# --- The budget's balanskravsutredning ------------------------------------------------------


@dataclass(frozen=True)
class BudgetBalance:
    year: int
    result: Decimal | None
    tax_and_grants: Decimal | None
    statement: balance.BalanceStatement | None
    missing: str = ""
    notes: tuple = field(default_factory=tuple)
    computed_result: Decimal | None = None  # the sum of Budgetjämförelsen's rows


def budget_balance(snapshot, comparison) -> BudgetBalance:
    """The balanskravsutredning of the budget year: årets resultat = the plan's budgeted
    result (Budgetjämförelsen's; the stated one where it differs from the sum of the rows
    only by rounding: BudgetTable.figure), skatteintäkter och generella
    statsbidrag = the budget's; no realisation gains or unrealised securities and no
    reservation or disposition are budgeted, the reserve is the one the plan states
    (else an empty RER) and the deficits of earlier years are those finance recorded."""
    plan = snapshot.plan
    main = snapshot.main_year()
    if main is None:
        return BudgetBalance(
            year=plan.year,
            result=None,
            tax_and_grants=None,
            statement=None,
            missing="Budgeten har ingen kolumn för budgetåret.",
        )
    figure = comparison.figure("resultat", main.key)
    result = figure.value
    tax = snapshot.tax_base(main.key)
    if result is None or not tax:
        return BudgetBalance(
            year=main.year,
            result=result,
            tax_and_grants=tax,
            statement=None,
            missing="Budgeten saknar resultat eller skatteintäkter och generella statsbidrag.",
        )
    fact = snapshot.fact(RESERVE_FACT)
    reserve = (
        {"reserve": balance.Reserve.RUR, "reserve_balance": fact.value}
        if fact is not None
        else {"reserve": balance.Reserve.RER, "reserve_balance": Decimal(0)}
    )
    deficits = tuple(
        balance.Deficit(year=d.year, amount=d.amount)
        for d in EarlierDeficit.objects.filter(plan=plan, year__lt=main.year).order_by("year", "id")
    )
    statement = balance.balance_statement(
        figures=balance.BalanceFigures(
            year=main.year, result=result, tax_and_grants=tax, deficits=deficits, **reserve
        )
    )
    return BudgetBalance(
        year=main.year,
        result=result,
        tax_and_grants=tax,
        statement=statement,
        computed_result=figure.computed,
        notes=(
            "Budgeten räknar inte med realisationsvinster, orealiserade vinster eller "
            "förluster i värdepapper, reservering eller disposition.",
        ),
    )


@transaction.atomic
def save_financial_indicator_value(
    *, indicator, period, value: Decimal, actor: Actor, now=None
) -> tuple[FinancialIndicatorValue, bool]:
    """Record an entered financial indicator (method "inmatad", e.g. kommunkoncernens
    soliditet) for an interim report or the annual accounts: a share (0,23 = 23 %).
    Returns (value, whether anything changed); every change is one audit entry."""
    errors = []
    if indicator.method != FinancialIndicator.Method.ENTERED:
        errors.append(f"{indicator.name} beräknas ur underlaget och matas inte in.")
    if not may_have_analysis(period):
        errors.append("Nyckeltal matas in för delårsrapporten och årsbokslutet.")
    if indicator.plan_id != period.plan_id:
        errors.append("Nyckeltalet hör inte till periodens budget.")
    if not isinstance(value, Decimal) or not value.is_finite() or not -10 <= value <= 10:
        errors.append(("value", "Ange nyckeltalet i procent, till exempel 23,4."))
    if errors:
        raise GoalAnalysisError(*errors)
    check_open(period, actor, GoalAnalysisError)
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.GOALS, plan=period.plan)
    row, saved = record_with_history(
        FinancialIndicatorValue,
        FinancialIndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period)
        .first(),
        create={"indicator": indicator, "period": period},
        values={"value": value},
        history=history,
        scope=scope,
        now=now,
        user=user,
    )
    history.write()
    return row, saved
