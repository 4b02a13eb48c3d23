"""The month report (Månadsrapport) as an Excel paper for one reporting period.

Sheets:

- **Sammanfattning**: every committee's budget, outcome to date, forecast, deviation
  (forecast − budget), change since the previous forecast, the report's status and the
  action plan's coverage; the municipality's total row; under it the municipality's
  result against the budgeted result and the surplus target. Figures from
  ``period_overview`` and ``MunicipalityResult`` (as on finance's review page); every
  deviation, total and result is a formula over the rows.
- **Nämnderna**: a part per committee (followup.papers.committee_sheets): each activity's
  budget, budget to date, outcome to date, outcome deviation, forecast, deviation and
  comment, the committee's totals as formulas, and the report's thread. Small parts share
  a page; a part that does not fit on what is left of a page starts a new one.
- **Åtgärdsplaner**: the action plans the period follows, their measures and each
  measure's latest follow-up up to the period.
- **Omfördelningar**: reallocations decided within the period's month, with their lines.

A sheet that would hold nothing (no plan followed, no reallocation decided) is left out and
the summary says so, rather than printing a page with one line.

Amounts are exact Decimal mkr (tkr for reallocations), never rounded in the cell, shown
with one decimal. Text that users typed is always text (``put_text``), never a formula.
Every sheet prints on A4 landscape, one page wide, title rows repeated, panes frozen, its
rows as high as their wrapped text.
"""

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from budget import xlsx
from followup.papers.committee_sheets import (
    COMMITTEES_SHEET,
    NO_REPORT,
    REALLOCATIONS_SHEET,
    THREAD_HEADING,
    committees_sheet,
    measures_total,
    plan_heading,
    reallocations_sheet,
    unapproved_reports,
)
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    SIGN_NOTE,
    SUMMARY_SHEET,
    SUMMARY_WIDTHS,
    TOTAL_LABEL,
    finish_paper,
    finish_sheet,
    new_paper,
    paper_bytes,
    paragraph,
    sheet_heading,
    sheet_titles,
    summary_sheet,
    wrap,
)
from followup.papers.month_report import MonthReport, month_report

__all__ = [
    "ACTIONS_SHEET",
    "COMMITTEES_SHEET",
    "FIRST_ROW",
    "NO_REPORT",
    "REALLOCATIONS_SHEET",
    "SIGN_NOTE",
    "SUMMARY_SHEET",
    "THREAD_HEADING",
    "TOTAL_LABEL",
    "build_month_report",
    "filename",
    "sheet_titles",
    "workbook_bytes",
]

ACTIONS_SHEET = "Åtgärdsplaner"
NO_PLANS = "Ingen nämnd följer en åtgärdsplan under perioden."


def filename(period) -> str:
    """ "manadsrapport-2026-10.xlsx"."""
    return f"manadsrapport-{period.key}.xlsx"


def workbook_bytes(period, *, today: date | None = None, corrections=()) -> bytes:
    """The paper; ``corrections`` (followup.papers.common.corrections_sheet) add the sheet
    "Rättelser" to a paper corrected after publication."""
    report = month_report(period, today=today or timezone.localdate())
    return paper_bytes(report, build_month_report, corrections)


def no_reallocations(period) -> str:
    return f"Inga budgetomfördelningar beslutades i {period.month_name} {period.year}."


def build_month_report(report: MonthReport) -> Workbook:
    wb = new_paper(report)
    period = report.period
    committees = wb.create_sheet(COMMITTEES_SHEET)
    sums = committees_sheet(committees, report, report.parts, plans_in_parts=False)
    last = summary_sheet(wb.active, report, sources=sums)
    absent = []
    if not report.action_plans:
        absent.append(NO_PLANS)
    if not report.reallocations:
        absent.append(no_reallocations(period))
    for offset, text in enumerate(absent, start=2):
        paragraph(wb.active, last + offset, text, SUMMARY_WIDTHS, font=xlsx.ITALIC)
    if report.action_plans:
        _actions_sheet(wb.create_sheet(ACTIONS_SHEET), report)
    if report.reallocations:
        reallocations_sheet(
            wb.create_sheet(REALLOCATIONS_SHEET),
            report,
            report.reallocations,
            when=f"i {period.month_name} {period.year}",
        )
    return finish_paper(wb, report)


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
    unapproved = unapproved_reports(report)
    for item in report.action_plans:
        plan = item.plan
        xlsx.put_text(ws, r, 1, plan.committee.name, font=xlsx.BOLD, alignment=xlsx.WRAP)
        xlsx.put_text(ws, r, 2, plan_heading(item, unapproved), font=xlsx.BOLD, alignment=xlsx.WRAP)
        r += 1
        first = r
        for m in item.measures:
            measure = m.measure
            xlsx.put_text(ws, r, 1, plan.committee.name, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, 2, measure.description, alignment=xlsx.WRAP)
            xlsx.put_number(
                ws, r, 3, xlsx.mkr(measure.expected_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 4, measure.responsible, alignment=xlsx.WRAP)
            xlsx.put_number(
                ws, r, 5, measure.due_date, xlsx.DATE_FORMAT
            ).alignment = xlsx.TOP_CENTER
            xlsx.put_text(ws, r, 6, m.status_display, alignment=xlsx.TOP)
            xlsx.put_number(
                ws, r, 7, xlsx.mkr(m.realised_effect), xlsx.MKR_FORMAT
            ).alignment = xlsx.TOP
            xlsx.put_text(ws, r, 8, m.comment, alignment=xlsx.WRAP)
            xlsx.put_text(ws, r, 9, m.followed_up, alignment=xlsx.TOP)
            r += 1
        measures_total(ws, r, first=first, label_column=2, effect_columns=(3, 7))
        xlsx.total_border(ws, r, len(ACTION_HEADERS))
        r += 2
