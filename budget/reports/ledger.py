"""A committee's frame ledger for the budget year: the adopted frame, the decided changes
and the current frame; and, listed apart, changes not yet applied, which never count.

The ledger is budget's own (``FrameEntry``): an applied change is an entry with its
decision. Changes that are still being drawn up, prepared or decided live in the apps
built on this one (the follow-up year's reallocations). They reach the committee page
through ``budget.extensions.add_pending_changes``, which such an app calls from its
``AppConfig.ready``, so the budget app imports nothing from them and still shows what
they have pending.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from budget import extensions
from budget.models import FrameEntry
from budget.reports.snapshot import ADOPTED, CURRENT


@dataclass(frozen=True)
class LedgerRow:
    """One activity's frame for the year: adopted + decided changes = current."""

    activity: str
    original: Decimal | None
    changes: Decimal | None
    current: Decimal | None


@dataclass(frozen=True)
class DecidedChange:
    """A ledger entry after the adopted frame: counted in the current frame."""

    activity: str
    amount: Decimal
    kind: str
    decision: str
    note: str
    recorded_at: datetime


@dataclass(frozen=True)
class PendingChange:
    """A change touching the committee that is not in the ledger: shown, never counted."""

    reference: str
    title: str
    status: str
    deciding_body: str
    budget_year: str
    activity: str
    amount: Decimal
    url: str = ""


@dataclass(frozen=True)
class CommitteeLedger:
    budget_year: object
    rows: list[LedgerRow]
    decided: list[DecidedChange]
    pending: list[PendingChange]


def committee_ledger(snapshot, committee, *, user) -> CommitteeLedger | None:
    """The committee's ledger for the plan's budget year (None without one): two queries
    besides the snapshot, plus what the pending providers need."""
    main = snapshot.main_year()
    if main is None:
        return None
    rows = []
    for activity in snapshot.activities_by_committee[committee.pk]:
        original = snapshot.activity_frame(activity, main.key, ADOPTED)
        current = snapshot.activity_frame(activity, main.key, CURRENT)
        rows.append(
            LedgerRow(
                activity=activity.name,
                original=original,
                changes=None if current is None else current - (original or 0),
                current=current,
            )
        )
    entries = (
        FrameEntry.objects.filter(budget_year_id=main.pk, activity__committee=committee)
        .exclude(kind=FrameEntry.Kind.ORIGINAL)
        .select_related("activity")
        .order_by("recorded_at", "id")
    )
    decided = [
        DecidedChange(
            activity=e.activity.name,
            amount=e.amount,
            kind=e.get_kind_display(),
            decision=e.decision,
            note=e.note,
            recorded_at=e.recorded_at,
        )
        for e in entries
    ]
    return CommitteeLedger(
        budget_year=main,
        rows=rows,
        decided=decided,
        pending=extensions.pending_changes(plan=snapshot.plan, committee=committee, user=user),
    )


@dataclass(frozen=True)
class PlanChange:
    """A decided change to a frame of the plan, any year: what the current budget adds to
    the adopted one."""

    committee: str
    activity: str
    activity_code: str
    year_label: str  # "Budget 2026"
    year_key: str
    amount: Decimal
    kind: str
    decision: str
    decided_on: object  # date or None


def plan_changes(snapshot) -> list[PlanChange]:
    """Every decided change to the plan's frames (one query), in the order recorded."""
    committees = {c.pk: c.name for c in snapshot.committees}
    entries = (
        FrameEntry.objects.filter(budget_year__plan=snapshot.plan)
        .exclude(kind=FrameEntry.Kind.ORIGINAL)
        .select_related("activity")
        .order_by("recorded_at", "id")
    )
    changes = []
    for e in entries:
        year = snapshot.years_by_id[e.budget_year_id]
        changes.append(
            PlanChange(
                committee=committees.get(e.activity.committee_id, ""),
                activity=e.activity.name,
                activity_code=e.activity.code,
                year_label=str(year),
                year_key=year.key,
                amount=e.amount,
                kind=e.get_kind_display(),
                decision=e.decision,
                decided_on=e.decided_on,
            )
        )
    return changes
