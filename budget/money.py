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
