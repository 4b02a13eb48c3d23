"""The document's stated result, carried to figures built without a plan snapshot.

Where the document states a result that differs from the sum of its rows only by rounding
(budget.money.differs_only_by_rounding), the stated figure is the adopted one
(BudgetTable.figure). The follow-up year measures the municipality against the frames in
force, read straight from the frame ledger; ``result_rounding`` gives it what the document's
rounding adds to them, so its budgeted result is the adopted one plus the decided changes.
"""

from decimal import Decimal

from django.db.models import Count, F, Subquery, Sum

from budget.models import BudgetYear, Committee, FrameEntry, StatedFigure
from budget.money import differs_only_by_rounding

RESULT = ("budgetjamforelse", "resultat")  # the stated result: table and row of StatedFigure
ROW_PER_COMMITTEE = (Committee.Kind.COMMITTEE, Committee.Kind.RESERVE)
ORE = Decimal("0.01")


def result_rounding(plan_id, *, committee_ids) -> Decimal:
    """What the document's rounding adds to the sum of the plan's adopted frames for its
    budget year: the stated Resultat − that sum where the two differ only by rounding, else
    0. Also 0 unless ``committee_ids`` hold every unit with a frame that year: a part of the
    municipality has no stated result. One query."""
    # The plan's budget year's stated result: the same for every row, computed once.
    stated = (
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
            stated=Subquery(stated),
        )
        .order_by()
    )
    if not frames or frames[0]["stated"] is None:
        return Decimal(0)
    if not {f["activity__committee_id"] for f in frames} <= set(committee_ids):
        return Decimal(0)
    # The Budgetjämförelse's rows: one per committee (or reserve), one per finance line.
    rows = sum(
        1 if f["activity__committee__kind"] in ROW_PER_COMMITTEE else f["lines"] for f in frames
    )
    stated_value = frames[0]["stated"]
    # At the öre: SQLite sums decimals as floats.
    computed = sum((f["total"].quantize(ORE) for f in frames), Decimal(0))
    if differs_only_by_rounding(stated_value, computed, terms=rows):
        return stated_value - computed
    return Decimal(0)
