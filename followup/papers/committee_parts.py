"""What each committee's part of a council paper holds, for the month report and for the
interim report and the annual accounts alike, read for every committee at once in a fixed
number of queries.

A committee's part (``CommitteePart``) is its row of the period's overview (``CommitteeRow``),
its report's figures per activity with the controller's comments (``ReportFigures`` of the
report the overview shows, the latest version), the report's thread (return reasons, answers
and the approver's notes: ``ReportNote``) and the action plans it follows in the period, each
measure with its latest follow-up up to the period's month (as
followup.reports.as_of shows them on the pages).

``report_figures`` reads per report, so calling it per committee would make the number of
queries grow with the committees; ``figures.reports_figures`` reads them all at once.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from followup.models import (
    ActionPlan,
    Measure,
    MeasureFollowUp,
    Reallocation,
    ReallocationLine,
    ReportNote,
)
from followup.reports import figures
from followup.reports.as_of import drawn_up_by
from followup.reports.figures import CommitteeRow, ReportFigures


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

    @property
    def followed_up(self) -> str:
        """ "augusti 2026": the period of the latest follow-up, "" before the first."""
        if self.follow_up is None:
            return ""
        return f"{self.follow_up.period.month_name} {self.follow_up.period.year}"


@dataclass
class PlanRows:
    plan: ActionPlan
    measures: list = field(default_factory=list)  # MeasureRow, by due date

    @property
    def drawn_up(self) -> str:
        """ "mars 2026": the period the plan was drawn up in."""
        return f"{self.plan.period.month_name} {self.plan.period.year}"


@dataclass
class CommitteePart:
    """One committee in the paper: its figures, its comments and thread, its plans."""

    row: CommitteeRow
    figures: ReportFigures | None  # None: the committee has no report for the period
    notes: list = field(default_factory=list)  # ReportNote, oldest first
    plans: list = field(default_factory=list)  # PlanRows the committee follows in the period

    @property
    def committee(self):
        return self.row.committee

    @property
    def measures(self) -> int:
        return sum(len(p.measures) for p in self.plans)


def committee_parts(period, rows, plans=None) -> list[CommitteePart]:
    """A part per row of the overview (``rows``: CommitteeRow), in the rows' order.
    ``plans``: the covering action plans when the caller has read them already."""
    by_committee = reports_figures(period, rows)
    committees = [row.committee for row in rows]
    notes = {}
    for note in ReportNote.objects.thread(period=period, committees=committees):
        notes.setdefault(note.report.committee_id, []).append(note)
    if plans is None:
        plans = covering_action_plans(period, committees)
    plans_of = {}
    for item in plans:
        plans_of.setdefault(item.plan.committee_id, []).append(item)
    return [
        CommitteePart(
            row=row,
            figures=by_committee.get(row.committee.pk),
            notes=notes.get(row.committee.pk, []),
            plans=plans_of.get(row.committee.pk, []),
        )
        for row in rows
    ]


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


def decided_reallocations(period, *, from_month=None) -> list[Reallocation]:
    """Reallocations decided (and perhaps applied) in the period's year from ``from_month``
    (default: the period's own month) to the period's month, with their lines."""
    first = period.month if from_month is None else from_month
    return list(
        Reallocation.objects.filter(
            plan=period.plan,
            status__in=[Reallocation.Status.DECIDED, Reallocation.Status.APPLIED],
            decided_on__year=period.year,
            decided_on__month__gte=first,
            decided_on__month__lte=period.month,
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
