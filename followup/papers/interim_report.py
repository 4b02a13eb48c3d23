"""What the interim report (Delårsrapport, August) and the annual accounts (Årsbokslut,
December) hold, one domain function per part, read in a fixed number of queries.

- ``summary``: the committees' figures (``period_overview``) and the municipality's
  result (``MunicipalityResult``), as the month report and finance's review page show them;
  each committee's budget to date (``budget_to_date``) and last year's outcome
  (followup.statements.previous_year) for the Driftredovisning.
- ``result_statement``, ``entered_statement`` (followup.statements.figures): the
  Resultaträkning, Balansräkning and Kassaflödesanalys.
- ``balance_of_period`` (followup.statements.result): the balanskravsutredning.
- ``assessment_of`` (followup.statements.assessment): finance's assessment of god
  ekonomisk hushållning.
- ``committee_parts`` (followup.papers.committee_parts): each committee's part: its
  activities with the controller's comments, its report's thread, and the action plans it
  follows, each measure as followed up by the period; ``decided_reallocations``: the
  reallocations decided in the year up to the period.
- ``investment_figures.follow_up``: the investments per project and committee as of the
  period; ``carried_out``: what is proposed or decided to carry into next year.
- ``companies``: the companies' forecasts for the period beside the document's figure.
- ``accuracy``: each committee's forecast in each forecast period of the year (as
  published: followup.periods.record), against the outcome in the annual accounts.
- ``goals_follow_up`` (followup.goals.progress): the plan's goals (inriktningsmål), their
  indicators' values per year and trend, and finance's analysis of each goal for the
  period; ``financial_follow_up``: the financial goals' indicators (resultatandel,
  soliditet) as of the period beside the budget's.
"""

from dataclasses import dataclass, field
from datetime import date

from budget.models import Committee
from budget.money import sum_present
from budget.reports import document, indicators
from budget.reports.snapshot import PlanSnapshot
from followup.goals.progress import financial_follow_up, goals_follow_up
from followup.investments.figures import InvestmentFollowUp, follow_up
from followup.models import (
    CarryOver,
    CompanyPeriodForecast,
    Report,
    ReportingPeriod,
    ReportLine,
    StatementFigure,
)
from followup.papers.committee_parts import committee_parts, decided_reallocations
from followup.papers.common import PeriodPaper
from followup.periods import shown
from followup.reports.figures import (
    MunicipalityResult,
    current_frames,
    period_overview,
    shares_to_date,
    surplus_target_share,
)
from followup.statements.assessment import Assessment, assessment_of
from followup.statements.companies import forecast_table
from followup.statements.figures import figure_label, is_outcome, period_statements
from followup.statements.previous_year import committee_outcomes
from followup.statements.result import BalanceOfPeriod, balance_of_period

PAPER_KINDS = (ReportingPeriod.Kind.INTERIM, ReportingPeriod.Kind.ANNUAL)


def is_paper_period(period) -> bool:
    """Whether the period's council paper is the interim report or the annual accounts
    (rather than a month report)."""
    return period.kind in PAPER_KINDS


@dataclass
class CompanyLine:
    company: object
    stated: list  # budget.CompanyForecast: the document's figures
    forecast: CompanyPeriodForecast | None  # the period's own


@dataclass
class Accuracy:
    """The committees' forecasts through the year (prognossäkerhet): ``periods`` are the
    forecast periods up to the paper's (the annual accounts: before it), in month order;
    ``forecasts`` month → committee id → that period's forecast (None: none)."""

    periods: list
    forecasts: dict = field(default_factory=dict)

    def forecast(self, period, committee):
        return self.forecasts.get(period.month, {}).get(committee.pk)


@dataclass
class InterimReport(PeriodPaper):
    period: ReportingPeriod
    today: date
    rows: list  # followup.reports.figures.CommitteeRow, one per committee
    result: MunicipalityResult
    statements: dict  # Statement.Kind → StatementSheet (absent: the plan has none)
    balance: BalanceOfPeriod
    investments: InvestmentFollowUp
    companies: list  # CompanyLine
    goals: list  # followup.goals.progress.GoalFollowUp, with the period's analysis
    parts: list = field(default_factory=list)  # CommitteePart, one per row
    budget_to_date: dict = field(default_factory=dict)  # committee id → kronor
    previous: dict = field(default_factory=dict)  # committee id → PreviousOutcome
    assessment: Assessment | None = None
    accuracy: Accuracy | None = None
    financial: list = field(default_factory=list)  # FinancialFollowUp
    reallocations: list = field(default_factory=list)  # Reallocation, lines prefetched
    carried_out: dict = field(default_factory=dict)  # project id → CarryOver into next year

    @property
    def is_outcome(self) -> bool:
        return is_outcome(self.period)

    @property
    def figure_label(self) -> str:
        return figure_label(self.period)

    @property
    def previous_year(self) -> int:
        return self.period.year - 1

    @property
    def has_previous(self) -> bool:
        """Whether finance has entered last year's outcome for any committee."""
        return any(p.year is not None or p.to_date is not None for p in self.previous.values())


def has_outcome(period) -> bool:
    """Whether any outcome exists for ``period``: a current report's line with outcome, or
    a statement figure finance entered."""
    return (
        ReportLine.objects.filter(report__period=period, outcome__isnull=False)
        .exclude(report__status=Report.Status.SUPERSEDED)
        .exists()
        or StatementFigure.objects.filter(period=period).exists()
    )


def interim_report(period, *, today: date) -> InterimReport:
    plan = period.plan
    rows, result = summary(period)
    snapshot = PlanSnapshot(plan)
    statements = period_statements(period, snapshot, rows=rows)
    investments = follow_up(plan=plan, period=period)
    return InterimReport(
        period=period,
        today=today,
        rows=rows,
        result=result,
        statements=statements,
        balance=balance_of_period(period),
        investments=investments,
        companies=companies(period),
        goals=goals_follow_up(plan, period=period),
        parts=committee_parts(period, rows),
        budget_to_date=budget_to_date(period, rows),
        previous=committee_outcomes(period),
        assessment=assessment_of(period),
        accuracy=accuracy(period, rows),
        financial=financial(period, snapshot, rows),
        reallocations=decided_reallocations(period, from_month=1),
        carried_out=carried_out(plan) if is_outcome(period) else {},
    )


def summary(period):
    """(CommitteeRow per committee, MunicipalityResult): the Sammanfattning's figures."""
    plan = period.plan
    rows = period_overview(period, Committee.objects.of_plan(plan).with_activities())
    return rows, MunicipalityResult.of(rows, target_share=surplus_target_share(plan))


def budget_to_date(period, rows) -> dict:
    """committee id → the share of its budget that falls in January to the period's month
    (as ReportFigures' budget to date, for every committee, with a report or not)."""
    activities = [a for row in rows for a in row.committee.activities.all()]
    frames = current_frames(activities, period)
    shares = shares_to_date(activities, period)
    return {
        row.committee.pk: sum_present(
            None if frames.get(a.pk) is None else frames[a.pk] * shares[a.pk]
            for a in row.committee.activities.all()
        )
        for row in rows
    }


def accuracy(period, rows) -> Accuracy:
    """Each committee's forecast in the year's forecast periods up to ``period`` (the
    annual accounts: before it), as each period shows it: a published one as recorded."""
    committees = [row.committee for row in rows]
    periods = list(
        ReportingPeriod.objects.filter(
            plan=period.plan, asks_forecast=True, month__lte=period.month
        )
        .exclude(kind=ReportingPeriod.Kind.ANNUAL)
        .order_by("month", "id")
    )
    forecasts = {}
    for p in periods:
        as_shown = rows if p.pk == period.pk else shown.shown_rows(p, committees)
        forecasts[p.month] = {row.committee.pk: row.forecast for row in as_shown}
    return Accuracy(periods=periods, forecasts=forecasts)


def financial(period, snapshot, rows=None) -> list:
    """The financial indicators as of the period beside the budget year's
    (followup.goals.progress.financial_follow_up), as the goals page shows them."""
    _, budget_rows = indicators.financial_indicators(snapshot, document.comparison(snapshot))
    main = snapshot.main_year()
    return financial_follow_up(
        period, snapshot, budget_rows=budget_rows, budget_key=main.key if main else None, rows=rows
    )


def carried_out(plan) -> dict:
    """project id → its carry-over into next year (proposed or decided, not rejected)."""
    return {
        c.project_id: c
        for c in CarryOver.objects.filter(project__plan=plan, from_year=plan.year)
        .exclude(status=CarryOver.Status.REJECTED)
        .order_by("project_id", "id")
    }


def companies(period) -> list[CompanyLine]:
    """Every company with the document's forecast (budget.CompanyForecast) and the
    period's own (CompanyPeriodForecast), as ``forecast_table`` shows them."""
    _, rows = forecast_table(period.plan)
    entered = {}
    if not period.asks_forecast:  # forecast_table holds the forecast periods only
        entered = {f.company_id: f for f in CompanyPeriodForecast.objects.filter(period=period)}
    return [
        CompanyLine(
            company=row.company,
            stated=row.stated,
            forecast=row.forecasts.get(period.pk, entered.get(row.company.pk)),
        )
        for row in rows
    ]
