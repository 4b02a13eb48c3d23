"""Which method to propose for an activity: the one that came closest for it before.

Each method is tried on every month reported in the activity's earlier years whose outcome
for the whole year is known, and measured against that outcome (no look-ahead: only years
before the one proposed for). The method with the smallest absolute error, summed over
those months, is chosen; its error is shown as a share of the outcome (medelfel, the
summed absolute errors over the summed absolute outcomes). Without such years the
periodisation profile is used. Pure: plain data in, plain data out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budget.money import format_percent, format_tkr, ratio
from followup.forecasts import methods
from followup.forecasts.methods import METHODS, NAMES, WHOLE_YEAR
from followup.models.calendar import MONTH_NAMES

DEFAULT = "profile"


@dataclass(frozen=True)
class Proposal:
    amount: Decimal
    method: str  # the method whose estimate this is
    basis: str  # in Swedish: how the amount was reached and why that method
    chosen: str = (
        DEFAULT  # the method chosen for the activity (``method`` unless it had no grounds)
    )
    error: Decimal | None = None  # the chosen method's error in earlier years, share of outcome

    @property
    def heading(self) -> str:
        """ "Förslag −12 340 tkr": the amount, as a page shows it before the basis."""
        return f"Förslag {format_tkr(self.amount)} tkr"

    @property
    def text(self) -> str:
        """ "Förslag −12 340 tkr: utfall jan–sep omräknat med …"."""
        return f"{self.heading}: {self.basis}"


@dataclass
class TrackRecord:
    """Each method's absolute errors summed over the months measured, and the outcomes'."""

    errors: dict = field(default_factory=lambda: defaultdict(Decimal))
    outcomes: Decimal = Decimal(0)
    years: set = field(default_factory=set)

    def add(self, other: "TrackRecord") -> None:
        for method, error in other.errors.items():
            self.errors[method] += error
        self.outcomes += other.outcomes
        self.years |= other.years

    def error(self, method: str) -> Decimal | None:
        """The method's error as a share of the outcome (medelfel)."""
        return ratio(self.errors.get(method), self.outcomes)

    def plain(self) -> list:
        """As plain data, for the cache: [{method: error}, outcomes, years], amounts as
        text (exact: ``Decimal(str(d)) == d``)."""
        return [{m: str(e) for m, e in self.errors.items()}, str(self.outcomes), sorted(self.years)]

    @classmethod
    def from_plain(cls, plain: list) -> "TrackRecord":
        errors, outcomes, years = plain
        return cls(
            errors=defaultdict(Decimal, {m: Decimal(e) for m, e in errors.items()}),
            outcomes=Decimal(outcomes),
            years=set(years),
        )


def estimates(years: dict, year: int, month: int) -> dict:
    """method → its estimate (with its fallback, ``methods.estimates``) for ``month`` of
    ``year``; ``years``: year → ActivityYear of one activity."""
    return methods.estimates(years[year], month, years.get(year - 1))


def year_record(years: dict, year: int) -> TrackRecord:
    """How each method did in ``year``: every month reported before the last, against the
    year's outcome. Empty while that outcome is unknown."""
    record = TrackRecord()
    final = years[year].final
    if final is None:
        return record
    for month in sorted(years[year].outcomes):
        if month >= WHOLE_YEAR:
            continue
        found = estimates(years, year, month)
        if len(found) < len(METHODS):  # a month where not every method could stand
            continue
        for name, e in found.items():
            record.errors[name] += abs(e.amount - final)
        record.outcomes += abs(final)
        record.years.add(year)
    return record


def track_record(years: dict, year: int) -> TrackRecord:
    """How each method did in the activity's years before ``year``."""
    record = TrackRecord()
    for earlier in sorted(y for y in years if y < year):
        record.add(year_record(years, earlier))
    return record


def choose(record: TrackRecord) -> str:
    """The method with the smallest error in ``record`` (ties: METHODS' order); the
    profile without any record."""
    if not record.years:
        return DEFAULT
    return min(METHODS, key=lambda name: record.errors.get(name, Decimal(0)))


def _span(years: set) -> str:
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def why(record: TrackRecord, chosen: str) -> str:
    """Why ``chosen``, in Swedish."""
    if not record.years:
        return (
            f"{NAMES[chosen]} används eftersom verksamheten saknar tidigare år "
            "att jämföra metoderna med"
        )
    text = (
        f"{NAMES[chosen]} vald för att den träffat bäst för verksamheten tidigare år "
        f"({_span(record.years)}): medelfel {format_percent(record.error(chosen))}"
    )
    if chosen != "budget":
        text += f", budgeten {format_percent(record.error('budget'))}"
    return text


@dataclass(frozen=True)
class Choice:
    """The method chosen for an activity from its track record, why in Swedish and its
    error there (share of the outcome, None without a record)."""

    method: str
    reason: str
    error: Decimal | None


def choice(record: TrackRecord) -> Choice:
    """The method ``record`` chooses, why and its error."""
    chosen = choose(record)
    return Choice(chosen, why(record, chosen), record.error(chosen))


def propose(
    years: dict, year: int, month: int, record=None, chosen: Choice | None = None
) -> Proposal | None:
    """The proposal for ``month`` of ``year`` from one activity's years (year →
    ActivityYear); None where no method has anything to go on. ``record``: the activity's
    ``track_record`` before ``year`` where the caller has it (the backtest adds it up year
    by year); ``chosen``: its ``choice`` where the caller has that."""
    if chosen is None:
        chosen = choice(track_record(years, year) if record is None else record)
    used = methods.proposed(chosen.method, years[year], month, years.get(year - 1))
    if used is None:
        return None
    reason = chosen.reason
    if used.method != chosen.method:
        reason += (
            f"; den saknar underlag i {MONTH_NAMES[month]}, så {NAMES[used.method]} "
            "används i stället"
        )
    return Proposal(
        amount=used.amount,
        method=used.method,
        basis=f"{used.basis}. {reason[0].upper()}{reason[1:]}.",
        chosen=chosen.method,
        error=chosen.error,
    )
