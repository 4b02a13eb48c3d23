"""The audit log as an Excel workbook: one row per entry, for finance to sort and filter.

Everything in an entry except its time is text that people or files supplied (object
names, reasons, old and new values), so every such cell is written as text: a reason
typed as "=1+1" must never become a formula. The sheet is streamed (write-only mode)
and capped at ``MAX_ROWS`` entries, with a note when the search selects more.
"""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from budget.models import AuditEntry
from budget.money import format_number
from budget.xlsx import (
    BOLD,
    DATETIME_FORMAT,
    HEADER_BORDER,
    HEADER_FILL,
    ITALIC,
    TITLE_FONT,
    cell_text,
    print_setup,
    set_widths,
)

__all__ = ["MAX_ROWS", "filename", "workbook_bytes", "write_audit_log"]

MAX_ROWS = 50_000
TITLE = "Logg över ändringar"
HEADER_ROW = 4

# (header, width, entry field) in sheet order.
COLUMNS = [
    ("Tidpunkt", 17, "at"),
    ("Utförd av", 28, "actor"),
    ("Händelse", 11, "action"),
    ("Område", 26, "area"),
    ("Väg", 24, "source"),
    ("Objekt", 44, "object_repr"),
    ("Uppgift", 22, "field"),
    ("Före", 30, "old_value"),
    ("Efter", 30, "new_value"),
    ("Motivering", 40, "reason"),
    ("Budgetår", 10, "plan__year"),
    ("Nämnd", 30, "committee__name"),
]
CHOICES = {
    "action": dict(AuditEntry.Action.choices),
    "area": dict(AuditEntry.Area.choices),
    "source": dict(AuditEntry.Source.choices),
}


def filename(day) -> str:
    return f"logg-{day:%Y-%m-%d}.xlsx"


def workbook_bytes(entries, **kwargs) -> bytes:
    buffer = BytesIO()
    write_audit_log(entries, buffer, **kwargs)
    return buffer.getvalue()


def write_audit_log(entries, fh, *, description: str, generated_at, generated_by: str) -> None:
    """Write ``entries`` (an ordered AuditEntry queryset) as a workbook to ``fh``."""
    total = entries.count()
    shown = min(total, MAX_ROWS)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Logg")
    set_widths(ws, [width for _, width, _ in COLUMNS])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    print_setup(ws, title=TITLE)

    ws.append([_text(ws, TITLE, font=TITLE_FONT)])
    ws.append([_text(ws, description)])
    when = f"{timezone.localtime(generated_at):%Y-%m-%d %H:%M}"
    note = f"Utdrag {when} av {generated_by}; {format_number(total)} {'post' if total == 1 else 'poster'}."
    if total > shown:
        note += (
            f" Bara de första {format_number(shown)} posterna i vald ordning är med;"
            " snäva in urvalet för att få med resten."
        )
    ws.append([_text(ws, note, font=ITALIC)])
    ws.append([_header(ws, header) for header, _, _ in COLUMNS])

    fields = [name for _, _, name in COLUMNS]
    for values in entries.values_list(*fields)[:shown].iterator(chunk_size=2000):
        ws.append([_cell(ws, name, value) for name, value in zip(fields, values, strict=True)])

    last_row = HEADER_ROW + max(shown, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last_row}"
    wb.save(fh)


def _cell(ws, name, value):
    if name == "at":
        cell = WriteOnlyCell(
            ws, value=timezone.localtime(value).replace(tzinfo=None, microsecond=0)
        )
        cell.number_format = DATETIME_FORMAT
        return cell
    if name == "plan__year":
        return WriteOnlyCell(ws, value=value)
    if name in CHOICES:
        value = CHOICES[name].get(value, value)
    return _text(ws, value)


def _text(ws, value, *, font=None):
    """A text cell, never a formula; characters XML cannot hold are dropped."""
    if value is None or value == "":
        return WriteOnlyCell(ws)
    cell = WriteOnlyCell(ws, value=cell_text(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _header(ws, text):
    cell = _text(ws, text, font=BOLD)
    cell.fill = HEADER_FILL
    cell.border = HEADER_BORDER
    return cell
