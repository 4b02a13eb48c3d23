"""Action plans as a period sees them: each measure with the status, realised effect and
comment of its latest follow-up up to the period's month (the measure's own status where it
has not been followed up yet).

A committee's row on the dashboard, the review page and the committee page shows its open
plan this way, so a page of August says what August knew; a published period's record
(followup.periods.record) keeps exactly these values.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from followup.models import ActionPlan, Measure, MeasureFollowUp
from followup.models.calendar import MONTH_NAMES


@dataclass(frozen=True)
class MeasureAsOf:
    description: str
    expected_effect: Decimal
    responsible: str
    due_date: date
    status: str
    realised_effect: Decimal | None = None
    comment: str = ""

    def get_status_display(self) -> str:
        return Measure.Status(self.status).label

    @property
    def is_cancelled(self) -> bool:
        return self.status == Measure.Status.CANCELLED


@dataclass(frozen=True)
class PlanAsOf:
    """An open action plan: drawn up in ``drawn_up_month``, its measures as of a period."""

    pk: int
    drawn_up_month: int
    summary: str
    measures: list = field(default_factory=list)  # MeasureAsOf, by due date

    @property
    def drawn_up(self) -> str:
        """The month it was drawn up, e.g. "augusti"."""
        return MONTH_NAMES[self.drawn_up_month]


def drawn_up_by(period):
    """The action plans of ``period``'s budget drawn up in ``period`` or earlier, open or
    closed: those a committee may follow in ``period``."""
    return ActionPlan.objects.filter(period__plan=period.plan, period__month__lte=period.month)


def open_plans_as_of(period, committees) -> dict:
    """committee id → PlanAsOf: the open plan each committee follows in ``period`` (the
    latest drawn up by then), in three queries of plain values whatever the number of
    committees (one when none has an open plan)."""
    latest = {}
    for plan in (
        drawn_up_by(period)
        .filter(committee__in=committees, status=ActionPlan.Status.OPEN)
        .order_by("period__month", "id")
        .values("pk", "committee_id", "summary", "period__month")
    ):
        latest[plan["committee_id"]] = plan
    if not latest:
        return {}
    plan_ids = [plan["pk"] for plan in latest.values()]
    follow_ups = {}  # measure id → its latest follow-up up to the period
    for follow_up in (
        MeasureFollowUp.objects.filter(
            measure__plan_id__in=plan_ids,
            period__plan_id=period.plan_id,
            period__month__lte=period.month,
        )
        .order_by("period__month", "id")
        .values("measure_id", "status", "realised_effect", "comment")
    ):
        follow_ups[follow_up["measure_id"]] = follow_up
    measures = defaultdict(list)
    for measure in (
        Measure.objects.filter(plan_id__in=plan_ids)
        .order_by("due_date", "id")
        .values(
            "pk", "plan_id", "description", "expected_effect", "responsible", "due_date", "status"
        )
    ):
        measures[measure["plan_id"]].append(_measure_as_of(measure, follow_ups.get(measure["pk"])))
    return {
        committee_id: PlanAsOf(
            pk=plan["pk"],
            drawn_up_month=plan["period__month"],
            summary=plan["summary"],
            measures=measures[plan["pk"]],
        )
        for committee_id, plan in latest.items()
    }


def _measure_as_of(measure: dict, latest: dict | None) -> MeasureAsOf:
    """A measure (its values) as its latest follow-up (None: none yet) leaves it."""
    return MeasureAsOf(
        description=measure["description"],
        expected_effect=measure["expected_effect"],
        responsible=measure["responsible"],
        due_date=measure["due_date"],
        status=latest["status"] if latest else measure["status"],
        realised_effect=latest["realised_effect"] if latest else None,
        comment=latest["comment"] if latest else "",
    )
