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

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from budget import xlsx
from followup.models import ReportNote
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    SIGN_NOTE,
    SUMMARY_SHEET,
    TOTAL_LABEL,
    corrections_sheet,
    finish_paper,
    finish_sheet,
    new_paper,
    plain_report_status,
    report_status,
    sheet_heading,
    sheet_titles,
    summary_sheet,
    wrap,
)
from followup.papers.month_report import MonthReport, month_report
from followup.periods.preliminary import PRELIMINARY, is_approved, is_preliminary
from followup.reallocations.workflow import SIGN_CONVENTION, effect

__all__ = [
    "FIRST_ROW",
    "SIGN_NOTE",
    "SUMMARY_SHEET",
    "TOTAL_LABEL",
    "build_month_report",
    "filename",
    "sheet_titles",
    "workbook_bytes",
]

ACTIONS_SHEET = "Åtgärdsplaner"
REALLOCATIONS_SHEET = "Omfördelningar"
COMMITTEE_NOTE = (
    "Belopp i mkr. Avvikelse utfall = utfall − budget hittills; avvikelse = prognos − "
    "budget: positiv är bättre än budget, negativ ett underskott."
)
NO_REPORT = "Nämnden har ingen rapport för perioden."
NO_PLANS = "Ingen nämnd följer en åtgärdsplan under perioden."


def filename(period) -> str:
    """ "manadsrapport-2026-10.xlsx"."""
    return f"manadsrapport-{period.key}.xlsx"


def workbook_bytes(period, *, today: date | None = None, corrections=()) -> bytes:
    """The paper; ``corrections`` (followup.papers.common.corrections_sheet) add the sheet
    "Rättelser" to a paper corrected after publication."""
    report = month_report(period, today=today or timezone.localdate())
    wb = build_month_report(report)
    if corrections:
        corrections_sheet(wb, report, corrections)
        finish_paper(wb, report)
    return xlsx.workbook_bytes(wb)


def build_month_report(report: MonthReport) -> Workbook:
    wb = new_paper(report)
    titles = sheet_titles(
        [r.committee.name for r in report.rows],
        taken=(SUMMARY_SHEET, ACTIONS_SHEET, REALLOCATIONS_SHEET),
    )
    summary_sheet(wb.active, report)
    threads = {}
    for note in ReportNote.objects.thread(
        period=report.period, committees=[row.committee for row in report.rows]
    ):
        threads.setdefault(note.report.committee_id, []).append(note)
    for row, sheet_title in zip(report.rows, titles, strict=True):
        sheet = wb.create_sheet(sheet_title)
        _committee_sheet(sheet, report, row)
        _thread(sheet, threads.get(row.committee.pk, []))
    _actions_sheet(wb.create_sheet(ACTIONS_SHEET), report)
    _reallocations_sheet(wb.create_sheet(REALLOCATIONS_SHEET), report)
    return finish_paper(wb, report)


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
    sheet_heading(
        ws,
        report,
        f"{committee.name} – {period}",
        COMMITTEE_WIDTHS,
        note=COMMITTEE_NOTE,
    )
    xlsx.put_text(ws, 4, 1, f"Rapportens status: {report_status(row, report.today)}")
    if figures is None:
        xlsx.put_text(ws, HEADER_ROW, 1, NO_REPORT, font=xlsx.BOLD)
        finish_sheet(ws, COMMITTEE_WIDTHS, freeze="A4")
        return
    xlsx.header_row(ws, HEADER_ROW, COMMITTEE_HEADERS, numeric=(2, 3, 4, 5, 6, 7))
    wrap(ws, HEADER_ROW, len(COMMITTEE_HEADERS))
    r = FIRST_ROW
    for line in figures.lines:
        xlsx.put_text(ws, r, 1, line.activity.name, alignment=xlsx.TOP)
        xlsx.put_number(ws, r, 2, xlsx.mkr(line.budget), xlsx.MKR_FORMAT).alignment = xlsx.TOP
        xlsx.put_number(
            ws, r, 3, xlsx.mkr(line.budget_to_date), xlsx.MKR_FORMAT
        ).alignment = xlsx.TOP
        xlsx.put_number(ws, r, 4, xlsx.mkr(line.outcome), xlsx.MKR_FORMAT).alignment = xlsx.TOP
        xlsx.put_formula(
            ws, r, 5, xlsx.difference(r, "D", "C"), xlsx.MKR_FORMAT
        ).alignment = xlsx.TOP
        xlsx.put_number(ws, r, 6, xlsx.mkr(line.forecast), xlsx.MKR_FORMAT).alignment = xlsx.TOP
        xlsx.put_formula(
            ws, r, 7, xlsx.difference(r, "F", "B"), xlsx.MKR_FORMAT
        ).alignment = xlsx.TOP
        xlsx.put_text(ws, r, 8, line.comment, alignment=xlsx.WRAP)
        r += 1
    total, last = r, r - 1
    xlsx.put_text(ws, total, 1, f"Summa {committee.name}", font=xlsx.BOLD)
    if figures.lines:
        for column, letter in ((2, "B"), (3, "C"), (4, "D"), (6, "F")):
            xlsx.put_formula(
                ws, total, column, xlsx.column_total(letter, FIRST_ROW, last), xlsx.MKR_FORMAT
            )
        # As ReportFigures: the deviations of the totals.
        xlsx.put_formula(ws, total, 5, xlsx.difference(total, "D", "C"), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, total, 7, xlsx.difference(total, "F", "B"), xlsx.MKR_FORMAT)
        for column in range(2, 8):
            ws.cell(row=total, column=column).font = xlsx.BOLD
    xlsx.total_border(ws, total, len(COMMITTEE_HEADERS))
    finish_sheet(ws, COMMITTEE_WIDTHS)


THREAD_HEADING = "Rapportens tråd"


def _thread(ws, notes) -> None:
    """The report's thread (followup.models.ReportNote) under the committee's figures: who,
    when, which version in the first column, the text in the comment column."""
    if not notes:
        return
    r = ws.max_row + 2
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
        xlsx.put_text(ws, r, len(COMMITTEE_HEADERS), note.text, alignment=xlsx.WRAP)


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
    sheet_heading(
        ws,
        report,
        f"Åtgärdsplaner – {period}",
        ACTION_WIDTHS,
        note="Effekter i mkr för året. Status, uppnådd effekt och kommentar enligt den "
        f"senaste uppföljningen till och med {period.month_name} {period.year}.",
    )
    xlsx.header_row(ws, HEADER_ROW, ACTION_HEADERS, numeric=(3, 7))
    wrap(ws, HEADER_ROW, len(ACTION_HEADERS))
    finish_sheet(ws, ACTION_WIDTHS, freeze=f"A{FIRST_ROW}")
    r = FIRST_ROW
    if not report.action_plans:
        xlsx.put_text(ws, r, 1, NO_PLANS)
    # In a preliminary paper: the plans whose committee's report is not approved, marked.
    unapproved = {
        row.committee.pk: plain_report_status(row, report.today).lower()
        for row in report.rows
        if is_preliminary(period) and not is_approved(row.report)
    }
    for item in report.action_plans:
        plan = item.plan
        xlsx.put_text(ws, r, 1, plan.committee.name, font=xlsx.BOLD, alignment=xlsx.TOP)
        drawn_up = f"{plan.period.month_name} {plan.period.year}"
        text = f"Åtgärdsplan upprättad {drawn_up} ({plan.get_status_display().lower()})."
        if plan.committee_id in unapproved:
            text += (
                f" {PRELIMINARY}: nämndens rapport för perioden är inte godkänd "
                f"({unapproved[plan.committee_id]})."
            )
        xlsx.put_text(
            ws,
            r,
            2,
            " ".join(p for p in (text, plan.summary) if p),
            font=xlsx.BOLD,
            alignment=xlsx.WRAP,
        )
        r += 1
        first = r
        for m in item.measures:
            measure, follow_up = m.measure, m.follow_up
            xlsx.put_text(ws, r, 1, plan.committee.name, alignment=xlsx.TOP)
            xlsx.put_text(ws, r, 2, measure.description, alignment=xlsx.WRAP)
            xlsx.put_number(
                ws, r, 3, xlsx.mkr(measure.expected_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 4, measure.responsible, alignment=xlsx.TOP)
            xlsx.put_number(ws, r, 5, measure.due_date, xlsx.DATE_FORMAT).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 6, m.status_display, alignment=xlsx.TOP)
            xlsx.put_number(
                ws, r, 7, xlsx.mkr(m.realised_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 8, m.comment, alignment=xlsx.WRAP)
            when = (
                ""
                if follow_up is None
                else f"{follow_up.period.month_name} {follow_up.period.year}"
            )
            xlsx.put_text(ws, r, 9, when, alignment=xlsx.TOP)
            r += 1
        xlsx.put_text(ws, r, 2, "Summa, utom avbrutna åtgärder", font=xlsx.BOLD)
        if item.measures:
            last = r - 1
            cells = f"F{first}:F{last}"
            xlsx.put_formula(
                ws, r, 3, f'=SUMIF({cells},"<>{CANCELLED}",C{first}:C{last})', xlsx.MKR_FORMAT
            ).font = xlsx.BOLD
            xlsx.put_formula(
                ws, r, 7, f'=SUMIF({cells},"<>{CANCELLED}",G{first}:G{last})', xlsx.MKR_FORMAT
            ).font = xlsx.BOLD
        xlsx.total_border(ws, r, len(ACTION_HEADERS))
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
    sheet_heading(
        ws,
        report,
        f"Omfördelningar beslutade i {month}",
        REALLOCATION_WIDTHS,
        note=f"Belopp i tkr. {SIGN_CONVENTION}",
    )
    xlsx.header_row(ws, HEADER_ROW, REALLOCATION_HEADERS, numeric=(5,))
    wrap(ws, HEADER_ROW, len(REALLOCATION_HEADERS))
    finish_sheet(ws, REALLOCATION_WIDTHS, freeze=f"A{FIRST_ROW}")
    r = FIRST_ROW
    if not report.reallocations:
        xlsx.put_text(ws, r, 1, f"Inga budgetomfördelningar beslutades i {month}.")
    for reallocation in report.reallocations:
        xlsx.put_text(ws, r, 1, reallocation.reference, font=xlsx.BOLD)
        xlsx.put_text(ws, r, 2, reallocation.decision, font=xlsx.BOLD)
        heading = (
            f"{reallocation.get_kind_display()}: {reallocation.title} "
            f"({reallocation.get_status_display().lower()})"
        )
        xlsx.put_text(ws, r, 3, heading, font=xlsx.BOLD)
        r += 1
        first = r
        for line in reallocation.lines.all():
            xlsx.put_text(ws, r, 1, reallocation.reference, alignment=xlsx.TOP)
            xlsx.put_text(ws, r, 2, reallocation.decision, alignment=xlsx.TOP)
            xlsx.put_text(ws, r, 3, line.activity.committee.name, alignment=xlsx.TOP)
            xlsx.put_text(ws, r, 4, line.activity.name, alignment=xlsx.TOP)
            xlsx.put_number(ws, r, 5, xlsx.tkr(line.amount), xlsx.TKR_FORMAT).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 6, effect(line), alignment=xlsx.TOP)
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
