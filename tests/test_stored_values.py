"""Every workbook the application writes carries each formula's computed value, so that a
mail or phone preview shows the figures; and what it stores is what a spreadsheet program
computes. The papers are held against LibreOffice, made to compute every formula itself.
"""

import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from budget import xlsx
from budget.xlsx_values import UnknownFormula, computed_values, store_values
from tests.papers import PAPERS, demo_papers
from tests.tooling import recomputed_by_libreoffice, recomputed_by_libreoffice_each
from tests.workbooks import differences_from_libreoffice

__all__ = ["demo_papers"]  # the fixture, used by the tests below


def values_of(wb):
    return {f"{sheet}!{cell}": value for (sheet, cell), value in computed_values(wb).items()}


def a_workbook(**cells):
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    for coordinate, value in cells.items():
        ws[coordinate] = value
    return wb


# The formulas as the application writes them --------------------------------------------


def test_a_sum_adds_the_numbers_of_its_range_and_passes_over_empty_cells_and_text():
    wb = a_workbook(A1=Decimal("1.1"), A2="text", A4=Decimal("-0.2"), A5="=SUM(A1:A4)")
    assert values_of(wb) == {"Blad!A5": Decimal("0.9")}


def test_a_total_with_no_figure_in_its_rows_stays_empty_not_zero():
    wb = a_workbook(A1="text", A3=xlsx.column_total("A", 1, 2))
    assert values_of(wb) == {"Blad!A3": ""}


def test_a_difference_is_empty_where_either_side_is_missing():
    wb = a_workbook(B1=Decimal(5), C1=Decimal(7), C2=Decimal(1))
    wb.active["D1"] = xlsx.difference(1, "C", "B")
    wb.active["D2"] = xlsx.difference(2, "C", "B")
    assert values_of(wb) == {"Blad!D1": Decimal(2), "Blad!D2": ""}


def test_a_sumif_leaves_out_the_rows_its_criterion_excludes():
    wb = a_workbook(A1="Pågår", A2="Avbruten", A3=None, B1=Decimal(3), B2=Decimal(4), B3=Decimal(5))
    wb.active["B4"] = '=SUMIF(A1:A3,"<>Avbruten",B1:B3)'
    assert values_of(wb) == {"Blad!B4": Decimal(8)}


def test_rounding_is_half_away_from_zero_as_in_a_spreadsheet():
    wb = a_workbook(A1=Decimal("-2.25"), A2="=ROUND(A1,1)", A3="=ROUND(2.25,1)")
    assert values_of(wb) == {"Blad!A2": Decimal("-2.3"), "Blad!A3": Decimal("2.3")}


def test_a_formula_may_refer_to_a_formula_on_another_sheet():
    wb = a_workbook(A1=Decimal(2), A2=Decimal(3), A3="=A1+A2")
    summary = wb.create_sheet("Sammanfattning och 'citat'")
    summary["B1"] = "='Blad'!A3*2-1"
    summary["B2"] = "='Sammanfattning och ''citat'''!B1/4"
    values = values_of(wb)
    assert values["Sammanfattning och 'citat'!B1"] == Decimal(9)
    assert values["Sammanfattning och 'citat'!B2"] == Decimal("2.25")


def test_a_function_outside_the_applications_formulas_is_refused_not_guessed():
    wb = a_workbook(A1="=VLOOKUP(1,B1:C2,2)")
    with pytest.raises(UnknownFormula, match="VLOOKUP"):
        computed_values(wb)


def test_the_saved_file_stores_each_value_beside_its_formula():
    wb = a_workbook(A1=Decimal("1.5"), A2=Decimal(2), A3="=SUM(A1:A2)", A4='=IF(A1>9,"x","")')
    stored = load_workbook(BytesIO(xlsx.workbook_bytes(wb)), data_only=True)["Blad"]
    formulas = load_workbook(BytesIO(xlsx.workbook_bytes(wb)))["Blad"]
    assert stored["A3"].value == 3.5
    assert stored["A4"].value in ("", None)
    assert formulas["A3"].value == "=SUM(A1:A2)"


def test_a_stored_number_is_written_with_its_exact_digits_not_through_a_float():
    wb = a_workbook(
        A1=Decimal("1207.50"), A2="=A1*1", A3=Decimal("0.1"), A4="=A3+0.2", A5="=1000*1"
    )
    with zipfile.ZipFile(BytesIO(xlsx.workbook_bytes(wb))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()

    assert re.search(r'<c r="A2"[^>]*><f>[^<]*</f><v>1207\.5</v>', sheet)
    assert re.search(
        r'<c r="A4"[^>]*><f>[^<]*</f><v>0\.3</v>', sheet
    )  # a float gives 0.30000000000000004
    assert re.search(r'<c r="A5"[^>]*><f>[^<]*</f><v>1000</v>', sheet)


# The papers against LibreOffice -----------------------------------------------------------


@pytest.mark.libreoffice
def test_every_formula_of_each_paper_stores_the_value_libreoffice_computes(demo_papers, tmp_path):
    """All the papers recomputed in one LibreOffice run (starting it costs more than a paper)."""
    recomputed = recomputed_by_libreoffice_each(demo_papers, tmp_path)

    differing = {
        name: differences_from_libreoffice(demo_papers[name], content)
        for name, content in recomputed.items()
    }
    assert differing == dict.fromkeys(PAPERS, {})


@pytest.mark.libreoffice
def test_libreoffice_here_computes_the_formulas_itself_rather_than_reading_what_is_stored(
    tmp_path,
):
    """The check above could not fail if LibreOffice showed the stored values: a value
    stored wrong on purpose comes back computed."""
    wb = a_workbook(A1=Decimal(2), A2="=A1*3")
    saved = BytesIO()
    wb.save(saved)
    content = store_values(saved.getvalue(), {("Blad", "A2"): Decimal(7)})
    assert load_workbook(BytesIO(content), data_only=True)["Blad"]["A2"].value == 7
    recomputed = load_workbook(
        BytesIO(recomputed_by_libreoffice(content, tmp_path)), data_only=True
    )
    assert recomputed["Blad"]["A2"].value == 6


@pytest.mark.parametrize("name", PAPERS)
def test_no_formula_cell_of_a_paper_is_saved_without_its_value(name, demo_papers):
    """openpyxl alone saves <f>…</f><v/>: a formula with nothing to show."""
    content = demo_papers[name]
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert "<f>" in xml
    assert re.findall(r"<f>[^<]*</f><v\s*/>", xml) == []


def test_a_reference_to_an_empty_cell_shows_zero_as_in_a_spreadsheet():
    wb = a_workbook(A2="=A1", A3='=IF(A1="","",A1)')
    assert values_of(wb) == {"Blad!A2": Decimal(0), "Blad!A3": ""}
