"""The budget as an Excel council paper: the document's tables, with formulas, ready to print."""

import re
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from budget import extensions
from budget.exports import build_workbook, workbook_bytes
from budget.exports.formulas import change_ratio, sum_formula
from budget.models import Activity, BudgetYear, Committee, FrameEntry
from budget.money import round_half_up, round_mkr
from budget.reports import control, document
from budget.reports.snapshot import CURRENT, PlanSnapshot
from budget.xlsx import MKR_FORMAT, PERCENT_FORMAT
from tests import tooling
from tests.budget.plan_document import DOCUMENT_TABLES
from tests.pages import assert_sent_to_login, page_as

GENERATED_ON = date(2026, 11, 27)
DETAIL_SHEETS = [
    "Organisation",
    "Ramar per verksamhet",
    "Rader i budgetställningar",
    "Investeringsposter",
    "Angivna uppgifter",
    "Nyckeluppgifter och bolag",
    "Mål och nyckeltal",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFERENCE = re.compile(r"^='((?:[^']|'')+)'!([A-Z]+[0-9]+)$")


def saved(wb) -> bytes:
    """The workbook as a spreadsheet program gets it: saved."""
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def workbook(snapshot, shared_data):
    """The plan's workbook as built, saved and opened again. Saved once per test process
    (it is the same for every test); each test opens a copy of its own."""
    content = shared_data.computed_once(
        "budget workbook as built",
        lambda: saved(build_workbook(snapshot, generated_on=GENERATED_ON)),
    )
    return load_workbook(BytesIO(content))


def row_of(ws, label):
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == label:
            return cell.row
    raise AssertionError(f"{label!r} not on {ws.title}")


def column_of(ws, kind, year):
    for cell in ws[4]:
        if ws.cell(row=3, column=cell.column).value == kind and cell.value == year:
            return cell.column_letter
    raise AssertionError(f"{kind} {year} not on {ws.title}")


def followed(wb, ws, coordinate):
    """The value a cell shows when it only refers to one cell on another sheet."""
    value = ws[coordinate].value
    match = REFERENCE.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    return followed(wb, wb[match.group(1).replace("''", "'")], match.group(2))


def mkr(value) -> Decimal:
    return Decimal(repr(value))


# --- sheets and layout ---------------------------------------------------------------


def test_every_table_of_the_document_has_its_sheet_in_the_documents_order(workbook):
    parts = [part.sheet for part in extensions.workbook_parts()]  # the calendar, from followup
    assert workbook.sheetnames == [
        *DOCUMENT_TABLES,
        "Kontroll",
        "Om arbetsboken",
        *parts,
        *DETAIL_SHEETS,
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_each_table_starts_with_title_unit_and_year_headers(workbook):
    ws = workbook["Budgetjämförelse"]

    assert ws["A1"].value == "Hedemora kommun – Budgetjämförelse"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "Nettobelopp, mkr"
    assert [c.value for c in ws[3]][1:] == ["Bokslut", "Budget", "Budget", "Plan", "Plan"]
    assert [c.value for c in ws[4]][1:] == ["2024", "2025", "2026", "2027", "2028"]
    assert workbook["Förändring mot föregående år"]["A1"].value == (
        "Hedemora kommun – Budgetförändring mot föregående år"
    )


def test_committee_frame_is_the_documents_figure_in_mkr(workbook):
    ws = workbook["Budgetjämförelse"]
    cell = f"{column_of(ws, 'Budget', '2026')}{row_of(ws, 'Bildningsnämnden')}"

    assert ws[cell].value.startswith("='Ramar per verksamhet'!")
    assert mkr(followed(workbook, ws, cell)) == Decimal("-523.3")
    assert ws[cell].number_format == MKR_FORMAT


def test_statement_and_investment_amounts_come_from_the_detail_sheets(workbook):
    result = workbook["Resultatbudget"]
    investments = workbook["Investeringsbudget"]

    depreciation = f"{column_of(result, 'Budget', '2026')}{row_of(result, 'Avskrivningar')}"
    omsorg = f"{column_of(investments, 'Plan', '2027')}{row_of(investments, 'Omsorgsnämnden')}"

    assert mkr(followed(workbook, result, depreciation)) == Decimal("-23.0")
    assert mkr(followed(workbook, investments, omsorg)) == Decimal("12.5")


def test_totals_are_formulas_not_values(workbook):
    ws = workbook["Budgetjämförelse"]
    column = column_of(ws, "Budget", "2026")
    first, last = row_of(ws, "Kommunrevisionen"), row_of(ws, "Politisk utfördelning")
    committees_total = row_of(ws, "Summa nämnder")
    finance_total = row_of(ws, "Summa Finansförvaltningen")

    assert ws[f"{column}{committees_total}"].value == f"=SUM({column}{first}:{column}{last})"
    assert ws[f"{column}{row_of(ws, 'Resultat')}"].value == (
        f"={column}{committees_total}+{column}{finance_total}"
    )


def test_changes_are_differences_and_ratios_of_the_same_row(workbook):
    ws = workbook["Förändring mot föregående år"]
    r = row_of(ws, "Bildningsnämnden")

    assert ws[f"D{r}"].value == f"=C{r}-B{r}"
    assert ws[f"E{r}"].value == f'=IF(B{r}=0,"",(C{r}-B{r})/B{r})'
    assert ws[f"E{r}"].number_format == PERCENT_FORMAT
    assert (
        ws[f"B{r}"].value
        == f"='Budgetjämförelse'!C{row_of(workbook['Budgetjämförelse'], 'Bildningsnämnden')}"
    )


def test_sum_formula_keeps_the_signs_of_its_terms():
    assert sum_formula([("B5", 1), ("B6", 1), ("B7", -1)]) == "=B5+B6-B7"
    assert sum_formula([("B5", -1), ("B9", 1)]) == "=-B5+B9"
    assert sum_formula([("B5", 1), ("B6", 1), ("B7", 1)]) == "=SUM(B5:B7)"
    assert sum_formula([("B5", 1), ("B7", 1)]) == "=B5+B7"
    assert sum_formula([]) is None
    assert change_ratio("C5", "B5") == '=IF(B5=0,"",(C5-B5)/B5)'


def test_missing_figures_stay_empty(workbook):
    ws = workbook["Budgetjämförelse"]

    assert ws[f"B{row_of(ws, 'Politisk utfördelning')}"].value is None


def test_percent_cells_hold_fractions_formatted_as_percent(workbook):
    ws = workbook["Kontroll"]
    r = next(
        r
        for r in range(4, ws.max_row + 1)
        if ws[f"A{r}"].value == "Budgetförändring mot föregående år"
        and ws[f"B{r}"].value == "Kommunstyrelsen"
        and ws[f"C{r}"].value == "Förändring %"
    )

    assert mkr(ws[f"E{r}"].value) == Decimal("-0.017")
    assert ws[f"E{r}"].number_format == PERCENT_FORMAT


def test_totals_and_headings_are_bold_with_a_rule_above(workbook):
    result = workbook["Budgetjämförelse"]
    balance = workbook["Balansbudget"]
    total = row_of(result, "Resultat")

    assert result[f"A{total}"].font.bold
    assert result[f"B{total}"].border.top.style == "thin"
    assert not result[f"A{row_of(result, 'Bildningsnämnden')}"].font.bold
    assert balance[f"A{row_of(balance, 'Panter och ansvarsförbindelser')}"].font.bold


def test_table_notes_are_printed_under_the_table(workbook):
    ws = workbook["Investeringsbudget"]
    total = row_of(ws, "Summa investeringar")

    assert ws[f"A{total + 2}"].value.startswith("*Budget 2026 exkl. överflyttade medel")
    assert ws["D4"].value == "2026*"


def test_panes_are_frozen_below_the_headers_and_beside_the_labels(workbook):
    for name in DOCUMENT_TABLES:
        assert workbook[name].freeze_panes == "B5"


def test_every_sheet_prints_on_landscape_a4_fitted_to_the_width(workbook):
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
        # A document table is short: on one page, not with two rows left for a second.
        assert ws.page_setup.fitToHeight == (1 if ws.title in DOCUMENT_TABLES else 0)
        assert "&P" in ws.oddFooter.right.text
        assert "&N" in ws.oddFooter.right.text
        assert "2026-11-27" in ws.oddFooter.right.text
        assert ws.oddFooter.left.text == "Hedemora kommun"
        assert ws.title in ws.oddFooter.center.text


def test_the_detail_sheets_are_hidden_so_that_only_the_document_prints(workbook):
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "hidden"] == DETAIL_SHEETS
    readme = " ".join(str(c.value) for c in workbook["Om arbetsboken"]["A"] if c.value)
    assert "Detaljbladen är dolda" in readme


def test_document_sheets_repeat_title_and_headers_on_every_page(workbook):
    for name in DOCUMENT_TABLES:
        assert workbook[name].print_title_rows == "$1:$4"


def test_a_label_that_looks_like_a_formula_is_stored_as_text(plan):
    name = '=HYPERLINK("https://example.org/","Klicka")'
    Committee.objects.filter(code="bildningsnamnden").update(name=name)

    content = workbook_bytes(plan, today=GENERATED_ON)
    wb = load_workbook(BytesIO(content))

    cell = wb["Budgetjämförelse"][f"A{row_of(wb['Budgetjämförelse'], name)}"]
    assert cell.value == name
    assert cell.data_type == "s"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>HYPERLINK" in archive.read(n).decode() for n in sheets)


def test_detail_and_control_sheets_hold_values_only(workbook):
    for name in [*DETAIL_SHEETS, "Kontroll", "Om arbetsboken"]:
        formulas = [
            c.coordinate for row in workbook[name].iter_rows() for c in row if c.data_type == "f"
        ]
        assert formulas == [], name


def test_control_sheet_sets_every_stated_figure_beside_the_computed_one(workbook, snapshot):
    ws = workbook["Kontroll"]
    checks = control.checks(snapshot)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]

    assert len(rows) == len(checks)
    committees_2026 = next(
        r for r in rows if r[:3] == ["Budgetjämförelse", "Summa nämnder", "Budget 2026"]
    )
    assert mkr(committees_2026[4]) == Decimal("-1207.5")
    assert mkr(committees_2026[5]) == Decimal("-1207.6")
    assert committees_2026[7] == "Avviker"


def test_frames_sheet_holds_each_activitys_adopted_frame_per_year(workbook):
    ws = workbook["Ramar per verksamhet"]
    headers = [c.value for c in ws[2]]
    r = next(r for r in range(3, ws.max_row + 1) if ws[f"B{r}"].value == "skatteintakter")

    assert headers[:4] == ["Nämnd", "Kod", "Verksamhet", "Skatter och generella statsbidrag"]
    assert headers[4:] == ["Bokslut 2024", "Budget 2025", "Budget 2026", "Plan 2027", "Plan 2028"]
    assert ws[f"A{r}"].value == "finansforvaltningen"
    assert ws[f"D{r}"].value == "Ja"
    assert mkr(ws[f"G{r}"].value) == Decimal("839.1")


def reallocate(plan, amount_mkr: str, *, to: str, from_: str, key="budget-2026"):
    """A decided change during the year: money moved from one committee to another."""
    kind, year = key.split("-")
    budget_year = BudgetYear.objects.get(plan=plan, kind=kind, year=int(year))
    amount = Decimal(amount_mkr) * 1_000_000
    for code, sign in ((to, 1), (from_, -1)):
        FrameEntry.objects.create(
            activity=Activity.objects.get(committee__code=code, code=code),
            budget_year=budget_year,
            kind=FrameEntry.Kind.CHANGE,
            amount=sign * amount,
            decision="KF § 12",
        )


def test_on_the_current_budget_the_changes_are_added_to_the_adopted_frames(plan):
    reallocate(plan, "2.5", to="bildningsnamnden", from_="kommunstyrelsen")

    wb = load_workbook(BytesIO(workbook_bytes(plan, today=GENERATED_ON, frames=CURRENT)))

    frames = wb["Ramar per verksamhet"]
    changes_title = row_of(frames, "Beslutade förändringar under året (läses inte in)")
    ws = wb["Budgetjämförelse"]
    formula = ws[f"D{row_of(ws, 'Bildningsnämnden')}"].value
    adopted, changed = (part.split("!")[1] for part in formula.removeprefix("=").split("+"))
    assert mkr(frames[adopted].value) == Decimal("-523.3")
    assert frames[changed].row > changes_title
    assert mkr(frames[changed].value) == Decimal("2.5")


def test_on_the_adopted_budget_the_tables_refer_to_the_adopted_frames_only(plan):
    reallocate(plan, "2.5", to="bildningsnamnden", from_="kommunstyrelsen")

    wb = load_workbook(BytesIO(workbook_bytes(plan, today=GENERATED_ON)))

    frames = wb["Ramar per verksamhet"]
    ws = wb["Budgetjämförelse"]
    formula = ws[f"D{row_of(ws, 'Bildningsnämnden')}"].value
    assert "+" not in formula
    assert mkr(frames[formula.split("!")[1]].value) == Decimal("-523.3")


# --- the view and the command -----------------------------------------------------------


def test_signed_in_user_downloads_the_budget_workbook(client, councillor):
    response = page_as(client, councillor, reverse("budget:export", kwargs={"year": 2026}))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="budget-2026.xlsx"'
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames[0] == "Budgetjämförelse"


def test_anonymous_visitor_is_sent_to_login_instead_of_the_workbook(client, plan):
    response = client.get(reverse("budget:export", kwargs={"year": 2026}))

    assert_sent_to_login(response)


def test_workbook_of_a_year_without_budget_is_not_found(client, councillor):
    client.force_login(councillor)

    response = client.get(reverse("budget:export", kwargs={"year": 2031}))

    assert response.status_code == 404


def test_workbook_is_only_fetched_not_posted(client, councillor):
    client.force_login(councillor)

    response = client.post(reverse("budget:export", kwargs={"year": 2026}))

    assert response.status_code == 405


def test_export_command_writes_the_workbook(plan, tmp_path):
    path = tmp_path / "budget-2026.xlsx"
    out = StringIO()

    call_command("export_budget", "--year", "2026", "--output", str(path), stdout=out)

    assert load_workbook(path).sheetnames[:7] == DOCUMENT_TABLES
    assert "skriven till" in out.getvalue()


def test_export_command_says_when_there_is_no_budget_for_the_year(plan, tmp_path):
    with pytest.raises(CommandError, match="Det finns ingen budget för 2031"):
        call_command("export_budget", "--year", "2031", "--output", str(tmp_path / "x.xlsx"))

    assert not (tmp_path / "x.xlsx").exists()


# --- what a spreadsheet program computes ---------------------------------------------------


def recomputed_sheets(content: bytes, tmp_path: Path) -> dict:
    """Every sheet as LibreOffice computes it: {sheet name: rows of cell texts}."""
    return tooling.recomputed_sheets(content, tmp_path, "budget")


def shown(text: str, unit: str) -> Decimal | None:
    """A recomputed cell as the document shows it: one decimal of mkr or of percent."""
    if text == "":
        return None
    if unit == "procent":
        return round_half_up(Decimal(text.removesuffix("%")), 1)
    return round_half_up(Decimal(text), 1)


def expected(value, unit: str) -> Decimal | None:
    if value is None:
        return None
    return round_half_up(value * 100, 1) if unit == "procent" else round_mkr(value)


@pytest.mark.libreoffice
def test_spreadsheet_program_computes_the_applications_figures(plan, tmp_path):
    reallocate(plan, "2.5", to="bildningsnamnden", from_="kommunstyrelsen")
    reallocate(plan, "0.3", to="omsorgsnamnden", from_="valnamnden", key="plan-2027")
    # Asked for the current budget, the document sheets hold the adopted frames and the changes.
    snapshot = PlanSnapshot(plan, basis=CURRENT)
    sheets = recomputed_sheets(workbook_bytes(plan, today=GENERATED_ON, frames=CURRENT), tmp_path)

    compared = 0
    for table, name in zip(document.all_tables(snapshot), DOCUMENT_TABLES, strict=True):
        rows = sheets[name]
        for index, row in enumerate(table.rows):
            cells = rows[4 + index] + [""] * len(table.columns)
            assert cells[0] == row.label
            for c_index, column in enumerate(table.columns):
                unit = table.cell_unit(row, column.key)
                assert shown(cells[1 + c_index], unit) == expected(
                    row.values.get(column.key), unit
                ), (
                    name,
                    row.label,
                    column.label,
                )
                compared += 1
    comparison = sheets["Budgetjämförelse"]
    committees_total = next(r for r in comparison if r[0] == "Summa nämnder")
    assert shown(committees_total[3], "mkr") == Decimal("-1207.6")
    assert compared > 250
