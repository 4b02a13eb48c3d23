"""The month report (Månadsrapport) as an Excel paper for one reporting period.

Sheets:

- **Sammanfattning**: every committee's budget, outcome to date, forecast, deviation
  (forecast − budget), change since the previous forecast, the report's status and the
  action plan's coverage; the municipality's total row; under it the municipality's
  result against the budgeted result and the surplus target. Figures from
  ``period_overview`` and ``MunicipalityResult`` (as on finance's review page); every
  deviation, total and result is a formula over the rows.
- **One sheet per committee** (named by the committee's name, shortened to Excel's 31
  characters): each activity's budget, budget to date, outcome to date, outcome
  deviation, forecast, deviation and comment; the committee's totals are formulas.
- **Åtgärdsplaner**: the action plans the period follows, their measures and each
  measure's latest follow-up up to the period.
- **Omfördelningar**: reallocations decided within the period's month, with their lines.

Amounts are exact Decimal mkr (tkr for reallocations), never rounded in the cell, shown
with one decimal. Text that users typed is always text (``put_text``), never a formula.
Every sheet prints on A4 landscape, one page wide, title rows repeated, panes frozen.
"""

import re
from datetime import date, datetime, time
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from budget import money
from budget.exports.cells import (
    BOLD,
    ITALIC,
    SECTION_FONT,
    TITLE_FONT,
    TOP,
    TOTAL_BORDER,
    WRAP,
    escape_header_footer,
    header_row,
    put_formula,
    put_number,
    put_text,
)
from budget.exports.layout import MKR_FORMAT, PERCENT_FORMAT

from .. import actions
from ..models import ReportingPeriod
from ..reallocations import SIGN_CONVENTION, effect
from .month_report import MonthReport, month_report

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_SHEET = "Sammanfattning"
ACTIONS_SHEET = "Åtgärdsplaner"
REALLOCATIONS_SHEET = "Omfördelningar"
TKR_FORMAT = MKR_FORMAT  # one decimal and a thousands separator, whatever the unit
SHARE_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_ROW = 5
FIRST_ROW = 6
TOTAL_LABEL = "Kommunen (resultat)"
SIGN_NOTE = (
    "Belopp i mkr. Avvikelse = prognos − budget: positiv är bättre än budget, negativ ett "
    "underskott."
)
COMMITTEE_NOTE = (
    "Belopp i mkr. Avvikelse utfall = utfall − budget hittills; avvikelse = prognos − "
    "budget: positiv är bättre än budget, negativ ett underskott."
)
NO_REPORT = "Nämnden har ingen rapport för perioden."
NO_PLANS = "Ingen nämnd följer en åtgärdsplan under perioden."
MAX_SHEET_TITLE = 31
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def filename(period) -> str:
    """ "manadsrapport-2026-10.xlsx"."""
    return f"manadsrapport-{period.key}.xlsx"


def workbook_bytes(period, *, today: date | None = None) -> bytes:
    buffer = BytesIO()
    write_month_report(period, buffer, today=today)
    return buffer.getvalue()


def write_month_report(period, fh, *, today: date | None = None) -> None:
    """Write the period's month report to a binary file object."""
    report = month_report(period, today=today or timezone.localdate())
    build_month_report(report).save(fh)


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


def build_month_report(report: MonthReport) -> Workbook:
    period = report.period
    moment = datetime.combine(report.today, time(0, 0))
    title = f"{report.municipality.name} – {period}"
    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = "Budgetuppföljning"
    wb.properties.created = moment
    wb.properties.modified = moment
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no computed values

    summary = wb.active
    summary.title = SUMMARY_SHEET
    titles = sheet_titles(
        [r.committee.name for r in report.rows],
        taken=(SUMMARY_SHEET, ACTIONS_SHEET, REALLOCATIONS_SHEET),
    )
    _summary_sheet(summary, report)
    for row, sheet_title in zip(report.rows, titles, strict=True):
        _committee_sheet(wb.create_sheet(sheet_title), report, row)
    _actions_sheet(wb.create_sheet(ACTIONS_SHEET), report)
    _reallocations_sheet(wb.create_sheet(REALLOCATIONS_SHEET), report)
    for ws in wb.worksheets:
        _print_setup(ws, report, title)
    return wb


def mkr(kronor):
    """Kronor as exact mkr (no rounding): what the cell holds."""
    return None if kronor is None else money.kronor_to_mkr(kronor)


def tkr(kronor):
    return None if kronor is None else kronor / money.THOUSAND


def _total(letter, first, last) -> str:
    """A column's sum over the rows; empty where no row has a figure (not 0,0)."""
    cells = f"{letter}{first}:{letter}{last}"
    return f'=IF(COUNT({cells})=0,"",SUM({cells}))'


def _difference(row, minuend, subtrahend) -> str:
    """minuend − subtrahend of one row; empty where either is missing."""
    a, b = f"{minuend}{row}", f"{subtrahend}{row}"
    return f'=IF(OR({a}="",{b}=""),"",{a}-{b})'


def _heading(ws, report, title, widths, *, note=SIGN_NOTE):
    """Title, what the paper is and when it was made, and the note on units and signs;
    the long lines wrapped across the sheet's columns so that they print."""
    period = report.period
    put_text(ws, 1, 1, title, font=TITLE_FONT)
    status = period.get_status_display().lower()
    demo = " Demodata: uppgifterna är påhittade." if period.demo else ""
    about = (
        f"{report.municipality.name} · {report.plan.title} · {period} ({period.content}) · "
        f"perioden är {status} · skapad {report.today.isoformat()}"
    )
    _paragraph(ws, 2, about, widths, font=BOLD)
    _paragraph(ws, 3, note + demo, widths, font=ITALIC)


def _paragraph(ws, row, text, widths, *, font):
    put_text(ws, row, 1, text, font=font, alignment=WRAP)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = -(-len(text) // int(sum(widths) * 0.9))  # characters per line, roughly
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _wrap(ws, row, columns):
    """Wrap a header row's long headers, keeping each header's alignment."""
    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        cell.alignment = Alignment(horizontal=cell.alignment.horizontal, wrap_text=True)


def _widths(ws, widths):
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _total_border(ws, row, columns):
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).border = TOTAL_BORDER


# Sammanfattning -------------------------------------------------------------------------

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


def report_status(row, period, today) -> str:
    """ "Godkänd", "Inlämnad (version 2) · sen", "Ingen rapport"."""
    report = row.report
    text = "Ingen rapport" if report is None else report.get_status_display()
    if report is not None and report.version > 1:
        text += f" (version {report.version})"
    if period.status != ReportingPeriod.Status.PLANNED and row.late(today):
        text += " · sen"
    return text


def plan_text(row) -> str:
    if row.action_plan is not None:
        n = len(row.action_plan.measures.all())
        return f"{n} åtgärd" if n == 1 else f"{n} åtgärder"
    if row.deviation is not None and row.deviation < 0:
        return "Saknas"
    return "–"


def _summary_sheet(ws, report):
    period = report.period
    _heading(ws, report, f"{report.municipality.name} – {period}", SUMMARY_WIDTHS)
    header_row(ws, HEADER_ROW, SUMMARY_HEADERS[:6], numeric_from=2)
    header_row(ws, HEADER_ROW, SUMMARY_HEADERS[6:8], first_column=7)
    header_row(ws, HEADER_ROW, SUMMARY_HEADERS[8:], first_column=9, numeric_from=9)
    _wrap(ws, HEADER_ROW, len(SUMMARY_HEADERS))
    row_number = FIRST_ROW
    for r in report.rows:
        put_text(ws, row_number, 1, r.committee.name)
        put_number(ws, row_number, 2, mkr(r.budget), MKR_FORMAT)
        put_number(ws, row_number, 3, mkr(r.outcome), MKR_FORMAT)
        put_number(ws, row_number, 4, mkr(r.forecast), MKR_FORMAT)
        put_formula(ws, row_number, 5, _difference(row_number, "D", "B"), MKR_FORMAT)
        put_number(ws, row_number, 6, mkr(r.forecast_change), MKR_FORMAT)
        put_text(ws, row_number, 7, report_status(r, period, report.today))
        put_text(ws, row_number, 8, plan_text(r))
        coverage = actions.coverage(r.action_plan, r.deviation)
        put_number(ws, row_number, 9, coverage, PERCENT_FORMAT)
        row_number += 1
    total = row_number
    last = total - 1
    put_text(ws, total, 1, TOTAL_LABEL, font=BOLD)
    if report.rows:  # with no rows a sum would include its own cell
        for column, letter in ((2, "B"), (3, "C"), (5, "E"), (6, "F")):
            put_formula(ws, total, column, _total(letter, FIRST_ROW, last), MKR_FORMAT)
        # As MunicipalityResult: where a committee has not forecast, its budget stands as
        # its forecast, so the result forecast is the budget plus the forecast deviations.
        put_formula(
            ws,
            total,
            4,
            f'=IF(COUNT(E{FIRST_ROW}:E{last})=0,"",'
            f"SUM(B{FIRST_ROW}:B{last})+SUM(E{FIRST_ROW}:E{last}))",
            MKR_FORMAT,
        )
        for column in range(2, 7):
            ws.cell(row=total, column=column).font = BOLD
    _total_border(ws, total, len(SUMMARY_HEADERS))
    row_number = total + 1
    without = report.result.without_forecast
    if without and report.result.forecast is not None:
        names = ", ".join(c.name for c in without)
        text = f"Utan prognos räknas budgeten som prognos för: {names}."
        _paragraph(ws, row_number, text, SUMMARY_WIDTHS, font=ITALIC)
        row_number += 1
    elif report.result.forecast is None:
        asks = "" if period.asks_forecast else ": perioden efterfrågar inte helårsprognos"
        put_text(ws, row_number, 1, f"Ingen prognos för perioden ännu{asks}.", font=ITALIC)
        row_number += 1
    _result_section(ws, report, row_number + 1, total)
    _widths(ws, SUMMARY_WIDTHS)
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"1:{HEADER_ROW}"


RESULT_HEADERS = (
    "Kommunens resultat",
    "Resultat",
    "Skatteintäkter och generella statsbidrag",
    "Andel",
    "Resultatmål",
    "Når målet",
)


def _result_section(ws, report, start, total):
    """The municipality's result against the budgeted result and the surplus target: the
    results are the total row's cells, the target the tax base times the target share."""
    result = report.result
    put_text(ws, start, 1, "Kommunens resultat mot budget och resultatmål", font=SECTION_FONT)
    share_row = start + 1
    put_text(ws, share_row, 1, "Resultatmål: andel av skatteintäkter och generella statsbidrag")
    put_number(ws, share_row, 2, result.target_share, PERCENT_FORMAT)
    header = start + 2
    header_row(ws, header, RESULT_HEADERS[:5], numeric_from=2)
    header_row(ws, header, RESULT_HEADERS[5:], first_column=6)
    _wrap(ws, header, len(RESULT_HEADERS))
    lines = (
        ("Budget (summa av raderna)", f"=B{total}", result.tax_base_budget),
        ("Prognos", f"=D{total}", result.tax_base_forecast),
    )
    row = header + 1
    for label, formula, base in lines:
        put_text(ws, row, 1, label)
        put_formula(ws, row, 2, formula, MKR_FORMAT)
        put_number(ws, row, 3, mkr(base), MKR_FORMAT)
        put_formula(
            ws, row, 4, f'=IF(OR(B{row}="",C{row}="",C{row}=0),"",B{row}/C{row})', SHARE_FORMAT
        )
        put_formula(
            ws, row, 5, f'=IF(OR(C{row}="",$B${share_row}=""),"",C{row}*$B${share_row})', MKR_FORMAT
        )
        put_formula(
            ws, row, 6, f'=IF(OR(B{row}="",E{row}=""),"",IF(B{row}>=E{row},"Ja","Nej"))', "General"
        )
        row += 1
    put_text(ws, row, 1, "Avvikelse mot budget")
    put_formula(ws, row, 2, f"=E{total}", MKR_FORMAT)
    _total_border(ws, row, len(RESULT_HEADERS))
    _paragraph(
        ws,
        row + 2,
        "Budgeterat resultat är summan av nämndernas och finansförvaltningens rader. "
        "Resultatmålet räknas på prognosen för skatteintäkter och generella statsbidrag "
        "(budgeten där finansförvaltningen inte har prognostiserat).",
        SUMMARY_WIDTHS,
        font=ITALIC,
    )


# A committee's sheet --------------------------------------------------------------------

COMMITTEE_HEADERS = (
    "Verksamhet",
    "Budget",
    "Budget hittills",
    "Utfall hittills",
    "Avvikelse utfall (utfall − budget hittills)",
    "Prognos",
    "Avvikelse (prognos − budget)",
    "Kommentar",
)
COMMITTEE_WIDTHS = (36, 13, 13, 13, 16, 13, 15, 60)


def _committee_sheet(ws, report, row):
    committee, period = row.committee, report.period
    figures = report.figures.get(committee.pk)
    _heading(
        ws,
        report,
        f"{committee.name} – {period}",
        COMMITTEE_WIDTHS,
        note=COMMITTEE_NOTE,
    )
    _widths(ws, COMMITTEE_WIDTHS)
    ws.print_title_rows = f"1:{HEADER_ROW}"
    if figures is None:
        put_text(ws, HEADER_ROW, 1, NO_REPORT, font=BOLD)
        ws.freeze_panes = "A4"
        return
    put_text(ws, 4, 1, f"Rapportens status: {report_status(row, period, report.today)}")
    header_row(ws, HEADER_ROW, COMMITTEE_HEADERS[:7], numeric_from=2)
    header_row(ws, HEADER_ROW, COMMITTEE_HEADERS[7:], first_column=8)
    _wrap(ws, HEADER_ROW, len(COMMITTEE_HEADERS))
    r = FIRST_ROW
    for line in figures.lines:
        put_text(ws, r, 1, line.activity.name, alignment=TOP)
        put_number(ws, r, 2, mkr(line.budget), MKR_FORMAT).alignment = TOP
        put_number(ws, r, 3, mkr(line.budget_to_date), MKR_FORMAT).alignment = TOP
        put_number(ws, r, 4, mkr(line.outcome), MKR_FORMAT).alignment = TOP
        put_formula(ws, r, 5, _difference(r, "D", "C"), MKR_FORMAT).alignment = TOP
        put_number(ws, r, 6, mkr(line.forecast), MKR_FORMAT).alignment = TOP
        put_formula(ws, r, 7, _difference(r, "F", "B"), MKR_FORMAT).alignment = TOP
        put_text(ws, r, 8, line.comment, alignment=WRAP)
        r += 1
    total, last = r, r - 1
    put_text(ws, total, 1, f"Summa {committee.name}", font=BOLD)
    if figures.lines:
        for column, letter in ((2, "B"), (3, "C"), (4, "D"), (6, "F")):
            put_formula(ws, total, column, _total(letter, FIRST_ROW, last), MKR_FORMAT)
        # As ReportFigures: the deviations of the totals.
        put_formula(ws, total, 5, _difference(total, "D", "C"), MKR_FORMAT)
        put_formula(ws, total, 7, _difference(total, "F", "B"), MKR_FORMAT)
        for column in range(2, 8):
            ws.cell(row=total, column=column).font = BOLD
    _total_border(ws, total, len(COMMITTEE_HEADERS))
    ws.freeze_panes = f"B{FIRST_ROW}"


# Åtgärdsplaner --------------------------------------------------------------------------

ACTION_HEADERS = (
    "Nämnd",
    "Åtgärd",
    "Förväntad effekt för året",
    "Ansvarig",
    "Klart senast",
    "Status",
    "Uppnådd effekt",
    "Kommentar vid senaste uppföljning",
    "Senast uppföljd",
)
ACTION_WIDTHS = (28, 44, 13, 24, 12, 12, 13, 44, 16)
CANCELLED = "Avbruten"


def _actions_sheet(ws, report):
    period = report.period
    _heading(
        ws,
        report,
        f"Åtgärdsplaner – {period}",
        ACTION_WIDTHS,
        note="Effekter i mkr för året. Status, uppnådd effekt och kommentar enligt den "
        f"senaste uppföljningen till och med {period.month_name} {period.year}.",
    )
    header_row(ws, HEADER_ROW, ACTION_HEADERS[:2])
    header_row(ws, HEADER_ROW, ACTION_HEADERS[2:3], first_column=3, numeric_from=3)
    header_row(ws, HEADER_ROW, ACTION_HEADERS[3:6], first_column=4)
    header_row(ws, HEADER_ROW, ACTION_HEADERS[6:7], first_column=7, numeric_from=7)
    header_row(ws, HEADER_ROW, ACTION_HEADERS[7:], first_column=8)
    _wrap(ws, HEADER_ROW, len(ACTION_HEADERS))
    _widths(ws, ACTION_WIDTHS)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"1:{HEADER_ROW}"
    r = FIRST_ROW
    if not report.action_plans:
        put_text(ws, r, 1, NO_PLANS)
    for item in report.action_plans:
        plan = item.plan
        put_text(ws, r, 1, plan.committee.name, font=BOLD, alignment=TOP)
        drawn_up = f"{plan.period.month_name} {plan.period.year}"
        text = f"Åtgärdsplan upprättad {drawn_up} ({plan.get_status_display().lower()})."
        put_text(
            ws, r, 2, " ".join(p for p in (text, plan.summary) if p), font=BOLD, alignment=WRAP
        )
        r += 1
        first = r
        for m in item.measures:
            measure, follow_up = m.measure, m.follow_up
            put_text(ws, r, 1, plan.committee.name, alignment=TOP)
            put_text(ws, r, 2, measure.description, alignment=WRAP)
            put_number(ws, r, 3, mkr(measure.expected_effect), MKR_FORMAT).alignment = TOP
            put_text(ws, r, 4, measure.responsible, alignment=TOP)
            put_number(ws, r, 5, measure.due_date, DATE_FORMAT).alignment = TOP
            put_text(ws, r, 6, m.status_display, alignment=TOP)
            put_number(ws, r, 7, mkr(m.realised_effect), MKR_FORMAT).alignment = TOP
            put_text(ws, r, 8, m.comment, alignment=WRAP)
            when = (
                ""
                if follow_up is None
                else f"{follow_up.period.month_name} {follow_up.period.year}"
            )
            put_text(ws, r, 9, when, alignment=TOP)
            r += 1
        put_text(ws, r, 2, "Summa, utom avbrutna åtgärder", font=BOLD)
        if item.measures:
            last = r - 1
            cells = f"F{first}:F{last}"
            put_formula(
                ws, r, 3, f'=SUMIF({cells},"<>{CANCELLED}",C{first}:C{last})', MKR_FORMAT
            ).font = BOLD
            put_formula(
                ws, r, 7, f'=SUMIF({cells},"<>{CANCELLED}",G{first}:G{last})', MKR_FORMAT
            ).font = BOLD
        _total_border(ws, r, len(ACTION_HEADERS))
        r += 2


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


def _reallocations_sheet(ws, report):
    period = report.period
    month = f"{period.month_name} {period.year}"
    _heading(
        ws,
        report,
        f"Omfördelningar beslutade i {month}",
        REALLOCATION_WIDTHS,
        note=f"Belopp i tkr. {SIGN_CONVENTION}",
    )
    header_row(ws, HEADER_ROW, REALLOCATION_HEADERS[:4])
    header_row(ws, HEADER_ROW, REALLOCATION_HEADERS[4:5], first_column=5, numeric_from=5)
    header_row(ws, HEADER_ROW, REALLOCATION_HEADERS[5:], first_column=6)
    _wrap(ws, HEADER_ROW, len(REALLOCATION_HEADERS))
    _widths(ws, REALLOCATION_WIDTHS)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"1:{HEADER_ROW}"
    r = FIRST_ROW
    if not report.reallocations:
        put_text(ws, r, 1, f"Inga budgetomfördelningar beslutades i {month}.")
    for reallocation in report.reallocations:
        put_text(ws, r, 1, reallocation.reference, font=BOLD)
        put_text(ws, r, 2, reallocation.decision, font=BOLD)
        heading = (
            f"{reallocation.get_kind_display()}: {reallocation.title} "
            f"({reallocation.get_status_display().lower()})"
        )
        put_text(ws, r, 3, heading, font=BOLD)
        r += 1
        first = r
        for line in reallocation.lines.all():
            put_text(ws, r, 1, reallocation.reference, alignment=TOP)
            put_text(ws, r, 2, reallocation.decision, alignment=TOP)
            put_text(ws, r, 3, line.activity.committee.name, alignment=TOP)
            put_text(ws, r, 4, line.activity.name, alignment=TOP)
            put_number(ws, r, 5, tkr(line.amount), TKR_FORMAT).alignment = TOP
            put_text(ws, r, 6, effect(line), alignment=TOP)
            put_text(ws, r, 7, line.note, alignment=WRAP)
            r += 1
        put_text(ws, r, 4, SUM_LABEL, font=BOLD)
        if r > first:
            # Rounded to the öre in tkr, so binary arithmetic cannot show 0,0000001.
            put_formula(ws, r, 5, f"=ROUND(SUM(E{first}:E{r - 1}),5)", TKR_FORMAT).font = BOLD
        _total_border(ws, r, len(REALLOCATION_HEADERS))
        r += 2


# Printing -------------------------------------------------------------------------------


def _print_setup(ws, report, title):
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer = ws.oddFooter
    footer.left.text = escape_header_footer(report.municipality.name)
    footer.center.text = escape_header_footer(f"{title} – {ws.title}")
    footer.right.text = (
        escape_header_footer(f"Skapad {report.today.isoformat()}") + " · Sida &P av &N"
    )
    for part in (footer.left, footer.center, footer.right):
        part.size = 8
