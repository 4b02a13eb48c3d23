"""Checks an uploaded file must pass before openpyxl reads it.

An .xlsx file is a zip archive of XML files. Before the archive is parsed we check,
from the zip directory alone: the file's size, that it is a zip at all, the number of
entries, their total uncompressed size and each entry's compression ratio (zip bombs),
and that it holds no macros (xl/vbaProject.bin) and no links to other files
(xl/externalLinks/). Then the sheets' XML is scanned, without parsing it, for the number
of cells and the rightmost column a cell names: openpyxl reads a cell in tens of
microseconds and reads every cell of a row even when only the first columns are asked
for, so a sheet without (or with a false) dimension record and one row of 16 000 cells
took a minute. openpyxl then opens it read-only, without links and with defusedxml
guarding the XML parser; sheets that claim enormous dimensions are refused, and the
reading stops when it takes longer than READ_SECONDS.
"""

import re
import time
import zipfile
import zlib
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from budget.imports.sheets import read_sheet_rows
from budget.uploads import UploadRefused, file_size, read_limited

MAX_ENTRIES = 1000
MAX_TOTAL_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024  # small entries may compress well without harm
# A sheet's rows: far above any real sheet (a committee's report template has a row per
# activity, a few hundred at most) and low enough that openpyxl never reads an absurd one.
MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_CONTENT_TYPES = 1024 * 1024
# Cells of all sheets together, and strings in the shared-string table: the budget workbook
# has about 3 000 cells, a template far fewer. Reading 50 000 takes a few seconds.
MAX_CELLS = 50_000
# The reading of the cells stops after this many seconds (the web worker's timeout is 30).
READ_SECONDS = 10
WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
SHARED_STRINGS_PART = "xl/sharedstrings.xml"
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CELL_COLUMN = re.compile(rb'\sr="([A-Z]{1,3})[0-9]+"')
# A cell with content (not "<c .../>"), its tag's prefix matched again at its end.
CELL_WITH_CONTENT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)c(?:\s[^>]*)?(?<!/)>(.*?)</\1c>", re.S)
FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
STORED_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>[^<]")

WORKBOOK_PART = "xl/workbook.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
MACRO_MARKERS = ("macroenabled", "vbaproject")


def refuse(message: str):
    raise BudgetWorkbookError([WorkbookProblem(message=message)])


def check_upload(fileobj, *, max_bytes: int) -> BytesIO:
    """The upload as an in-memory file, once it has passed every check on the archive.

    Raises BudgetWorkbookError with a Swedish message otherwise.
    """
    try:
        data = read_limited(fileobj, max_bytes=max_bytes)
    except UploadRefused as exc:
        refuse(str(exc))
    buffer = BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        refuse(
            "Filen är inte en Excel-arbetsbok (.xlsx). Spara den som Excel-arbetsbok och försök igen."
        )
    try:
        with zipfile.ZipFile(buffer) as archive:
            entries = archive.infolist()
            _check_entries(entries)
            content_types = _read_content_types(archive, entries)
            _check_cells(archive, entries)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        # The sheets are unpacked here: a broken or unknown compression shows up now.
        refuse("Filen är skadad och kan inte läsas som en Excel-arbetsbok.")
    if any(marker in content_types.lower() for marker in MACRO_MARKERS):
        refuse(
            "Arbetsboken innehåller makron (.xlsm). Spara den som en vanlig Excel-arbetsbok (.xlsx) utan makron."
        )
    buffer.seek(0)
    return buffer


def _check_entries(entries):
    if len(entries) > MAX_ENTRIES:
        refuse(f"Arbetsboken har för många delar ({len(entries)}; högst {MAX_ENTRIES}).")
    total = sum(e.file_size for e in entries)
    if total > MAX_TOTAL_UNCOMPRESSED:
        refuse(
            f"Arbetsboken är för stor uppackad ({file_size(total)}; högst "
            f"{file_size(MAX_TOTAL_UNCOMPRESSED)})."
        )
    names = set()
    for e in entries:
        name = e.filename.replace("\\", "/").lower()
        names.add(name)
        if e.file_size > RATIO_CHECK_FROM and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            refuse(
                "Arbetsboken är misstänkt packad (en del packas upp till över hundra gånger sin storlek) och läses inte."
            )
        if name.endswith("vbaproject.bin"):
            refuse(
                "Arbetsboken innehåller makron. Spara den som en vanlig Excel-arbetsbok (.xlsx) utan makron."
            )
        if name.startswith("xl/externallinks/"):
            refuse(
                "Arbetsboken innehåller länkar till andra filer. Ta bort länkarna (Data → Redigera länkar → Bryt länk) och försök igen."
            )
        if e.flag_bits & 0x1:
            refuse("Arbetsboken är krypterad. Ta bort lösenordsskyddet och försök igen.")
    if WORKBOOK_PART not in names or CONTENT_TYPES_PART.lower() not in names:
        refuse("Filen är ingen Excel-arbetsbok (.xlsx): arbetsbokens delar saknas.")


def _read_content_types(archive, entries) -> str:
    for e in entries:
        if e.filename.lower() == CONTENT_TYPES_PART.lower():
            if e.file_size > MAX_CONTENT_TYPES:
                refuse(
                    "Filen är ingen Excel-arbetsbok (.xlsx): innehållsförteckningen är orimligt stor."
                )
            return archive.read(e).decode("utf-8", "replace")
    refuse("Filen är ingen Excel-arbetsbok (.xlsx): arbetsbokens delar saknas.")


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _check_cells(archive, entries):
    """Refuses sheets with more cells, or cells further right, than a template can have.

    Counted in the XML text (its size is bounded by _check_entries), before openpyxl parses
    anything: neither the dimension record nor the cells' own places need to be true.
    """
    cells = 0
    widest = 0
    for e in entries:
        name = e.filename.replace("\\", "/").lower()
        if name == SHARED_STRINGS_PART:
            strings = len(SHARED_STRING_TAG.findall(archive.read(e)))
            if strings > MAX_CELLS:
                refuse(
                    f"Arbetsboken har för många texter ({_count(strings)}; högst "
                    f"{_count(MAX_CELLS)}). Använd mallen utan tillagda blad, rader eller "
                    "kolumner."
                )
        if not WORKSHEET_PART.fullmatch(name):
            continue
        xml = archive.read(e)
        in_sheet = len(CELL_TAG.findall(xml))
        cells += in_sheet
        if cells > MAX_CELLS:
            refuse(
                f"Arbetsboken har för många celler (över {_count(MAX_CELLS)}; mallen har "
                "långt färre). Ta bort det som lagts till utanför mallens tabeller och "
                "försök igen."
            )
        letters = CELL_COLUMN.findall(xml)
        widest = max([widest, *(column_index_from_string(c.decode()) for c in set(letters))])
        if len(letters) < in_sheet:  # cells without a place: their row's count is their width
            widest = max(widest, *(len(CELL_TAG.findall(r)) for r in ROW_TAG.split(xml)))
    if widest > MAX_COLUMNS:
        refuse(
            f"Arbetsboken har celler i kolumn {get_column_letter(widest)}; mallen har högst "
            f"{MAX_COLUMNS} kolumner (till och med {get_column_letter(MAX_COLUMNS)}). Ta bort "
            "det som står längre till höger och försök igen."
        )


class ReadingClock:
    """Refuses the workbook once its cells have been read for longer than ``seconds``."""

    def __init__(self, seconds: float | None = None):
        self.deadline = time.monotonic() + (READ_SECONDS if seconds is None else seconds)

    def check(self):
        if time.monotonic() > self.deadline:
            refuse(
                "Arbetsboken tar för lång tid att läsa. Använd mallen utan tillagda blad, "
                "rader eller kolumner och försök igen."
            )


def open_workbook(buffer, *, data_only: bool = True):
    """openpyxl's read-only workbook, after check_upload; refuses enormous sheets."""
    buffer.seek(0)
    try:
        wb = load_workbook(buffer, read_only=True, data_only=data_only, keep_links=False)
    except Exception:  # any parse failure is a file we cannot read
        refuse("Filen kunde inte läsas som en Excel-arbetsbok.")
    for ws in wb.worksheets:
        rows, columns = ws.max_row or 0, ws.max_column or 0
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            wb.close()
            refuse(
                f"Bladet ”{ws.title}” är orimligt stort ({rows} rader, {columns} kolumner; "
                f"högst {MAX_ROWS} rader och {MAX_COLUMNS} kolumner)."
            )
    return wb


def _has_uncomputed_formula(ws) -> bool:
    """Whether a cell of the read-only sheet ``ws`` has a formula without a stored value,
    seen in the sheet's XML text (its size bounded by check_upload). A sheet whose part
    cannot be named counts as having one: its formulas are then read."""
    part = getattr(ws, "_worksheet_path", None)  # openpyxl's read-only sheet knows its part
    if part is None:
        return True
    xml = ws.parent._archive.read(part)
    if FORMULA_TAG.search(xml) is None:
        return False
    return any(
        FORMULA_TAG.search(content) and not STORED_VALUE.search(content)
        for _, content in CELL_WITH_CONTENT.findall(xml)
    )


def read_named_sheets(buffer, names, *, missing, optional=()) -> dict:
    """{sheet name: rows} of the named sheets, values and formulas read together (see
    ``sheets.read_sheet_rows``), and of those ``optional`` sheets the workbook has.
    ``missing(names)`` gives the Swedish message for a workbook that lacks some of the
    named ones; a broken workbook is refused too."""
    wb = open_workbook(buffer)
    try:

        def present(name):
            return name in wb.sheetnames and isinstance(wb[name], ReadOnlyWorksheet)

        absent = [name for name in names if not present(name)]
        if absent:
            refuse(missing(absent))
        names = [*names, *(name for name in optional if present(name))]
        # The formulas are read (a second pass over the sheets) only where one lacks its
        # stored value: a workbook saved by a spreadsheet program or by this application
        # has a value beside every formula.
        formulas_wb = (
            open_workbook(buffer, data_only=False)
            if any(_has_uncomputed_formula(wb[name]) for name in names)
            else None
        )
        clock = ReadingClock()
        try:
            rows = {
                name: read_sheet_rows(
                    wb,
                    formulas_wb,
                    name,
                    max_rows=MAX_ROWS,
                    max_columns=MAX_COLUMNS,
                    on_row=clock.check,
                )
                for name in names
            }
        except BudgetWorkbookError:
            raise
        except Exception:  # the sheets' XML is parsed while reading: a broken file
            refuse("Filen kunde inte läsas som en Excel-arbetsbok; den kan vara skadad.")
        finally:
            if formulas_wb is not None:
                formulas_wb.close()
    finally:
        wb.close()
    for name, sheet_rows in rows.items():  # a sheet without stated dimensions is counted here
        if len(sheet_rows) > MAX_ROWS:
            refuse(f"Bladet ”{name}” är orimligt stort (fler än {MAX_ROWS} rader).")
    return rows
