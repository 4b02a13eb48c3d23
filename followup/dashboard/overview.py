"""The start page's figures: the municipality's forecast through the year, per committee.

Everything here summarises the follow-up tables and never computes a figure of its own:
the period's figures are ``figures.period_overview`` and ``MunicipalityResult`` (the same
as finance's review page), the investments ``investment_figures.follow_up`` (the same as
the investment follow-up page). Tests hold each dashboard figure to the table it
summarises.

Who sees which period: finance and administrators every period that has begun; everyone
else the published ones (a councillor reads approved reports of published periods only,
``Report.objects.visible_to``).
"""

import functools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from budget import roles
from budget.models import Committee
from budget.money import round_mkr, sum_present
from followup.forecasts.accuracy import proposal_accuracy
from followup.investments import figures as investment_figures
from followup.models import Report, ReportingPeriod
from followup.periods import shown
from followup.periods.preliminary import preliminary_state
from followup.reports import actions
from followup.reports.figures import MunicipalityResult, stated_rounding, surplus_target_share

Status = ReportingPeriod.Status


def plan_periods(plan) -> list:
    """The plan's periods in month order, each knowing its plan without reading it again."""
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("month", "id"))
    for period in periods:
        period.plan = plan
    return periods


def visible_periods(plan, user, periods=None) -> list:
    """The plan's periods this user may follow on the dashboard, in month order
    (``periods``: the plan's, ``plan_periods``, when the caller has them)."""
    periods = plan_periods(plan) if periods is None else periods
    if roles.is_finance(user) or roles.is_administrator(user):
        return [p for p in periods if p.status != Status.PLANNED]
    return [p for p in periods if p.status == Status.PUBLISHED]


def chosen_period(periods, month) -> ReportingPeriod | None:
    """The period of ``month`` among ``periods``; else the latest with a full-year forecast
    (what people open the dashboard for), else the latest; None when there is none."""
    by_month = {p.month: p for p in periods}
    if month in by_month:
        return by_month[month]
    with_forecast = [p for p in periods if p.asks_forecast]
    if with_forecast:
        return with_forecast[-1]
    return periods[-1] if periods else None


@dataclass
class PeriodFigures:
    """One period: every committee's row and the municipality's result."""

    period: ReportingPeriod
    rows: list  # figures.CommitteeRow, in committee order
    result: MunicipalityResult

    def row_of(self, committee):
        return self._by_committee.get(committee.pk)

    @functools.cached_property
    def _by_committee(self) -> dict:
        """committee id → its row (the trend's tables and charts look up every cell)."""
        by_committee = {}
        for row in self.rows:
            by_committee.setdefault(row.committee.pk, row)
        return by_committee

    @property
    def committee_rows(self):
        """Every unit with a frame: the committees, the political reserve and
        finansförvaltningen, whose deviations together make the result's deviation."""
        return self.rows


def period_figures(period, committees, *, target_share, rounding=None) -> PeriodFigures:
    """The period as its pages show it: a published period's record, else the tables.
    ``rounding``: ``MunicipalityResult.of``'s, shared by the periods of one page."""
    rows = shown.shown_rows(period, committees)
    share = shown.shown_target_share(period, live=target_share)
    return PeriodFigures(
        period=period,
        rows=rows,
        result=MunicipalityResult.of(rows, target_share=share, rounding=rounding),
    )


@dataclass
class Dashboard:
    plan: object
    periods: list  # the periods the user may follow
    period: ReportingPeriod | None  # the chosen one
    current: PeriodFigures | None
    compared: PeriodFigures | None  # a second period to compare with, if chosen
    trend: list = field(default_factory=list)  # PeriodFigures of forecast periods ≤ chosen
    investments: object = None  # investment_figures.InvestmentFollowUp
    accuracy: list = field(default_factory=list)  # AccuracyRow
    proposal_accuracy: object = None  # forecasts.accuracy.ProposalAccuracy, beside accuracy
    open_period: ReportingPeriod | None = None  # the plan's open period, whoever may see it
    committees: list = field(default_factory=list)  # every unit with a frame, in order

    @property
    def forecast_periods(self):
        return [p for p in self.periods if p.asks_forecast]


def dashboard(*, plan, user, month=None, compare_month=None) -> Dashboard:
    """The dashboard for ``month`` (default: the latest period the user may follow)."""
    every = plan_periods(plan)
    periods = visible_periods(plan, user, every)
    open_period = next((p for p in every if p.status == Status.OPEN), None)
    period = chosen_period(periods, month)
    if period is None:
        return Dashboard(
            plan=plan,
            periods=periods,
            period=None,
            current=None,
            compared=None,
            open_period=open_period,
        )
    shown.read_records(periods)  # the records of the published ones, in one query
    committees = list(Committee.objects.of_plan(plan))
    share = surplus_target_share(plan)
    rounding = stated_rounding()
    computed = {}

    def figures(p):
        """``p``'s figures, worked out once for the page: a published period's from its
        record, only the others from the tables."""
        if p.pk not in computed:
            computed[p.pk] = period_figures(p, committees, target_share=share, rounding=rounding)
        return computed[p.pk]

    def rows(p):
        """``p``'s committee rows, from its figures when the page has them."""
        return computed[p.pk].rows if p.pk in computed else shown.shown_rows(p, committees)

    trend_periods = [p for p in periods if p.asks_forecast and p.month <= period.month]
    # The periods summed from the tables first: they bring the document's rounding, which
    # the recorded ones then need not read.
    for p in sorted([*trend_periods, period], key=lambda p: shown.record_of(p) is not None):
        figures(p)
    trend = [figures(p) for p in trend_periods]
    current = figures(period)
    # The notice of a preliminary period (its template tag) finds its state on the period.
    preliminary_state(period, rows=current.rows)
    compared = None
    if compare_month is not None and compare_month != period.month:
        other = next((p for p in periods if p.month == compare_month), None)
        if other is not None:
            compared = figures(other)
    forecast_period = next((f.period for f in reversed(trend)), None)
    accuracy = forecast_accuracy(periods, committees, rows=rows)
    return Dashboard(
        plan=plan,
        periods=periods,
        period=period,
        current=current,
        compared=compared,
        trend=trend,
        investments=investment_figures.follow_up(
            plan=plan, period=forecast_period, periods=[p for p in every if p.asks_forecast]
        ),
        accuracy=accuracy,
        proposal_accuracy=published_proposal_accuracy(periods, accuracy),
        open_period=open_period,
        committees=committees,
    )


@dataclass
class AccuracyRow:
    """How far a committee's forecasts were from the year's outcome (prognossäkerhet):
    forecast − outcome per forecast period, net kronor (positive = the forecast was
    better than the outcome turned out)."""

    committee: Committee
    outcome: Decimal | None
    misses: dict  # period month → forecast − outcome, or None without a forecast


def published_proposal_accuracy(periods, accuracy):
    """The forecast proposals' accuracy beside the controllers' (``accuracy``), once the
    annual accounts are published: its sums are then kept under the annual record. Before
    that (finance's view of begun annual accounts) every month's proposals would be
    computed again on each request, so the page waits for the publication."""
    annual = next((p for p in periods if p.kind == ReportingPeriod.Kind.ANNUAL), None)
    if annual is None or annual.status != ReportingPeriod.Status.PUBLISHED:
        return None
    return proposal_accuracy(periods, accuracy)


def forecast_accuracy(periods, committees, *, rows) -> list:
    """Each committee's forecasts against the year's outcome in the annual accounts;
    empty until the annual accounts' period is published (or, for finance, has begun).
    ``rows(period)``: the period's committee rows as the page shows them."""
    annual = next((p for p in periods if p.kind == ReportingPeriod.Kind.ANNUAL), None)
    if annual is None:
        return []
    final = {r.committee.pk: r.outcome for r in rows(annual)}
    if all(v is None for v in final.values()):
        return []
    result = []
    forecasts = {
        p.month: {r.committee.pk: r.forecast for r in rows(p)}
        for p in periods
        if p.asks_forecast and p.month < annual.month
    }
    for committee in committees:
        outcome = final.get(committee.pk)
        misses = {}
        for month, by_committee in forecasts.items():
            forecast = by_committee.get(committee.pk)
            misses[month] = None if forecast is None or outcome is None else forecast - outcome
        result.append(AccuracyRow(committee=committee, outcome=outcome, misses=misses))
    return result


def role_panels(board: Dashboard, user, *, today) -> dict:
    """What the start page adds for a role in the plan's open period: for finance how far
    the review has come (reports per status and committees not started), for a controller
    their committees' rows and what to do next. From what the dashboard read already."""
    open_period = board.open_period
    panels = {"open_period": open_period}
    if open_period is None:
        return panels
    committees = board.committees or list(Committee.objects.of_plan(board.plan))
    if roles.is_finance(user):
        statuses = Counter(
            Report.objects.current().filter(period=open_period).values_list("status", flat=True)
        )
        panels["review_status"] = [
            (label, statuses.get(value, 0))
            for value, label in Report.Status.choices
            if value != Report.Status.SUPERSEDED
        ] + [("Ej påbörjad", len(committees) - sum(statuses.values()))]
    if roles.is_controller(user):
        own = roles.committee_ids(user)
        rows = shown.shown_rows(open_period, [c for c in committees if c.pk in own])
        panels["own_rows"] = rows
        panels["next_steps"] = next_steps(
            plan=board.plan, user=user, period=open_period, rows=rows, today=today
        )
    return panels


def next_steps(*, plan, user, period, rows, today) -> list[str]:
    """What a controller must do next for their committees, in Swedish sentences."""
    steps = []
    own = set(roles.committee_ids(user))
    for row in rows:
        if row.committee.pk not in own:
            continue
        name = row.committee.name
        report = row.report
        deadline = ""
        if period.is_late(report, today=today):
            deadline = f"; sista dagen var {period.deadline:%Y-%m-%d}, rapporten är sen"
        elif period.deadline_passed(today):
            deadline = f"; sista dagen var {period.deadline:%Y-%m-%d}"
        elif period.deadline:
            deadline = f" senast {period.deadline:%Y-%m-%d}"
        if period.status != Status.OPEN:
            continue
        if report is None:
            steps.append(
                f"{name}: rapporten för {period.month_name} är inte påbörjad; lämna in{deadline}."
            )
        elif report.status in report.EDITABLE:
            verb = (
                "återskickad, rätta och lämna in"
                if report.status == report.Status.RETURNED
                else "ett utkast; lämna in"
            )
            steps.append(f"{name}: rapporten för {period.month_name} är {verb}{deadline}.")
        if row.deviation is not None and row.deviation < 0 and row.action_plan is None:
            steps.append(
                f"{name}: prognosen visar ett underskott; nämnden ska upprätta en åtgärdsplan."
            )
        elif row.deviation is not None and row.deviation < 0:
            cover = actions.coverage(row.action_plan, row.deviation)
            if cover is not None and cover < 1:
                steps.append(
                    f"{name}: åtgärdsplanen täcker {round(cover * 100)} % av underskottet."
                )
    return steps


def mkr(kronor) -> str | None:
    """An amount as the charts get it: exact mkr with one decimal, as a string."""
    return None if kronor is None else str(round_mkr(kronor))


def chart_data(board: Dashboard) -> dict:
    """The charts' figures, rounded as the tables beside them show them."""
    current = board.current
    committee_rows = current.committee_rows
    trend_labels = [f.period.month_name.capitalize() for f in board.trend]
    investments = board.investments.total if board.investments else None
    return {
        "chart-deviation": {
            "type": "bar",
            "unit": "mkr",
            "labels": [r.committee.name for r in committee_rows],
            "datasets": [
                {
                    "label": "Avvikelse mot budget",
                    "data": [mkr(r.deviation) for r in committee_rows],
                    "signed": True,
                }
            ],
        },
        "chart-result": {
            "type": "line",
            "unit": "mkr",
            "labels": trend_labels,
            "datasets": [
                # The adopted result (as the headlines and the target check use it).
                {"label": "Prognos", "data": [mkr(f.result.adopted_forecast) for f in board.trend]},
                {"label": "Budget", "data": [mkr(f.result.adopted_budget) for f in board.trend]},
                {
                    "label": "Resultatmål",
                    "data": [mkr(f.result.forecast_target) for f in board.trend],
                    "dashed": True,
                },
            ],
        },
        "chart-committees": {
            "type": "line",
            "unit": "mkr",
            "labels": trend_labels,
            "datasets": [
                {
                    "label": c.name,
                    "data": [mkr(getattr(f.row_of(c), "deviation", None)) for f in board.trend],
                }
                for c in (r.committee for r in committee_rows)
            ],
        },
        "chart-investments": {
            "type": "bar",
            "unit": "mkr",
            "labels": ["Budget inkl. överflyttade medel", "Utfall hittills", "Prognos"],
            "datasets": [
                {
                    "label": "Investeringar",
                    "data": [
                        mkr(investments.budget_incl) if investments else None,
                        mkr(investments.outcome) if investments else None,
                        mkr(investments.forecast) if investments else None,
                    ],
                }
            ],
        },
    }


def total_deviation(rows) -> Decimal | None:
    return sum_present(r.deviation for r in rows)
