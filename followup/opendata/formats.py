"""A published table as CSV and as JSON (docs/decisions/0028).

CSV: plain UTF-8 without byte-order mark, comma separated, one header row of the
columns' names, CRLF line ends (RFC 4180); a decimal point and exact decimals (never a
thousands separator or an exponent); true/false; an empty cell for a missing value.

JSON: an object describing the table (title, publisher, licence, year, version, times,
the columns' names) with ``rows``, the CSV's rows as objects under the same names. Amounts
are strings with exact decimals ("-1234567.50"), so that no reader turns them into
floating point; whole numbers (year, month, version) are numbers, true/false booleans and a
missing value null.
"""

import csv
import io
import json
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from followup.opendata.published import CSV, JSON, Table


def exact(value: Decimal) -> str:
    """A Decimal as plain text with every digit and a decimal point: "-1234567.50"."""
    return format(value, "f")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return exact(value)
    return str(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, datetime):
        return timestamp(value)
    return value


def timestamp(moment: datetime) -> str:
    """A moment in ISO 8601 with the offset, in the municipality's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = [c.name for c in table.entry.columns]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([_csv_cell(row[name]) for name in names])
    return out.getvalue()


def json_text(table: Table, *, license_url: str) -> str:
    entry = table.entry
    names = [c.name for c in entry.columns]
    described = {
        "title": entry.title,
        "description": entry.description,
        "publisher": table.publisher,
        "license": license_url,
        "year": entry.year,
        ("month" if entry.kind == "period" else "table"): entry.key,
    }
    if entry.version is not None:
        described.update(
            version=entry.version,
            corrected=entry.corrected,
            issued=timestamp(entry.issued),
            modified=timestamp(entry.modified),
        )
    document = {
        **described,
        "columns": names,
        "rows": [{name: _json_value(row[name]) for name in names} for row in table.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def rendered(table: Table, fmt: str, *, license_url: str) -> tuple[bytes, str]:
    """(the table in ``fmt`` as UTF-8 bytes, its content type)."""
    if fmt == CSV:
        return csv_text(table).encode(), "text/csv; charset=utf-8; header=present"
    if fmt == JSON:
        return json_text(table, license_url=license_url).encode(), "application/json"
    raise ValueError(f"unknown format {fmt!r}")
