"""The interim report (Delårsrapport) and the annual accounts (Årsbokslut) as Excel
papers: delarsrapport-2026.xlsx, arsbokslut-2026.xlsx.

Sheets (figures from ``interim_report``; see there for where each comes from):

- **Sammanfattning**: every committee's figures and the municipality's result against the
  budgeted result and the surplus target, as the month report's summary (interim report:
  forecast; annual accounts: outcome − budget).
- **Resultaträkning**, **Balansräkning**, **Kassaflödesanalys**: the plan's statement
  lines with Budget, Prognos (Utfall) and Avvikelse; subtotals are formulas over their
  component rows, empty where a component has no figure; a note column says where each
  figure comes from, and marks what is missing.
- **Balanskravsutredning**: the utredning line by line, its messages and what it rests on.
- **Investeringar**: per committee, budget, överflyttade medel, utfall and prognos.
- **Bolag**: the companies' forecasts for the period beside the document's figure.
- **Mål och indikatorer**: the inriktningsmål, their indicators with values per year and
  trend, and finance's analysis of each goal for the period.

Amounts are exact Decimal mkr, shown with one decimal; totals are formulas; text is
always text. Every sheet prints on A4 landscape, one page wide, title rows repeated.
"""

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from budget import xlsx
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    TOTAL_LABEL,
    bold_row,
    budget_line,
    budget_note,
    corrections_sheet,
    finish_paper,
    finish_sheet,
    new_paper,
    paper_title,
    paragraph,
    report_status,
    result_section,
    sheet_heading,
    summary_sheet,
    wrap,
)
from followup.papers.interim_report import InterimReport, interim_report
from followup.papers.statement_sheets import (
    REQUIREMENT_SHEET,
    STATEMENT_SHEETS,
    requirement_sheet,
    statement_sheet,
)

INVESTMENTS_SHEET = "Investeringar"
COMPANIES_SHEET = "Bolag"
GOALS_SHEET = "Mål och indikatorer"


def filename(period) -> str:
    """ "delarsrapport-2026.xlsx" or "arsbokslut-2026.xlsx"."""
    return f"{period.kind}-{period.year}.xlsx"


def workbook_bytes(period, *, today: date | None = None, corrections=()) -> bytes:
    """The paper; ``corrections`` (followup.papers.common.corrections_sheet) add the sheet
    "Rättelser" to a paper corrected after publication."""
    report = interim_report(period, today=today or timezone.localdate())
    wb = build_interim_report(report)
    if corrections:
        corrections_sheet(wb, report, corrections)
        finish_paper(wb, report)
    return xlsx.workbook_bytes(wb)


def build_interim_report(report: InterimReport) -> Workbook:
    wb = new_paper(report)
    if report.is_outcome:
        _annual_summary_sheet(wb.active, report)
    else:
        summary_sheet(wb.active, report)
    for kind, sheet_title in STATEMENT_SHEETS.items():
        statement_sheet(wb.create_sheet(sheet_title), report, kind)
    requirement_sheet(wb.create_sheet(REQUIREMENT_SHEET), report)
    _investments_sheet(wb.create_sheet(INVESTMENTS_SHEET), report)
    _companies_sheet(wb.create_sheet(COMPANIES_SHEET), report)
    _goals_sheet(wb.create_sheet(GOALS_SHEET), report)
    return finish_paper(wb, report)


# Sammanfattning, annual accounts --------------------------------------------------------

ANNUAL_HEADERS = ("Nämnd", "Budget", "Utfall", "Avvikelse (utfall − budget)", "Rapportens status")
ANNUAL_WIDTHS = (36, 14, 14, 16, 30, 14)
ANNUAL_NOTE = (
    "Belopp i mkr. Avvikelse = utfall − budget: positiv är bättre än budget, negativ ett "
    "underskott."
)


def _annual_summary_sheet(ws, report):
    """The annual accounts' summary: each committee's outcome for the year against its
    budget; the municipality's result is the outcome (``year_result``)."""
    sheet_heading(ws, report, paper_title(report), ANNUAL_WIDTHS, note=ANNUAL_NOTE)
    xlsx.header_row(ws, HEADER_ROW, ANNUAL_HEADERS, numeric=(2, 3, 4))
    wrap(ws, HEADER_ROW, len(ANNUAL_HEADERS))
    r = FIRST_ROW
    for row in report.rows:
        xlsx.put_text(ws, r, 1, row.committee.name)
        xlsx.put_number(ws, r, 2, xlsx.mkr(row.budget), xlsx.MKR_FORMAT)
        xlsx.put_number(ws, r, 3, xlsx.mkr(row.outcome), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, r, 4, xlsx.difference(r, "C", "B"), xlsx.MKR_FORMAT)
        xlsx.put_text(ws, r, 5, report_status(row, report.today))
        r += 1
    total_row, last = r, r - 1
    xlsx.put_text(ws, total_row, 1, TOTAL_LABEL, font=xlsx.BOLD)
    if report.rows:
        for column, letter in ((2, "B"), (3, "C"), (4, "D")):
            xlsx.put_formula(
                ws, total_row, column, xlsx.column_total(letter, FIRST_ROW, last), xlsx.MKR_FORMAT
            )
        bold_row(ws, total_row, 4)
    xlsx.total_border(ws, total_row, len(ANNUAL_HEADERS))
    r = total_row + 1
    without = [row.committee.name for row in report.rows if row.budget and row.outcome is None]
    if without:
        text = f"Utan utfall för året (ingår inte i utfallet): {', '.join(without)}."
        paragraph(ws, r, text, ANNUAL_WIDTHS, font=xlsx.ITALIC)
        r += 1
    result_section(
        ws,
        report.result,
        r + 1,
        lines=(
            (*budget_line(report.result, f"=B{total_row}"), report.result.tax_base_budget),
            ("Utfall", f"=C{total_row}", report.balance.year_result.tax_and_grants),
        ),
        deviation=f"=D{total_row}",
        note=f"{budget_note(report.result)} Utfallet är summan av rapporternas utfall för "
        "året. Resultatmålet för utfallet räknas på utfallet för skatteintäkter och generella "
        "statsbidrag.",
        widths=ANNUAL_WIDTHS,
    )
    finish_sheet(ws, ANNUAL_WIDTHS)


# Investeringar --------------------------------------------------------------------------

INVESTMENT_HEADERS = (
    "Nämnd",
    "Budget",
    "Överflyttade medel",
    "Budget inkl. överflyttade medel",
    "Utfall hittills",
    "Prognos",
    "Avvikelse (budget inkl. − prognos)",
    "Projekt utan prognos",
)
INVESTMENT_WIDTHS = (36, 13, 13, 15, 13, 13, 16, 40)


def _investments_sheet(ws, report):
    follow_up = report.investments
    sheet_heading(
        ws,
        report,
        f"Investeringar {follow_up.year} – {report.period}",
        INVESTMENT_WIDTHS,
        note="Bruttoutgifter i mkr, positiva som i investeringsbudgeten. Avvikelse = budget "
        "inkl. överflyttade medel − prognos: positiv är budget som inte används, negativ en "
        "överskridning. Ett projekt utan prognos räknas med budgeten som prognos.",
    )
    xlsx.header_row(ws, HEADER_ROW, INVESTMENT_HEADERS, numeric=(2, 3, 4, 5, 6, 7))
    wrap(ws, HEADER_ROW, len(INVESTMENT_HEADERS))
    r = FIRST_ROW
    for row in follow_up.committees:
        xlsx.put_text(ws, r, 1, row.committee.name, alignment=xlsx.TOP)
        xlsx.put_number(ws, r, 2, xlsx.mkr(row.budget), xlsx.MKR_FORMAT)
        xlsx.put_number(ws, r, 3, xlsx.mkr(row.carried), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, r, 4, f"=B{r}+C{r}", xlsx.MKR_FORMAT)
        xlsx.put_number(ws, r, 5, xlsx.mkr(row.outcome), xlsx.MKR_FORMAT)
        xlsx.put_number(ws, r, 6, xlsx.mkr(row.forecast), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, r, 7, f"=D{r}-F{r}", xlsx.MKR_FORMAT)
        xlsx.put_text(
            ws, r, 8, ", ".join(p.project.name for p in row.estimated), alignment=xlsx.WRAP
        )
        r += 1
    total_row, last = r, r - 1
    xlsx.put_text(ws, total_row, 1, "Summa investeringar", font=xlsx.BOLD)
    if follow_up.committees:
        for column, letter in ((2, "B"), (3, "C"), (4, "D"), (5, "E"), (6, "F"), (7, "G")):
            xlsx.put_formula(
                ws, total_row, column, xlsx.column_total(letter, FIRST_ROW, last), xlsx.MKR_FORMAT
            )
        bold_row(ws, total_row, 7)
    else:
        xlsx.put_text(ws, FIRST_ROW + 1, 1, "Planen har inga investeringar att följa upp.")
    xlsx.total_border(ws, total_row, len(INVESTMENT_HEADERS))
    finish_sheet(ws, INVESTMENT_WIDTHS)


# Bolag ----------------------------------------------------------------------------------

COMPANY_WIDTHS = (34, 16, 28, 16, 60)


def _companies_sheet(ws, report):
    period = report.period
    sheet_heading(
        ws,
        report,
        f"Bolagen – {period}",
        COMPANY_WIDTHS,
        note="Resultat i mkr; ett överskott är positivt. Bolagens prognoser registreras av "
        "ekonomiavdelningen; bredvid står den prognos som dokumentet anger.",
    )
    headers = (
        "Bolag",
        f"Enligt {report.plan.title}",
        "Källa",
        f"Prognos {period.month_name} {period.year}",
        "Kommentar",
    )
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=(2, 4))
    wrap(ws, HEADER_ROW, len(headers))
    r = FIRST_ROW
    for line in report.companies:
        stated = line.stated[-1] if line.stated else None
        xlsx.put_text(ws, r, 1, line.company.name, alignment=xlsx.TOP)
        xlsx.put_number(
            ws, r, 2, None if stated is None else xlsx.mkr(stated.amount), xlsx.MKR_FORMAT
        )
        xlsx.put_text(ws, r, 3, "" if stated is None else f"{stated.source} ({stated.year})")
        forecast = line.forecast
        xlsx.put_number(
            ws, r, 4, None if forecast is None else xlsx.mkr(forecast.result), xlsx.MKR_FORMAT
        )
        comment = (
            "Ingen prognos registrerad för perioden." if forecast is None else forecast.comment
        )
        xlsx.put_text(ws, r, 5, comment, alignment=xlsx.WRAP)
        r += 1
    if not report.companies:
        xlsx.put_text(ws, r, 1, "Budgeten har inga bolag.")
        finish_sheet(ws, COMPANY_WIDTHS)
        return
    xlsx.put_text(ws, r, 1, "Summa bolagen", font=xlsx.BOLD)
    xlsx.put_formula(
        ws, r, 2, xlsx.column_total("B", FIRST_ROW, r - 1), xlsx.MKR_FORMAT
    ).font = xlsx.BOLD
    xlsx.put_formula(
        ws, r, 4, xlsx.column_total("D", FIRST_ROW, r - 1), xlsx.MKR_FORMAT
    ).font = xlsx.BOLD
    xlsx.total_border(ws, r, len(headers))
    finish_sheet(ws, COMPANY_WIDTHS)


# Mål och indikatorer --------------------------------------------------------------------

GOAL_HEADERS = (
    "Mål och nyckeltal",
    "Utgångsvärde",
    "Utgångsår",
    "Målvärde",
    "Målår",
    "Önskad riktning",
    "Källa",
)
GOAL_WIDTHS = (60, 13, 11, 13, 11, 16, 30)
YEAR_WIDTH = 10
TREND_HEADERS = ("Trend mot föregående värde", "Mot utgångsvärdet", "Till målvärdet")
TREND_WIDTHS = (18, 18, 18)
ANALYSIS_LABEL = "Ekonomiavdelningens analys"
NO_ANALYSIS = "Ingen analys är skriven för perioden."
VALUE_FORMAT = "0.0#"


def goal_years(report) -> tuple:
    """The years with a value of any indicator, ascending: one column each."""
    return tuple(sorted({y for g in report.goals for y in g.years}))


def _goals_sheet(ws, report):
    kolada = report.municipality.kolada_id
    where = f"Kolada (kommun-id {kolada})" if kolada else "Kolada"
    years = goal_years(report)
    headers = (*GOAL_HEADERS, *(str(y) for y in years), *TREND_HEADERS)
    widths = (*GOAL_WIDTHS, *(YEAR_WIDTH for _ in years), *TREND_WIDTHS)
    sheet_heading(
        ws,
        report,
        f"Mål och indikatorer – {report.period}",
        widths,
        note="Inriktningsmålen följs upp som trend över tid, inte som årlig måluppfyllelse. "
        f"Nyckeltalens värden per år för kommunen hämtas från {where}. Trenden jämför det "
        "senaste värdet med det föregående mot den önskade riktningen; en förändring under "
        "0,5 % av utgångsvärdet räknas som oförändrad. Under varje mål står "
        "ekonomiavdelningens analys för perioden.",
    )
    first_year, first_trend = len(GOAL_HEADERS) + 1, len(GOAL_HEADERS) + len(years) + 1
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=(2, 3, 4, 5, *range(first_year, first_trend)))
    wrap(ws, HEADER_ROW, len(headers))
    column_of = {y: first_year + i for i, y in enumerate(years)}
    r = FIRST_ROW
    if not report.goals:
        xlsx.put_text(ws, r, 1, "Budgeten har inga inriktningsmål.")
    for follow_up in report.goals:
        goal = follow_up.goal
        xlsx.put_text(ws, r, 1, f"{goal.number}. {goal.title}", font=xlsx.BOLD, alignment=xlsx.WRAP)
        r += 1
        if goal.description:
            r = _merged_text(ws, r, goal.description, len(headers))
        for f in follow_up.indicators:
            indicator = f.indicator
            xlsx.put_text(ws, r, 1, indicator.name, alignment=xlsx.WRAP)
            xlsx.put_number(ws, r, 2, indicator.baseline_value, VALUE_FORMAT)
            xlsx.put_number(ws, r, 3, indicator.baseline_year, xlsx.NUMBER_FORMAT)
            xlsx.put_number(ws, r, 4, indicator.target_value, VALUE_FORMAT)
            xlsx.put_number(ws, r, 5, indicator.target_year, xlsx.NUMBER_FORMAT)
            xlsx.put_text(ws, r, 6, indicator.get_direction_display())
            xlsx.put_text(ws, r, 7, "; ".join(p for p in (indicator.source, f.source_text) if p))
            ws.cell(row=r, column=7).alignment = xlsx.WRAP
            for value in f.values:
                xlsx.put_number(ws, r, column_of[value.year], value.value, VALUE_FORMAT)
            xlsx.put_text(ws, r, first_trend, f.trend.label)
            xlsx.put_text(ws, r, first_trend + 1, f.since_baseline.label)
            xlsx.put_text(ws, r, first_trend + 2, f.remaining_shown)
            r += 1
        analysis = follow_up.analysis
        xlsx.put_text(ws, r, 1, ANALYSIS_LABEL, font=xlsx.ITALIC)
        r += 1
        r = _merged_text(ws, r, analysis.text if analysis else NO_ANALYSIS, len(headers))
        r += 1
    finish_sheet(ws, widths)


def _merged_text(ws, r, text, columns) -> int:
    """A paragraph across the sheet's columns; returns the next row."""
    xlsx.put_text(ws, r, 1, text, alignment=xlsx.WRAP)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=columns)
    lines = sum(max(1, -(-len(part) // 150)) for part in text.splitlines() or [""])
    ws.row_dimensions[r].height = 15 * lines
    return r + 1
