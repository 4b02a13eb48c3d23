"""Money and percentages: the one place where amounts are converted, rounded and formatted.

Amounts are stored in exact kronor (Decimal). They are shown in mkr with one
decimal in Swedish format: decimal comma, a non-breaking space between
thousands and a true minus sign ("−1 207,5"). Rounding happens here only,
half away from zero, and only for display.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

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


# Digits, in groups of three after the first when spaced: "1207", "1 207", "12 345 678".
_INTEGER = r"(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)"
_SWEDISH = re.compile(rf"(?P<sign>[-+]?)(?P<integer>{_INTEGER})(?:,(?P<decimals>[0-9]+))?")
# A machine's amount (a CSV of outcome): a decimal point, no grouping: "-1207.50".
_POINT = re.compile(r"(?P<sign>[-+]?)(?P<integer>[0-9]+)\.(?P<decimals>[0-9]+)")
# "1.220": a thousands separator or a decimal point; nobody can tell which.
_AMBIGUOUS = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})+")
# The minus signs people type: hyphen-minus, the true minus, an en dash from a word processor.
_MINUSES = str.maketrans({MINUS: "-", "\u2013": "-"})
# More integer digits than any amount in a municipality's accounts (10^15 kr).
MAX_INTEGER_DIGITS = 15


def parse_amount(text, *, decimal_point: bool = False) -> Decimal:
    """Read an amount as people in Sweden type it: "1 207,5", "−3,2", "-1207", "1 207 000"
    (spaces, no-break spaces or thin spaces between thousands, a decimal comma, a true
    or hyphen minus). ``decimal_point``: also "1207.50" as a financial system writes it
    (CSV), never with grouping.

    Raises ValueError with a Swedish message for anything else: "1.220" (1,22 or
    1 220?), "1.5" in a form, "1,207.5", exponents, NaN and infinities, digits of other
    scripts ("١٢٣", "４５"), "1_000", invisible marks, more than 15 integer digits.
    "-0" is 0.
    """
    if isinstance(text, bool):
        raise ValueError(f"”{text}” är inte ett belopp.")
    if isinstance(text, int):
        text = Decimal(text)
    elif isinstance(text, float):
        text = Decimal(repr(text))
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ValueError("Beloppet är inte ett tal.")
        if text.adjusted() >= MAX_INTEGER_DIGITS:
            raise ValueError("Beloppet är orimligt stort.")
        return text + 0  # -0 is 0
    shown = str(text)
    cleaned = shown.strip().translate(_MINUSES)
    if not cleaned:
        raise ValueError("Beloppet saknas.")
    match = _SWEDISH.fullmatch(cleaned) or (
        decimal_point and not _AMBIGUOUS.fullmatch(cleaned) and _POINT.fullmatch(cleaned)
    )
    if not match:
        raise ValueError(_refusal(shown.strip(), cleaned, decimal_point=decimal_point))
    integer = re.sub(r"\D", "", match["integer"])
    if len(integer.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"”{shown.strip()}” är orimligt stort för ett belopp.")
    decimals = f".{match['decimals']}" if match["decimals"] else ""
    return Decimal(f"{match['sign']}{integer}{decimals}") + 0  # -0 is 0


def _refusal(shown: str, cleaned: str, *, decimal_point: bool) -> str:
    """Why ``shown`` is not an amount, in Swedish, naming the readings where there are two."""
    grouped = re.fullmatch(r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", cleaned)
    if grouped and (cleaned.count(".") > 1 or "," in cleaned):
        spaced = cleaned.replace(".", " ").replace("-", MINUS)
        return f"”{shown}”: skriv tusental med mellanslag, till exempel ”{spaced}”."
    if _AMBIGUOUS.fullmatch(cleaned):
        as_decimal = cleaned.replace(".", ",").replace("-", MINUS)
        as_thousands = format_number(Decimal(cleaned.replace(".", "")))
        return (
            f"”{shown}” kan läsas som {as_decimal} eller som {as_thousands}. Skriv decimaler "
            f"med komma ({as_decimal}) och tusental med mellanslag ({as_thousands})."
        )
    if "." in cleaned and not decimal_point and re.fullmatch(r"[-+]?[0-9]+\.[0-9]+", cleaned):
        return f"”{shown}”: skriv decimaler med komma, till exempel ”{cleaned.replace('.', ',')}”."
    if any(c.isdigit() and not "0" <= c <= "9" for c in cleaned):
        return f"”{shown}” har siffror som inte är 0–9; skriv beloppet med vanliga siffror."
    return f"”{shown}” är inte ett belopp."


def exact_in_kronor(value: Decimal, unit: str) -> Decimal:
    """``value`` given in ``unit`` as kronor, refused (ValueError in Swedish) when it has
    more decimals than öre: at most 2 decimals in kr, 5 in tkr, 8 in mkr."""
    kronor = Decimal(value) * UNITS[unit]
    if kronor != kronor.quantize(Decimal("0.01")):
        places = 2 + len(str(UNITS[unit])) - 1
        raise ValueError(
            f"Beloppet har fler decimaler än det går att spara: högst {places} i {unit}."
        )
    return kronor.quantize(Decimal("0.01"))
