"""A report's figures: budget, budget to date, outcome, forecast and deviations.

Sign convention (docs/decisions/0003): net amounts, costs negative. A deviation
is actual/forecast − budget, so a negative deviation is an overspend.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from budget.models import Activity, BudgetYear, Committee, FrameEntry, KeyFact
from budget.money import ratio, sum_present
from budget.reports.indicators import SURPLUS_TARGET, share_of
from budget.reports.stated import result_rounding
from followup.models import BudgetProfile, Report, ReportLine
from followup.reports.as_of import open_plans_as_of

TWELFTH = Decimal(1) / Decimal(12)


def _minus(a, b):
    return None if a is None or b is None else a - b


class Deviations:
    """Deviation = actual or forecast − budget, for anything with those figures."""

    @property
    def outcome_deviation(self):
        return _minus(self.outcome, self.budget_to_date)

    @property
    def deviation(self):
        return _minus(self.forecast, self.budget)


@dataclass
class LineFigures(Deviations):
    activity: object
    budget: Decimal | None
    budget_to_date: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    previous_forecast: Decimal | None
    comment: str = ""

    @property
    def restrictive(self) -> bool:
        """A negative forecast deviation: the manager keeps a restrictive line."""
        return self.deviation is not None and self.deviation < 0


@dataclass
class ReportFigures(Deviations):
    report: Report
    lines: list = field(default_factory=list)

    def total(self, attribute):
        return sum_present(getattr(line, attribute) for line in self.lines)

    @property
    def budget(self):
        return self.total("budget")

    @property
    def budget_to_date(self):
        return self.total("budget_to_date")

    @property
    def outcome(self):
        return self.total("outcome")

    @property
    def forecast(self):
        return self.total("forecast")

    @property
    def needs_action_plan(self) -> bool:
        """The committee as a whole forecasts a negative deviation."""
        return self.deviation is not None and self.deviation < 0


def budget_column(period):
    return BudgetYear.objects.filter(
        plan=period.plan, year=period.year, kind=BudgetYear.Kind.BUDGET
    ).first()


def current_frames(activities, period) -> dict:
    """activity id → the frame the period is measured against: adopted + the changes
    decided by the period's last day, for the period's year."""
    column = budget_column(period)
    if column is None:
        return {}
    rows = (
        FrameEntry.objects.filter(budget_year=column, activity__in=activities)
        .in_force_on(period.last_day)
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["activity_id"]: r["total"] for r in rows}


def shares_to_date(activities, period) -> dict:
    """activity id → the share of the year's budget that falls in months 1..period.month."""
    profiles = defaultdict(dict)
    for p in BudgetProfile.objects.filter(activity__in=activities, year=period.year):
        profiles[p.activity_id][p.month] = p.share
    result = {}
    for activity in activities:
        months = profiles.get(activity.pk)
        if months:
            result[activity.pk] = sum(
                (months.get(m, Decimal(0)) for m in range(1, period.month + 1)), Decimal(0)
            )
        else:
            result[activity.pk] = TWELFTH * period.month
    return result


def _previous_forecasts(committees, period) -> dict:
    """activity id → the forecast in the latest earlier report of the year that had one.

    The earlier lines are read, newest first, and the first per activity is kept: a few
    milliseconds for a thousand activities, where a subquery per activity took 200."""
    lines = (
        ReportLine.objects.filter(
            report__committee__in=committees,
            report__period__plan=period.plan,
            report__period__year=period.year,
            report__period__month__lt=period.month,
            forecast__isnull=False,
        )
        .exclude(report__status=Report.Status.SUPERSEDED)
        .order_by("activity_id", "-report__period__month", "-report__version")
        .values_list("activity_id", "forecast")
    )
    result = {}
    for activity_id, forecast in lines:
        result.setdefault(activity_id, forecast)
    return result


def previous_forecasts(report) -> dict:
    """activity id → the forecast in the committee's latest earlier report that had one."""
    return _previous_forecasts([report.committee], report.period)


def reports_figures(period, reports) -> dict:
    """report id → ReportFigures, for reports of one period, in a fixed number of queries
    whatever the number of reports (the month report and the review use many at once).
    A report not started yet (unsaved, id None) has the budget and no figures."""
    reports = list(reports)
    if not reports:
        return {}
    committee_ids = {r.committee_id for r in reports}
    activities = list(
        Activity.objects.filter(committee_id__in=committee_ids).order_by(
            "committee_id", "position", "id"
        )
    )
    by_committee = defaultdict(list)
    for activity in activities:
        by_committee[activity.committee_id].append(activity)
    frames = current_frames(activities, period)
    shares = shares_to_date(activities, period)
    previous = _previous_forecasts(list(committee_ids), period)
    lines = {
        (line.report_id, line.activity_id): line
        for line in ReportLine.objects.filter(report__in=[r for r in reports if r.pk is not None])
    }
    result = {}
    for report in reports:
        figures = ReportFigures(report=report)
        for activity in by_committee[report.committee_id]:
            line = lines.get((report.pk, activity.pk))
            budget = frames.get(activity.pk)
            figures.lines.append(
                LineFigures(
                    activity=activity,
                    budget=budget,
                    budget_to_date=None if budget is None else budget * shares[activity.pk],
                    outcome=line.outcome if line else None,
                    forecast=line.forecast if line else None,
                    previous_forecast=previous.get(activity.pk),
                    comment=line.comment if line else "",
                )
            )
        result[report.pk] = figures
    return result


def report_figures(report) -> ReportFigures:
    return reports_figures(report.period, [report])[report.pk]


@dataclass
class CommitteeRow(Deviations):
    committee: object
    period: object  # the ReportingPeriod
    report: Report | None
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    previous_forecast: Decimal | None
    action_plan: object = None  # followup.reports.as_of.PlanAsOf: the open plan as of the period

    @property
    def forecast_change(self):
        """How the forecast moved since the committee's previous forecast."""
        return _minus(self.forecast, self.previous_forecast)

    @property
    def budget_to_date(self):
        """The budget of the months to date, where the row knows it: in the year's last
        month (the annual accounts) the whole year's budget, so that ``outcome_deviation``
        is the year's outcome − budget, as on the committee's own pages. Other months'
        budget to date is spread per activity (``reports_figures``), which the overview
        does not do: None."""
        return self.budget if self.period.month == 12 else None

    def late(self, today) -> bool:
        """Whether the committee's report is late (ReportingPeriod.is_late)."""
        return self.period.is_late(self.report, today=today)

    tax_base_budget: Decimal | None = None
    tax_base_forecast: Decimal | None = None


def period_overview(period, committees) -> list[CommitteeRow]:
    """Every committee's figures for one period, in a fixed number of queries."""
    committees = list(committees)
    activities = [a for c in committees for a in c.activities.all()]
    frames = current_frames(activities, period)
    reports = {
        r.committee_id: r
        for r in Report.objects.current()
        .filter(period=period, committee__in=committees)
        .order_by("committee_id", "version")
    }
    lines = defaultdict(list)
    for line in ReportLine.objects.filter(report__in=reports.values()):
        lines[line.report_id].append(line)
    previous = _previous_forecasts(committees, period)
    plans = open_plans_as_of(period, committees)
    rows = []
    for committee in committees:
        report = reports.get(committee.pk)
        report_lines = lines.get(report.pk, []) if report else []
        tax_base = [a.pk for a in committee.activities.all() if a.tax_base]
        forecast_or_budget = {
            line.activity_id: line.forecast for line in report_lines if line.forecast is not None
        }
        rows.append(
            CommitteeRow(
                committee=committee,
                period=period,
                report=report,
                tax_base_budget=sum_present(frames.get(pk) for pk in tax_base),
                tax_base_forecast=sum_present(
                    forecast_or_budget.get(pk, frames.get(pk)) for pk in tax_base
                ),
                budget=sum_present(frames.get(a.pk) for a in committee.activities.all()),
                outcome=sum_present(line.outcome for line in report_lines),
                forecast=sum_present(line.forecast for line in report_lines),
                previous_forecast=sum_present(
                    previous.get(a.pk) for a in committee.activities.all()
                ),
                action_plan=plans.get(committee.pk),
            )
        )
    return rows


@dataclass
class MunicipalityResult(Deviations):
    """The municipality's result: committees' and finansförvaltningen's lines together,
    against the budgeted result and the surplus target (a share of tax revenue and
    general grants).

    Where a committee has not forecast (yet), its budget stands as its forecast: the
    result forecast is the budgeted result plus the deviations that are forecast.
    ``without_forecast`` names those committees so the page can say so.

    ``budget`` and ``forecast`` are the sums of the rows. The headlines and the target checks
    use the adopted result instead (``adopted_budget``, ``adopted_forecast``): where the
    document states a result that differs from the sum of its rows only by rounding,
    ``stated_rounding`` (budget.reports.stated.result_rounding) adds the difference, so the
    checks use 6,0 where the document says 6,0 and the rows sum to 5,9 (plus the decided
    changes, and for the forecast the forecast deviations).

    In the year's last month the rows' ``budget_to_date`` is their budget, so
    ``outcome_deviation`` is the year's outcome − budget (the annual accounts ask no forecast):
    the rows' outcome deviations together, as ``deviation`` adds up the forecast ones.
    """

    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    forecast_change: Decimal | None
    tax_base_budget: Decimal | None
    tax_base_forecast: Decimal | None
    target_share: Decimal | None
    without_forecast: list = field(default_factory=list)
    budget_to_date: Decimal | None = None  # the rows' (CommitteeRow.budget_to_date)
    outcome_deviations: Decimal | None = None  # the rows' outcome deviations together
    stated_rounding: Decimal = Decimal(0)  # what the document's rounding adds to the budget
    # Whether the rows hold finansförvaltningen's lines (taxes, grants, finance net): without
    # them the sum is the committees' net cost, not the municipality's result.
    includes_finance: bool = True

    @property
    def label(self) -> str:
        """What the sum is called on a page: "Kommunens resultat", or without finance lines
        "Nämndernas nettokostnad"."""
        return "Kommunens resultat" if self.includes_finance else "Nämndernas nettokostnad"

    @classmethod
    def of(cls, rows, *, target_share):
        def total(name):
            return sum_present(getattr(r, name) for r in rows)

        budget = total("budget")
        rounding = Decimal(0)
        if budget is not None and rows:
            rounding = result_rounding(
                rows[0].period.plan_id, committee_ids={r.committee.pk for r in rows}
            )
        deviations = total("deviation")
        return cls(
            stated_rounding=rounding,
            budget=budget,
            outcome=total("outcome"),
            budget_to_date=total("budget_to_date"),
            outcome_deviations=total("outcome_deviation"),
            forecast=None if deviations is None or budget is None else budget + deviations,
            forecast_change=total("forecast_change"),
            tax_base_budget=total("tax_base_budget"),
            tax_base_forecast=total("tax_base_forecast"),
            target_share=target_share,
            without_forecast=[r.committee for r in rows if r.budget and r.forecast is None],
            # A published period's rows name their committees without a kind (shown.Named):
            # they were published as the municipality's result.
            includes_finance=not rows
            or any(
                getattr(r.committee, "kind", Committee.Kind.FINANCE) == Committee.Kind.FINANCE
                for r in rows
            ),
        )

    @property
    def outcome_deviation(self):
        return self.outcome_deviations

    @staticmethod
    def _target(base, share):
        return None if base is None or share is None else base * share

    @property
    def budget_target(self):
        return self._target(self.tax_base_budget, self.target_share)

    @property
    def forecast_target(self):
        """The target on the forecast tax base (the budget where finance has not
        forecast a tax line)."""
        return self._target(self.tax_base_forecast, self.target_share)

    @property
    def adopted_forecast(self):
        """The result forecast the target check uses: the adopted (stated) budgeted result
        plus the forecast deviations, so that the check never turns on the document's
        rounding (``forecast`` is the sum of the rows)."""
        return None if self.forecast is None else self.forecast + self.stated_rounding

    @property
    def forecast_share(self):
        return ratio(self.adopted_forecast, self.tax_base_forecast)

    @property
    def adopted_budget(self):
        """The budgeted result the target check uses: the stated one where the document's
        rounding alone explains the difference from the rows, plus the decided changes."""
        return None if self.budget is None else self.budget + self.stated_rounding

    @property
    def budget_share(self):
        return ratio(self.adopted_budget, self.tax_base_budget)

    @property
    def forecast_meets_target(self) -> bool | None:
        target = self.forecast_target
        forecast = self.adopted_forecast
        return None if forecast is None or target is None else forecast >= target

    @property
    def budget_meets_target(self) -> bool | None:
        target = self.budget_target
        adopted = self.adopted_budget
        return None if adopted is None or target is None else adopted >= target


def surplus_target_share(plan):
    return share_of(KeyFact.objects.filter(plan=plan, code=SURPLUS_TARGET).first())
