"""The forecast methods: each a small pure function over one activity's plain figures.

Amounts are net kronor with the budget's signs (costs negative, docs/decisions/0003). A
method reads the activity's year so far (``ActivityYear``), the month proposed for and,
where it needs it, last year; it gives an ``Estimate`` (a full-year amount and its basis
in Swedish) or None where it has nothing to go on. Nothing here reads the database:
followup.forecasts.history gathers the figures, followup.forecasts.choice picks a method.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budget.money import format_percent, format_tkr
from followup.models.calendar import MONTH_NAMES

ORE = Decimal("0.01")
TWELFTH = Decimal(1) / Decimal(12)
WHOLE_YEAR = 12


TWELFTHS = tuple(TWELFTH * month for month in range(1, 13))


def twelfths() -> tuple:
    """The share of the year's budget at the end of each month without a profile."""
    return TWELFTHS


@dataclass(frozen=True)
class ActivityYear:
    """One activity's year as the methods read it.

    - ``budgets``: month → the frame the month was measured against (in force on its last day);
    - ``shares``: the share of the year's budget reached at the end of months 1..12,
      cumulative (the periodisation profile, else twelfths); ``profiled`` says which;
    - ``outcomes``: month → outcome to date as reported; ``forecasts``: month → the
      full-year forecast as reported;
    - ``final``: the year's outcome (the annual accounts' report), None until it is known.
    """

    year: int
    budgets: dict = field(default_factory=dict)
    shares: tuple = field(default_factory=twelfths)
    profiled: bool = False
    outcomes: dict = field(default_factory=dict)
    forecasts: dict = field(default_factory=dict)
    final: Decimal | None = None

    def share(self, month: int) -> Decimal:
        return self.shares[month - 1]

    def budget_to_date(self, month: int) -> Decimal | None:
        budget = self.budgets.get(month)
        return None if budget is None else budget * self.share(month)

    def deviation(self, month: int) -> Decimal | None:
        """Outcome to date − budget to date, as the report shows it."""
        outcome, to_date = self.outcomes.get(month), self.budget_to_date(month)
        return None if outcome is None or to_date is None else outcome - to_date


@dataclass(frozen=True)
class Estimate:
    """A method's full-year amount and why, in Swedish ("utfall jan–sep omräknat med …").

    The basis is written when it is read (``says``): measuring the methods against earlier
    years reads tens of thousands of amounts and no basis."""

    method: str
    amount: Decimal
    says: Callable[[], str] = field(repr=False, compare=False)

    @property
    def basis(self) -> str:
        return self.says()


def kronor(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def months_to_date(month: int) -> str:
    """ "jan–sep", or "januari" for the first month alone."""
    if month == 1:
        return MONTH_NAMES[1]
    return f"{MONTH_NAMES[1][:3]}–{MONTH_NAMES[month][:3]}"


def profile(now: ActivityYear, month: int, before: ActivityYear | None = None):
    """Outcome to date divided by the share of the year's budget that the activity's
    periodisation profile (else twelfths) puts in the months to date."""
    outcome, share = now.outcomes.get(month), now.share(month)
    if outcome is None or share <= 0:
        return None

    def says():
        how = (
            f"verksamhetens säsongsprofil ({format_percent(share)} av årets budget t.o.m. "
            f"{MONTH_NAMES[month]})"
            if now.profiled
            else f"jämn fördelning över året ({month}/12 av årets budget)"
        )
        return f"utfall {months_to_date(month)} omräknat med {how}"

    return Estimate("profile", kronor(outcome / share), says)


def last_year(now: ActivityYear, month: int, before: ActivityYear | None = None):
    """Outcome to date divided by the share of last year's outcome for the whole year that
    last year had reached by the same month."""
    outcome = now.outcomes.get(month)
    if outcome is None or before is None or before.final in (None, 0):
        return None
    then = before.outcomes.get(month)
    if then is None:
        return None
    share = then / before.final
    if share <= 0:
        return None
    return Estimate(
        "last_year",
        kronor(outcome / share),
        lambda: (
            f"utfall {months_to_date(month)} omräknat med fjolårets förlopp "
            f"({before.year} hade {format_percent(share)} av helårets utfall nått t.o.m. "
            f"{MONTH_NAMES[month]})"
        ),
    )


def last_forecast(now: ActivityYear, month: int, before: ActivityYear | None = None):
    """The year's latest earlier forecast, moved by as much as the outcome's deviation
    from the budget to date has moved since it was made."""
    made = max((m for m in now.forecasts if m < month), default=None)
    if made is None:
        return None
    then, deviation = now.deviation(made), now.deviation(month)
    if then is None or deviation is None:
        return None
    moved = deviation - then
    return Estimate(
        "last_forecast",
        kronor(now.forecasts[made] + moved),
        lambda: (
            f"prognosen från {MONTH_NAMES[made]} ({format_tkr(now.forecasts[made])} tkr) "
            f"justerad med avvikelsens förändring mot budget sedan dess "
            f"({format_tkr(moved)} tkr)"
        ),
    )


def budget(now: ActivityYear, month: int, before: ActivityYear | None = None):
    """The year's budget (the frame the month is measured against): forecast = budget."""
    amount = now.budgets.get(month)
    if amount is None:
        return None
    return Estimate("budget", kronor(amount), lambda: "årets budget (prognos = budget)")


METHODS = {
    "profile": profile,
    "last_year": last_year,
    "last_forecast": last_forecast,
    "budget": budget,
}
# What a page calls each method.
NAMES = {
    "profile": "omräkningen med periodiseringen",
    "last_year": "omräkningen med fjolårets förlopp",
    "last_forecast": "den justerade senaste prognosen",
    "budget": "budgeten",
}
FALLBACK = ("profile", "budget")


def _first(names, found: Callable):
    """The first of ``names`` whose ``found(name)`` is an estimate, None without any."""
    return next((e for name in names if (e := found(name)) is not None), None)


def estimate(method: str, now: ActivityYear, month: int, before: ActivityYear | None = None):
    """``method``'s estimate, else the first of FALLBACK's that has one (a method without
    grounds this month stands back for the profile, then the budget); None without any."""
    return _first((method, *FALLBACK), lambda name: METHODS[name](now, month, before))


def estimates(now: ActivityYear, month: int, before: ActivityYear | None = None) -> dict:
    """method → its ``estimate``, the methods without any left out; each method computed
    once."""
    own = {name: method(now, month, before) for name, method in METHODS.items()}
    found = {name: _first((name, *FALLBACK), own.get) for name in METHODS}
    return {name: e for name, e in found.items() if e is not None}


def proposed(method: str, now: ActivityYear, month: int, before: ActivityYear | None = None):
    """``method``'s ``estimate``, else (neither it nor FALLBACK's has grounds) the first
    of METHODS' that has one: ``estimates``' for ``method``, else its first, computing
    only the methods needed; None without any."""
    return estimate(method, now, month, before) or _first(
        METHODS, lambda name: METHODS[name](now, month, before)
    )
