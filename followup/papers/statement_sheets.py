"""The statement sheets of the interim report and the annual accounts: Resultaträkning,
Balansräkning and Kassaflödesanalys (figures from followup.papers.statements) and the
Balanskravsutredning (followup.statements.result). Subtotals are formulas over their
component rows, empty where a component has no figure; a note column says where each figure
comes from and marks what is missing.
"""

from budget import xlsx
from budget.exports.formulas import sum_formula
from budget.models import Statement
from budget.money import format_mkr
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    bold_row,
    finish_sheet,
    paragraph,
    sheet_heading,
    wrap,
)
from followup.papers.statements import Source, subtotal_value

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

STATEMENT_WIDTHS = (48, 14, 14, 14, 70)


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
    return (
        base
        + entered
        + ". Summorna är formler över raderna och står tomma där en rad saknar belopp."
    )


def statement_sheet(ws, report, kind):
    period = report.period
    title = f"{STATEMENT_SHEETS[kind]} – {period}"
    sheet_heading(ws, report, title, STATEMENT_WIDTHS, note=_statement_note(report, kind))
    sheet = report.statements.get(kind)
    if sheet is None:
        xlsx.put_text(ws, HEADER_ROW, 1, NO_STATEMENT, font=xlsx.BOLD)
        finish_sheet(ws, STATEMENT_WIDTHS, freeze="A4")
        return
    headers = (
        sheet.title,
        sheet.budget_label,
        f"{report.figure_label} {period.year}",
        f"Avvikelse ({report.figure_label.lower()} − budget)",
        "Anmärkning",
    )
    xlsx.header_row(ws, HEADER_ROW, headers, numeric=(2, 3, 4))
    wrap(ws, HEADER_ROW, len(headers))
    address = {row.code: FIRST_ROW + i for i, row in enumerate(sheet.rows)}
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        if row.kind == "spacer":
            continue
        bold = row.kind in ("heading", "subtotal")
        xlsx.put_text(ws, r, 1, row.label, font=xlsx.BOLD if bold else None)
        if row.kind == "heading":
            continue
        if row.kind == "subtotal":
            terms = [(f"B{address[c]}", sign) for c, sign in row.components]
            formula = sum_formula(terms) if row.budget is not None else None
            if formula is not None:
                xlsx.put_formula(ws, r, 2, formula, xlsx.MKR_FORMAT)
            else:
                xlsx.put_number(ws, r, 2, None, xlsx.MKR_FORMAT)
            xlsx.put_formula(ws, r, 3, _complete_sum(row.components, address), xlsx.MKR_FORMAT)
            note = row.note
            if subtotal_value(sheet, row.code) is None:
                lacking = _lacking(sheet, row.code)
                note = " ".join(p for p in (f"Summan saknas: {lacking} saknar belopp.", note) if p)
            for column in range(1, len(headers) + 1):
                ws.cell(row=r, column=column).border = xlsx.TOP_BORDER
            bold_row(ws, r, 4)
        else:
            xlsx.put_number(ws, r, 2, xlsx.mkr(row.budget), xlsx.MKR_FORMAT)
            xlsx.put_number(ws, r, 3, xlsx.mkr(row.figure), xlsx.MKR_FORMAT)
            note = row.note
        xlsx.put_formula(ws, r, 4, xlsx.difference(r, "C", "B"), xlsx.MKR_FORMAT)
        xlsx.put_text(ws, r, 5, note, font=xlsx.ITALIC if row.source == Source.DERIVED else None)
        ws.cell(row=r, column=5).alignment = xlsx.WRAP
    finish_sheet(ws, STATEMENT_WIDTHS)


def _complete_sum(components, address) -> str:
    """The signed sum of the components; empty where any of them is empty, so that a sum
    is never a part of the figures presented as the whole."""
    cells = [(f"C{address[c]}", sign) for c, sign in components]
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


def requirement_sheet(ws, report):
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
    for line in statement.lines:
        xlsx.put_text(ws, r, 1, line.label, font=xlsx.BOLD if line.is_sum else None)
        formula = None
        if line.is_sum:
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
