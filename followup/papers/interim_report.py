"""What the interim report (Delårsrapport, August) and the annual accounts (Årsbokslut,
December) hold, one domain function per sheet, read in a fixed number of queries.

- ``summary``: the committees' figures (``period_overview``) and the municipality's
  result (``MunicipalityResult``), as the month report and finance's review page show them.
- ``result_statement``, ``entered_statement`` (followup.papers.statements): the
  Resultaträkning, Balansräkning and Kassaflödesanalys.
- ``balance_of_period`` (followup.statements.result): the balanskravsutredning.
- ``investment_figures.follow_up``: the investments per committee as of the period.
- ``companies``: the companies' forecasts for the period beside the document's figure.
- ``goals_follow_up`` (followup.goals.progress): the plan's goals (inriktningsmål), their
  indicators' values per year and trend, and finance's analysis of each for the period.

"""

from dataclasses import dataclass
from datetime import date

from budget.models import Committee, Statement
from budget.reports.snapshot import PlanSnapshot
from followup.goals.progress import goals_follow_up
from followup.investments.figures import InvestmentFollowUp, follow_up
from followup.models import (
    CompanyPeriodForecast,
    Report,
    ReportingPeriod,
    ReportLine,
    StatementFigure,
)
from followup.papers.common import PeriodPaper
from followup.papers.statements import (
    entered_figures,
    entered_statement,
    figure_label,
    is_outcome,
    result_statement,
)
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share
from followup.statements.companies import forecast_table
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

    @property
    def is_outcome(self) -> bool:
        return is_outcome(self.period)

    @property
    def figure_label(self) -> str:
        return figure_label(self.period)


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
    entered = entered_figures(period)
    statements = {}
    sheet = result_statement(period, snapshot, entered, rows=rows)
    if sheet is not None:
        statements[Statement.Kind.RESULT] = sheet
    for kind in (Statement.Kind.BALANCE, Statement.Kind.CASHFLOW):
        sheet = entered_statement(period, snapshot, entered, kind)
        if sheet is not None:
            statements[kind] = sheet
    return InterimReport(
        period=period,
        today=today,
        rows=rows,
        result=result,
        statements=statements,
        balance=balance_of_period(period),
        investments=follow_up(plan=plan, period=period),
        companies=companies(period),
        goals=goals_follow_up(plan, period=period),
    )


def summary(period):
    """(CommitteeRow per committee, MunicipalityResult): the Sammanfattning's figures."""
    plan = period.plan
    rows = period_overview(period, Committee.objects.of_plan(plan).with_activities())
    return rows, MunicipalityResult.of(rows, target_share=surplus_target_share(plan))


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
