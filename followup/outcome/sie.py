"""Outcome from an SIE 4 file (type 4E, or 3): the period balances per object.

An SIE file is text, one record a line: a label (#PSALDO) and fields separated by spaces
or tabs; a field with spaces is quoted ("Skola och förskola", a quote inside written \\"),
and an object list is written in braces: {1 "2200"} or {} for none. The file is coded in
PC8, that is code page 437 (#FORMAT PC8); a file that starts with a UTF-8 byte-order mark
is read as UTF-8. Records this reader does not use (#KONTO, #VER, #TRANS …) are skipped.

The outcome of an activity to date is read from the #PSALDO records:

    #PSALDO årsnr period konto {dimension "objekt"} saldo [kvantitet]

- only the current year (årsnr 0), and the file's year (#RAR 0) must be the period's year;
- a #PSALDO is one month's movement, so the outcome to date is the sum of the months
  1 … the period's month; later months are ignored;
- only result accounts (account classes 3–8, accounts 3000–8999); balance accounts are
  ignored;
- only records with one object in the dimension the mappings use (normally 1,
  kostnadsställe/ansvar). A record with {} is the account's total over all objects: adding
  it as well would count the money twice, so it is used only to check that every krona of
  the account is booked on an object; records in other dimensions (projects …) restate the
  same money and are skipped;
- SIE books debit positive, so costs are positive in the file. The application's amounts
  are net with costs negative: outcome = −(sum of the file's balances).

Objects are mapped to activities by OutcomeMapping (data, per municipality). An object
with a balance but no mapping, and money booked without an object, cannot be given to any
activity: they are left out and named in the preview (with their lines), so nothing is
dropped silently. Balances that are not counted (later months, earlier years) are counted
for the preview too.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budget.money import format_number
from followup.outcome.files import marked_utf8
from followup.outcome.problems import Problems, refuse

USED = {"#FLAGGA", "#FORMAT", "#SIETYP", "#RAR", "#DIM", "#OBJEKT", "#PSALDO"}
RESULT_ACCOUNT_CLASSES = set("345678")
AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
PERIOD = re.compile(r"^\d{6}$")
DATE = re.compile(r"^\d{8}$")
EARLIER_YEAR = "earlier year"


class SieSyntaxError(ValueError):
    """A record that cannot be split into fields (Swedish message)."""


def tokenize(line: str) -> list:
    """A record's fields: strings, and a tuple of strings for an object list.

    ``#PSALDO 0 202603 4010 {1 "2200"} 1500.00`` gives
    ``["#PSALDO", "0", "202603", "4010", ("1", "2200"), "1500.00"]``.
    Quotes keep spaces and braces inside a field; ``\\"`` is a quote inside one.
    """
    fields: list = []
    group: list | None = None
    current: list[str] = []
    started = in_quotes = False

    def finish():
        nonlocal current, started
        if started:
            (fields if group is None else group).append("".join(current))
        current, started = [], False

    index = 0
    while index < len(line):
        char = line[index]
        if in_quotes:
            if char == "\\" and index + 1 < len(line):
                index += 1
                current.append(line[index])
            elif char == '"':
                in_quotes = False
            else:
                current.append(char)
        elif char == '"':
            in_quotes = started = True
        elif char in " \t\r\n":
            finish()
        elif char == "{":
            if group is not None:
                raise SieSyntaxError("en objektlista kan inte innehålla en annan (”{” två gånger).")
            finish()
            group = []
        elif char == "}":
            if group is None:
                raise SieSyntaxError("”}” står utan ett ”{” före.")
            finish()
            fields.append(tuple(group))
            group = None
        else:
            current.append(char)
            started = True
        index += 1
    if in_quotes:
        raise SieSyntaxError('ett citattecken (") avslutas aldrig.')
    if group is not None:
        raise SieSyntaxError("en objektlista avslutas aldrig med ”}”.")
    finish()
    return fields


@dataclass(frozen=True)
class PeriodBalance:
    """One #PSALDO of the current year, as the file states it (debit positive)."""

    line: int
    account: str
    period: str
    objects: tuple
    amount: Decimal


@dataclass
class SieFile:
    flag: str | None = None
    charset: str | None = None
    sie_type: str | None = None
    years: dict = field(default_factory=dict)  # årsnr → (start, end, line)
    dimensions: dict = field(default_factory=dict)  # dimension → name
    objects: dict = field(default_factory=dict)  # (dimension, object) → name
    balances: list = field(default_factory=list)
    earlier_years: int = 0  # #PSALDO records of earlier years (årsnr −1 …), not counted


def decode(data: bytes) -> str:
    """UTF-8 with a byte-order mark, else the SIE standard's PC8 (code page 437)."""
    text = marked_utf8(data, what="SIE-filen")
    return data.decode("cp437") if text is None else text


def read_sie(data: bytes) -> SieFile:
    """The records the outcome needs; raises OutcomeFileError listing every problem."""
    sie = SieFile()
    problems = Problems()
    first = True
    for number, raw in enumerate(decode(data).splitlines(), start=1):
        record = raw.strip()
        if not record:
            continue
        label = record.split(None, 1)[0].upper()
        if first:
            first = False
            if label != "#FLAGGA":
                refuse("en SIE-fil ska börja med #FLAGGA.", number)
        if label not in USED:
            continue  # "{" and "}" around vouchers, and records the outcome does not need
        try:
            fields = tokenize(record)
        except SieSyntaxError as exc:
            problems.add(str(exc), number)
            continue
        _record(sie, label, fields[1:], number, problems)
    problems.raise_if_any()
    return sie


def _record(sie, label, fields, number, problems):
    texts = [f for f in fields if isinstance(f, str)]
    if label == "#FLAGGA":
        sie.flag = texts[0] if texts else None
    elif label == "#FORMAT":
        sie.charset = texts[0].upper() if texts else None
        if sie.charset != "PC8":
            problems.add(
                f"teckenuppsättningen ”{sie.charset or ''}” stöds inte; en SIE-fil ska vara "
                "kodad i PC8 (#FORMAT PC8).",
                number,
            )
    elif label == "#SIETYP":
        sie.sie_type = texts[0] if texts else None
    elif label == "#RAR":
        if len(texts) < 3 or not DATE.match(texts[1]) or not DATE.match(texts[2]):
            problems.add("#RAR ska ha årsnummer, startdatum och slutdatum (ÅÅÅÅMMDD).", number)
        else:
            sie.years[texts[0]] = (texts[1], texts[2], number)
    elif label == "#DIM":
        if len(texts) >= 2:
            sie.dimensions[texts[0]] = texts[1]
    elif label == "#OBJEKT":
        if len(texts) >= 3:
            sie.objects[(texts[0], texts[1])] = texts[2]
    elif label == "#PSALDO":
        balance = _balance(fields, number, problems)
        if balance == EARLIER_YEAR:
            sie.earlier_years += 1
        elif balance is not None:
            sie.balances.append(balance)


def _balance(fields, number, problems) -> PeriodBalance | str | None:
    if len(fields) < 5 or not isinstance(fields[3], tuple):
        problems.add(
            '#PSALDO ska ha årsnummer, period, konto, objektlista ({} eller {1 "objekt"}) '
            "och saldo.",
            number,
        )
        return None
    year, period, account, objects, amount = fields[:5]
    if not isinstance(year, str) or not re.match(r"^-?\d+$", year):
        problems.add(f"årsnumret ”{year}” är inte ett heltal.", number)
        return None
    if year != "0":
        return EARLIER_YEAR
    if not isinstance(period, str) or not PERIOD.match(period) or not 1 <= int(period[4:]) <= 12:
        problems.add(f"perioden ”{period}” ska skrivas ÅÅÅÅMM.", number)
        return None
    if not isinstance(account, str) or not account.isdigit():
        problems.add(f"kontot ”{account}” är inte ett kontonummer.", number)
        return None
    if len(objects) % 2:
        problems.add("objektlistan ska bestå av par av dimension och objekt.", number)
        return None
    if not isinstance(amount, str) or not AMOUNT.match(amount):
        problems.add(
            f"saldot ”{amount}” är inte ett belopp (punkt som decimaltecken, högst två decimaler).",
            number,
        )
        return None
    pairs = tuple(zip(objects[::2], objects[1::2], strict=True))
    return PeriodBalance(number, account, period, pairs, Decimal(amount))


@dataclass
class SieOutcome:
    amounts: dict  # activity id → outcome to date, net (costs negative)
    first_line: dict  # activity id → the first line that gave it an amount
    rows: dict  # activity id → how many #PSALDO records gave it its amount
    later_months: int = 0  # balances of the year after the period's month, not counted


def _kr(value: Decimal) -> str:
    return f"{format_number(value, 2)} kr"


def outcome_from_sie(
    sie: SieFile,
    *,
    year: int,
    month: int,
    dimension: int,
    mapping: dict,
    problems: Problems,
    skipped: Problems,
) -> SieOutcome:
    """The outcome to date per activity; ``mapping``: object code → activity id, for the
    objects of ``dimension``. Problems of the whole file are added to ``problems``; money
    that cannot be given to any activity (an object without a mapping, an account's money
    without an object) to ``skipped``."""
    _check_header(sie, year, problems)
    dim = str(dimension)
    by_object = defaultdict(Decimal)
    object_lines = defaultdict(list)
    account_total = defaultdict(Decimal)  # {} records: the account over all objects
    account_total_line = {}
    account_on_objects = defaultdict(Decimal)
    months = {f"{year}{m:02d}" for m in range(1, month + 1)}
    later_months = 0
    for b in sie.balances:
        if b.account[0] not in RESULT_ACCOUNT_CLASSES:
            continue
        if b.period not in months:
            later_months += 1
            continue
        if not b.objects:
            account_total[b.account] += b.amount
            account_total_line.setdefault(b.account, b.line)
            continue
        in_dimension = [code for d, code in b.objects if d == dim]
        if not in_dimension:
            continue  # another dimension: the same money again
        if len(b.objects) > 1:
            problems.add(
                f"#PSALDO med flera objekt i samma post stöds inte (konto {b.account}); "
                f"exportera periodsaldon per objekt i dimension {dim}.",
                b.line,
            )
            continue
        code = in_dimension[0]
        by_object[code] += b.amount
        object_lines[code].append(b.line)
        account_on_objects[b.account] += b.amount
    if not sie.balances:
        problems.add(
            "Filen innehåller inga periodsaldon (#PSALDO). Exportera en SIE 4E-fil med "
            "periodsaldon per objekt från ekonomisystemet."
        )
    amounts = defaultdict(Decimal)
    first_line = {}
    rows = defaultdict(int)
    dimension_label = _dimension_label(sie, dim)
    for code, total in sorted(by_object.items()):
        activity = mapping.get(code)
        if activity is None:
            if total != 0:
                name = sie.objects.get((dim, code))
                named = f" ({name})" if name else ""
                skipped.add(
                    f"objektet ”{code}”{named} i {dimension_label} har saldot {_kr(total)} "
                    "men ingen koppling till en verksamhet. Lägg in kopplingen under "
                    "Kopplingar till ekonomisystemet i administrationen och läs in filen igen.",
                    object_lines[code][0],
                )
            continue
        amounts[activity] -= total  # debit positive in SIE; costs negative here
        first_line.setdefault(activity, object_lines[code][0])
        rows[activity] += len(object_lines[code])
    for account, total in sorted(account_total.items()):
        on_objects = account_on_objects.get(account, Decimal(0))
        if total != on_objects:
            skipped.add(
                f"på konto {account} är {_kr(total - on_objects)} bokfört utan objekt i "
                f"{dimension_label} (kontots saldo {_kr(total)}, summan per objekt "
                f"{_kr(on_objects)}) och kan inte föras till någon verksamhet.",
                account_total_line[account],
            )
    return SieOutcome(
        amounts={a: v + Decimal(0) for a, v in amounts.items()},
        first_line=first_line,
        rows=dict(rows),
        later_months=later_months,
    )


def _dimension_label(sie, dim) -> str:
    name = sie.dimensions.get(dim)
    return f"dimension {dim} ({name})" if name else f"dimension {dim}"


def _check_header(sie, year, problems):
    if sie.sie_type is None:
        problems.add("Filen saknar #SIETYP; den är inte en fullständig SIE-fil.")
    elif sie.sie_type not in ("3", "4"):
        problems.add(
            f"Filen är SIE typ {sie.sie_type}, som inte har saldon per objekt. Exportera en "
            "SIE 4E-fil."
        )
    current = sie.years.get("0")
    if current is None:
        problems.add("Filen saknar räkenskapsår (#RAR 0).")
    elif current[0][:4] != str(year):
        problems.add(
            f"filens räkenskapsår är {current[0][:4]} ({current[0]}–{current[1]}), men perioden "
            f"gäller {year}.",
            current[2],
        )
