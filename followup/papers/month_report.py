"""What a period's month report (Månadsrapport) holds, read in a fixed number of queries.

The committees' figures are ``period_overview``'s and the municipality's result is
``MunicipalityResult``'s, exactly as finance's review page shows them
(followup/views/review.py). Each committee's activities are ``ReportFigures`` of the
report the overview shows (its current report, the latest version), assembled here from
the same helpers as ``report_figures`` (``current_frames``, ``shares_to_date``) for
every committee at once: ``report_figures`` reads per report, so calling it per
committee would make the number of queries grow with the committees.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from budget.models import Committee
from followup.models import ActionPlan, Measure, MeasureFollowUp, Reallocation, ReallocationLine
from followup.papers.common import PeriodPaper
from followup.reports import figures
from followup.reports.as_of import drawn_up_by
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share


@dataclass
class MeasureRow:
    """A measure as the period sees it: its latest follow-up up to the period's month."""

    measure: Measure
    follow_up: MeasureFollowUp | None

    @property
    def status_display(self) -> str:
        if self.follow_up is not None:
            return self.follow_up.get_status_display()
        return self.measure.get_status_display()

    @property
    def is_cancelled(self) -> bool:
        status = self.follow_up.status if self.follow_up is not None else self.measure.status
        return status == Measure.Status.CANCELLED

    @property
    def realised_effect(self):
        return None if self.follow_up is None else self.follow_up.realised_effect

    @property
    def comment(self) -> str:
        return "" if self.follow_up is None else self.follow_up.comment


@dataclass
class PlanRows:
    plan: ActionPlan
    measures: list = field(default_factory=list)


@dataclass
class MonthReport(PeriodPaper):
    period: object
    today: date
    rows: list  # followup.reports.figures.CommitteeRow, one per committee
    result: MunicipalityResult
    figures: dict  # committee id → ReportFigures of the row's report (absent: no report)
    action_plans: list  # PlanRows
    reallocations: list  # Reallocation, lines prefetched


def month_report(period, *, today: date) -> MonthReport:
    plan = period.plan
    committees = list(Committee.objects.of_plan(plan).with_activities())
    rows = period_overview(period, committees)
    return MonthReport(
        period=period,
        today=today,
        rows=rows,
        result=MunicipalityResult.of(rows, target_share=surplus_target_share(plan)),
        figures=reports_figures(period, rows),
        action_plans=covering_action_plans(period, committees),
        reallocations=decided_in_month(period),
    )


def reports_figures(period, rows) -> dict:
    """committee id → ReportFigures of each row's report (figures.reports_figures)."""
    reports = [r.report for r in rows if r.report is not None]
    by_report = figures.reports_figures(period, reports)
    return {report.committee_id: by_report[report.pk] for report in reports}


def covering_action_plans(period, committees) -> list[PlanRows]:
    """The action plans the period follows: drawn up in the period or earlier, and still
    open or followed up in the period (closed in it). Each measure with its latest
    follow-up up to the period."""
    plans = list(
        drawn_up_by(period)
        .filter(committee__in=committees)
        .filter(Q(status=ActionPlan.Status.OPEN) | Q(measures__follow_ups__period=period))
        .distinct()
        .select_related("committee", "period")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("due_date", "id")))
        .order_by("committee__position", "committee_id", "period__month", "id")
    )
    latest = {}
    for follow_up in (
        MeasureFollowUp.objects.filter(
            measure__plan__in=plans,
            period__plan=period.plan,
            period__month__lte=period.month,
        )
        .select_related("period")
        .order_by("measure_id", "period__month", "id")
    ):
        latest[follow_up.measure_id] = follow_up
    return [
        PlanRows(plan, [MeasureRow(m, latest.get(m.pk)) for m in plan.measures.all()])
        for plan in plans
    ]


def decided_in_month(period) -> list[Reallocation]:
    """Reallocations decided (and perhaps applied) within the period's month."""
    return list(
        Reallocation.objects.filter(
            plan=period.plan,
            status__in=[Reallocation.Status.DECIDED, Reallocation.Status.APPLIED],
            decided_on__year=period.year,
            decided_on__month=period.month,
        )
        .select_related("plan", "deciding_committee")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ReallocationLine.objects.select_related("activity__committee").order_by(
                    "id"
                ),
            )
        )
        .order_by("decided_on", "number", "id")
    )
