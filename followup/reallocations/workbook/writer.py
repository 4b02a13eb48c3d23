"""A blank reallocation template for a plan's year, as an Excel workbook.

"Omfördelning": what the reallocation is (kind, title, purpose, funding) and its lines
(committee code, activity code, amount in tkr, note), the inputs shaded yellow, with a
sum row that shows whether the lines balance. "Verksamheter": the plan's committees and
activities with their codes; the code columns of the form pick from these lists.
"Om mallen": how to fill it in, and which municipality and plan it belongs to.
"""

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation

from budget import xlsx
from budget.exports.detail import SectionWriter
from budget.models import Committee
from budget.xlsx import (
    BOLD,
    INPUT_FILL,
    ITALIC,
    TITLE_FONT,
    WRAP,
    made_at,
    new_workbook,
    print_setup,
    put_formula,
    put_text,
    quote_sheet,
    set_widths,
    total_border,
)
from followup.models import Reallocation
from followup.reallocations.workbook import layout
from followup.reallocations.workflow import SIGN_CONVENTION, SIGN_HINT
from followup.upload_templates import about_sheet, amount_validation

UNLOCKED = Protection(locked=False)
FORM_WIDTHS = (34, 34, 16, 50)
TEXT_ROW_HEIGHT = 60  # purpose and funding: room for a few lines


def filename(plan) -> str:
    return f"omfordelning-mall-{plan.year}.xlsx"


def template_bytes(plan, *, now=None) -> bytes:
    return xlsx.workbook_bytes(build_template(plan, now=now))


def build_template(plan, *, now=None) -> Workbook:
    moment = made_at(now)
    municipality = plan.municipality.name
    title = f"Budgetomfördelning {plan.year} – mall"
    wb = new_workbook(title=title, made=moment)

    form = wb.active
    form.title = layout.FORM_SHEET
    activities = wb.create_sheet(layout.ACTIVITIES_SHEET)
    lists = _activities_sheet(activities, plan)
    _form_sheet(form, plan, title, lists)
    about = wb.create_sheet(layout.ABOUT_SHEET)
    _about_sheet(about, plan)
    for sheet in (activities, about):
        xlsx.protect(sheet)
    for sheet in wb.worksheets:
        print_setup(
            sheet,
            municipality=municipality,
            title=title,
            made_on=moment.date(),
            orientation="portrait",
        )
    return wb


def _activities_sheet(ws, plan) -> dict:
    """The committees and activities with their codes; returns the ranges of the code
    columns, for the form's lists."""
    committees = list(Committee.objects.of_plan(plan).with_activities())
    put_text(ws, 1, 1, "Nämnder och verksamheter", font=TITLE_FONT)
    put_text(
        ws,
        2,
        1,
        f"Koderna att skriva på bladet ”{layout.FORM_SHEET}”, för {plan.municipality.name}.",
    )
    w = SectionWriter(ws)
    w.row = 4
    w.begin(layout.COMMITTEES)
    first = w.row
    for committee in committees:
        w.text(1, committee.code)
        w.text(2, committee.name)
        w.next()
    committee_range = f"$A${first}:$A${max(w.row - 1, first)}"
    w.begin(layout.ACTIVITIES)
    first = w.row
    for committee in committees:
        for activity in committee.activities.all():
            w.text(1, committee.code)
            w.text(2, committee.name)
            w.text(3, activity.code)
            w.text(4, activity.name)
            w.next()
    activity_range = f"$C${first}:$C${max(w.row - 1, first)}"
    w.finish()
    sheet = quote_sheet(layout.ACTIVITIES_SHEET)
    return {
        "committee": f"{sheet}!{committee_range}",
        "activity": f"{sheet}!{activity_range}",
    }


def _form_sheet(ws, plan, title, lists):
    intro = [
        (title, TITLE_FONT),
        (f"{plan.municipality.name} · {plan.title}", BOLD),
        (
            "Fyll i de gula cellerna och ladda upp filen i Budgetuppföljning (Omfördelningar → "
            "Ladda upp från Excel). Allt läses in eller ingenting.",
            None,
        ),
        (
            f"Belopp i {layout.UNIT}. {SIGN_CONVENTION} Ingen underfinansiering.",
            ITALIC,
        ),
        (f"Koderna för nämnder och verksamheter står på bladet ”{layout.ACTIVITIES_SHEET}”.", None),
    ]
    for row, (text, font) in enumerate(intro, start=1):
        put_text(ws, row, 1, text, font=font, alignment=WRAP if row > 2 else None)
        if row > 2:  # instructions: wrapped across the form's width, not beyond it
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.row_dimensions[row].height = 15 * -(-len(text) // sum(FORM_WIDTHS))

    w = SectionWriter(ws)
    w.row = len(intro) + 2
    w.begin(layout.DETAILS)
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(Reallocation.Kind.labels) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Välj slag",
        error="Välj ett slag i listan.",
    )
    ws.add_data_validation(kinds)
    for name, label in layout.DETAILS.columns:
        put_text(ws, w.row, 1, label, font=BOLD)
        cell = ws.cell(row=w.row, column=2)
        if name == "kind":
            put_text(ws, w.row, 2, Reallocation.Kind.REALLOCATION.label)
            kinds.add(cell.coordinate)
        else:
            cell.alignment = WRAP
        if name in ("purpose", "funding"):
            ws.row_dimensions[w.row].height = TEXT_ROW_HEIGHT
        _input(cell)
        w.row += 1

    w.begin(layout.LINES)
    first = w.row
    last = first + layout.BLANK_LINES - 1
    for row in range(first, last + 1):
        for column in range(1, len(layout.LINES.columns) + 1):
            cell = ws.cell(row=row, column=column)
            if column == 3:
                cell.number_format = layout.AMOUNT_FORMAT
            if column == 4:
                cell.alignment = WRAP
            _input(cell)
    total = last + 1
    put_text(ws, total, 1, layout.TOTAL_LABEL, font=BOLD)
    put_formula(ws, total, 3, f"=SUM(C{first}:C{last})", layout.AMOUNT_FORMAT).font = BOLD
    check = (
        f'=IF(COUNT(C{first}:C{last})=0,"",IF(ROUND(C{total},{layout.AMOUNT_PLACES})=0,'
        '"Raderna summerar till 0.","Raderna summerar inte till 0: varje ökning ska '
        'finansieras av en minskning."))'
    )
    put_formula(ws, total, 4, check, "General").font = BOLD
    total_border(ws, total, len(layout.LINES.columns))
    _validate_lines(ws, lists, first, last)
    set_widths(ws, FORM_WIDTHS)
    ws.print_title_rows = "1:2"


def _input(cell):
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED


def _validate_lines(ws, lists, first, last):
    """Spreadsheet programs offer the codes as lists and refuse text in the amounts while
    the file is filled in; the upload checks everything again, since a pasted value passes
    a validation."""
    for column, name, what in (("A", "committee", "nämndkod"), ("B", "activity", "verksamhetskod")):
        validation = DataValidation(
            type="list",
            formula1=lists[name],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Okänd {what}",
            error=f"Välj en {what} i listan (bladet ”{layout.ACTIVITIES_SHEET}”).",
        )
        validation.add(f"{column}{first}:{column}{last}")
        ws.add_data_validation(validation)
    amounts = amount_validation(
        layout,
        error=f"Skriv ett belopp i {layout.UNIT}, till exempel 250 där pengarna tas.",
        prompt=SIGN_HINT,
    )
    amounts.add(f"C{first}:C{last}")
    ws.add_data_validation(amounts)


def _about_sheet(ws, plan):
    lines = [
        f"Mall för en budgetomfördelning i {plan.title}, {plan.municipality.name}. Skapad av "
        "Budgetuppföljning.",
        f"Fyll i bladet ”{layout.FORM_SHEET}”: slag, rubrik, syfte, varifrån pengarna kommer "
        f"och en rad per verksamhet (nämndkod, verksamhetskod, belopp i {layout.UNIT}).",
        "Omfördelningen sparas som utkast. Inom en nämnd beslutar nämnden; mellan nämnder, och "
        "med finansförvaltningen eller den politiska reserven, beslutar kommunfullmäktige.",
        "Finns det fel sparas ingenting, och vart och ett visas med blad, rad och kolumn.",
        "Ändra inte uppgifterna nedan: de visar vilken kommun och budget mallen gäller.",
    ]
    about_sheet(
        ws,
        layout,
        lines=lines,
        identity=(("municipality", plan.municipality.name), ("year", plan.year)),
    )
