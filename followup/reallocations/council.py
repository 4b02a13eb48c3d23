"""What awaits a decision by kommunfullmäktige (KF): the council list (ärendelista).

Budget changes between committees, and any change that takes money from or gives it to
finansförvaltningen or the political reserve, are decided by KF (docs/domain.md, "Reallocations:
changing the budget during the year"). Once finance has prepared such a reallocation, the council secretary
puts it on KF's agenda; this module says what is on the list and why KF decides each item.
The page and the Excel paper (council_workbook.py) show the same items.
"""

from dataclasses import dataclass
from decimal import Decimal

from budget.models import Committee
from followup.reallocations.workflow import awaiting_council, moved

WHY_THE_COUNCIL_DECIDES = (
    "Budgetändringar under året ska undvikas. Ändringar mellan nämnder, och ändringar som tar "
    "pengar från eller ger pengar till finansförvaltningen eller den politiska reserven, "
    "beslutar kommunfullmäktige; ändringar mellan verksamheter inom en nämnd beslutar nämnden. "
    "Varje ändring visar varifrån pengarna kommer: raderna summerar till noll."
)


@dataclass(frozen=True)
class CouncilItem:
    """A prepared reallocation for KF, with its lines in committee order."""

    reallocation: object
    lines: list  # ReallocationLine, ordered by committee and activity
    moved: Decimal  # kronor moved: the sum of the increases (= the decreases)
    reason: str  # why KF, not a committee, decides

    @property
    def total(self) -> Decimal:
        """The lines' sum: zero, since save_draft and every transition refuse anything else."""
        return sum((line.amount for line in self.lines), Decimal(0))


def council_items(plan) -> list[CouncilItem]:
    """Every reallocation of the plan awaiting KF's decision, by number; a fixed number
    of queries whatever the number of items and lines."""
    reallocations = awaiting_council(plan).select_related(
        "plan__municipality", "budget_year", "prepared_by"
    )
    items = []
    for reallocation in reallocations:
        lines = sorted(
            reallocation.lines.all(),
            key=lambda line: (
                line.activity.committee.position,
                line.activity.committee_id,
                line.activity.position,
                line.activity_id,
            ),
        )
        items.append(
            CouncilItem(
                reallocation=reallocation,
                lines=lines,
                moved=moved(lines),
                reason=why_the_council(lines),
            )
        )
    return items


def why_the_council(lines) -> str:
    """Why KF decides a reallocation with these lines, in Swedish."""
    committees = []
    for line in lines:
        if line.activity.committee not in committees:
            committees.append(line.activity.committee)
    reasons = []
    kinds = {c.kind for c in committees}
    proper = [c for c in committees if c.kind == Committee.Kind.COMMITTEE]
    if len(proper) > 1:
        reasons.append(f"Pengar flyttas mellan nämnder ({_and([c.name for c in proper])}).")
    if Committee.Kind.FINANCE in kinds:
        reasons.append("Pengar tas från eller går till finansförvaltningen.")
    if Committee.Kind.RESERVE in kinds:
        names = _and([c.name for c in committees if c.kind == Committee.Kind.RESERVE])
        reasons.append(f"Den politiska reserven ({names}) fördelas.")
    if not reasons:  # cannot happen for a reallocation prepared for KF; said plainly if it does
        reasons.append("Omfördelningen är beredd för kommunfullmäktige.")
    return " ".join(reasons) + " Sådana ändringar beslutar kommunfullmäktige."


def _and(names: list[str]) -> str:
    """ "A, B och C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"
