"""The statement sheets of the interim report and the annual accounts: Resultaträkning,
Balansräkning and Kassaflödesanalys (figures from followup.statements.figures) and the
Balanskravsutredning (followup.statements.result).

A statement's columns (``statement_columns``): for the interim report Utfall jan–<month>,
Prognos, Budget, Avvikelse (prognos − budget), last year's Utfall jan–<month> and Utfall
for the year; for the annual accounts Utfall, Budget, Avvikelse and last year's Utfall.
Subtotals are formulas over their component rows in every column, empty where a component
has no figure; the last column, Anmärkning, holds finance's note on the line and says where
each figure comes from, and marks what is missing.
"""

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from budget import xlsx
from budget.exports.formulas import sum_formula
from budget.models import Statement
from budget.money import format_mkr
from followup.models.calendar import MONTH_NAMES
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    bold_row,
    finish_sheet,
    paragraph,
    sheet_heading,
    width_for,
    wrap,
)
from followup.statements.figures import Source, subtotal_value

RESULT_SHEET = "Resultaträkning"
BALANCE_SHEET = "Balansräkning"
CASHFLOW_SHEET = "Kassaflödesanalys"
REQUIREMENT_SHEET = "Balanskravsutredning"
STATEMENT_SHEETS = {
    Statement.Kind.RESULT: RESULT_SHEET,
    Statement.Kind.BALANCE: BALANCE_SHEET,
    Statement.Kind.CASHFLOW: CASHFLOW_SHEET,
}
NOT_RECORDED = "Underlaget är inte registrerat: utredningen är beräknad utan justeringar."
NO_STATEMENT = "Budgeten har ingen sådan budgetställning."


# Resultaträkning, Balansräkning, Kassaflödesanalys --------------------------------------

LABEL_WIDTH, NUMBER_WIDTH, NOTE_WIDTH = 44, 13, 60
MAX_LABEL_WIDTH = 64  # a longer label wraps


def label_width(sheet) -> float:
    """The label column: wide enough for the sheet's longest line on one line (a line of
    Kassaflödesanalys is "Medel från verksamheten före förändring av rörelsekapital")."""
    needed = (width_for(row.label, bold=row.kind in ("heading", "subtotal")) for row in sheet.rows)
    return min(MAX_LABEL_WIDTH, max(LABEL_WIDTH, *needed))


@dataclass(frozen=True)
class Column:
    """A figure column of a statement sheet: ``key`` is the StatementRow attribute it
    shows ("deviation": the year's figure − budget, a formula)."""

    key: str
    header: str


def statement_columns(report, sheet, kind) -> tuple[Column, ...]:
    """The figure columns, in order. The interim report: Utfall jan–<month>, Prognos,
    Budget, Avvikelse, last year's Utfall jan–<month> and Utfall; the annual accounts,
    where the outcome for the year takes the forecast's place: Utfall, Budget, Avvikelse
    and last year's Utfall. The balance sheet's figures are balances at a date."""
    period = report.period
    year, last = period.year, period.year - 1
    label = report.figure_label
    month = MONTH_NAMES[period.month]
    balance = kind == Statement.Kind.BALANCE
    figure = f"{label} 31 december {year}" if balance else f"{label} {year}"
    columns = []
    if not report.is_outcome:
        to_date = f"Utfall 31 {month} {year}" if balance else f"Utfall jan–{month[:3]} {year}"
        columns.append(Column("to_date", to_date))
    columns += [
        Column("figure", figure),
        Column("budget", sheet.budget_label),
        Column("deviation", f"Avvikelse ({label.lower()} − budget)"),
    ]
    if not report.is_outcome:
        columns.append(
            Column(
                "previous_to_date",
                f"Utfall 31 {month} {last}" if balance else f"Utfall jan–{month[:3]} {last}",
            )
        )
    columns.append(
        Column("previous_year", f"Utfall 31 december {last}" if balance else f"Utfall {last}")
    )
    return tuple(columns)


def _statement_note(report, kind) -> str:
    label = report.figure_label.lower()
    base = f"Belopp i mkr. Avvikelse = {label} − budget."
    entered = (
        f" {report.figure_label} är det ekonomiavdelningen har registrerat för perioden"
        if kind != Statement.Kind.RESULT
        else f" {report.figure_label} är det ekonomiavdelningen har registrerat för perioden; "
        "utan registrerat belopp härleds Verksamhetens nettokostnad ur nämndernas rapporter "
        "och skatteintäkter, generella bidrag och finansnetto ur finansförvaltningens rapport"
    )
    to_date = (
        ""
        if report.is_outcome
        else " Utfallet hittills är det ekonomiavdelningen har registrerat"
        + (
            ", för skatteintäkter, generella bidrag och finansnetto annars "
            "finansförvaltningens utfall"
            if kind == Statement.Kind.RESULT
            else ""
        )
        + "."
    )
    return (
        base
        + entered
        + "."
        + to_date
        + f" Utfallet {report.period.year - 1} är det ekonomiavdelningen har registrerat för "
        "föregående år. Summorna är formler över raderna och står tomma där en rad saknar "
        "belopp."
    )


def statement_sheet(ws, report, kind):
    period = report.period
    title = f"{STATEMENT_SHEETS[kind]} – {period}"
    sheet = report.statements.get(kind)
    if sheet is None:
        widths = (LABEL_WIDTH, NOTE_WIDTH)
        sheet_heading(ws, report, title, widths, note=_statement_note(report, kind))
        xlsx.put_text(ws, HEADER_ROW, 1, NO_STATEMENT, font=xlsx.BOLD)
        finish_sheet(ws, widths, freeze="A4")
        return
    columns = statement_columns(report, sheet, kind)
    widths = (label_width(sheet), *(NUMBER_WIDTH for _ in columns), NOTE_WIDTH)
    sheet_heading(ws, report, title, widths, note=_statement_note(report, kind))
    headers = (sheet.title, *(c.header for c in columns), "Anmärkning")
    note_column = len(headers)
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=range(2, note_column))
    wrap(ws, HEADER_ROW, len(headers))
    letter = {c.key: get_column_letter(2 + i) for i, c in enumerate(columns)}
    address = {row.code: FIRST_ROW + i for i, row in enumerate(sheet.rows)}
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        if row.kind == "spacer":
            continue
        bold = row.kind in ("heading", "subtotal")
        # A long label wraps (fit_rows makes the row high enough) rather than being cut.
        xlsx.put_text(ws, r, 1, row.label, font=xlsx.BOLD if bold else None, alignment=xlsx.WRAP)
        if row.kind == "heading":
            continue
        note = row.annotation
        for number, column in enumerate(columns, start=2):
            if column.key == "deviation":
                formula = xlsx.difference(r, letter["figure"], letter["budget"])
                xlsx.put_formula(ws, r, number, formula, xlsx.MKR_FORMAT)
            elif row.kind != "subtotal":
                xlsx.put_number(ws, r, number, xlsx.mkr(getattr(row, column.key)), xlsx.MKR_FORMAT)
            elif column.key == "budget":
                terms = [(f"{letter['budget']}{address[c]}", sign) for c, sign in row.components]
                formula = sum_formula(terms) if row.budget is not None else None
                if formula is not None:
                    xlsx.put_formula(ws, r, number, formula, xlsx.MKR_FORMAT)
                else:
                    xlsx.put_number(ws, r, number, None, xlsx.MKR_FORMAT)
            else:
                formula = _complete_sum(row.components, address, letter[column.key])
                xlsx.put_formula(ws, r, number, formula, xlsx.MKR_FORMAT)
        if row.kind == "subtotal":
            if subtotal_value(sheet, row.code) is None:
                lacking = _lacking(sheet, row.code)
                note = " ".join(p for p in (f"Summan saknas: {lacking} saknar belopp.", note) if p)
            for column in range(1, len(headers) + 1):
                ws.cell(row=r, column=column).border = xlsx.TOP_BORDER
            bold_row(ws, r, note_column - 1)
        xlsx.put_text(
            ws,
            r,
            note_column,
            note,
            font=xlsx.ITALIC if row.source == Source.DERIVED and not row.remark else None,
        )
        ws.cell(row=r, column=note_column).alignment = xlsx.WRAP
    finish_sheet(ws, widths)


def _complete_sum(components, address, letter="C") -> str:
    """The signed sum of the components in column ``letter``; empty where any of them is
    empty, so that a sum is never a part of the figures presented as the whole."""
    cells = [(f"{letter}{address[c]}", sign) for c, sign in components]
    if not cells:
        return '=""'
    text = ""
    for i, (cell, sign) in enumerate(cells):
        text += f"-{cell}" if sign == -1 else (cell if i == 0 else f"+{cell}")
    blank = ",".join(f'{cell}=""' for cell, _ in cells)
    return f'=IF(OR({blank}),"",{text})'


def _lacking(sheet, code) -> str:
    """The amount rows without a figure that a subtotal rests on, by label."""
    found = []

    def walk(c):
        row = sheet.row(c)
        if row.kind == "subtotal":
            for part, _ in row.components:
                walk(part)
        elif row.figure is None and row.label not in found:
            found.append(row.label)

    walk(code)
    return ", ".join(found)


# Balanskravsutredning -------------------------------------------------------------------

REQUIREMENT_WIDTHS = (64, 16, 60)


def requirement_sheet(ws, report, *, result=None):
    """The balanskravsutredning line by line; its first line, the year's result, refers
    to ``result`` (the summary's cell of the municipality's result) where given."""
    period, balance = report.period, report.balance
    label = report.figure_label.lower()
    sheet_heading(
        ws,
        report,
        f"Balanskravsutredning {period.year} – {period}",
        REQUIREMENT_WIDTHS,
        note=f"Belopp i mkr. Utredningen utgår från årets resultat enligt {label} "
        "(kommunens resultat på sammanfattningen) och ekonomiavdelningens underlag för "
        "perioden (KL 11 kap., RKR R15).",
    )
    xlsx.header_row(ws, HEADER_ROW, ("Balanskravsutredning", "Belopp"), numeric_from=2)
    r = FIRST_ROW
    statement = balance.statement
    if statement is None:
        xlsx.put_text(
            ws, r, 1, balance.missing or "Utredningen kan inte göras ännu.", font=xlsx.BOLD
        )
        finish_sheet(ws, REQUIREMENT_WIDTHS, freeze=f"A{FIRST_ROW}")
        return
    previous_sum = None  # (row, amount) of the latest sum line
    since = []  # (row, amount) of the lines after it
    for index, line in enumerate(statement.lines):
        xlsx.put_text(ws, r, 1, line.label, font=xlsx.BOLD if line.is_sum else None)
        formula = None
        if index == 0 and result is not None:
            formula = f"={result}"
        elif line.is_sum:
            terms = ([previous_sum] if previous_sum else []) + since
            if terms and sum(a for _, a in terms) == line.amount:
                formula = sum_formula([(f"B{row}", 1) for row, _ in terms])
        if formula is not None:
            xlsx.put_formula(ws, r, 2, formula, xlsx.MKR_FORMAT).font = xlsx.BOLD
        else:
            cell = xlsx.put_number(ws, r, 2, xlsx.mkr(line.amount), xlsx.MKR_FORMAT)
            if line.is_sum:
                cell.font = xlsx.BOLD
        if line.is_sum:
            xlsx.total_border(ws, r, 2)
            previous_sum, since = (r, line.amount), []
        else:
            since.append((r, line.amount))
        r += 1
    r += 1
    sentences = []
    if balance.inputs is None:
        sentences.append(NOT_RECORDED)
    elif balance.inputs.comment:
        sentences.append(f"Ekonomiavdelningens kommentar: {balance.inputs.comment}")
    if statement.messages:
        xlsx.put_text(ws, r, 1, "Att åtgärda", font=xlsx.SECTION_FONT)
        r += 1
        for message in statement.messages:
            paragraph(ws, r, message, REQUIREMENT_WIDTHS, font=None)
            r += 1
    if statement.new_deficit is not None:
        sentences.append(
            f"Balanskravsresultatet enligt {label} är negativt: "
            f"{format_mkr(-statement.new_deficit.amount)} mkr ska återställas senast "
            f"{statement.new_deficit.restore_by} (KL 11 kap. 12 §)."
        )
    else:
        sentences.append(
            f"Balanskravsresultatet enligt {label} är inte negativt: balanskravet uppfylls."
        )
    for sentence in sentences:
        paragraph(ws, r, sentence, REQUIREMENT_WIDTHS, font=xlsx.ITALIC)
        r += 1
    finish_sheet(ws, REQUIREMENT_WIDTHS)
