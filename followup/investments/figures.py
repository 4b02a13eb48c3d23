"""The investment follow-up's figures: per project, per committee and in total.

Sign convention (docs/decisions/0012-investment-follow-up.md). Investments are gross
expenditure, shown as positive amounts as in the document's Investeringsbudget, and

    avvikelse = budget inkl. överflyttade medel − prognos

so a **positive deviation is budget left unspent** and a negative one is an overspend.
(The operating follow-up measures prognos − budget on net figures, where costs are
negative; in both, a negative deviation is the one to act on.)

- Budget: the projects' budget for the plan's year; a committee's budget is the sum of
  its projects, set beside the adopted investment budget (budget.InvestmentAmount of the
  committee's lines) and flagged where the two differ.
- Överflyttade medel: carry-overs into the year that KF has decided.
- Prognos and utfall "as of" a period: each project's latest follow-up in or before the
  period (its forecast from the latest one that gave a forecast). A project without any
  forecast counts its budget as forecast, and is listed as such.
- Plan: the adopted investment budget's plan years, per committee.

Every read is a fixed number of queries, however many projects there are.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from budget.models import BudgetYear, InvestmentAmount
from budget.money import sum_present
from followup.models import (
    CarryOver,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
    ReportingPeriod,
)

ZERO = Decimal(0)


@dataclass
class ProjectFigures:
    project: InvestmentProject
    budget: Decimal = ZERO
    carried: Decimal = ZERO
    outcome: Decimal | None = None
    outcome_period: ReportingPeriod | None = None
    recorded_forecast: Decimal | None = None
    forecast_period: ReportingPeriod | None = None

    @property
    def budget_incl(self) -> Decimal:
        return self.budget + self.carried

    @property
    def estimated(self) -> bool:
        """No forecast yet: the budget stands in for it."""
        return self.recorded_forecast is None

    @property
    def forecast(self) -> Decimal:
        return self.budget_incl if self.estimated else self.recorded_forecast

    @property
    def deviation(self) -> Decimal:
        return self.budget_incl - self.forecast


@dataclass
class CommitteeFigures:
    """One row of the follow-up table: a committee (or, with committee None, the total)."""

    committee: object
    projects: list = field(default_factory=list)
    adopted: Decimal | None = None
    plan: dict = field(default_factory=dict)  # plan year → adopted amount

    @property
    def budget(self) -> Decimal:
        return sum((p.budget for p in self.projects), ZERO)

    @property
    def carried(self) -> Decimal:
        return sum((p.carried for p in self.projects), ZERO)

    @property
    def budget_incl(self) -> Decimal:
        return self.budget + self.carried

    @property
    def outcome(self) -> Decimal | None:
        return sum_present(p.outcome for p in self.projects)

    @property
    def forecast(self) -> Decimal:
        return sum((p.forecast for p in self.projects), ZERO)

    @property
    def deviation(self) -> Decimal:
        return self.budget_incl - self.forecast

    @property
    def difference(self) -> Decimal:
        """Projects' budget − adopted investment budget (0 where both agree)."""
        return self.budget - (self.adopted or ZERO)

    @property
    def differs(self) -> bool:
        return self.difference != 0

    @property
    def estimated(self) -> list:
        return [p for p in self.projects if p.estimated]


@dataclass
class InvestmentFollowUp:
    plan: object
    period: ReportingPeriod | None
    periods: list
    plan_years: list
    committees: list
    total: CommitteeFigures

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def differing(self) -> list:
        return [c for c in self.committees if c.differs]


def forecast_periods(plan) -> list:
    return list(
        ReportingPeriod.objects.filter(plan=plan, asks_forecast=True).order_by("month", "id")
    )


def default_period(plan, periods):
    """The latest forecast period with a recorded forecast; else the latest that has begun."""
    with_forecast = set(
        ProjectFollowUp.objects.filter(
            project__plan=plan, forecast__isnull=False, period__in=periods
        ).values_list("period_id", flat=True)
    )
    for period in reversed(periods):
        if period.pk in with_forecast:
            return period
    begun = [p for p in periods if p.status != ReportingPeriod.Status.PLANNED]
    return begun[-1] if begun else None


def follow_up(
    *, plan, period=None, committee=None, project=None, periods=None
) -> InvestmentFollowUp:
    """The follow-up of the plan's year as of ``period`` (default_period when None),
    for every committee with an investment budget or projects, or for one committee
    or one project. ``periods``: the plan's forecast periods (``forecast_periods``) when
    the caller has read them."""
    periods = forecast_periods(plan) if periods is None else periods
    if period is None:
        period = default_period(plan, periods)
    projects = InvestmentProject.objects.filter(plan=plan).select_related("committee", "line")
    amounts = InvestmentAmount.objects.filter(line__plan=plan).select_related(
        "budget_year", "line__committee"
    )
    if committee is not None:
        projects = projects.filter(committee=committee)
        amounts = amounts.filter(line__committee=committee)
    if project is not None:
        projects = projects.filter(pk=project.pk)
        amounts = amounts.none()
    figures = {
        p.pk: ProjectFigures(project=p)
        for p in projects.order_by("committee__position", "code", "id")
    }
    if figures:  # without projects there is nothing to add to
        selected = projects.values("pk")
        _add_budgets(plan, selected, figures)
        _add_follow_ups(plan, period, selected, figures)
    plan_years = list(
        BudgetYear.objects.filter(
            plan=plan, kind=BudgetYear.Kind.PLAN, year__gt=plan.year
        ).order_by("year", "id")
    )
    rows = {}
    for f in figures.values():
        row = rows.setdefault(f.project.committee_id, CommitteeFigures(f.project.committee))
        row.projects.append(f)
    for amount in amounts.order_by("line__position", "id"):
        line_committee = amount.line.committee
        year = amount.budget_year
        if year.kind == BudgetYear.Kind.BUDGET and year.year == plan.year:
            row = rows.setdefault(line_committee.pk, CommitteeFigures(line_committee))
            row.adopted = (row.adopted or ZERO) + amount.amount
        elif year.kind == BudgetYear.Kind.PLAN and year.year > plan.year:
            row = rows.setdefault(line_committee.pk, CommitteeFigures(line_committee))
            row.plan[year.year] = row.plan.get(year.year, ZERO) + amount.amount
    committees = sorted(rows.values(), key=lambda r: (r.committee.position, r.committee.pk))
    total = CommitteeFigures(
        committee=None,
        projects=[p for row in committees for p in row.projects],
        adopted=sum_present(r.adopted for r in committees),
        plan={y.year: sum_present(r.plan.get(y.year) for r in committees) for y in plan_years},
    )
    return InvestmentFollowUp(
        plan=plan,
        period=period,
        periods=periods,
        plan_years=plan_years,
        committees=committees,
        total=total,
    )


def _add_budgets(plan, selected, figures):
    for project_id, amount in ProjectBudget.objects.filter(
        project__in=selected, year=plan.year
    ).values_list("project_id", "amount"):
        figures[project_id].budget = amount
    # Carried into the plan's year: decided for this plan's projects, or for last year's
    # plan's project with the same project number (a project keeps its number over the
    # years; each year's plan has its own project rows).
    by_code = {f.project.code.lower(): f for f in figures.values()}
    carried = (
        CarryOver.objects.decided()
        .into_year(plan.year)
        .filter(
            Q(project__in=selected)
            | Q(
                project__plan__municipality_id=plan.municipality_id,
                project__plan__year=plan.year - 1,
                project__committee__in={f.project.committee_id for f in figures.values()},
            )
        )
        .values("project__code", "project__committee_id")
        .annotate(total=Sum("amount"))
        .order_by("project__code")
    )
    for row in carried:
        target = by_code.get(row["project__code"].lower())
        if target is not None and target.project.committee_id == row["project__committee_id"]:
            target.carried += row["total"]


def _add_follow_ups(plan, period, selected, figures):
    if period is None:
        return
    follow_ups = (
        ProjectFollowUp.objects.filter(
            project__in=selected, period__plan=plan, period__month__lte=period.month
        )
        .select_related("period")
        .order_by("period__month", "id")
    )
    for f in follow_ups:  # in month order: the latest wins
        figures_of = figures[f.project_id]
        figures_of.outcome = f.outcome
        figures_of.outcome_period = f.period
        if f.forecast is not None:
            figures_of.recorded_forecast = f.forecast
            figures_of.forecast_period = f.period
