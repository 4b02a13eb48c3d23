"""What the council papers' workbooks share: the workbook with its summary sheet first,
the heading of a sheet, safe sheet titles, sums and differences as formulas, the
committees' summary with the municipality's result, and how a paper prints: the print
setup (budget.xlsx.print_setup, with the sheet's name in the footer), every row with
wrapped text as high as its lines (``fit_rows``), and page breaks that keep a block of rows
(a committee's part, a goal) on one page where it fits (``keep_together``).

A paper of a period that is not published is preliminary (followup.periods.preliminary):
every sheet's heading line and every printed page's header say "PRELIMINÄR – perioden är
inte publicerad (…)", and each committee whose report finance has not approved has its
status marked "PRELIMINÄR: Utkast · sen" on its row.

Amounts are exact Decimal mkr (``mkr``), never rounded in the cell, shown with one
decimal. Text is always written with ``put_text``, so that what users typed is never a
formula. Styles, number formats and the cell helpers are budget.xlsx's.
"""

import datetime
import math
import re
import weakref
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from budget import xlsx
from budget.money import format_mkr
from budget.xlsx import (
    BOLD,
    ITALIC,
    MKR_FORMAT,
    PERCENT_FORMAT,
    SECTION_FONT,
    SHARE_FORMAT,
    TITLE_FONT,
    WRAP,
    column_total,
    difference,
    header_row,
    mkr,
    new_workbook,
    put_formula,
    put_number,
    put_text,
    total_border,
)
from followup.periods.preliminary import (
    PRELIMINARY,
    is_approved,
    is_preliminary,
    marked_status,
    preliminary_heading,
    status_text,
)
from followup.reports import actions

SUMMARY_SHEET = "Sammanfattning"
HEADER_ROW = 5
FIRST_ROW = 6
TOTAL_LABEL = "Kommunen (resultat)"
# The same row of a plan without finance lines: only the committees are added up.
COMMITTEES_TOTAL_LABEL = "Nämnderna (nettokostnad)"


def total_label(result) -> str:
    """The label of the committee table's sum row for ``result`` (MunicipalityResult)."""
    return TOTAL_LABEL if result.includes_finance else COMMITTEES_TOTAL_LABEL


SIGN_NOTE = (
    "Belopp i mkr. Avvikelse = prognos − budget: positiv är bättre än budget, negativ ett "
    "underskott."
)
# Cells hold exact amounts and the sums are formulas over them: a total shown with one
# decimal may differ by 0,1 from the sum of the rounded figures above it.
ROUNDING_NOTE = "Summorna räknas på exakta belopp; avrundningsdifferenser kan förekomma."
AMOUNTS = re.compile(r"\b(mkr|tkr)\b")
MAX_SHEET_TITLE = 31
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


class PeriodPaper:
    """What a paper of a reporting period (``period``) knows of its plan and municipality."""

    @property
    def plan(self):
        return self.period.plan

    @property
    def municipality(self):
        return self.period.plan.municipality


def paper_title(report) -> str:
    """ "Hedemora kommun – Oktober 2026": the paper's title and its summary's heading."""
    return f"{report.municipality.name} – {report.period}"


def new_paper(report) -> Workbook:
    """The paper's workbook, titled and dated; its first sheet is the summary (empty)."""
    title = paper_title(report)
    if is_preliminary(report.period):
        title = f"{PRELIMINARY}: {title}"
    wb = new_workbook(title=title, made=report.today)
    wb.active.title = SUMMARY_SHEET
    return wb


CORRECTIONS_SHEET = "Rättelser"
CORRECTION_HEADERS = ("Rättelse", "Rättad", "Av", "Skäl", "Nämnd", "Uppgift", "Före", "Efter")
CORRECTION_WIDTHS = (9, 12, 20, 40, 28, 14, 24, 24)


def corrections_sheet(wb, report, corrections) -> None:
    """A corrected paper's sheet "Rättelser", second after the summary: each correction
    since publication (followup.periods.record), who made it, when, why and what changed.
    ``corrections``: dicts with version (the record's: correction n is version n + 1), made_at (a date), made_by (a name), reason and
    changes (committee, what, old, new)."""
    ws = wb.create_sheet(CORRECTIONS_SHEET, index=1)
    sheet_heading(
        ws,
        report,
        f"Rättelser efter publiceringen – {report.period}",
        CORRECTION_WIDTHS,
        note="Rapporten är rättad efter att perioden publicerades. Varje rättelse och det "
        "den ändrade; tidigare versioner av rapporten finns kvar.",
    )
    header_row(ws, HEADER_ROW, CORRECTION_HEADERS)
    row = FIRST_ROW
    for correction in corrections:
        for change in correction["changes"]:
            values = (
                f"{correction['version'] - 1}",
                correction["made_at"].isoformat(),
                correction["made_by"],
                correction["reason"],
                change["committee"],
                change["what"],
                change["old"],
                change["new"],
            )
            for column, value in enumerate(values, start=1):
                put_text(ws, row, column, value, alignment=WRAP)
            row += 1
    finish_sheet(ws, CORRECTION_WIDTHS, freeze=f"A{FIRST_ROW}")


def finish_paper(wb, report) -> Workbook:
    """Every sheet prints with the paper's title and the sheet's name in the footer, its
    rows high enough for their wrapped text (``fit_rows``). A sheet is finished once: a
    sheet added afterwards (a corrected paper's "Rättelser") is finished alone, and rows
    fitted already (a sheet that places its page breaks by its rows' heights) are not
    fitted again."""
    for ws in wb.worksheets:
        if ws in _FINISHED:
            continue
        if ws not in _FITTED:
            fit_rows(ws)
        space_text_beside_figures(ws)
        print_setup(ws, report, paper_title(report))
        _FINISHED.add(ws)
    return wb


# The sheets whose rows are fitted (``fit_rows``) and those finished (``finish_paper``):
# a sheet is written in full before either.
_FITTED = weakref.WeakSet()
_FINISHED = weakref.WeakSet()


def paper_bytes(report, build, corrections=()) -> bytes:
    """The paper ``build(report)`` makes, as file content; ``corrections`` add the sheet
    "Rättelser" (``corrections_sheet``) to a paper corrected after publication."""
    wb = build(report)
    if corrections:
        corrections_sheet(wb, report, corrections)
        finish_paper(wb, report)
    return xlsx.workbook_bytes(wb)


def sheet_titles(names, *, taken=()) -> list[str]:
    """Sheet titles for ``names``: at most 31 characters, none of []:*?/\\, no quote at
    either end, unique (Excel compares titles without regard to case)."""
    used = {t.casefold() for t in taken}
    titles = []
    for name in names:
        clean = " ".join(FORBIDDEN_IN_TITLE.sub(" ", str(name)).split()).strip("'").strip()
        clean = clean or "Nämnd"
        if len(clean) > MAX_SHEET_TITLE:
            clean = clean[: MAX_SHEET_TITLE - 1].rstrip() + "…"
        title, n = clean, 1
        while title.casefold() in used:
            n += 1
            suffix = f" ({n})"
            title = clean[: MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
        used.add(title.casefold())
        titles.append(title)
    return titles


def sheet_heading(ws, report, title, widths, *, note=SIGN_NOTE):
    """Title, what the paper is and when it was made (in a preliminary paper first
    "PRELIMINÄR – …" and how many reports are not approved), and the note on units and
    signs; the long lines wrapped across the sheet's columns so that they print."""
    period = report.period
    put_text(ws, 1, 1, title, font=TITLE_FONT)
    if len(title) * TITLE_FONT.size / BASE_SIZE > sum(widths) * CHARACTERS_PER_WIDTH:
        # Longer than the sheet is wide: wrapped across it (fit_rows gives the height).
        ws.cell(row=1, column=1).alignment = WRAP
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    status = period.get_status_display().lower()
    demo = " Demodata: uppgifterna är påhittade." if period.demo else ""
    about = (
        f"{report.municipality.name} · {report.plan.title} · {period} ({period.content}) · "
        f"perioden är {status} · skapad {report.today.isoformat()}"
    )
    if is_preliminary(period):
        about = f"{preliminary_line(report)}. {about}"
    paragraph(ws, 2, about, widths, font=BOLD)
    rounding = f" {ROUNDING_NOTE}" if AMOUNTS.search(note) else ""
    paragraph(ws, 3, note + rounding + demo, widths, font=ITALIC)


def preliminary_line(report) -> str:
    """ "PRELIMINÄR – perioden är inte publicerad (öppen): siffrorna kan ändras; rapporten
    är inte godkänd för 8 av 9 nämnder (markerade PRELIMINÄR)"."""
    unapproved = sum(1 for row in report.rows if not is_approved(row.report))
    text = f"{preliminary_heading(report.period)}: siffrorna kan ändras"
    if unapproved:
        text += (
            f"; rapporten är inte godkänd för {unapproved} av {len(report.rows)} nämnder "
            f"(markerade {PRELIMINARY})"
        )
    return text


def paragraph(ws, row, text, widths, *, font, first_column=1):
    """``text`` wrapped across the sheet's columns (from ``first_column``), the row as high
    as its lines."""
    put_text(ws, row, first_column, text, font=font, alignment=WRAP)
    ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=len(widths))
    size = font.size if font is not None and font.size else BASE_SIZE
    lines = text_lines(text, sum(widths[first_column - 1 :]), size=size)
    if lines > 1:
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * size / BASE_SIZE * lines)


MAX_ROW_LINES = 24  # a row is at most 409 points high in Excel: longer text takes rows


def paragraphs(ws, row, text, widths, *, font=None, first_column=1) -> int:
    """A longer text, such as finance's assessment, one row per paragraph across the
    sheet's columns; a paragraph too long for one row continues on the next at a sentence
    (or word) boundary. Returns the next free row."""
    width = sum(widths[first_column - 1 :])
    for part in text_chunks(text, width):
        paragraph(ws, row, part, widths, font=font, first_column=first_column)
        row += 1
    return row


def text_chunks(text, width) -> list[str]:
    """``text``'s paragraphs, each cut where it would take more than MAX_ROW_LINES lines:
    after a sentence where one ends in time, else between words."""
    chunks = []
    for part in (p.strip() for p in str(text).splitlines()):
        current = ""
        for sentence in re.split(r"(?<=[.!?])\s+", part):
            candidate = f"{current} {sentence}".strip()
            if text_lines(candidate, width) <= MAX_ROW_LINES:
                current = candidate
                continue
            if current:
                chunks.append(current)
            current = ""
            for word in sentence.split():
                candidate = f"{current} {word}".strip()
                if current and text_lines(candidate, width) > MAX_ROW_LINES:
                    chunks.append(current)
                    candidate = word
                current = candidate
        if current:
            chunks.append(current)
    return chunks or [""]


def finish_sheet(ws, widths, *, freeze=f"B{FIRST_ROW}"):
    """The columns' widths, the frozen panes and the heading repeated on every page."""
    xlsx.set_widths(ws, widths)
    ws.freeze_panes = freeze
    ws.print_title_rows = f"1:{HEADER_ROW}"


def bold_row(ws, row, columns):
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).font = BOLD


def wrap(ws, row, columns):
    """Wrap a header row's long headers, keeping each header's alignment."""
    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        cell.alignment = Alignment(horizontal=cell.alignment.horizontal, wrap_text=True)


# Row heights and page breaks -------------------------------------------------------------
#
# openpyxl stores no row heights, and a spreadsheet program does not grow a row for its
# wrapped text when it opens a file: a long comment would be cut at one line, or print over
# the row below. So every row with wrapped text gets the height its lines need, estimated
# from the text and the width of its column (or merged columns). The estimate errs on the
# high side: words are laid out whole, and a character of text is taken as hardly narrower
# than a digit (Calibri's letters mostly are narrower).

LINE_HEIGHT = 15.0  # points: one line of 11 pt Calibri
RULED_ROW_HEIGHT = 18.0  # points: a line under a rule, with air above it
MAX_ROW_HEIGHT = 409.5  # points: the highest row a spreadsheet program keeps
BASE_SIZE = 11
# Characters of text per unit of column width (the default font's digit): measured on
# Calibri's metrics; bold letters are wider ("procentenheter" in bold needs 14 units).
CHARACTERS_PER_WIDTH = 1.08
BOLD_CHARACTERS_PER_WIDTH = 0.98
DEFAULT_WIDTH = 8.43  # Excel's width of a column that has none set
# A4 landscape in points. The rows' heights err on the high side (above), so a page is
# taken as full as its printable height allows.
PAGE_WIDTH, PAGE_HEIGHT = 841.9, 595.3


def text_lines(text, width, *, size=BASE_SIZE, bold=False) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide: its
    words laid out line by line (a word longer than a line is broken), each line break in
    the text starting a new line."""
    per_width = BOLD_CHARACTERS_PER_WIDTH if bold else CHARACTERS_PER_WIDTH
    per_line = max(1, int(width * per_width * BASE_SIZE / size))
    lines = 0
    for part in str(text).split("\n"):
        used = 0
        lines += 1
        for word in part.split():
            length = len(word)
            if used and used + 1 + length > per_line:
                lines += 1
                used = 0
            if used:
                used += 1
            while length > per_line:  # a word longer than the line is broken
                lines += 1
                length -= per_line
            used += length
    return lines


def width_for(text, *, bold=False) -> float:
    """The column width that holds ``text`` on one line (as ``text_lines`` counts)."""
    per_width = BOLD_CHARACTERS_PER_WIDTH if bold else CHARACTERS_PER_WIDTH
    return math.ceil(len(str(text)) / per_width)


def column_width(ws, column: int) -> float:
    dimension = ws.column_dimensions.get(get_column_letter(column))
    return dimension.width if dimension is not None and dimension.width else DEFAULT_WIDTH


def row_height(ws, row: int) -> float:
    """A row's printed height in points (the default line where none is set)."""
    height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
    return height or LINE_HEIGHT


class _Looks:
    """What the layout reads of a cell's style (``Look``), read once per distinct style of
    a sheet: openpyxl makes a new proxy object for every style attribute read, which for
    a paper of 40 000 cells cost more than writing them."""

    def __init__(self):
        self._seen = {}
        self._top = {}
        self._indented = {}

    @staticmethod
    def _key(cell):
        # The cell's style as openpyxl keeps it: the ids of its font, fill, border, number
        # format, protection and alignment (openpyxl 3.1's StyleArray; None: the default).
        style = cell._style
        return b"" if style is None else style.tobytes()

    def of(self, cell) -> "Look":
        key = self._key(cell)
        look = self._seen.get(key)
        if look is None:
            font, alignment, fill, border = cell.font, cell.alignment, cell.fill, cell.border
            top = border.top if border is not None else None
            look = self._seen[key] = Look(
                size=font.size or BASE_SIZE,
                bold=bool(font.b),
                wrap=bool(alignment is not None and alignment.wrap_text),
                vertical=alignment.vertical if alignment is not None else None,
                horizontal=alignment.horizontal if alignment is not None else None,
                indent=alignment.indent if alignment is not None else 0,
                filled=bool(fill is not None and fill.fill_type),
                ruled=bool(top is not None and top.style),
            )
        return look

    def align_top(self, cell) -> None:
        """A cell of a row made high for wrapped text reads from the row's top, beside the
        wrapped text; header cells (shaded) keep theirs."""
        look = self.of(cell)
        if look.filled or look.vertical is not None:
            return
        self._restyle(cell, self._top, vertical="top")

    def indent(self, cell) -> None:
        """The cell's text one indent in, left-aligned."""
        self._restyle(cell, self._indented, horizontal="left", indent=1)

    def _restyle(self, cell, done, **alignment) -> None:
        """The cell's alignment with ``alignment``: set through openpyxl for the first cell
        of each style, and the style it comes to copied to the other cells of that style
        (openpyxl looks an alignment up anew on each assignment)."""
        key = self._key(cell)
        style = done.get(key)
        if style is None:
            cell.alignment = _aligned(cell.alignment, **alignment)
            done[key] = StyleArray(cell._style)
        else:
            cell._style = StyleArray(style)


@dataclass(frozen=True)
class Look:
    size: float
    bold: bool
    wrap: bool
    vertical: str | None
    horizontal: str | None
    indent: float
    filled: bool  # shaded: a header cell
    ruled: bool  # a rule above it


def fit_rows(ws) -> None:
    """Every row with wrapped text (or a larger font) as high as its cells need; a merged
    cell's text is laid out over the merged columns. A sum under a rule gets a little air
    between the rule and its text; a row read from the top (it is high, or holds a
    wrapped text) is so in every cell: a figure at the bottom beside a text at the top
    would print off its line."""
    merged = {}
    covered = set()
    for area in ws.merged_cells.ranges:
        merged[(area.min_row, area.min_col)] = sum(
            column_width(ws, c) for c in range(area.min_col, area.max_col + 1)
        )
        covered |= {
            (r, c)
            for r in range(area.min_row, area.max_row + 1)
            for c in range(area.min_col, area.max_col + 1)
        } - {(area.min_row, area.min_col)}
    widths = {}
    looks = _Looks()
    columns = ws.max_column
    cells_at = ws._cells
    for row, cells in rows_of_cells(ws):
        needed = 0.0
        ruled = from_top = False
        for cell in cells:
            value = cell.value
            if value is None:
                continue
            look = looks.of(cell)
            ruled = ruled or look.ruled
            from_top = from_top or (not look.filled and look.vertical == "top")
            if (row, cell.column) in covered:
                continue
            lines = 1
            if look.wrap:
                width = merged.get((row, cell.column))
                if width is None:
                    if cell.column not in widths:
                        widths[cell.column] = column_width(ws, cell.column)
                    width = widths[cell.column]
                lines = text_lines(value, width, size=look.size, bold=look.bold)
            needed = max(needed, lines * LINE_HEIGHT * look.size / BASE_SIZE)
        high = needed > LINE_HEIGHT
        if high:
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, needed)
        elif ruled:
            ws.row_dimensions[row].height = RULED_ROW_HEIGHT
        if high or from_top:
            # Every cell of the row across the sheet's columns, an empty one too.
            for column in range(1, columns + 1):
                cell = cells_at.get((row, column))
                looks.align_top(ws.cell(row=row, column=column) if cell is None else cell)
    _FITTED.add(ws)


def rows_of_cells(ws) -> list[tuple[int, list]]:
    """(row, its cells in column order) for each row of the sheet that has cells, in order:
    the cells there are. ``ws.iter_rows()`` would make an empty cell at every gap of the
    sheet's rectangle, for a paper of thousands of rows most of the cost of reading it."""
    rows = {}
    for (row, _), cell in ws._cells.items():
        cells = rows.get(row)
        if cells is None:
            rows[row] = [cell]
        else:
            cells.append(cell)
    return [(row, sorted(rows[row], key=_column)) for row in sorted(rows)]


def _column(cell) -> int:
    return cell.column


def _aligned(alignment, **changes) -> Alignment:
    """``alignment`` (None: the default) with ``changes``."""
    keep = ("horizontal", "vertical", "wrap_text", "shrink_to_fit", "indent", "text_rotation")
    values = {name: getattr(alignment, name) for name in keep} if alignment else {}
    return Alignment(**{**values, **changes})


def space_text_beside_figures(ws) -> None:
    """Text right of a figure (or of a right-aligned heading) starts one indent in: a
    right-aligned "0,0" and a left-aligned "Godkänd" would otherwise print as one word
    ("0,0Godkänd"), as would the headings above them."""
    looks = _Looks()
    cells_at = ws._cells
    for row, cells in rows_of_cells(ws):
        for cell in cells:
            value = cell.value
            if not value or not isinstance(value, str) or cell.data_type == "f":
                continue
            left = cells_at.get((row, cell.column - 1))
            if left is None:  # the first column, or no cell left of it
                continue
            figure = (
                left.data_type == "f"
                or isinstance(left.value, int | float | Decimal | datetime.date)
                or looks.of(left).horizontal == "right"
            )
            if not figure:
                continue
            look = looks.of(cell)
            if look.horizontal in (None, "general", "left") and not look.indent:
                looks.indent(cell)


def printed_scale(ws, widths) -> float:
    """How much fitting the sheet to the page's width shrinks it (1: not at all)."""
    margins = ws.page_margins
    printable = PAGE_WIDTH - (margins.left + margins.right) * 72
    # A column of width w is 7w + 5 pixels wide, 0.75 points each.
    sheet = sum(7 * w + 5 for w in widths) * 0.75
    return min(1.0, printable / sheet)


def title_rows(ws) -> int:
    """The last of the rows repeated at the top of every printed page (0: none)."""
    numbers = re.findall(r"\d+", ws.print_title_rows or "")
    return int(numbers[-1]) if numbers else 0


def page_room(ws, widths) -> float:
    """The height (in the sheet's points) that one printed page holds below the rows
    repeated at the top of every page."""
    margins = ws.page_margins
    printable = PAGE_HEIGHT - (margins.top + margins.bottom) * 72
    titles = sum(row_height(ws, r) for r in range(1, title_rows(ws) + 1))
    return printable / printed_scale(ws, widths) - titles


def keep_together(ws, blocks, widths) -> list[int]:
    """Page breaks so that a block of rows (first, last) that does not fit on what is left
    of the page starts a new one, and small blocks share a page; a block longer than a page
    starts on a page of its own. Rows must have their heights (``fit_rows``) and the sheet
    its title rows (``finish_sheet``). Returns the rows that start a new page."""
    room = page_room(ws, widths)
    first_row = title_rows(ws) + 1
    used = sum(row_height(ws, r) for r in range(first_row, blocks[0][0])) if blocks else 0
    starts = []
    previous_last = None
    for first, last in blocks:
        if previous_last is not None:
            used += sum(row_height(ws, r) for r in range(previous_last + 1, first))
        height = sum(row_height(ws, r) for r in range(first, last + 1))
        if used > 0 and used + height > room:
            ws.row_breaks.append(Break(id=first - 1))
            starts.append(first)
            used = 0
        used = (used + height) % room if room > 0 else 0
        previous_last = last
    return starts


# The committees' summary -----------------------------------------------------------------

SUMMARY_HEADERS = (
    "Nämnd",
    "Budget",
    "Utfall hittills",
    "Prognos",
    "Avvikelse (prognos − budget)",
    "Förändring sedan föregående prognos",
    "Rapportens status",
    "Åtgärdsplan",
    "Åtgärdsplanen täcker av avvikelsen",
)
SUMMARY_WIDTHS = (36, 13, 13, 13, 15, 15, 24, 16, 15)


def report_status(row, today) -> str:
    """ "Godkänd", "Inlämnad (version 2) · sen", "Ingen rapport"; in a preliminary paper
    a report that is not approved reads "PRELIMINÄR: Utkast · sen", a missing one
    "PRELIMINÄR: Ej påbörjad"."""
    return marked_status(row.period, row.report, plain_report_status(row, today))


def plain_report_status(row, today) -> str:
    """ "Utkast (version 2) · sen": the report's status without the preliminary mark."""
    report = row.report
    text = status_text(row.period, report)
    if report is not None and report.version > 1:
        text += f" (version {report.version})"
    if row.late(today):
        text += " · sen"
    return text


def plan_text(row) -> str:
    if row.action_plan is not None:
        n = len(row.action_plan.measures)
        return f"{n} åtgärd" if n == 1 else f"{n} åtgärder"
    if row.deviation is not None and row.deviation < 0:
        return "Saknas"
    return "–"


def summary_sheet(ws, report, *, title=None, lines=(), after=(), note="", sources=None) -> int:
    """Every committee's budget, outcome to date, forecast and deviation, the
    municipality's total row, and the result against the budget and the surplus target.
    ``report`` has ``period``, ``today``, ``rows`` (CommitteeRow) and ``result``
    (MunicipalityResult). ``lines``, ``after`` and ``note`` add to the result section
    (``result_section``). ``sources``: committee id → key ("budget", "outcome",
    "forecast", "forecast_change") → the cell of the sheet the summary summarises
    ("'Nämnderna'!B12"); such a figure is a reference to it, not a copy. Returns the last
    row written."""
    sources = sources or {}
    period = report.period
    sheet_heading(ws, report, title or paper_title(report), SUMMARY_WIDTHS)
    header_row(ws, HEADER_ROW, SUMMARY_HEADERS, numeric=(2, 3, 4, 5, 6, 9))
    wrap(ws, HEADER_ROW, len(SUMMARY_HEADERS))
    row_number = FIRST_ROW
    for r in report.rows:
        put_text(ws, row_number, 1, r.committee.name)
        source = sources.get(r.committee.pk, {})
        for column, key, value in (
            (2, "budget", r.budget),
            (3, "outcome", r.outcome),
            (4, "forecast", r.forecast),
            (6, "forecast_change", r.forecast_change),
        ):
            put_figure(ws, row_number, column, value, source.get(key))
        put_formula(ws, row_number, 5, difference(row_number, "D", "B"), MKR_FORMAT)
        put_text(ws, row_number, 7, report_status(r, report.today), alignment=WRAP)
        put_text(ws, row_number, 8, plan_text(r))
        coverage = actions.coverage(r.action_plan, r.deviation)
        put_number(ws, row_number, 9, coverage, PERCENT_FORMAT)
        row_number += 1
    total_row = row_number
    last = total_row - 1
    put_text(ws, total_row, 1, total_label(report.result), font=BOLD)
    if report.rows:  # with no rows a sum would include its own cell
        for column, letter in ((2, "B"), (3, "C"), (5, "E"), (6, "F")):
            put_formula(ws, total_row, column, column_total(letter, FIRST_ROW, last), MKR_FORMAT)
        # As MunicipalityResult: where a committee has not forecast, its budget stands as
        # its forecast, so the result forecast is the budget plus the forecast deviations.
        put_formula(
            ws,
            total_row,
            4,
            f'=IF(COUNT(E{FIRST_ROW}:E{last})=0,"",'
            f"SUM(B{FIRST_ROW}:B{last})+SUM(E{FIRST_ROW}:E{last}))",
            MKR_FORMAT,
        )
        for column in range(2, 7):
            ws.cell(row=total_row, column=column).font = BOLD
    total_border(ws, total_row, len(SUMMARY_HEADERS))
    row_number = total_row + 1
    without = report.result.without_forecast
    if without and report.result.forecast is not None:
        names = ", ".join(c.name for c in without)
        text = f"Utan prognos räknas budgeten som prognos för: {names}."
        paragraph(ws, row_number, text, SUMMARY_WIDTHS, font=ITALIC)
        row_number += 1
    elif report.result.forecast is None:
        asks = "" if period.asks_forecast else ": perioden efterfrågar inte helårsprognos"
        put_text(ws, row_number, 1, f"Ingen prognos för perioden ännu{asks}.", font=ITALIC)
        row_number += 1
    last = result_section(
        ws,
        report.result,
        row_number + 1,
        lines=(
            (*budget_line(report.result, f"=B{total_row}"), report.result.tax_base_budget),
            (*forecast_line(report.result, f"=D{total_row}"), report.result.tax_base_forecast),
            *lines,
        ),
        deviation=f"=E{total_row}",
        note=f"{budget_note(report.result)} "
        "Resultatmålet räknas på prognosen för skatteintäkter och generella statsbidrag "
        "(budgeten där finansförvaltningen inte har prognostiserat)."
        + (f" {note}" if note else ""),
        widths=SUMMARY_WIDTHS,
        after=after,
    )
    finish_sheet(ws, SUMMARY_WIDTHS)
    return last


def put_figure(ws, row, column, kronor, source=None):
    """An amount in mkr: a reference to ``source`` (the cell of the sheet it is taken
    from) where there is one, empty where that cell is (a bare reference would show 0),
    else the figure itself."""
    if source is not None:
        return put_formula(ws, row, column, f'=IF({source}="","",{source})', MKR_FORMAT)
    return put_number(ws, row, column, mkr(kronor), MKR_FORMAT)


BUDGET_LINE = "Budget (summa av raderna)"
ADOPTED_BUDGET_LINE = "Budget (antagen, som i dokumentet)"
FORECAST_LINE = "Prognos"
ADOPTED_FORECAST_LINE = "Prognos (på antagen budget)"


def _on_adopted(result, formula) -> str:
    """``formula`` (a reference to a sum of the rows, "=D12") plus what the document's
    rounding adds to it; empty where the sum is (a period without forecast)."""
    if not result.stated_rounding:
        return formula
    cell = formula.removeprefix("=")
    # Written as its exact value, without trailing zeros ("0.1", on every database).
    return f'=IF({cell}="","",{cell}+{mkr(result.stated_rounding).normalize():f})'


def budget_line(result, formula) -> tuple[str, str]:
    """The budgeted result's line of the result section: the rows' sum, or where the
    document states a result that differs from it only by rounding, the adopted one (the
    sum plus the rounding), as MunicipalityResult.adopted_budget."""
    label = ADOPTED_BUDGET_LINE if result.stated_rounding else BUDGET_LINE
    return label, _on_adopted(result, formula)


def forecast_line(result, formula) -> tuple[str, str]:
    """The forecast's line, on the same basis (MunicipalityResult.adopted_forecast)."""
    label = ADOPTED_FORECAST_LINE if result.stated_rounding else FORECAST_LINE
    return label, _on_adopted(result, formula)


def budget_note(result) -> str:
    if not result.stated_rounding:
        return "Budgeterat resultat är summan av nämndernas och finansförvaltningens rader."
    return (
        "Budgeterat resultat är det antagna, som dokumentet anger det: summan av nämndernas "
        f"och finansförvaltningens rader plus {format_mkr(result.stated_rounding)} mkr "
        "avrundning i dokumentet; resultatmålet prövas mot det."
    )


RESULT_HEADING = "Kommunens resultat mot budget och resultatmål"
RESULT_HEADERS = (
    "Kommunens resultat",
    "Resultat",
    "Skatteintäkter och generella statsbidrag",
    "Andel",
    "Resultatmål",
    "Når målet",
)


def result_section(ws, result, start, *, lines, deviation, note, widths, after=()) -> int:
    """The municipality's result against the budgeted result and the surplus target.
    ``lines``: (label, formula of the result, tax base in kronor or None); the target is the
    tax base times the target share. ``after``: (label, formula) rows under the deviation,
    the formula given the rows of ``lines`` in order (e.g. the change since last year).
    Returns the last row written."""
    put_text(ws, start, 1, RESULT_HEADING, font=SECTION_FONT)
    share_row = start + 1
    put_text(
        ws,
        share_row,
        1,
        "Resultatmål: andel av skatteintäkter och generella statsbidrag",
        alignment=WRAP,
    )
    put_number(ws, share_row, 2, result.target_share, PERCENT_FORMAT)
    header = start + 2
    header_row(ws, header, RESULT_HEADERS, numeric=(2, 3, 4, 5))
    wrap(ws, header, len(RESULT_HEADERS))
    row = header + 1
    line_rows = []
    for label, formula, base in lines:
        line_rows.append(row)
        put_text(ws, row, 1, label)
        put_formula(ws, row, 2, formula, MKR_FORMAT)
        put_number(ws, row, 3, mkr(base), MKR_FORMAT)
        put_formula(
            ws, row, 4, f'=IF(OR(B{row}="",C{row}="",C{row}=0),"",B{row}/C{row})', SHARE_FORMAT
        )
        put_formula(
            ws, row, 5, f'=IF(OR(C{row}="",$B${share_row}=""),"",C{row}*$B${share_row})', MKR_FORMAT
        )
        verdict = put_formula(
            ws, row, 6, f'=IF(OR(B{row}="",E{row}=""),"",IF(B{row}>=E{row},"Ja","Nej"))', "General"
        )
        verdict.alignment = Alignment(horizontal="left", indent=1)  # "Ja" a step from "6,1"
        row += 1
    put_text(ws, row, 1, "Avvikelse mot budget")
    put_formula(ws, row, 2, deviation, MKR_FORMAT)
    for label, formula in after:
        row += 1
        put_text(ws, row, 1, label)
        put_formula(ws, row, 2, formula(*line_rows), MKR_FORMAT)
    total_border(ws, row, len(RESULT_HEADERS))
    paragraph(ws, row + 2, note, widths, font=ITALIC)
    return row + 2


# Printing -------------------------------------------------------------------------------


def print_setup(ws, report, title):
    """A paper's sheet prints with the paper's title and the sheet's name in the footer;
    a preliminary paper's with "PRELIMINÄR – perioden är inte publicerad (…)" as the
    header of every page."""
    xlsx.print_setup(
        ws,
        municipality=report.municipality.name,
        title=f"{title} – {ws.title}",
        made_on=report.today,
        header=preliminary_heading(report.period),
    )
