"""The budget workbook: the adopted budget by default, the current one beside it, labelled.

``export_budget --frames adopted|current`` (default adopted). The document sheets equal the
document; where decided changes exist, a sheet beside them holds the Budgetjämförelse on
the other basis and lists the changes. Kontroll always compares the adopted figures. On
"Ramar per verksamhet" each year's changes stand under that year's heading.
"""

import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from budget.exports import workbook_bytes
from budget.exports.layout import FRAME_CHANGES, FRAMES
from budget.models import Activity, BudgetYear, FrameEntry
from budget.reports.snapshot import CURRENT
from tests import tooling

TODAY = datetime.date(2026, 11, 27)
MKR = Decimal(1_000_000)


def move(plan, amount, *, to, from_, year=2026, kind=BudgetYear.Kind.BUDGET):
    """KF moves ``amount`` mkr of a year's frames from one committee to another, applied."""
    budget_year = BudgetYear.objects.get(plan=plan, year=year, kind=kind)
    for code, sign in ((to, -1), (from_, 1)):
        FrameEntry.objects.create(
            activity=Activity.objects.get(code=code),
            budget_year=budget_year,
            kind=FrameEntry.Kind.CHANGE,
            amount=sign * Decimal(amount) * MKR,
            decision=f"KF {year}-04-27 § 45",
            decided_on=datetime.date(2026, 4, 27),
        )


@pytest.fixture
def changed(plan):
    """As in the demo: 1,2 mkr from Kommunstyrelsen to Omsorgsnämnden in 2026, and 0,4 mkr
    from Valnämnden to Bildningsnämnden in the plan for 2027."""
    move(plan, "1.2", to="omsorgsnamnden", from_="kommunstyrelsen")
    move(plan, "0.4", to="bildningsnamnden", from_="valnamnden", year=2027, kind="plan")
    return plan


def opened(content):
    return load_workbook(BytesIO(content))


def section(ws, title):
    """(headers, {activity code: row values}) of a section on a detail sheet."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    headers, data = rows[start + 1], {}
    for r in rows[start + 2 :]:
        if not any(v is not None for v in r):
            break
        data[r[1]] = r
    return headers, data


def test_each_change_stands_under_its_years_heading(changed):
    ws = opened(workbook_bytes(changed, today=TODAY))["Ramar per verksamhet"]

    headers, changes = section(ws, FRAME_CHANGES.title)

    def under(code, heading):
        value = changes[code][headers.index(heading)]
        return None if value is None else Decimal(str(value))

    assert under("kommunstyrelsen", "Budget 2026") == Decimal("1.2")
    assert under("omsorgsnamnden", "Budget 2026") == Decimal("-1.2")
    assert under("kommunstyrelsen", "Plan 2027") is None
    assert under("bildningsnamnden", "Plan 2027") == Decimal("-0.4")
    assert under("bildningsnamnden", "Budget 2026") is None
    assert changes["omsorgsnamnden"][headers.index("Beslut")] == "KF 2026-04-27 § 45"


def test_the_changes_year_columns_are_the_frames_year_columns(changed):
    ws = opened(workbook_bytes(changed, today=TODAY))["Ramar per verksamhet"]

    frame_headers, _ = section(ws, FRAMES.title)
    change_headers, _ = section(ws, FRAME_CHANGES.title)

    fixed = len(FRAMES.columns)
    assert len(FRAME_CHANGES.columns) == fixed
    assert change_headers[fixed:] == frame_headers[fixed:]


def test_without_changes_there_is_no_side_sheet(plan):
    names = opened(workbook_bytes(plan, today=TODAY)).sheetnames

    assert "Aktuell budget" not in names and "Antagen budget" not in names


def test_the_adopted_workbook_has_the_current_budget_labelled_beside_it(changed):
    wb = opened(workbook_bytes(changed, today=TODAY))

    assert wb.sheetnames.index("Aktuell budget") == wb.sheetnames.index("Investeringsbudget") + 1
    side = wb["Aktuell budget"]
    assert side["A1"].value == (
        "Hedemora kommun – Budgetjämförelse – aktuell budget efter beslutade förändringar"
    )
    assert wb["Budgetjämförelse"]["A1"].value == "Hedemora kommun – Budgetjämförelse"
    assert "antagen budget, som i dokumentet" in wb["Budgetjämförelse"]["A2"].value
    texts = [[c.value for c in row] for row in side.iter_rows()]
    listed = [r for r in texts if r[0] and str(r[0]).startswith("KF ")]
    assert sorted((r[3], r[5], Decimal(str(r[6]))) for r in listed) == [
        ("Bildningsnämnden", "Plan 2027", Decimal("-0.4")),
        ("Kommunstyrelsen", "Budget 2026", Decimal("1.2")),
        ("Omsorgsnämnden", "Budget 2026", Decimal("-1.2")),
        ("Valnämnden", "Plan 2027", Decimal("0.4")),
    ]


def test_the_current_workbook_has_the_adopted_budget_beside_it(changed):
    wb = opened(workbook_bytes(changed, today=TODAY, frames=CURRENT))

    assert "Antagen budget" in wb.sheetnames and "Aktuell budget" not in wb.sheetnames
    assert "aktuell budget efter beslutade förändringar" in wb["Budgetjämförelse"]["A2"].value


def test_control_compares_the_adopted_figures_whichever_frames_are_shown(changed):
    def control(frames):
        ws = opened(workbook_bytes(changed, today=TODAY, frames=frames))["Kontroll"]
        return [[c.value for c in row] for row in ws.iter_rows()]

    adopted = control("antagen")

    assert adopted == control(CURRENT)
    ks = next(r for r in adopted if r[1] == "Kommunstyrelsen" and r[2] == "Förändring mkr")
    assert (Decimal(str(ks[5])), ks[7]) == (Decimal("2.1"), "Stämmer")


def test_the_command_writes_the_adopted_budget_by_default(changed, tmp_path):
    out = StringIO()

    call_command(
        "export_budget", "--year", "2026", "--output", str(tmp_path / "b.xlsx"), stdout=out
    )

    assert "antagen budget" in out.getvalue()
    assert "Aktuell budget" in load_workbook(tmp_path / "b.xlsx").sheetnames


def test_the_command_writes_the_current_budget_when_asked(changed, tmp_path):
    out = StringIO()
    path = tmp_path / "b.xlsx"

    call_command(
        "export_budget", "--year", "2026", "--frames", "current", "--output", str(path), stdout=out
    )

    assert "aktuell budget efter beslutade förändringar" in out.getvalue()
    assert "Antagen budget" in load_workbook(path).sheetnames


def test_the_command_refuses_an_unknown_frames_value_and_writes_nothing(changed, tmp_path):
    path = tmp_path / "b.xlsx"

    with pytest.raises(CommandError, match="Okänt värde för --frames"):
        call_command("export_budget", "--year", "2026", "--frames", "gissad", "--output", str(path))

    assert not path.exists()


@pytest.mark.libreoffice
def test_after_the_changes_the_adopted_workbook_computes_the_documents_figures(changed, tmp_path):
    sheets = tooling.recomputed_sheets(workbook_bytes(changed, today=TODAY), tmp_path, "budget")

    def row(sheet, label):
        return next(r for r in sheets[sheet] if r and r[0] == label)

    def shown(text):
        return round(Decimal(text.removesuffix("%")), 1)

    assert shown(row("Budgetjämförelse", "Kommunstyrelsen")[3]) == Decimal("-121.4")
    assert shown(row("Budgetjämförelse", "Omsorgsnämnden")[3]) == Decimal("-534.1")
    assert shown(row("Budgetjämförelse", "Bildningsnämnden")[4]) == Decimal("-538.4")
    change = row("Förändring mot föregående år", "Kommunstyrelsen")
    assert (shown(change[3]), shown(change[4])) == (Decimal("2.1"), Decimal("-1.7"))
    assert shown(row("Aktuell budget", "Kommunstyrelsen")[3]) == Decimal("-120.2")
    assert shown(row("Aktuell budget", "Bildningsnämnden")[4]) == Decimal("-538.8")
