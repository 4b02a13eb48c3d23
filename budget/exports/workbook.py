"""The budget as an Excel council paper: the document's tables, a control sheet and
the plan's details, from one plan snapshot.

The document sheets look like the document (title, unit, year headers, rows, notes)
and every figure on them is a formula: totals over the rows above, and amounts over
the detail sheets, which hold each figure once. Change an adopted frame on "Ramar per
verksamhet" and every table follows. The import reads the detail sheets only.

The document sheets hold the adopted budget, equal to the document, unless the current one
is asked for (``frames=CURRENT``). Where frames have been changed during the year, a sheet
beside them holds the Budgetjämförelse on the other basis ("Aktuell budget efter beslutade
förändringar", or the adopted one) and lists the decided changes. Kontroll always compares
the adopted budget with the document.
"""

import math
from datetime import date

from django.utils import timezone
from openpyxl.utils import get_column_letter

from budget import extensions, xlsx
from budget.exports import formulas, layout
from budget.exports.detail import DetailAddresses, write_detail_sheets
from budget.exports.layout import (
    FIRST_DATA_ROW,
    KIND_ROW,
    TITLE_ROW,
    UNIT_ROW,
    YEAR_ROW,
)
from budget.models import (
    BudgetPlan,
    BudgetYear,
    Committee,
    FinancialIndicator,
    Indicator,
    Statement,
    StatementLine,
)
from budget.reports import control, document
from budget.reports.ledger import plan_changes
from budget.reports.snapshot import ADOPTED, BASIS_LABELS, CURRENT, PlanSnapshot
from budget.reports.structure import ChangeRatio
from budget.xlsx import quote_sheet

LABEL_WIDTH_MIN, LABEL_WIDTH_MAX = 34, 60
NUMBER_WIDTH = 12


def write_budget_workbook(plan, fh, *, today: date | None = None, frames=ADOPTED) -> None:
    """Write the plan's budget workbook to a binary file object; ``frames``: the adopted
    budget (the default, as in the document) or the current one (CURRENT)."""
    fh.write(workbook_bytes(plan, today=today, frames=frames))


def workbook_bytes(plan, *, today: date | None = None, frames=ADOPTED) -> bytes:
    generated_on = today or timezone.localdate()
    snapshot = PlanSnapshot(plan, basis=frames)
    return xlsx.workbook_bytes(build_workbook(snapshot, generated_on=generated_on))


def filename(plan) -> str:
    return f"budget-{plan.year}.xlsx"


def sheet_title(table) -> str:
    """The sheet's name: the table's short name, at most 31 characters."""
    name = layout.DOCUMENT_SHEETS.get(table.code, table.title)
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31]


def build_workbook(snapshot, *, generated_on: date):
    built = document.all_tables(snapshot)
    plan = snapshot.plan
    wb = xlsx.new_workbook(title=f"{plan.municipality.name} – {plan.title}", made=generated_on)
    wb.remove(wb.active)

    sheets = [(table, wb.create_sheet(sheet_title(table))) for table in built]
    beside = other_basis_table(snapshot) if snapshot.changed else None
    beside_ws = wb.create_sheet(other_basis_sheet(snapshot)) if beside else None
    control_ws = wb.create_sheet(layout.CONTROL_SHEET)
    readme_ws = wb.create_sheet(layout.README_SHEET)
    for part in extensions.workbook_parts():  # the sheets the apps add (the calendar, …)
        part.write(wb.create_sheet(part.sheet), plan)
    details = write_detail_sheets(wb, snapshot)

    written = [*built, beside] if beside else built
    names = [ws.title for _, ws in sheets] + ([beside_ws.title] if beside else [])
    writer = DocumentWriter(snapshot, written, details, names)
    for table, ws in sheets:
        writer.write_table(ws, table)
    if beside:
        end = writer.write_table(beside_ws, beside)
        _changes_list(beside_ws, end + 1, plan_changes(snapshot))
    _control_sheet(control_ws, snapshot, built, writer)
    _readme_sheet(readme_ws, snapshot, built, [ws.title for _, ws in sheets], generated_on)

    tables = {ws.title for _, ws in sheets} | ({beside_ws.title} if beside else set())
    for ws in wb.worksheets:
        xlsx.print_setup(
            ws,
            municipality=plan.municipality.name,
            title=f"{plan.title} – {ws.title}",
            made_on=generated_on,
            one_page=ws.title in tables,
        )
    for ws in details.sheets:
        ws.sheet_state = "hidden"  # data for the import: kept, not printed
    return wb


# --- document sheets -------------------------------------------------------------

BESIDE_CODE = "budgetjamforelse-bredvid"  # the Budgetjämförelse on the other basis


def basis_label(basis) -> str:
    return BASIS_LABELS[basis]


def other_basis_sheet(snapshot) -> str:
    return layout.ADOPTED_SHEET if snapshot.basis == CURRENT else layout.CURRENT_SHEET


def other_basis_table(snapshot):
    """The Budgetjämförelse on the basis the document sheets do not show."""
    other = ADOPTED if snapshot.basis == CURRENT else CURRENT
    table = document.comparison(snapshot.with_basis(other))
    table.code = BESIDE_CODE
    table.title = f"Budgetjämförelse – {basis_label(other).lower()}"
    table.unit_label = f"Nettobelopp, mkr · {basis_label(other).lower()}"
    if other == CURRENT:
        table.notes = [
            "Den antagna ramen och de beslutade förändringar som har genomförts under året "
            "(listade nedan). Dokumentets tabeller på de andra bladen visar den antagna budgeten."
        ]
    else:
        table.notes = [
            "Ramarna som fullmäktige antog dem, utan förändringarna under året (listade nedan)."
        ]
    for row in table.rows:
        row.stated = {}  # the document's figures are compared on Kontroll
    return table


def _changes_list(ws, first_row, changes):
    """The decided changes, one row each, below the table on the side sheet."""
    xlsx.put_text(ws, first_row, 1, "Beslutade förändringar", font=xlsx.BOLD)
    xlsx.header_row(ws, first_row + 1, list(layout.CHANGES_HEADERS), numeric_from=7)
    for index, change in enumerate(changes):
        r = first_row + 2 + index
        xlsx.put_text(ws, r, 1, change.decision)
        xlsx.put_text(ws, r, 2, change.decided_on.isoformat() if change.decided_on else "")
        xlsx.put_text(ws, r, 3, change.kind)
        xlsx.put_text(ws, r, 4, change.committee)
        xlsx.put_text(ws, r, 5, change.activity)
        xlsx.put_text(ws, r, 6, change.year_label)
        xlsx.put_number(ws, r, 7, xlsx.mkr(change.amount), xlsx.MKR_FORMAT)


class DocumentWriter:
    """Writes the document's tables; knows where every table cell sits."""

    def __init__(self, snapshot, built, details: DetailAddresses, sheet_names):
        self.snapshot = snapshot
        self.details = details
        # The document sheets add the changes to the adopted frames on the current budget;
        # the side sheet (BESIDE_CODE) does the opposite of the document sheets.
        self.with_changes = snapshot.basis == CURRENT
        self.by_code = {t.code: t for t in built}
        self.sheet_of = {t.code: name for t, name in zip(built, sheet_names, strict=True)}
        # (table code, row code, column key) -> "D8"; the first row wins for a code.
        self.cells = {}
        for table in built:
            for index, row in enumerate(table.rows):
                for c_index, column in enumerate(table.columns):
                    key = (table.code, row.code, column.key)
                    self.cells.setdefault(
                        key, f"{get_column_letter(c_index + 2)}{FIRST_DATA_ROW + index}"
                    )
        self.finance_activities = {
            a.code: a
            for c in snapshot.committees_of(Committee.Kind.FINANCE)
            for a in snapshot.activities_by_committee[c.pk]
        }
        self.summed_committees = {
            c.code: c for c in snapshot.committees_of(*document.COMMITTEE_KINDS)
        }

    def address(self, table_code, row_code, key, *, from_table=None) -> str | None:
        local = self.cells.get((table_code, row_code, key))
        if local is None:
            return None
        if from_table == table_code:
            return local
        return f"{quote_sheet(self.sheet_of[table_code])}!{local}"

    def write_table(self, ws, table):
        municipality = self.snapshot.plan.municipality.name
        xlsx.put_text(ws, TITLE_ROW, 1, f"{municipality} – {table.title}", font=xlsx.TITLE_FONT)
        unit_label = table.unit_label
        if self.snapshot.changed and table.code != BESIDE_CODE:
            unit_label += f" · {basis_label(self.snapshot.basis).lower()}"
        xlsx.put_text(ws, UNIT_ROW, 1, unit_label, font=xlsx.ITALIC)
        last_column = len(table.columns) + 1
        xlsx.header_row(ws, KIND_ROW, ["", *[c.kind_label for c in table.columns]], numeric_from=2)
        xlsx.header_row(
            ws,
            YEAR_ROW,
            ["", *[f"{c.year_label}{c.note_mark}" for c in table.columns]],
            numeric_from=2,
        )
        label_width = LABEL_WIDTH_MIN
        for index, row in enumerate(table.rows):
            r = FIRST_DATA_ROW + index
            font = xlsx.BOLD if row.kind in ("subtotal", "total", "heading") else None
            xlsx.put_text(ws, r, 1, row.label, font=font)
            label_width = max(label_width, min(len(row.label) + 2, LABEL_WIDTH_MAX))
            if row.kind in ("heading", "spacer"):
                continue
            for c_index, column in enumerate(table.columns):
                self._write_cell(ws, r, c_index + 2, table, row, column)
            if row.is_computed:
                border = xlsx.TOTAL_BORDER if row.kind == "total" else xlsx.TOP_BORDER
                for column in range(1, last_column + 1):
                    ws.cell(row=r, column=column).border = border
        notes_row = FIRST_DATA_ROW + len(table.rows) + 1
        ws.column_dimensions["A"].width = label_width
        for c_index in range(len(table.columns)):
            ws.column_dimensions[get_column_letter(c_index + 2)].width = NUMBER_WIDTH
        total_width = label_width + NUMBER_WIDTH * len(table.columns)
        for offset, note in enumerate(table.notes):
            r = notes_row + offset
            xlsx.put_text(ws, r, 1, note, font=xlsx.ITALIC, alignment=xlsx.WRAP)
            if last_column > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_column)
            lines = max(1, math.ceil(len(note) * 1.1 / max(total_width, 1)))
            ws.row_dimensions[r].height = 15 * lines
        ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
        ws.print_title_rows = f"{TITLE_ROW}:{YEAR_ROW}"
        return notes_row + len(table.notes)

    def _write_cell(self, ws, r, c, table, row, column):
        unit = table.cell_unit(row, column.key)
        number_format = xlsx.PERCENT_FORMAT if unit == "procent" else xlsx.MKR_FORMAT
        value = row.values.get(column.key)
        formula_object = row.formulas.get(column.key)
        text = None
        if formula_object is not None and (
            value is not None or isinstance(formula_object, ChangeRatio)
        ):
            text = formulas.render(
                formula_object,
                lambda ref: self.address(table.code, ref.row, ref.column, from_table=table.code),
            )
        elif value is not None:
            text = self.source(table, row, column.key)
        if text is not None:
            xlsx.put_formula(ws, r, c, text, number_format)
        elif value is None:
            xlsx.put_number(ws, r, c, None, number_format)
        else:
            xlsx.put_number(
                ws, r, c, value if unit == "procent" else xlsx.mkr(value), number_format
            )

    # Where a table's stored figure comes from, as a formula over other sheets.

    def source(self, table, row, key) -> str | None:
        code = table.code
        if code == "budgetjamforelse":
            return self._frame_source(row.code, key, self.with_changes)
        if code == BESIDE_CODE:
            return self._frame_source(row.code, key, not self.with_changes)
        if code == "budgetforandring":
            target = self.address("budgetjamforelse", row.code, key)
            return f"={target}" if target else None
        if code == "forandring-av-medel":
            return self._funds_source(table, row, key)
        if code == "investeringsbudget":
            target = self.details.investments.get((row.code, key))
            return f"={target}" if target else None
        if code in document.STATEMENT_KINDS:
            target = self.details.lines.get((code, row.code, key))
            return f"={target}" if target else None
        return None

    def _frame_source(self, row_code, key, with_changes):
        d = self.details
        column = d.frame_columns.get(key)
        if column is None:
            return None
        if row_code in self.summed_committees:
            activities = self.snapshot.activities_by_committee[self.summed_committees[row_code].pk]
        elif row_code in self.finance_activities:
            activities = [self.finance_activities[row_code]]
        else:
            return None
        if not activities:
            return None
        sheet = quote_sheet(d.frame_sheet) + "!"
        rows = [d.frame_rows[a.pk] for a in activities]
        parts = [formulas.cell_range(sheet, column, min(rows), max(rows))]
        change_rows = [d.change_rows[a.pk] for a in activities if a.pk in d.change_rows]
        if change_rows and with_changes:
            parts.append(formulas.cell_range(sheet, column, min(change_rows), max(change_rows)))
        return "=" + "+".join(parts)

    def _funds_source(self, table, row, key):
        if row.code in ("skatter-och-bidrag-procent", "summa-namnder-procent"):
            before = self.snapshot.column_before(key)
            if before is None:
                return None
            base_code = row.code.removesuffix("-procent")
            new = self.address(table.code, base_code, key, from_table=table.code)
            if row.code == "summa-namnder-procent":
                old = self.address("budgetjamforelse", "summa-namnder", before.key)
            else:
                parts = [
                    self.address("budgetjamforelse", a.code, before.key)
                    for a in self.snapshot.tax_base_lines()
                ]
                old = f"({'+'.join(parts)})" if parts and all(parts) else None
            if new is None or old is None:
                return None
            return formulas.change_ratio(new, old)
        target = self.address("budgetjamforelse", row.code, key)
        return f"={target}" if target else None


# --- control, readme, printing -----------------------------------------------------

CONTROL_HEADERS = [
    "Tabell",
    "Rad",
    "Kolumn",
    "Jämförs med",
    "Angiven uppgift",
    "Beräknad uppgift",
    "Differens",
    "Status",
    "Används",
]


HEADER_ROW = 4  # the Kontroll sheet's column headers


def _control_sheet(ws, snapshot, built, writer):
    municipality = snapshot.plan.municipality.name
    xlsx.put_text(ws, 1, 1, f"{municipality} – Kontroll", font=xlsx.TITLE_FONT)
    xlsx.put_text(
        ws,
        2,
        1,
        "Dokumentets angivna summor och hänvisningar jämförda med de summor som beräknas "
        "ur raderna i den antagna budgeten (utan förändringar under året), när arbetsboken "
        "skapades. Mkr eller procent med en decimal.",
        font=xlsx.ITALIC,
    )
    xlsx.put_text(
        ws,
        3,
        1,
        "Används: där en angiven summa skiljer sig från raderna bara så mycket som "
        "dokumentets avrundning förklarar (0,05 mkr per avrundat tal) är det den angivna, "
        "antagna summan som används för resultat, överskottsmål och balanskravsutredning.",
        font=xlsx.ITALIC,
    )
    xlsx.header_row(ws, HEADER_ROW, CONTROL_HEADERS, numeric_from=5)
    ws.cell(row=HEADER_ROW, column=8).alignment = xlsx.CENTER  # Status is text
    for index, check in enumerate(control.checks(snapshot, built)):
        r = HEADER_ROW + 1 + index
        xlsx.put_text(ws, r, 1, check.table)
        xlsx.put_text(ws, r, 2, check.row)
        xlsx.put_text(ws, r, 3, check.column)
        xlsx.put_text(ws, r, 4, check.expected_label)
        percent = check.unit == "procent"
        number_format = xlsx.PERCENT_FORMAT if percent else xlsx.MKR_FORMAT

        def shown(value, percent=percent):
            return None if value is None else value if percent else xlsx.mkr(value)

        xlsx.put_number(ws, r, 5, shown(check.expected), number_format)
        xlsx.put_number(ws, r, 6, shown(check.shown), number_format)
        xlsx.put_number(ws, r, 7, shown(check.difference), number_format)
        xlsx.put_text(
            ws,
            r,
            8,
            "Stämmer" if check.agrees else "Avviker",
            font=None if check.agrees else xlsx.BOLD,
            alignment=xlsx.CENTER,
        )
        xlsx.put_text(ws, r, 9, check.used)
    widths = (36, 54, 15, 50, 17, 17, 11, 12, 40)
    for column, width in zip("ABCDEFGHI", widths, strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"1:{HEADER_ROW}"


ALLOWED_VALUES = [
    ("Planens status", BudgetPlan.Status.choices),
    ("År i planen, slag", BudgetYear.Kind.choices),
    ("År i planen, status", BudgetYear.Status.choices),
    ("Nämnder, slag", Committee.Kind.choices),
    ("Budgetställningar, slag", Statement.Kind.choices),
    ("Rader, radtyp", StatementLine.Type.choices),
    ("Rader, roll", StatementLine.Role.choices),
    ("Nyckeltal, önskad riktning", Indicator.Direction.choices),
    ("Finansiella nyckeltal, beräkning", FinancialIndicator.Method.choices),
]


def _choices(choices) -> str:
    """ "forslag (förslag), faststalld (fastställd)": the code, and the label where it differs."""
    return ", ".join(
        value if label.lower() == value else f"{value} ({label.lower()})"
        for value, label in choices
    )


def _readme_sheet(ws, snapshot, built, sheet_names, generated_on):
    plan = snapshot.plan
    xlsx.put_text(ws, 1, 1, f"{plan.municipality.name} – {plan.title}", font=xlsx.TITLE_FONT)
    lines = [
        ("Om arbetsboken", xlsx.BOLD),
        (f"Skapad {generated_on.isoformat()} av Budgetuppföljning.", None),
        (
            "Belopp i mkr, nettobelopp: kostnader är negativa och intäkter positiva. "
            "Beloppen är exakta; tabellerna visar dem med en decimal.",
            None,
        ),
        ("", None),
        ("Dokumentets tabeller", xlsx.BOLD),
    ]
    for table, name in zip(built, sheet_names, strict=True):
        lines.append((f"{name}: {table.title}.", None))
    lines += [
        (
            "Tabellernas siffror är formler: summor över raderna och belopp som hämtas från "
            "detaljbladen nedan. Ändra ett belopp på ett detaljblad så följer tabellerna med.",
            None,
        ),
        (
            f"{layout.CONTROL_SHEET}: dokumentets angivna summor jämförda med de beräknade "
            "ur den antagna budgeten (Stämmer/Avviker), och vilken av dem som används.",
            None,
        ),
        *(
            [
                (
                    f"Tabellerna visar {basis_label(snapshot.basis).lower()}. Bladet "
                    f"{other_basis_sheet(snapshot)} visar budgetjämförelsen "
                    f"{'utan' if snapshot.basis == CURRENT else 'med'} de beslutade "
                    "förändringarna under året och listar dem.",
                    None,
                )
            ]
            if snapshot.changed
            else []
        ),
        ("", None),
        ("Detaljblad (läses in av Läs in budget)", xlsx.BOLD),
        (
            "Detaljbladen är dolda, så att de inte skrivs ut med tabellerna. Visa dem genom "
            "att högerklicka på en bladflik och välja Visa (Excel) eller Visa blad "
            "(LibreOffice).",
            None,
        ),
        (
            f"{layout.ORGANISATION_SHEET}: kommun och plan, år i planen, förvaltningar, nämnder "
            "och budgetställningar.",
            None,
        ),
        (
            f"{layout.FRAMES_SHEET}: den beslutade ramen för varje verksamhet och år (mkr). "
            "Förändringar under året visas under ramarna men läses inte in.",
            None,
        ),
        (
            f"{layout.LINES_SHEET}: resultat-, balans- och kassaflödesbudgetens rader; "
            "summarader beräknas av sina delar (”Summa av”, minus framför en del som dras av).",
            None,
        ),
        (f"{layout.INVESTMENTS_SHEET}: investeringsbudgetens poster per nämnd (mkr).", None),
        (
            f"{layout.STATED_SHEET}: summor som dokumentet anger, för jämförelse i Kontroll.",
            None,
        ),
        (f"{layout.FACTS_SHEET}: nyckeluppgifter, bolag och bolagens prognoser.", None),
        (
            f"{layout.GOALS_SHEET}: vision, styrperspektiv, inriktningsmål och nyckeltal.",
            None,
        ),
        *(
            [("", None), ("Fler blad (läses också in)", xlsx.BOLD)]
            + [(f"{part.sheet}: {part.about}", None) for part in extensions.workbook_parts()]
            if extensions.workbook_parts()
            else []
        ),
        ("", None),
        ("Tillåtna värden", xlsx.BOLD),
        *((f"{what}: {_choices(choices)}.", None) for what, choices in ALLOWED_VALUES),
        ("Enhet: mkr för belopp; för nyckeluppgifter även procent, invanare eller ar.", None),
        (
            "Ska stämma med: total:resultat, total:summa-namnder, total:investeringar, "
            "line:<verksamhetens kod>, statement:<budgetställning>:<radkod> eller "
            "previous:<radkod> (föregående kolumn).",
            None,
        ),
        ("Ja/nej-kolumner: Ja, eller tomt för nej.", None),
        ("", None),
        (
            "Inläsningen skapar och uppdaterar efter koderna men tar aldrig bort något. "
            "Allt läses in eller ingenting.",
            None,
        ),
    ]
    for index, (text, font) in enumerate(lines):
        xlsx.put_text(ws, 3 + index, 1, text, font=font)
    ws.column_dimensions["A"].width = 110
