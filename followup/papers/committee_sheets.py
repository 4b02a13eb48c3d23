"""The sheets the council papers share: the committees' parts (sheet "Nämnderna") and the
reallocations decided (sheet "Omfördelningar").

**Nämnderna**: one part per committee, one after the other on one sheet: the committee's
name and its report's status; each activity's budget, budget to date, outcome to date,
forecast, deviations and the controller's comment (the annual accounts: budget, outcome for
the year, the latest forecast and the deviations), the committee's totals as formulas; the
report's thread; and, where the paper holds them, the action plans the committee follows,
each measure with its expected effect, responsible, date and status as of the period. The
parts share the sheet's columns and its header row, which prints at the top of every page.
Page breaks keep a part on one page where it fits, and let small parts share a page rather
than print one or two rows each (``keep_together``).

**Omfördelningar**: reallocations decided in the period (the month report: its month; the
interim report and the annual accounts: the year so far), with their lines in tkr.
"""

from django.utils import timezone
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from budget import xlsx
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    bold_row,
    finish_sheet,
    fit_rows,
    keep_together,
    plain_report_status,
    report_status,
    sheet_heading,
    text_chunks,
    wrap,
)
from followup.periods.preliminary import PRELIMINARY, is_approved, is_preliminary
from followup.reallocations.workflow import SIGN_CONVENTION, effect

COMMITTEES_SHEET = "Nämnderna"
REALLOCATIONS_SHEET = "Omfördelningar"
NO_REPORT = "Nämnden har ingen rapport för perioden."
THREAD_HEADING = "Rapportens tråd"
PLAN_HEADING = "Åtgärdsplan"
CANCELLED = "Avbruten"
MEASURES_TOTAL = "Summa, utom avbrutna åtgärder"

FORECAST_HEADERS = (
    "Verksamhet",
    "Budget",
    "Budget hittills",
    "Utfall hittills",
    "Avvikelse utfall (utfall − budget hittills)",
    "Prognos",
    "Avvikelse (prognos − budget)",
    "Kommentar",
)
FORECAST_WIDTHS = (36, 13, 13, 13, 16, 13, 15, 60)
FORECAST_NOTE = (
    "Belopp i mkr. Avvikelse utfall = utfall − budget hittills; avvikelse = prognos − "
    "budget: positiv är bättre än budget, negativ ett underskott."
)
OUTCOME_HEADERS = (
    "Verksamhet",
    "Budget",
    "Utfall",
    "Avvikelse (utfall − budget)",
    "Senaste prognos",
    "Avvikelse enligt senaste prognos",
    "Utfall − senaste prognos",
    "Kommentar",
)
OUTCOME_WIDTHS = (36, 13, 13, 15, 13, 16, 15, 60)
OUTCOME_NOTE = (
    "Belopp i mkr. Avvikelse = utfall − budget: positiv är bättre än budget, negativ ett "
    "underskott. Senaste prognos är verksamhetens prognos i den senaste rapporten före "
    "årsbokslutet."
)
# A measure's columns: the responsible person takes two of the activities' columns (C:D).
MEASURE_HEADERS = {
    1: "Åtgärd",
    2: "Förväntad effekt för året",
    3: "Ansvarig",
    5: "Klart senast",
    6: "Status",
    7: "Uppnådd effekt",
    8: "Senaste uppföljning",
}
COMMENT_COLUMN = 8


def committees_sheet(ws, report, parts, *, outcome=False, plans_in_parts=True) -> dict:
    """Every committee's part (followup.papers.committee_parts.CommitteePart), in order.
    ``outcome``: the annual accounts' columns (outcome for the year in the forecast's
    place). ``plans_in_parts``: each part holds its action plans' measures; else it
    names the plan and the sheet that lists it (the month report's "Åtgärdsplaner").
    Returns committee id → key → the cell of its part's sum ("'Nämnderna'!B12") for
    "budget", "outcome" and, with forecasts, "forecast": what the summary refers to."""
    period = report.period
    headers = OUTCOME_HEADERS if outcome else FORECAST_HEADERS
    widths = OUTCOME_WIDTHS if outcome else FORECAST_WIDTHS
    sheet_heading(
        ws,
        report,
        f"Nämndernas redovisning – {period}",
        widths,
        note=OUTCOME_NOTE if outcome else FORECAST_NOTE,
    )
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=range(2, COMMENT_COLUMN))
    wrap(ws, HEADER_ROW, len(headers))
    xlsx.set_widths(ws, widths)  # before the rows: a long text is cut to its column's width
    unapproved = unapproved_reports(report)
    blocks = []
    sums = {}
    r = FIRST_ROW
    for part in parts:
        first = r
        r, total = _part(ws, report, part, r, outcome=outcome, plans_in_parts=plans_in_parts)
        if total is not None:
            columns = SUM_COLUMNS_OUTCOME if outcome else SUM_COLUMNS_FORECAST
            sums[part.committee.pk] = {
                key: f"{xlsx.quote_sheet(ws.title)}!{letter}{total}"
                for key, letter in columns.items()
            }
        r = _plans(ws, part, r, unapproved, plans_in_parts=plans_in_parts)
        blocks.append((first, r - 1))
        r += 1
    finish_sheet(ws, widths, freeze=f"A{FIRST_ROW}")
    fit_rows(ws)
    keep_together(ws, blocks, widths)
    return sums


def unapproved_reports(report) -> dict:
    """committee id → its report's status ("utkast · sen"), for the committees whose
    report finance has not approved, in a preliminary paper (empty in a published one)."""
    if not is_preliminary(report.period):
        return {}
    return {
        row.committee.pk: plain_report_status(row, report.today).lower()
        for row in report.rows
        if not is_approved(row.report)
    }


# The columns of a part's sum row that the summary refers to.
SUM_COLUMNS_FORECAST = {"budget": "B", "outcome": "D", "forecast": "F"}
SUM_COLUMNS_OUTCOME = {"budget": "B", "outcome": "C"}


def _part(ws, report, part, r, *, outcome, plans_in_parts) -> tuple[int, int | None]:
    """The committee's name, its report's status, its activities and the thread; returns
    the next free row and the part's sum row (None without a report or activities)."""
    committee = part.committee
    xlsx.put_text(ws, r, 1, committee.name, font=xlsx.SECTION_FONT)
    r += 1
    status = f"Rapportens status: {report_status(part.row, report.today)}"
    if part.plans and not plans_in_parts:
        n = part.measures
        status += (
            f" · Åtgärdsplan: {n} {'åtgärd' if n == 1 else 'åtgärder'}, se bladet Åtgärdsplaner"
        )
    xlsx.put_text(ws, r, 1, status, alignment=xlsx.WRAP)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=COMMENT_COLUMN)
    r += 1
    figures = part.figures
    if figures is None:
        xlsx.put_text(ws, r, 1, NO_REPORT, font=xlsx.BOLD)
        return r + 1, None
    first = r
    width = ws.column_dimensions[get_column_letter(COMMENT_COLUMN)].width
    for line in figures.lines:
        r += _activity(ws, r, line, outcome=outcome, width=width)
    total, last = r, r - 1
    xlsx.put_text(ws, total, 1, f"Summa {committee.name}", font=xlsx.BOLD, alignment=xlsx.WRAP)
    if figures.lines:
        sums = ("B", "C", "E") if outcome else ("B", "C", "D", "F")
        for letter in sums:
            column = ord(letter) - ord("A") + 1
            xlsx.put_formula(
                ws, total, column, xlsx.column_total(letter, first, last), xlsx.MKR_FORMAT
            )
        # As ReportFigures: the deviations of the totals.
        for column, (minuend, subtrahend) in _deviations(outcome).items():
            xlsx.put_formula(
                ws, total, column, xlsx.difference(total, minuend, subtrahend), xlsx.MKR_FORMAT
            )
        bold_row(ws, total, COMMENT_COLUMN - 1)
    xlsx.total_border(ws, total, COMMENT_COLUMN)
    r = total + 1
    if part.notes:
        r = _thread(ws, r + 1, part.notes)
    return r, total if figures.lines else None


def long_text(ws, r, column, text, width) -> int:
    """``text`` in a wrapped cell; a text too long for one row (a row is at most 409
    points high) continues in the same column of the rows below. Returns the number of
    rows used."""
    chunks = text_chunks(text, width) if text else [""]
    for offset, chunk in enumerate(chunks):
        xlsx.put_text(ws, r + offset, column, chunk, alignment=xlsx.WRAP)
    return len(chunks)


def _deviations(outcome) -> dict:
    """column → (minuend, subtrahend) of the deviation columns."""
    if outcome:
        return {4: ("C", "B"), 6: ("E", "B"), 7: ("C", "E")}
    return {5: ("D", "C"), 7: ("F", "B")}


def _activity(ws, r, line, *, outcome, width) -> int:
    """An activity's row; returns the rows it takes (a long comment continues below)."""
    if outcome:
        amounts = {2: line.budget, 3: line.outcome, 5: line.previous_forecast}
    else:
        amounts = {2: line.budget, 3: line.budget_to_date, 4: line.outcome, 6: line.forecast}
    deviations = _deviations(outcome)
    look = _activity_look(ws, r, figures=(*amounts, *deviations))
    look.text(r, 1, line.activity.name)
    for column, amount in amounts.items():
        look.number(r, column, xlsx.mkr(amount))
    for column, (minuend, subtrahend) in deviations.items():
        look.formula(r, column, xlsx.difference(r, minuend, subtrahend))
    # As long_text: a comment too long for one row continues in the rows below.
    chunks = text_chunks(line.comment, width) if line.comment else [""]
    for offset, chunk in enumerate(chunks):
        look.text(r + offset, COMMENT_COLUMN, chunk)
    return len(chunks)


def _activity_look(ws, r, *, figures) -> xlsx.RowLook:
    """The look of the sheet's activity rows: the name and the comment wrapped, the
    figures (``figures``) in mkr, all read from the top. The sheet's first activity row
    (``r``) is styled through openpyxl; the others are made with its cells' styles
    (xlsx.RowLook), which for thousands of rows is a fraction of the cost of styling
    each cell anew."""
    look = ws.__dict__.get("_activity_look")
    if look is None:
        ws.cell(row=r, column=1).alignment = xlsx.WRAP
        for column in figures:
            cell = ws.cell(row=r, column=column)
            cell.number_format = xlsx.MKR_FORMAT
            cell.alignment = xlsx.TOP
        ws.cell(row=r, column=COMMENT_COLUMN).alignment = xlsx.WRAP
        look = xlsx.RowLook(ws, r, (1, *figures, COMMENT_COLUMN))
        ws.__dict__["_activity_look"] = look
    return look


def _thread(ws, r, notes) -> int:
    """The report's thread (followup.models.ReportNote): who, when and which version in
    the first column, the text in the comment column. Returns the next free row."""
    xlsx.put_text(ws, r, 1, THREAD_HEADING, font=xlsx.BOLD)
    for note in notes:
        r += 1
        who = (
            (note.written_by.get_full_name() or note.written_by.get_username())
            if note.written_by
            else note.author
        )
        day = timezone.localdate(note.written_at)
        xlsx.put_text(
            ws,
            r,
            1,
            f"{note.get_kind_display()} {day:%Y-%m-%d} av {who} (version {note.report_version})",
            alignment=xlsx.WRAP,
        )
        width = ws.column_dimensions[get_column_letter(COMMENT_COLUMN)].width
        r += long_text(ws, r, COMMENT_COLUMN, note.text, width) - 1
    return r + 1


def plan_heading(item, unapproved) -> str:
    """ "Åtgärdsplan upprättad mars 2026 (pågår)." with the plan's summary, and in a
    preliminary paper the mark of a committee whose report is not approved."""
    plan = item.plan
    text = f"Åtgärdsplan upprättad {item.drawn_up} ({plan.get_status_display().lower()})."
    if plan.committee_id in unapproved:
        text += (
            f" {PRELIMINARY}: nämndens rapport för perioden är inte godkänd "
            f"({unapproved[plan.committee_id]})."
        )
    return " ".join(p for p in (text, plan.summary) if p)


def _measure_header(ws, r) -> None:
    """The measures' header row, shaded like the sheet's; "Ansvarig" over columns C:D."""
    xlsx.header_row(ws, r, [""] * COMMENT_COLUMN)
    for column, header in MEASURE_HEADERS.items():
        figures = column in (2, 7)
        xlsx.put_text(ws, r, column, header, font=xlsx.BOLD).alignment = Alignment(
            horizontal="right" if figures else None, vertical="bottom", wrap_text=True
        )
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)


def measures_total(ws, r, *, first, label_column, effect_columns) -> None:
    """The row under an action plan's measures (rows ``first`` to ``r - 1``, their status in
    column F): "Summa, utom avbrutna åtgärder" and, in each of ``effect_columns``, the sum of
    that effect over the measures not cancelled, as a formula. No measures, no sums."""
    xlsx.put_text(ws, r, label_column, MEASURES_TOTAL, font=xlsx.BOLD)
    if r == first:
        return
    statuses = f"F{first}:F{r - 1}"
    for column in effect_columns:
        letter = get_column_letter(column)
        xlsx.put_formula(
            ws,
            r,
            column,
            f'=SUMIF({statuses},"<>{CANCELLED}",{letter}{first}:{letter}{r - 1})',
            xlsx.MKR_FORMAT,
        ).font = xlsx.BOLD


def _plans(ws, part, r, unapproved, *, plans_in_parts) -> int:
    """The committee's action plans, each measure as followed up by the period, and the
    sum of the expected and realised effects of the measures not cancelled."""
    if not plans_in_parts:
        return r
    for item in part.plans:
        r += 1
        xlsx.put_text(ws, r, 1, plan_heading(item, unapproved), font=xlsx.BOLD, alignment=xlsx.WRAP)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=COMMENT_COLUMN)
        r += 1
        _measure_header(ws, r)
        r += 1
        first = r
        for m in item.measures:
            measure = m.measure
            xlsx.put_text(ws, r, 1, measure.description, alignment=xlsx.WRAP)
            xlsx.put_number(
                ws, r, 2, xlsx.mkr(measure.expected_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 3, measure.responsible, alignment=xlsx.WRAP)
            ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)
            xlsx.put_number(
                ws, r, 5, measure.due_date, xlsx.DATE_FORMAT
            ).alignment = xlsx.TOP_CENTER
            xlsx.put_text(ws, r, 6, m.status_display, alignment=xlsx.WRAP)
            xlsx.put_number(
                ws, r, 7, xlsx.mkr(m.realised_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            followed = f"{m.followed_up}: {m.comment}" if m.comment else m.followed_up
            xlsx.put_text(ws, r, COMMENT_COLUMN, followed, alignment=xlsx.WRAP)
            r += 1
        measures_total(ws, r, first=first, label_column=1, effect_columns=(2, 7))
        xlsx.total_border(ws, r, COMMENT_COLUMN)
        r += 1
    return r


# Omfördelningar -------------------------------------------------------------------------

REALLOCATION_HEADERS = (
    "Ärende",
    "Beslut",
    "Nämnd",
    "Verksamhet",
    "Förändring av nettoram, tkr",
    "Innebär",
    "Kommentar",
)
REALLOCATION_WIDTHS = (10, 30, 28, 34, 15, 20, 40)
SUM_LABEL = "Summa (ska vara 0)"


def reallocations_sheet(ws, report, reallocations, *, when: str) -> None:
    """The reallocations decided ``when`` ("i oktober 2026", "januari–augusti 2026"), each
    with its lines and their sum (zero)."""
    sheet_heading(
        ws,
        report,
        f"Omfördelningar beslutade {when}",
        REALLOCATION_WIDTHS,
        note=f"Belopp i tkr. {SIGN_CONVENTION}",
    )
    xlsx.header_row(ws, HEADER_ROW, REALLOCATION_HEADERS, numeric=(5,))
    wrap(ws, HEADER_ROW, len(REALLOCATION_HEADERS))
    r = FIRST_ROW
    for reallocation in reallocations:
        xlsx.put_text(ws, r, 1, reallocation.reference, font=xlsx.BOLD)
        xlsx.put_text(ws, r, 2, reallocation.decision, font=xlsx.BOLD, alignment=xlsx.WRAP)
        heading = (
            f"{reallocation.get_kind_display()}: {reallocation.title} "
            f"({reallocation.get_status_display().lower()})"
        )
        xlsx.put_text(ws, r, 3, heading, font=xlsx.BOLD)
        r += 1
        first = r
        for line in reallocation.lines.all():
            xlsx.put_text(ws, r, 1, reallocation.reference, alignment=xlsx.TOP)
            xlsx.put_text(ws, r, 2, reallocation.decision, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, 3, line.activity.committee.name, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, 4, line.activity.name, alignment=xlsx.WRAP)
            xlsx.put_number(ws, r, 5, xlsx.tkr(line.amount), xlsx.TKR_FORMAT).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 6, effect(line), alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, 7, line.note, alignment=xlsx.WRAP)
            r += 1
        xlsx.put_text(ws, r, 4, SUM_LABEL, font=xlsx.BOLD)
        if r > first:
            # Rounded to the öre in tkr, so binary arithmetic cannot show 0,0000001.
            xlsx.put_formula(
                ws, r, 5, f"=ROUND(SUM(E{first}:E{r - 1}),5)", xlsx.TKR_FORMAT
            ).font = xlsx.BOLD
        xlsx.total_border(ws, r, len(REALLOCATION_HEADERS))
        r += 2
    finish_sheet(ws, REALLOCATION_WIDTHS, freeze=f"A{FIRST_ROW}")
