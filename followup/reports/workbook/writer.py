"""The report as an Excel template, prefilled with the report's figures in tkr.

The "Rapport" sheet has one row per activity: the budget and earlier figures locked, the
inputs (outcome to date, full-year forecast where the period asks for one, comment)
unlocked and shaded. The sheet is protected without a password, so only the inputs can
be edited by mistake. "Om mallen" says how to fill it in and which report it belongs to.
"""

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter

from budget import money, xlsx
from followup.reports.figures import report_figures
from followup.reports.workbook import layout
from followup.reports.workflow import form_lines
from followup.upload_templates import about_sheet, amount_validation

CODE_FONT = Font(name=xlsx.FONT_NAME, size=9, color="666666")
UNLOCKED = Protection(locked=False)
WIDTHS = {"code": 26, "name": 34, "comment": 60}
AMOUNT_WIDTH = 22


def filename(report) -> str:
    """ "rapport-bildningsnamnden-2026-03.xlsx"; a correction adds its version."""
    version = f"-v{report.version}" if report.version > 1 else ""
    return f"rapport-{report.committee.code}-{report.period.key}{version}.xlsx"


def workbook_bytes(report, *, now=None) -> bytes:
    return xlsx.workbook_bytes(build_report_workbook(report, now=now))


def build_report_workbook(report, *, now=None) -> Workbook:
    period, committee = report.period, report.committee
    municipality = committee.municipality.name
    moment = xlsx.made_at(now)
    wb = xlsx.new_workbook(title=f"{committee.name} – {period}", made=moment)

    ws = wb.active
    ws.title = layout.REPORT_SHEET
    _report_sheet(ws, report, municipality)
    about = wb.create_sheet(layout.ABOUT_SHEET)
    _about_sheet(about, report, municipality)
    for sheet in wb.worksheets:
        xlsx.print_setup(
            sheet,
            municipality=municipality,
            title=f"{committee.name} – {period}",
            made_on=moment.date(),
        )
        xlsx.protect(sheet)
    return wb


def _report_sheet(ws, report, municipality):
    period, committee = report.period, report.committee
    status = f"Rapportversion {report.version} · Status: {report.get_status_display()}"
    if period.deadline:
        status += f" · Sista dag: {period.deadline.isoformat()}"
    inputs = "utfall ackumulerat, helårsprognos och kommentar"
    if not period.asks_forecast:
        inputs = "utfall ackumulerat och kommentar"
    if report.is_editable:
        how = (
            f"Fyll i de gula cellerna ({inputs}) och ladda upp filen på rapportsidan i "
            "Budgetuppföljning. Övriga celler är låsta."
        )
    else:
        how = (
            f"Rapporten är {report.get_status_display().lower()} och kan inte ändras; mallen "
            "visar dess uppgifter och alla celler är låsta."
        )
    title_block = [
        (f"{committee.name}: {period}", xlsx.TITLE_FONT),
        (municipality, xlsx.BOLD),
        (status, None),
        ("Belopp i tkr, netto: kostnader negativa.", xlsx.ITALIC),
        (how, None),
    ]
    for row, (text, font) in enumerate(title_block, start=1):
        xlsx.put_text(ws, row, 1, text, font=font)

    section = layout.report_section(period)
    names = [name for name, _ in section.columns]
    title_row = len(title_block) + 2
    xlsx.put_text(ws, title_row, 1, section.title, font=xlsx.BOLD)
    header = title_row + 1
    # The amounts are the columns from the third up to the last, Kommentar.
    xlsx.header_row(ws, header, section.headers, numeric=range(3, len(names)))

    # A row for each line of the report's form: exactly what the upload accepts.
    reported = {line.activity_id for line in form_lines(committee=committee, report=report)}
    lines = [line for line in report_figures(report).lines if line.activity.pk in reported]
    first = header + 1
    for row, line in enumerate(lines, start=first):
        cells = {
            "code": line.activity.code,
            "name": line.activity.name,
            "budget": line.budget,
            "budget_to_date": None
            if line.budget_to_date is None
            else money.round_half_up(line.budget_to_date, 2),
            "previous_forecast": line.previous_forecast,
            "outcome": line.outcome,
            "forecast": line.forecast,
            "comment": line.comment,
        }
        for column, name in enumerate(names, start=1):
            if name in layout.AMOUNT_COLUMNS:
                cell = xlsx.put_number(ws, row, column, xlsx.tkr(cells[name]), layout.AMOUNT_FORMAT)
                cell.alignment = xlsx.TOP
            elif name == "comment":
                cell = xlsx.put_text(ws, row, column, cells[name], alignment=xlsx.WRAP)
            else:
                cell = xlsx.put_text(ws, row, column, cells[name], alignment=xlsx.TOP)
            if name == "code":
                cell.font = CODE_FONT
            if name in layout.INPUT_COLUMNS and report.is_editable:
                cell.fill = xlsx.INPUT_FILL
                cell.protection = UNLOCKED
    last = first + len(lines) - 1

    if lines:
        total = last + 1
        xlsx.put_text(ws, total, 2, f"{layout.TOTAL_LABEL} {committee.name}", font=xlsx.BOLD)
        for column, name in enumerate(names, start=1):
            if name in layout.AMOUNT_COLUMNS:
                # Empty where no row has a figure, as the report page's sums are.
                formula = xlsx.column_total(get_column_letter(column), first, last)
                cell = xlsx.put_formula(ws, total, column, formula, layout.AMOUNT_FORMAT)
                cell.font = xlsx.BOLD
            ws.cell(row=total, column=column).border = xlsx.TOTAL_BORDER
        _validate_amounts(ws, section, first, last)

    xlsx.set_widths(ws, [WIDTHS.get(name, AMOUNT_WIDTH) for name in names])
    ws.freeze_panes = ws.cell(row=first, column=3)
    ws.print_title_rows = f"{header}:{header}"


def _validate_amounts(ws, section, first, last):
    """The outcome and forecast inputs take amounts only (``amount_validation``)."""
    validation = amount_validation(
        layout,
        error="Skriv ett belopp i tkr, till exempel -1207,5. Kostnader är negativa.",
        prompt="Netto: kostnader negativa. Lämna tomt om uppgiften saknas.",
    )
    for name in ("outcome", "forecast"):
        index = layout.column_index(section, name)
        if index is not None:
            letter = get_column_letter(index + 1)
            validation.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(validation)


def _about_sheet(ws, report, municipality):
    period, committee = report.period, report.committee
    lines = [
        f"Rapportmall för {committee.name}, {period}, {municipality}. Skapad av Budgetuppföljning.",
        f"Fyll i de gula cellerna på bladet ”{layout.REPORT_SHEET}”. Belopp i tkr, netto: "
        "kostnader negativa. En tom cell betyder att uppgiften saknas.",
        "Ladda upp filen på rapportsidan (”Ladda upp ifylld mall”). Allt läses in eller "
        "ingenting: finns det fel visas vart och ett med blad, rad och kolumn.",
        "Har rapporten sparats i Budgetuppföljning efter att mallen laddades ned tas filen "
        "inte emot; ladda då ned en ny mall.",
        "Ändra inte uppgifterna nedan: de visar vilken rapport mallen gäller.",
    ]
    identity = (
        ("municipality", municipality),
        ("committee", committee.code),
        ("committee_name", committee.name),
        ("period", period.key),
        ("report", report.pk),
        ("version", report.version),
        ("row_version", report.row_version),
    )
    about_sheet(ws, layout, lines=lines, identity=identity)
