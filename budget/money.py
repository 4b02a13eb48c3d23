"""Money and percentages: the one place where amounts are converted, rounded and formatted.

Amounts are stored in exact kronor (Decimal). They are shown in mkr with one
decimal in Swedish format: decimal comma, a non-breaking space between
thousands and a true minus sign ("−1 207,5"). Rounding happens here only,
half away from zero, and only for display.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)
UNITS = {"kr": Decimal(1), "tkr": THOUSAND, "mkr": MILLION}
ONE_DECIMAL = Decimal("0.1")
MINUS = "\u2212"
NBSP = "\u00a0"


def to_kronor(value, unit: str = "mkr") -> Decimal:
    """An amount given in ``unit`` as exact kronor, to the öre."""
    return (Decimal(value) * UNITS[unit]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def kronor_to_mkr(kronor: Decimal) -> Decimal:
    """Exact mkr (no rounding), as written to a workbook cell."""
    return Decimal(kronor) / MILLION


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_mkr(kronor: Decimal) -> Decimal:
    """Kronor rounded to mkr with one decimal: the figure the document shows."""
    return round_half_up(Decimal(kronor) / MILLION, 1)


def _swedish(number: Decimal, places: int) -> str:
    text = f"{abs(number):,.{places}f}".replace(",", NBSP).replace(".", ",")
    return f"{MINUS}{text}" if number < 0 else text


def format_mkr(kronor) -> str:
    """ "−1 207,5" for -1 207 500 000 kr; "" for a missing amount."""
    if kronor is None:
        return ""
    rounded = round_mkr(kronor)
    if rounded == 0:
        rounded = Decimal("0.0")  # no "−0,0"
    return _swedish(rounded, 1)


def format_tkr(kronor) -> str:
    """ "−130 825" for −130 825 000 kr: what controllers work in."""
    if kronor is None:
        return ""
    rounded = round_half_up(Decimal(kronor) / THOUSAND, 0)
    return _swedish(abs(rounded) if rounded == 0 else rounded, 0)


def format_percent(fraction, places: int = 1) -> str:
    """ "1,9 %" for 0.0186; "" for a missing ratio."""
    if fraction is None:
        return ""
    rounded = round_half_up(Decimal(fraction) * 100, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{_swedish(rounded, places)}{NBSP}%"


def format_number(value, places: int = 0) -> str:
    if value is None:
        return ""
    return _swedish(round_half_up(Decimal(value), places), places)


def sum_present(values):
    """The sum of the amounts that are there; None when none is (an empty cell stays empty)."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# The council's document shows every amount in mkr with one decimal: a figure in it lies
# within half a unit of that precision (0,05 mkr) of the exact amount it stands for.
DOCUMENT_HALF_UNIT = Decimal("0.05") * MILLION


def rounding_tolerance(terms: int) -> Decimal:
    """The largest difference, in kronor, that the document's rounding alone can make between
    a total it states and the sum of the ``terms`` rows it shows for that total.

    Each of the rows is the exact amount rounded to 0,1 mkr, so each is off by at most half a
    unit (0,05 mkr); the stated total is rounded too. So the two can differ by at most
    0,05 mkr × (rows + 1): Resultat 2026 in Hedemora's Budgetjämförelse, 13 rows, allows
    0,7 mkr, and 6,0 against 5,9 is rounding; Summa nämnder Plan 2027 in "Förändring av
    medel", 8 rows, allows 0,45 mkr, and −1 239,0 against −1 240,3 is not.
    """
    return DOCUMENT_HALF_UNIT * (max(terms, 1) + 1)


def differs_only_by_rounding(stated, computed, *, terms: int) -> bool:
    """Whether a total the document states and the sum of its ``terms`` rows differ, but by
    no more than the document's rounding explains (``rounding_tolerance``). Where this holds
    the stated figure is the adopted one: headlines, target checks and the budget's
    balanskravsutredning use it (budget.reports.structure.BudgetTable.figure)."""
    if stated is None or computed is None or stated == computed:
        return False
    return abs(Decimal(stated) - Decimal(computed)) <= rounding_tolerance(terms)


def ratio(numerator, denominator):
    """numerator / denominator, or None where the denominator is zero or missing."""
    if numerator is None or denominator in (None, 0):
        return None
    return Decimal(numerator) / Decimal(denominator)


def parse_amount(text) -> Decimal:
    """Read an amount as people type it: "1 207,5", "−3,2", "1207.5", "-1.207,5".

    Raises ValueError with a Swedish message for anything that is not a number.
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    cleaned = str(text).strip().replace(MINUS, "-").replace("\u2013", "-")
    for space in (" ", NBSP, "\u202f"):
        cleaned = cleaned.replace(space, "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not cleaned:
        raise ValueError("Beloppet saknas.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"”{text}” är inte ett belopp.") from exc
    if not value.is_finite():
        raise ValueError(f"”{text}” är inte ett belopp.")
    return value
