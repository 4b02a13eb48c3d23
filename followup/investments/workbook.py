"""The investment follow-up as an Excel workbook: a committee summary and the projects.

"Projekt" holds each project's figures once (tkr); "Nämnder" adds them up per committee
with SUMIF formulas (mkr, as the document's Investeringsbudget), so a figure changed on
the projects sheet carries through. Budget incl. carry-over, deviation and every total
are formulas too. The adopted plan years and adopted budget are the plan's figures.
Both sheets print on A4 landscape, one page wide.
"""

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from budget import xlsx

SUMMARY_SHEET = "Nämnder"
PROJECTS_SHEET = "Projekt"
HEADER_ROW = 4
FIRST_ROW = 5
SIGN_NOTE = (
    "Avvikelse = budget inkl. överflyttade medel − prognos: positiv avvikelse är budget som "
    "inte används, negativ är överskridande."
)


def filename(follow_up) -> str:
    return f"investeringsuppfoljning-{follow_up.year}.xlsx"


def workbook_bytes(follow_up) -> bytes:
    return xlsx.workbook_bytes(build(follow_up))


def _period_text(follow_up) -> str:
    period = follow_up.period
    if period is None:
        return "Ingen prognos ännu: budgeten står för prognosen."
    return f"Prognos och utfall enligt {period.get_kind_display().lower()} {period.month_name} {period.year}."


def build(follow_up) -> Workbook:
    title = f"{follow_up.plan.municipality} – investeringsuppföljning {follow_up.year}"
    wb = xlsx.new_workbook(title=title, made=xlsx.made_at())
    summary = wb.active
    summary.title = SUMMARY_SHEET
    projects = wb.create_sheet(PROJECTS_SHEET)
    columns = _write_projects(projects, follow_up)
    _write_summary(summary, follow_up, columns)
    for ws in (summary, projects):
        _page_setup(ws, follow_up)
    return wb


# Projects (tkr) -------------------------------------------------------------------

PROJECT_HEADERS = [
    ("Nämnd", 30),
    ("Projektnr", 12),
    ("Projekt", 36),
    ("Status", 11),
    ("Total budget", 13),
    ("Budget {year}", 13),
    ("Överflyttade medel", 13),
    ("Budget inkl. överflyttade medel", 15),
    ("Utfall hittills", 13),
    ("Prognos", 13),
    ("Prognosen avser", 16),
    ("Avvikelse", 13),
    ("Ansvarig", 24),
]


def _write_projects(ws, follow_up) -> dict:
    """Write the projects; returns the sheet's column letters and data rows for the summary."""
    municipality = follow_up.plan.municipality
    xlsx.put_text(
        ws, 1, 1, f"{municipality} – investeringsprojekt {follow_up.year}", font=xlsx.TITLE_FONT
    )
    xlsx.put_text(
        ws, 2, 1, f"Belopp i tkr. {_period_text(follow_up)} {SIGN_NOTE}", font=xlsx.ITALIC
    )
    headers = [h.format(year=follow_up.year) for h, _ in PROJECT_HEADERS]
    xlsx.header_row(ws, HEADER_ROW, headers, numeric_from=5)
    xlsx.set_widths(ws, [width for _, width in PROJECT_HEADERS])
    row = FIRST_ROW
    for committee in follow_up.committees:
        for f in committee.projects:
            project = f.project
            xlsx.put_text(ws, row, 1, committee.committee.name)
            xlsx.put_text(ws, row, 2, project.code)
            xlsx.put_text(ws, row, 3, project.name)
            xlsx.put_text(ws, row, 4, project.get_status_display())
            xlsx.put_number(ws, row, 5, xlsx.tkr(project.total_budget), xlsx.WHOLE_FORMAT)
            xlsx.put_number(ws, row, 6, xlsx.tkr(f.budget), xlsx.WHOLE_FORMAT)
            xlsx.put_number(ws, row, 7, xlsx.tkr(f.carried), xlsx.WHOLE_FORMAT)
            xlsx.put_formula(ws, row, 8, f"=F{row}+G{row}", xlsx.WHOLE_FORMAT)
            xlsx.put_number(ws, row, 9, xlsx.tkr(f.outcome), xlsx.WHOLE_FORMAT)
            xlsx.put_number(ws, row, 10, xlsx.tkr(f.forecast), xlsx.WHOLE_FORMAT)
            xlsx.put_text(
                ws,
                row,
                11,
                "ingen prognos: budgeten"
                if f.estimated
                else f"{f.forecast_period.month_name} {f.forecast_period.year}",
            )
            xlsx.put_formula(ws, row, 12, f"=H{row}-J{row}", xlsx.WHOLE_FORMAT)
            xlsx.put_text(ws, row, 13, project.responsible)
            row += 1
    last = max(row - 1, FIRST_ROW)
    xlsx.put_text(ws, row, 1, "Summa investeringsprojekt", font=xlsx.BOLD)
    _total_row(ws, row, (5, 6, 7, 8, 9, 10, 12), xlsx.WHOLE_FORMAT)
    xlsx.total_border(ws, row, len(PROJECT_HEADERS))
    ws.freeze_panes = f"D{FIRST_ROW}"
    return {
        "first": FIRST_ROW,
        "last": last,
        "committee": "A",
        "budget": "F",
        "carried": "G",
        "outcome": "I",
        "forecast": "J",
    }


def _total_row(ws, row, columns, number_format) -> None:
    """Bold sums of the rows from FIRST_ROW down to the total's ``row``, in ``columns``."""
    for column in columns:
        letter = get_column_letter(column)
        if row > FIRST_ROW:
            cell = xlsx.put_formula(
                ws, row, column, f"=SUM({letter}{FIRST_ROW}:{letter}{row - 1})", number_format
            )
        else:  # no rows: a SUM over the total's own row would be a circular reference
            cell = xlsx.put_number(ws, row, column, 0, number_format)
        cell.font = xlsx.BOLD


# Committee summary (mkr) ------------------------------------------------------------


def _write_summary(ws, follow_up, columns):
    municipality = follow_up.plan.municipality
    xlsx.put_text(
        ws, 1, 1, f"{municipality} – investeringsuppföljning {follow_up.year}", font=xlsx.TITLE_FONT
    )
    xlsx.put_text(
        ws, 2, 1, f"Belopp i mkr. {_period_text(follow_up)} {SIGN_NOTE}", font=xlsx.ITALIC
    )
    plan_years = [y.year for y in follow_up.plan_years]
    headers = [
        "Nämnd",
        f"Budget {follow_up.year}",
        "Överflyttade medel",
        "Budget inkl. överflyttade medel",
        "Utfall hittills",
        "Prognos",
        "Avvikelse",
        *[f"Plan {y}" for y in plan_years],
        f"Antagen investeringsbudget {follow_up.year}",
        "Projekt − antagen budget",
    ]
    xlsx.header_row(ws, HEADER_ROW, headers, numeric_from=2)
    xlsx.set_widths(ws, [36] + [14] * (len(headers) - 1))

    sheet = xlsx.quote_sheet(PROJECTS_SHEET) + "!"
    first, last = columns["first"], columns["last"]

    def sumif(row, key):
        names = f"{sheet}${columns['committee']}${first}:${columns['committee']}${last}"
        values = f"{sheet}${columns[key]}${first}:${columns[key]}${last}"
        return f"=SUMIF({names},$A{row},{values})/1000"

    adopted_column = 8 + len(plan_years)
    row = FIRST_ROW
    for committee in follow_up.committees:
        xlsx.put_text(ws, row, 1, committee.committee.name)
        xlsx.put_formula(ws, row, 2, sumif(row, "budget"), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, row, 3, sumif(row, "carried"), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, row, 4, f"=B{row}+C{row}", xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, row, 5, sumif(row, "outcome"), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, row, 6, sumif(row, "forecast"), xlsx.MKR_FORMAT)
        xlsx.put_formula(ws, row, 7, f"=D{row}-F{row}", xlsx.MKR_FORMAT)
        for offset, year in enumerate(plan_years):
            xlsx.put_number(
                ws, row, 8 + offset, xlsx.mkr(committee.plan.get(year)), xlsx.MKR_FORMAT
            )
        xlsx.put_number(ws, row, adopted_column, xlsx.mkr(committee.adopted), xlsx.MKR_FORMAT)
        adopted = get_column_letter(adopted_column)
        xlsx.put_formula(ws, row, adopted_column + 1, f"=B{row}-{adopted}{row}", xlsx.MKR_FORMAT)
        row += 1
    xlsx.put_text(ws, row, 1, "Summa investeringar", font=xlsx.BOLD)
    _total_row(ws, row, range(2, len(headers) + 1), xlsx.MKR_FORMAT)
    xlsx.total_border(ws, row, len(headers))
    note = row + 2
    xlsx.put_text(
        ws,
        note,
        1,
        "Nämndernas budget, överflyttade medel, utfall och prognos är summan av projekten på "
        f"bladet {PROJECTS_SHEET}. Plan och antagen investeringsbudget enligt {follow_up.plan}.",
        font=xlsx.ITALIC,
    )
    ws.freeze_panes = f"B{FIRST_ROW}"


def _page_setup(ws, follow_up):
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    xlsx.print_setup(
        ws, municipality=f"{follow_up.plan.municipality} – investeringsuppföljning {follow_up.year}"
    )
