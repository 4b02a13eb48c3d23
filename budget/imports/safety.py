"""Checks an uploaded file must pass before openpyxl reads it.

An .xlsx file is a zip archive of XML files. Before the archive is parsed we check,
from the zip directory alone: the file's size, that it is a zip at all, the number of
entries, their total uncompressed size and each entry's compression ratio (zip bombs),
and that it holds no macros (xl/vbaProject.bin) and no links to other files
(xl/externalLinks/). openpyxl then opens it read-only, without links and with
defusedxml guarding the XML parser; sheets that claim enormous dimensions are refused.
"""

import zipfile
from io import BytesIO

from openpyxl import load_workbook
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
    except zipfile.BadZipFile:
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
        formulas_wb = open_workbook(buffer, data_only=False)
        try:
            rows = {
                name: read_sheet_rows(
                    wb, formulas_wb, name, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS
                )
                for name in names
            }
        except BudgetWorkbookError:
            raise
        except Exception:  # the sheets' XML is parsed while reading: a broken file
            refuse("Filen kunde inte läsas som en Excel-arbetsbok; den kan vara skadad.")
        finally:
            formulas_wb.close()
    finally:
        wb.close()
    for name, sheet_rows in rows.items():  # a sheet without stated dimensions is counted here
        if len(sheet_rows) > MAX_ROWS:
            refuse(f"Bladet ”{name}” är orimligt stort (fler än {MAX_ROWS} rader).")
    return rows
