"""Committees' net costs printed as positive figures: found, refused, or turned on request.

The application keeps net amounts with the budget document's signs: costs negative,
revenues positive, so a committee's frame is normally negative (docs/domain.md, "Amounts
and their signs"). Many municipalities print their committees' net costs as positive
figures; read as they stand, every frame and every deviation would be upside down.

**The rule** (``positive_years``), one year column of "Ramar per verksamhet" at a time: the
committees' net costs are printed positive when, among the committees of kind "Nämnd" (not
the finance administration, not the reserve) with a frame other than 0 that year, the
frames sum to more than 0 *and* more than half of them are positive. Both must hold:

- a tax-funded municipality's committees cost more than they bring in, so their sum is
  negative; a unit of kind "Nämnd" that carries the tax revenue could make it positive,
  but not make most of the committees positive;
- a committee with more revenue than cost (one financed by fees) is one positive frame
  among negative ones: neither most of them nor their sum.

**What is turned** (``turn_cost_signs``), in the year columns found positive only:

- on "Ramar per verksamhet", the frames of the committees and of the reserves (the rows of
  "Summa nämnder"); the finance administration's lines keep their signs;
- on "Angivna uppgifter", the stated figures in mkr that are sums or changes of those
  frames: Summa nämnder (tables budgetjamforelse and forandring-av-medel) and the
  Budgetförändring per committee and in total (rows ``<kod>-mkr`` and
  ``summa-namnder-mkr``). Percentages keep their signs: a change over the previous year's
  frame is the same ratio with both signs turned.

Statement lines (Resultatbudget, …), investments (gross and positive by convention),
key facts and companies are not touched.
"""

from dataclasses import dataclass
from decimal import Decimal

from budget.exports import layout
from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from budget.models import BudgetYear, Committee, StatedFigure

OPTION_LABEL = "Vänd tecknen på nämndernas nettokostnader"
COMMAND_OPTION = "--flip-cost-signs"


def add_command_option(parser) -> None:
    """The option of the commands that read a budget workbook (import_budget,
    load_municipality)."""
    parser.add_argument(
        COMMAND_OPTION,
        action="store_true",
        help="Nämndernas nettokostnader står som positiva belopp i arbetsboken: vänd "
        "tecknen på nämndernas och reservernas ramar och på de angivna summorna för "
        "nämnderna (Summa nämnder, Budgetförändring i mkr) vid inläsningen. Utan det "
        "läses en sådan arbetsbok inte in; Budgetuppföljning räknar kostnader som "
        "negativa och intäkter som positiva.",
    )


DETECTED_KINDS = (Committee.Kind.COMMITTEE,)
TURNED_KINDS = (Committee.Kind.COMMITTEE, Committee.Kind.RESERVE)
# Stated figures in mkr that sum the turned frames: (table, row); the Budgetförändring's
# rows per committee are added from the workbook's committees.
STATED_SUMS = (
    ("budgetjamforelse", "summa-namnder"),
    ("forandring-av-medel", "summa-namnder"),
    ("budgetforandring", "summa-namnder-mkr"),
)
CHANGE_TABLE = "budgetforandring"


class CostSignsPrintedPositive(BudgetWorkbookError):
    """The committees' net costs stand as positive figures and were not to be turned."""

    def __init__(self, years):
        self.years = tuple(years)
        super().__init__([WorkbookProblem(sheet=layout.FRAMES_SHEET, message=refusal(years))])

    def __str__(self):
        return self.problems[0].message


@dataclass(frozen=True)
class SignTurn:
    """What was turned: the year columns (keys such as "budget-2026"), the committees and
    reserves whose frames were turned (names), and how many frames and stated figures."""

    years: tuple = ()
    committees: tuple = ()
    reserves: tuple = ()
    frames: int = 0
    stated: int = 0

    def __bool__(self):
        return bool(self.frames or self.stated)

    def sentence(self) -> str:
        """ "Tecknen vändes på 30 ramar för 7 nämnder och 1 reserv (…) i Budget 2026 och …",
        or, when nothing was turned, that the net costs already stood as negative figures."""
        if not self:
            return (
                "Inga tecken vändes: nämndernas nettokostnader stod redan som negativa belopp "
                "i arbetsboken."
            )
        units = [_count(len(self.committees), "nämnd", "nämnder")]
        if self.reserves:
            units.append(_count(len(self.reserves), "reserv", "reserver"))
        stated = (
            f" och på {_count(self.stated, 'angiven uppgift', 'angivna uppgifter')} på bladet "
            f"”{layout.STATED_SHEET}” (Summa nämnder och Budgetförändring i mkr)"
            if self.stated
            else ""
        )
        return (
            f"Tecknen vändes på {_count(self.frames, 'ram', 'ramar')} för {joined(units)} "
            f"({joined([*self.committees, *self.reserves])}) i {joined(year_labels(self.years))}"
            f"{stated}, så att nämndernas nettokostnader blev negativa."
        )


def refusal(years) -> str:
    """Why a workbook with positive net costs is refused, and the two ways on."""
    return (
        "Nämndernas nettokostnader står som positiva belopp i arbetsboken "
        f"({joined(year_labels(years))}). Budgetuppföljning räknar kostnader som negativa och "
        "intäkter som positiva, som i budgetdokumentets tabeller, så en nämnds ram är "
        "normalt negativ; lästes arbetsboken in som den är skulle varje avvikelse få fel "
        "tecken. Vänd tecknen på nämndernas ramar i arbetsboken, eller läs in den med valet "
        f"”{OPTION_LABEL}” ({COMMAND_OPTION} i kommandot import_budget), så vänds "
        "nämndernas och reservernas ramar och de angivna summorna för nämnderna vid "
        "inläsningen. Ingenting har sparats."
    )


def check_cost_signs(data: dict, *, turn: bool) -> SignTurn:
    """Refuse (CostSignsPrintedPositive) a workbook whose committees' net costs are printed
    positive, or turn them when ``turn``; an empty SignTurn when none are."""
    years = positive_years(data)
    if not years:
        return SignTurn()
    if not turn:
        raise CostSignsPrintedPositive(years)
    return turn_cost_signs(data, years)


def positive_years(data: dict) -> list[str]:
    """The year columns (keys, in the workbook's order) in which the committees' net costs
    are printed positive: the rule in the module's docstring."""
    nets = {}  # key -> frames of each committee of kind "Nämnd" that year
    for committee in data.get("committees", []):
        if committee.get("kind") not in DETECTED_KINDS:
            continue
        totals = {}
        for activity in committee.get("activities", []):
            for key, amount in activity.get("frames", {}).items():
                totals[key] = totals.get(key, Decimal(0)) + amount
        for key, total in totals.items():
            nets.setdefault(key, []).append(total)
    positive = []
    for key, frames in nets.items():
        nonzero = [frame for frame in frames if frame]
        above = sum(1 for frame in nonzero if frame > 0)
        if sum(nonzero, Decimal(0)) > 0 and 2 * above > len(nonzero):
            positive.append(key)
    return positive


def turn_cost_signs(data: dict, years) -> SignTurn:
    """Negate, in the year columns ``years``, the frames of the committees and reserves and
    the stated figures that sum or change them (see the module's docstring)."""
    years = tuple(years)
    committees, reserves, turned_frames = [], [], 0
    rows = set(STATED_SUMS)
    for committee in data.get("committees", []):
        if committee.get("kind") not in TURNED_KINDS:
            continue
        if committee["kind"] == Committee.Kind.COMMITTEE:
            rows.add((CHANGE_TABLE, f"{committee['code']}-mkr"))
        count = sum(
            _negate(activity.get("frames", {}), years) for activity in committee["activities"]
        )
        if count:
            turned_frames += count
            names = committees if committee["kind"] == Committee.Kind.COMMITTEE else reserves
            names.append(committee["name"])
    turned_stated = sum(
        _negate(figure["values"], years)
        for figure in data.get("stated", [])
        if (figure["table"], figure["row"]) in rows
        and figure.get("unit") == StatedFigure.Unit.KRONOR
    )
    return SignTurn(
        years=years,
        committees=tuple(committees),
        reserves=tuple(reserves),
        frames=turned_frames,
        stated=turned_stated,
    )


def _negate(amounts: dict, years) -> int:
    """Negate the amounts of ``years`` other than 0 in place; how many."""
    keys = [key for key in years if amounts.get(key)]
    for key in keys:
        amounts[key] = -amounts[key]
    return len(keys)


def year_labels(keys) -> list[str]:
    """ "budget-2026" -> "Budget 2026"."""
    labels = []
    for key in keys:
        kind, _, year = key.rpartition("-")
        labels.append(f"{BudgetYear.Kind(kind).label} {year}")
    return labels


def joined(parts) -> str:
    """ "A, B och C"."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} och {parts[-1]}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
