"""Workbooks are saved with openpyxl's writer, their cells written as text
(budget.xlsx_saving): the files are openpyxl's own, byte for byte."""

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.worksheet.formula import ArrayFormula

from budget import xlsx, xlsx_saving
from tests.papers import PAPERS, demo_papers

__all__ = ["demo_papers"]  # the fixture, used by the tests below

# The times in the properties: of saving, and of making a workbook that has no date of its own.
TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:(created|modified)>")


def entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {name: TIMES.sub(b"", archive.read(name)) for name in archive.namelist()}


def saved(wb, save) -> dict[str, bytes]:
    buffer = BytesIO()
    save(wb, buffer)
    return entries(buffer.getvalue())


def openpyxl_save(wb, target, **_compression):
    wb.save(target)


def every_kind_of_cell() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad & 'citat'"
    xlsx.put_text(ws, 1, 1, "Rubrik", font=xlsx.BOLD, alignment=xlsx.WRAP)
    xlsx.put_text(ws, 1, 2, "  inledande och avslutande blanksteg  ")
    xlsx.put_text(ws, 1, 3, "<&> \"citat\" 'apostrof'\nny rad\ttabb")
    xlsx.put_text(ws, 1, 4, "=inte en formel")
    xlsx.put_text(ws, 1, 5, "\u00a0hårt blanksteg")
    xlsx.put_text(ws, 1, 6, "", alignment=xlsx.WRAP)  # empty, styled
    xlsx.put_number(ws, 2, 1, Decimal("1207.50"), xlsx.MKR_EXACT_FORMAT)
    xlsx.put_number(ws, 2, 2, Decimal("-0.00000001"), xlsx.MKR_FORMAT)
    xlsx.put_number(ws, 2, 3, 42, xlsx.WHOLE_FORMAT)
    xlsx.put_number(ws, 2, 4, 0.1, xlsx.NUMBER_FORMAT)
    xlsx.put_number(ws, 2, 5, None, xlsx.MKR_FORMAT)  # empty, styled
    xlsx.put_number(ws, 2, 6, date(2026, 10, 31), xlsx.DATE_FORMAT)
    xlsx.put_number(ws, 2, 7, datetime(2026, 10, 31, 14, 30), xlsx.DATETIME_FORMAT)
    ws.cell(row=2, column=8, value=True)
    ws.cell(row=2, column=9, value=False)
    xlsx.put_formula(ws, 3, 1, '=IF(A2>0,"<&>",SUM(A2:C2))', xlsx.MKR_FORMAT)
    ws.cell(row=3, column=2, value="=A2*2")
    ws.cell(row=3, column=3, value="='Blad & ''citat'''!A2")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=3)
    ws.cell(row=4, column=1, value="sammanslagen").border = xlsx.TOTAL_BORDER
    ws.row_dimensions[4].height = 30
    ws.row_dimensions[9].height = 18  # a row with no cells
    # Kinds left to openpyxl's own cell writer.
    ws.cell(row=5, column=1, value="länk").hyperlink = "https://example.org/?a=1&b=2"
    ws.cell(row=5, column=2, value="kommenterad").comment = Comment("En kommentar", "Test")
    ws.cell(row=5, column=3, value=CellRichText("vanlig ", TextBlock(InlineFont(b=True), "fet")))
    ws["D5"] = ArrayFormula("D5:D5", "=SUM(A2:C2)")
    other = wb.create_sheet("Tomt")
    other.cell(row=3, column=2).fill = xlsx.HEADER_FILL  # a styled empty cell only
    wb.create_sheet("Helt tomt")
    return wb


def test_a_workbook_with_every_kind_of_cell_is_saved_as_openpyxl_saves_it():
    assert saved(every_kind_of_cell(), xlsx_saving.save) == saved(
        every_kind_of_cell(), openpyxl_save
    )


@pytest.mark.parametrize("name", PAPERS)
def test_each_paper_is_saved_as_openpyxl_saves_it(name, demo_papers, demo_investments, monkeypatch):
    monkeypatch.setattr(xlsx, "save", openpyxl_save)
    by_openpyxl = PAPERS[name](demo_investments)
    assert entries(demo_papers[name]) == entries(by_openpyxl)
