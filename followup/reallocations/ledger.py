"""Reallocations on the budget's committee page: those not yet applied, listed apart.

Registered with ``budget.extensions.add_pending_changes`` in ``FollowupConfig.ready``; an
applied reallocation is in the frame ledger itself, as a change with its decision.
"""

from django.urls import reverse

from budget.reports.ledger import PendingChange
from followup.models import Reallocation, ReallocationLine


def pending_for_committee(*, plan, committee, user) -> list[PendingChange]:
    """The committee's lines in reallocations of ``plan`` that are not yet applied nor
    rejected and that ``user`` may see (one query)."""
    visible = Reallocation.objects.visible_to(user).filter(plan=plan).pending()
    lines = (
        ReallocationLine.objects.filter(reallocation__in=visible, activity__committee=committee)
        .select_related(
            "activity",
            "reallocation__plan",
            "reallocation__budget_year",
            "reallocation__deciding_committee",
        )
        .order_by("reallocation__number", "activity__position", "id")
    )
    return [
        PendingChange(
            reference=line.reallocation.reference,
            title=line.reallocation.title,
            status=line.reallocation.get_status_display(),
            deciding_body=deciding_body_name(line.reallocation),
            budget_year=str(line.reallocation.budget_year),
            activity=line.activity.name,
            amount=line.amount,
            url=reverse(
                "followup:reallocation",
                kwargs={"year": plan.year, "number": line.reallocation.number},
            ),
        )
        for line in lines
    ]


def deciding_body_name(reallocation) -> str:
    """ "Kommunfullmäktige" or the deciding committee's name."""
    if reallocation.deciding_body == Reallocation.Body.COUNCIL:
        return Reallocation.Body.COUNCIL.label
    return str(reallocation.deciding_committee)
