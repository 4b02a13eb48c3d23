"""How a paper's cells are laid out for print: nothing printed into its neighbour, a row
reads along one line, a sum stands clear of its rule, a label fits its column."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from budget import xlsx
from followup.papers.common import (
    LINE_HEIGHT,
    RULED_ROW_HEIGHT,
    fit_rows,
    space_text_beside_figures,
    text_lines,
)
from followup.papers.statement_sheets import LABEL_WIDTH, MAX_LABEL_WIDTH, label_width


def _sheet():
    return Workbook().active


def test_text_right_of_a_figure_a_date_or_a_right_aligned_heading_starts_a_step_in():
    ws = _sheet()
    ws["A1"], ws["B1"] = Decimal("0.0"), "Godkänd"
    ws["A2"], ws["B2"] = datetime.date(2026, 8, 15), "Pågår"
    ws["A3"], ws["B3"] = "Utfall 2025", "Anmärkning"
    ws["A3"].alignment = Alignment(horizontal="right")
    ws["A4"], ws["B4"] = "=B9", "Nej"

    space_text_beside_figures(ws)

    assert [ws[f"B{r}"].alignment.indent for r in range(1, 5)] == [1, 1, 1, 1]
    assert {ws[f"B{r}"].alignment.horizontal for r in range(1, 5)} == {"left"}


def test_text_right_of_text_keeps_its_place():
    ws = _sheet()
    ws["A1"], ws["B1"] = "Bildningsnämnden", "Godkänd"

    space_text_beside_figures(ws)

    assert not ws["B1"].alignment.indent


def test_a_figure_beside_a_wrapped_text_reads_from_the_top_as_the_text_does():
    ws = _sheet()
    ws["A1"] = "Vakanta tjänster tillsätts inte före augusti"
    ws["A1"].alignment = xlsx.WRAP
    ws["B1"] = Decimal("3.0")
    ws["A2"], ws["B2"] = "Samordnade inköp", Decimal("1.0")

    fit_rows(ws)

    assert ws["B1"].alignment.vertical == "top"
    assert ws["B2"].alignment.vertical is None  # a row without wrapped text is left as it is


def test_a_sum_under_a_rule_has_air_above_it_and_a_high_row_keeps_its_height():
    ws = _sheet()
    ws["A1"] = "Summa verksamhetens nettokostnader"
    ws["A1"].border = Border(top=Side(style="thin"))
    ws["A2"] = "ord " * 80  # wraps to several lines
    ws["A2"].alignment = xlsx.WRAP
    ws["A2"].border = Border(top=Side(style="thin"))
    ws.column_dimensions["A"].width = 30

    fit_rows(ws)

    assert ws.row_dimensions[1].height == RULED_ROW_HEIGHT > LINE_HEIGHT
    assert ws.row_dimensions[2].height > RULED_ROW_HEIGHT


def _statement(*labels):
    rows = [
        SimpleNamespace(label=label, kind="subtotal" if bold else "line") for label, bold in labels
    ]
    return SimpleNamespace(rows=rows)


def test_a_statements_label_column_holds_its_longest_line_on_one_line():
    longest = "Medel från verksamheten före förändring av rörelsekapital"
    sheet = _statement(("Årets resultat", False), (longest, True))

    width = label_width(sheet)

    assert LABEL_WIDTH < width <= MAX_LABEL_WIDTH
    assert text_lines(longest, width, bold=True) == 1


def test_short_labels_keep_the_usual_width_and_a_very_long_one_wraps():
    assert label_width(_statement(("Skatteintäkter", False))) == LABEL_WIDTH
    assert label_width(_statement(("ord " * 40, False))) == MAX_LABEL_WIDTH
