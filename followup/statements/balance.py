"""Balanskravsutredning: the balance requirement of kommunallagen (2017:725) 11 kap.

Pure: exact Decimal kronor in, a statement out; no models, no views. The entry pages, the
interim report (KL 11:16, a forecast of the year's balanskravsresultat) and the annual
accounts build one :class:`BalanceFigures` and call :func:`balance_statement`; they print
``statement.lines`` in order and show ``statement.messages``. Nothing is adjusted silently:
the statement is computed from the figures as given, and every rule they break is a message
in Swedish. Only what cannot be an amount at all raises (a float, NaN, a positive deficit).

Signs (docs/decisions/0003 and 0014): amounts as in the income statement, a profit
positive and a loss negative; a deficit to restore is the negative balanskravsresultat it
was. Reservation and disposition are the amounts moved, zero or more; the lines carry the
utredning's signs (− reservation, + disposition).
"""

import enum
from dataclasses import dataclass, fields
from decimal import Decimal

from budget.money import format_mkr

ZERO = Decimal(0)
THRESHOLD = Decimal("0.01")  # KL 11:14: the part above 1 % of skatteintäkter + bidrag
THRESHOLD_NEGATIVE_EQUITY = Decimal("0.02")  # 2 % with negative equity incl. pensions
RESERVE_CAP = Decimal("0.05")  # the reserve at most 5 % of skatteintäkter + bidrag
RESTORE_WITHIN_YEARS = 3  # KL 11:12: restored within the next three years
FIRST_RER_YEAR = 2024  # prop. 2022/23:119: RER replaces RUR from 1 January 2024
LAST_RUR_YEAR = 2033  # an existing RUR may be used until the end of 2033

SIGN_CONVENTION = (
    "Belopp som i resultaträkningen: vinster positiva, förluster och underskott negativa. "
    "Reservering och disposition anges som positiva belopp."
)


class Reserve(enum.StrEnum):
    RUR = "RUR"  # resultatutjämningsreserv: no new reservations from 2024, used until 2033
    RER = "RER"  # resultatreserv: from 2024

    @property
    def label(self) -> str:
        name = "resultatutjämningsreserv" if self is Reserve.RUR else "resultatreserv"
        return f"{name} ({self.value})"


def _check(year, **amounts) -> None:
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError(f"year must be an int, not {year!r}")
    for name, value in amounts.items():
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TypeError(f"{name} must be a finite Decimal in kronor, not {value!r}")


def restoration_deadline(*, year: int) -> int:
    """The last year in which a deficit of ``year`` may be restored (KL 11:12): year + 3."""
    return year + RESTORE_WITHIN_YEARS


@dataclass(frozen=True, kw_only=True)
class Deficit:
    """A negative balanskravsresultat of ``year`` still to restore: ``amount`` is negative."""

    year: int
    amount: Decimal

    def __post_init__(self):
        _check(self.year, amount=self.amount)
        if self.amount >= 0:
            raise ValueError(f"a deficit is negative, not {self.amount}")

    @property
    def restore_by(self) -> int:
        return restoration_deadline(year=self.year)


@dataclass(frozen=True, kw_only=True)
class BalanceFigures:
    """What the utredning is computed from: one year, actual or forecast, exact kronor.

    ``exempt_realisation_losses`` is a loss, so negative; the utredning adds it back.
    ``unrealised_securities`` is this year's unrealised gains (+) and losses (−) in the
    result; the utredning takes them out. ``reversed_unrealised_securities`` is the
    unrealised gains and losses of earlier years, as they were then in the result, that are
    realised or reversed this year; the utredning brings them back in. ``reserve`` is the
    reserve this year's reservation goes to or disposition comes from, ``reserve_balance``
    its balance at the start of the year. ``deficits`` are those still to restore then.
    """

    year: int
    result: Decimal  # årets resultat
    tax_and_grants: Decimal  # skatteintäkter + generella statsbidrag och utjämning
    reserve: Reserve
    realisation_gains: Decimal = ZERO
    exempt_realisation_gains: Decimal = ZERO
    exempt_realisation_losses: Decimal = ZERO
    unrealised_securities: Decimal = ZERO
    reversed_unrealised_securities: Decimal = ZERO
    reserve_balance: Decimal = ZERO
    reservation: Decimal = ZERO
    disposition: Decimal = ZERO
    deficits: tuple[Deficit, ...] = ()
    negative_equity_incl_pensions: bool = False

    def __post_init__(self):
        _check(
            self.year, **{x.name: getattr(self, x.name) for x in fields(self) if x.type is Decimal}
        )
        object.__setattr__(self, "reserve", Reserve(self.reserve))
        object.__setattr__(self, "deficits", tuple(self.deficits))
        if not all(isinstance(d, Deficit) for d in self.deficits):
            raise TypeError("deficits must be Deficit objects")
        if not isinstance(self.negative_equity_incl_pensions, bool):
            raise TypeError("negative_equity_incl_pensions must be a bool")


@dataclass(frozen=True)
class Line:
    """One line of the utredning: a Swedish label, a signed amount, whether it is a sum."""

    label: str
    amount: Decimal
    is_sum: bool = False


@dataclass(frozen=True, kw_only=True)
class BalanceStatement:
    """The balanskravsutredning of one year, line by line, with what was allowed."""

    year: int
    reserve: Reserve
    lines: tuple[Line, ...]
    result_after_adjustments: Decimal  # årets resultat efter balanskravsjusteringar
    balance_result: Decimal  # balanskravsresultat
    threshold_share: Decimal  # 0.01, or 0.02 with negative equity incl. pensions
    largest_reservation: Decimal
    largest_disposition: Decimal
    reserve_balance_after: Decimal
    new_deficit: Deficit | None  # this year's negative balanskravsresultat, if any
    deficits_to_restore: tuple[Deficit, ...]  # after this year, oldest first
    messages: tuple[str, ...]  # every rule broken, in Swedish

    @property
    def complies(self) -> bool:
        return not self.messages


def threshold_share(*, negative_equity_incl_pensions: bool) -> Decimal:
    """1 % of skatteintäkter + bidrag, or 2 % with negative equity incl. pensions (KL 11:14)."""
    return THRESHOLD_NEGATIVE_EQUITY if negative_equity_incl_pensions else THRESHOLD


def largest_reservation(
    *,
    result_after_adjustments: Decimal,
    tax_and_grants: Decimal,
    deficits: tuple[Deficit, ...],
    negative_equity_incl_pensions: bool,
    reserve_balance: Decimal,
) -> Decimal:
    """The most that may be reserved this year (KL 11:14 and 11:15; RKR R15).

    The part of the result after balanskravsjusteringar that exceeds 1 % of skatteintäkter
    + generella statsbidrag och utjämning (2 % if equity including the pension obligations
    earned before 1998, ansvarsförbindelsen, is negative), less the deficits of earlier years
    still to restore, and never more than keeps the reserve within 5 % of the same base:
    max(0, min(R − D − p·S, 5 %·S − B)). Malmö 2015: 540 − 193 − 162 = 185 mkr. The cap is
    docs/domain.md's and is applied to RUR and RER alike (docs/decisions/0014).
    """
    to_restore = -_sum(d.amount for d in deficits)
    share = threshold_share(negative_equity_incl_pensions=negative_equity_incl_pensions)
    above_threshold = result_after_adjustments - to_restore - share * tax_and_grants
    room_under_cap = RESERVE_CAP * tax_and_grants - reserve_balance
    return max(ZERO, min(above_threshold, room_under_cap))


def largest_disposition(*, result_after_adjustments: Decimal, reserve_balance: Decimal) -> Decimal:
    """The most that may be taken from the reserve: only to bring a negative result after
    balanskravsjusteringar up to zero, and never more than the reserve holds (KL 11:15)."""
    return max(ZERO, min(-result_after_adjustments, reserve_balance))


def _sum(amounts) -> Decimal:
    return sum(amounts, ZERO)


def _mkr(kronor: Decimal) -> str:
    return f"{format_mkr(kronor)} mkr"


def _reserve_closed(reserve: Reserve, year: int, *, to_reserve: bool) -> str | None:
    """Why ``reserve`` cannot take a reservation (or give a disposition) in ``year``."""
    if reserve is Reserve.RER and year < FIRST_RER_YEAR:
        return f"Resultatreserv (RER) finns från och med {FIRST_RER_YEAR}; före dess gäller resultatutjämningsreserven (RUR)."
    if reserve is Reserve.RUR and to_reserve and year >= FIRST_RER_YEAR:
        return f"Från och med {FIRST_RER_YEAR} får inga nya medel reserveras till resultatutjämningsreserven (RUR); reservera till resultatreserven (RER)."
    if reserve is Reserve.RUR and not to_reserve and year > LAST_RUR_YEAR:
        return f"Resultatutjämningsreserven (RUR) får användas till och med {LAST_RUR_YEAR}."
    return None


def _entry_messages(f: BalanceFigures) -> list[str]:
    """Figures that cannot be right whatever was decided (a gain entered as a loss, …)."""
    messages = []
    if f.tax_and_grants <= 0:
        messages.append(
            "Skatteintäkter, generella statsbidrag och utjämning ska vara större än noll."
        )
    if f.realisation_gains < 0:
        messages.append("Samtliga realisationsvinster är vinster och anges med plustecken.")
    if not ZERO <= f.exempt_realisation_gains <= max(f.realisation_gains, ZERO):
        messages.append(
            "Realisationsvinster enligt undantagsmöjlighet anges med plustecken och ingår i samtliga realisationsvinster."
        )
    if f.exempt_realisation_losses > 0:
        messages.append(
            "Realisationsförluster enligt undantagsmöjlighet är förluster och anges med minustecken."
        )
    if min(f.reserve_balance, f.reservation, f.disposition) < 0:
        messages.append("Reservens saldo, reservering och disposition anges med plustecken.")
    for d in f.deficits:
        if d.year >= f.year:
            messages.append(f"Underskottet från {d.year} är inte från ett tidigare år än {f.year}.")
    return messages


def _reservation(f: BalanceFigures, after_adjustments: Decimal) -> tuple[Decimal, list[str]]:
    """The largest reservation allowed this year, and why the one entered is not."""
    closed = _reserve_closed(f.reserve, f.year, to_reserve=True)
    if closed:
        return ZERO, [closed] if f.reservation > 0 else []
    largest = largest_reservation(
        result_after_adjustments=after_adjustments,
        tax_and_grants=f.tax_and_grants,
        deficits=f.deficits,
        negative_equity_incl_pensions=f.negative_equity_incl_pensions,
        reserve_balance=f.reserve_balance,
    )
    if f.reservation <= largest:
        return largest, []
    share = threshold_share(negative_equity_incl_pensions=f.negative_equity_incl_pensions)
    return largest, [
        f"Reserveringen till {f.reserve.label} ({_mkr(f.reservation)}) överstiger det högsta "
        f"tillåtna, {_mkr(largest)}: den del av resultatet efter balanskravsjusteringar som "
        f"överstiger {share * 100:.0f} % av skatteintäkter, generella statsbidrag och utjämning, "
        f"efter avdrag för underskott att återställa, och inom reservens tak på "
        f"{RESERVE_CAP * 100:.0f} %."
    ]


def _disposition(f: BalanceFigures, after_adjustments: Decimal) -> tuple[Decimal, list[str]]:
    """The largest disposition allowed this year, and why the one entered is not."""
    closed = _reserve_closed(f.reserve, f.year, to_reserve=False)
    if closed:
        return ZERO, [closed] if f.disposition > 0 else []
    largest = largest_disposition(
        result_after_adjustments=after_adjustments, reserve_balance=f.reserve_balance
    )
    messages = []
    if f.disposition > f.reserve_balance:
        messages.append(
            f"Dispositionen ({_mkr(f.disposition)}) överstiger vad {f.reserve.label} "
            f"innehåller, {_mkr(f.reserve_balance)}."
        )
    if f.disposition > 0 and after_adjustments >= 0:
        messages.append(
            "Resultatet efter balanskravsjusteringar är inte negativt; reserven får bara "
            "användas för att täcka ett negativt resultat."
        )
    elif f.disposition > -after_adjustments > 0:
        messages.append(
            f"Dispositionen ({_mkr(f.disposition)}) är större än underskottet i resultatet efter "
            f"balanskravsjusteringar ({_mkr(after_adjustments)}); reserven får bara "
            "användas för att täcka ett negativt resultat upp till noll."
        )
    return largest, messages


def _restore(deficits, balance_result: Decimal, year: int):
    """The deficits left after this year, oldest first: a positive balanskravsresultat
    restores the oldest first; a negative one is this year's new deficit (KL 11:12)."""
    available = max(balance_result, ZERO)
    left = []
    for deficit in sorted(deficits, key=lambda d: d.year):
        used = min(available, -deficit.amount)
        available -= used
        if deficit.amount + used < 0:
            left.append(Deficit(year=deficit.year, amount=deficit.amount + used))
    new = Deficit(year=year, amount=balance_result) if balance_result < 0 else None
    return new, tuple(left + ([new] if new else []))


def balance_statement(*, figures: BalanceFigures) -> BalanceStatement:
    """The balanskravsutredning of ``figures.year`` (KL 11:12–15, RKR R15).

    Årets resultat − samtliga realisationsvinster + realisationsvinster och
    + realisationsförluster enligt undantagsmöjlighet ± orealiserade vinster och förluster i
    värdepapper ± återföring av dem = årets resultat efter balanskravsjusteringar;
    − reservering till + disposition av RUR/RER = balanskravsresultat. A positive
    balanskravsresultat restores earlier deficits, oldest first; a negative one is a deficit
    to restore by year + 3 (KL 11:12). Reservation: :func:`largest_reservation`, not to
    RUR from 2024 nor to RER before; disposition: :func:`largest_disposition`, RUR until 2033.
    """
    f = figures
    reserve = f.reserve.label
    adjustments = (
        Line("Årets resultat", f.result),
        Line("Samtliga realisationsvinster", ZERO - f.realisation_gains),
        Line("Realisationsvinster enligt undantagsmöjlighet", f.exempt_realisation_gains),
        Line("Realisationsförluster enligt undantagsmöjlighet", ZERO - f.exempt_realisation_losses),
        Line("Orealiserade vinster och förluster i värdepapper", ZERO - f.unrealised_securities),
        Line(
            "Återföring av orealiserade vinster och förluster i värdepapper",
            f.reversed_unrealised_securities,
        ),
    )
    after_adjustments = _sum(line.amount for line in adjustments)
    balance_result = after_adjustments - f.reservation + f.disposition
    earlier = _sum(d.amount for d in f.deficits)
    new_deficit, deficits_left = _restore(f.deficits, balance_result, f.year)
    lines = (
        *adjustments,
        Line("Årets resultat efter balanskravsjusteringar", after_adjustments, is_sum=True),
        Line(f"Reservering till {reserve}", ZERO - f.reservation),
        Line(f"Disposition av {reserve}", f.disposition),
        Line("Balanskravsresultat", balance_result, is_sum=True),
        Line("Balanskravsunderskott från tidigare år", earlier),
        Line(
            "Balanskravsresultat efter återställande av tidigare underskott",
            balance_result + earlier,
            is_sum=True,
        ),
        Line(
            "Balanskravsunderskott att återställa",
            _sum(d.amount for d in deficits_left),
            is_sum=True,
        ),
    )
    largest_res, reservation_messages = _reservation(f, after_adjustments)
    largest_disp, disposition_messages = _disposition(f, after_adjustments)
    overdue = [
        f"Underskottet från {d.year} ska vara återställt senast {d.restore_by}, "
        f"men {_mkr(d.amount)} återstår efter årets balanskravsresultat."
        for d in deficits_left
        if d.restore_by <= f.year
    ]
    messages = _entry_messages(f) + reservation_messages + disposition_messages + overdue
    return BalanceStatement(
        year=f.year,
        reserve=f.reserve,
        lines=lines,
        result_after_adjustments=after_adjustments,
        balance_result=balance_result,
        threshold_share=threshold_share(
            negative_equity_incl_pensions=f.negative_equity_incl_pensions
        ),
        largest_reservation=largest_res,
        largest_disposition=largest_disp,
        reserve_balance_after=f.reserve_balance + f.reservation - f.disposition,
        new_deficit=new_deficit,
        deficits_to_restore=deficits_left,
        messages=tuple(messages),
    )
