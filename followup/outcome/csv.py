"""Outcome as a CSV export: one row per committee and activity with the net amount to date.

    nämnd;verksamhet;belopp
    bildningsnamnden;bildningsnamnden;−131 000 000,00
    finansforvaltningen;skatteintakter;209 775 000

A header row is required; its names are read without regard to case, and a few synonyms
are accepted (``HEADERS``). Other columns (a name, a comment) are ignored. The delimiter
is the one the header row uses: semicolon (what Swedish Excel writes), tab or comma. The
text is UTF-8, with or without a byte-order mark, or else Windows-1252 (older Swedish
exports). Amounts are kronor, net: costs negative, revenues positive, written the Swedish
way ("−1 207 500,50") or the program way ("-1207500.50"), at most two decimals.
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from budget.money import parse_amount
from followup.outcome.files import marked_utf8
from followup.outcome.problems import refuse

HEADERS = {
    "committee": {"nämnd", "namnd", "nämndkod", "nämnd kod", "committee"},
    "activity": {"verksamhet", "verksamhetskod", "verksamhet kod", "activity"},
    "amount": {"belopp", "utfall", "utfall ackumulerat", "ackumulerat utfall", "amount"},
}
HEADER_NAMES = {"committee": "nämnd", "activity": "verksamhet", "amount": "belopp"}
LARGEST = Decimal(10) ** 15  # what an amount field (18 digits, 2 decimals) holds, with margin
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CsvRow:
    """A data row; ``errors`` (Swedish) says what is wrong with it, and then ``amount`` may
    be None. The committee is kept even for a wrong row, so that the committee it names
    can be left out of the import instead of the whole file."""

    line: int
    committee: str
    activity: str
    amount: Decimal | None
    errors: tuple[str, ...] = ()


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else Windows-1252."""
    text = marked_utf8(data, what="Filen")
    if text is not None:
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        refuse(
            "Filens tecken kan inte läsas: den är varken UTF-8 eller Windows-1252. Spara den "
            "som CSV UTF-8 och försök igen."
        )


def _header_key(name: str) -> str | None:
    cleaned = re.sub(r"\(.*?\)", "", name.strip().lower())
    cleaned = re.sub(r"[\s_\-]+", " ", cleaned).strip()
    cleaned = cleaned.removesuffix(" kr").strip()
    for key, names in HEADERS.items():
        if cleaned in names:
            return key
    return None


def _delimiter(header_line: str) -> str:
    for delimiter in (";", "\t", ","):
        if delimiter in header_line:
            return delimiter
    return ";"


def amount_of(text: str, errors: list[str]) -> Decimal | None:
    """The amount, or None with what is wrong with it added to ``errors``."""
    text = text.strip()
    if not text:
        errors.append("beloppet saknas.")
        return None
    try:
        value = parse_amount(text, decimal_point=True)
    except ValueError:
        errors.append(f"beloppet ”{text}” är inte ett tal.")
        return None
    if abs(value) >= LARGEST:
        errors.append(f"beloppet ”{text}” är orimligt stort.")
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.append(f"beloppet ”{text}” har fler än två decimaler (öre).")
        return None
    return value.quantize(Decimal("0.01"))


def read_csv(data: bytes) -> list[CsvRow]:
    """The file's data rows, each with what is wrong with it (so that the rows around a
    wrong one are still checked); a file that is not a CSV of outcome is refused at once
    with OutcomeFileError."""
    text = decode(data)
    lines = text.splitlines()
    for number, content in enumerate(lines, start=1):
        if CONTROL_CHARACTERS.search(content):
            refuse(
                "raden innehåller tecken som inte hör hemma i en textfil; filen är inte en "
                "CSV-fil.",
                number,
            )
    header_index = next((i for i, content in enumerate(lines) if content.strip()), None)
    if header_index is None:
        refuse("Filen är tom.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[header_index]))
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
        columns = _columns(header, reader.line_num)
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_row(cells, columns, len(header), reader.line_num))
    except csv.Error as exc:
        refuse(f"filen kan inte läsas som CSV ({exc}).", reader.line_num)
    if not rows:
        refuse("Filen innehåller bara en rubrikrad och inga rader med utfall.")
    return rows


def _columns(header: list[str], line: int) -> dict[str, int]:
    columns = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        if key is None:
            continue
        if key in columns:
            refuse(f"rubrikraden har kolumnen ”{HEADER_NAMES[key]}” två gånger.", line)
        columns[key] = index
    missing = [HEADER_NAMES[k] for k in HEADER_NAMES if k not in columns]
    if missing:
        found = ", ".join(f"”{h.strip()}”" for h in header if h.strip()) or "inga"
        refuse(
            "filen ska börja med en rubrikrad med kolumnerna nämnd, verksamhet och belopp; "
            f"{' och '.join(missing)} saknas (rubrikraden har {found}).",
            line,
        )
    return columns


def _row(cells, columns, width, line) -> CsvRow:
    def cell(key):
        index = columns[key]
        return cells[index].strip() if index < len(cells) else ""

    committee, activity = cell("committee"), cell("activity")
    if len(cells) < width or any(c.strip() for c in cells[width:]):
        error = (
            f"raden har {len(cells)} kolumner men rubrikraden har {width}; kontrollera "
            "avgränsare och citattecken."
        )
        return CsvRow(line, committee, activity, None, (error,))
    errors = []
    if not committee:
        errors.append("nämnd saknas.")
    if not activity:
        errors.append("verksamhet saknas.")
    amount = amount_of(cells[columns["amount"]], errors)
    return CsvRow(line, committee, activity, amount, tuple(errors))
