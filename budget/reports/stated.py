"""The document's stated result, carried to figures built without a plan snapshot.

Where the document states a result that differs from the sum of its rows only by rounding
(budget.money.differs_only_by_rounding), the stated figure is the adopted one
(BudgetTable.figure). The follow-up year measures the municipality against the frames in
force, read straight from the frame ledger; ``result_rounding`` gives it what the document's
rounding adds to them, so its budgeted result is the adopted one plus the decided changes.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Subquery, Sum

from budget.models import BudgetYear, Committee, FrameEntry, StatedFigure
from budget.money import differs_only_by_rounding

RESULT = ("budgetjamforelse", "resultat")  # the stated result: table and row of StatedFigure
ROW_PER_COMMITTEE = (Committee.Kind.COMMITTEE, Committee.Kind.RESERVE)
ORE = Decimal("0.01")


def stated_result(plan_id):
    """The plan's stated Resultat for its budget year, as a subquery of one value (the same
    for every row of a query it is annotated on: computed once)."""
    return (
        StatedFigure.objects.filter(
            plan_id=plan_id,
            table=RESULT[0],
            row=RESULT[1],
            unit=StatedFigure.Unit.KRONOR,
            budget_year__plan_id=plan_id,
            budget_year__year=F("budget_year__plan__year"),
            budget_year__kind=BudgetYear.Kind.BUDGET,
        )
        .order_by()
        .values("value")[:1]
    )


def result_rounding(plan_id, *, committee_ids) -> Decimal:
    """What the document's rounding adds to the sum of the plan's adopted frames for its
    budget year: the stated Resultat − that sum where the two differ only by rounding, else
    0. Also 0 unless ``committee_ids`` hold every unit with a frame that year: a part of the
    municipality has no stated result. One query."""
    # Per committee, not per activity: the units are few, the activities may be thousands.
    frames = list(
        FrameEntry.objects.filter(
            budget_year__plan_id=plan_id,
            budget_year__year=F("budget_year__plan__year"),
            budget_year__kind=BudgetYear.Kind.BUDGET,
            kind=FrameEntry.Kind.ORIGINAL,
        )
        .values("activity__committee_id", "activity__committee__kind")
        .annotate(
            total=Sum("amount"),
            lines=Count("activity_id", distinct=True),
            stated=Subquery(stated_result(plan_id)),
        )
        .order_by()
    )
    return rounding_of_rows(frames, total="total", lines="lines", committee_ids=committee_ids)


def rounding_of_rows(rows, *, total: str, lines: str, committee_ids) -> Decimal:
    """``rounding_of`` from a query's rows per committee: its id and kind
    (``activity__committee_id``, ``activity__committee__kind``), the sum of its adopted
    frames and their count (the columns named ``total`` and ``lines``; a row without
    adopted frames is no unit's) and the stated result (``stated``, the same on each row)."""
    return rounding_of(
        [
            AdoptedFrames(
                committee_id=row["activity__committee_id"],
                kind=row["activity__committee__kind"],
                total=row[total],
                lines=row[lines],
            )
            for row in rows
            if row[lines]
        ],
        stated=rows[0]["stated"] if rows else None,
        committee_ids=committee_ids,
    )


@dataclass(frozen=True)
class AdoptedFrames:
    """A unit's adopted frames for the plan's budget year: their sum and how many."""

    committee_id: int
    kind: str  # Committee.Kind
    total: Decimal
    lines: int


def rounding_of(frames, *, stated, committee_ids) -> Decimal:
    """``result_rounding`` of the units' adopted frames (``AdoptedFrames``, every unit with
    one) and the stated result (None: not stated), read by the caller."""
    if not frames or stated is None:
        return Decimal(0)
    if not {f.committee_id for f in frames} <= set(committee_ids):
        return Decimal(0)
    # The Budgetjämförelse's rows: one per committee (or reserve), one per finance line.
    rows = sum(1 if f.kind in ROW_PER_COMMITTEE else f.lines for f in frames)
    # At the öre: SQLite sums decimals as floats.
    computed = sum((f.total.quantize(ORE) for f in frames), Decimal(0))
    if differs_only_by_rounding(stated, computed, terms=rows):
        return stated - computed
    return Decimal(0)
