"""The reporting calendar travels with the budget workbook: a sheet "Uppföljningskalender"
that the export writes and the import reads back, so that a municipality loaded from its
workbook can start its follow-up year (import outcome, open a period) without the demo
command or the admin."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from budget.exports import workbook_bytes
from budget.imports import BudgetWorkbookError, import_budget_workbook
from budget.imports.service import summary
from budget.models import AuditEntry
from followup.models import Report, ReportingPeriod
from followup.periods.calendar_sheet import HEADER_ROW, SHEET
from tests.conftest import _load_plan

TODAY = datetime.date(2026, 11, 27)


def periods(plan) -> list[tuple]:
    return list(
        ReportingPeriod.objects.filter(plan=plan)
        .order_by("month")
        .values_list(
            "month",
            "kind",
            "content",
            "asks_outcome",
            "asks_forecast",
            "asks_actions",
            "asks_goals",
            "deadline",
        )
    )


@pytest.fixture(scope="module")
def gone(django_db_setup, django_db_blocker, plan_data):
    """(The workbook, the periods) of the plan with its calendar, made in a transaction
    that is then rolled back: the database they came from is gone."""
    with django_db_blocker.unblock(), transaction.atomic():
        plan = _load_plan(plan_data)
        made = workbook_bytes(plan, today=TODAY), periods(plan)
        transaction.set_rollback(True)
    return made


def edited(content: bytes, edit) -> bytes:
    wb = load_workbook(BytesIO(content))
    edit(wb[SHEET])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_workbook_lists_each_period_with_what_it_asks_and_its_deadline(gone, db):
    content, expected = gone
    ws = load_workbook(BytesIO(content))[SHEET]
    r = HEADER_ROW + 1

    assert [c.value for c in ws[HEADER_ROW]] == [
        "Månad",
        "Rapport",
        "Innehåll",
        "Utfall",
        "Helårsprognos",
        "Planerade åtgärder",
        "Måluppföljning",
        "Sista dag",
    ]
    # March in Hedemora's calendar: outcome, forecast and planned measures.
    march = next(row for row in ws.iter_rows(min_row=r, values_only=True) if row[0] == 3)
    assert march[1:7] == (
        "Månadsrapport",
        "Ekonomisk uppföljning med prognos och planerade åtgärder",
        "Ja",
        "Ja",
        "Ja",
        None,  # not asked: an empty cell
    )
    assert march[7].date() == dict((p[0], p[7]) for p in expected)[3]
    assert ws.max_row - r + 1 == len(expected) == 8


def test_an_empty_database_gets_the_calendar_back_from_the_workbook(gone, db):
    content, expected = gone
    assert not ReportingPeriod.objects.exists()

    result = import_budget_workbook(BytesIO(content))

    assert periods(result.plan) == expected
    assert "Uppföljningskalendern: 8 perioder" in summary(result)


def test_outcome_can_be_imported_for_a_period_of_the_imported_calendar(gone, db, tmp_path):
    content, _ = gone
    plan = import_budget_workbook(BytesIO(content)).plan
    ReportingPeriod.objects.filter(plan=plan, month=4).update(status="oppen")
    path = tmp_path / "utfall.csv"
    path.write_text("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-1207500\n", "utf-8")

    call_command("import_outcome", str(path), "--period", "2026-04", "--confirm", stdout=StringIO())

    assert Report.objects.filter(period__plan=plan, period__month=4).exists()


def test_a_workbook_without_the_sheet_keeps_the_calendar_the_database_has(plan):
    before = periods(plan)
    content = workbook_bytes(plan, today=TODAY)
    wb = load_workbook(BytesIO(content))
    wb.remove(wb[SHEET])
    buffer = BytesIO()
    wb.save(buffer)

    result = import_budget_workbook(BytesIO(buffer.getvalue()))

    assert periods(plan) == before
    assert "Uppföljningskalendern" not in summary(result)


def test_a_changed_content_is_read_back_and_kept_in_the_history(plan):
    content = workbook_bytes(plan, today=TODAY)

    def edit(ws):
        row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws[f"A{r}"].value == 9)
        ws[f"C{row}"] = "Ekonomisk uppföljning med prognos"
        ws[f"E{row}"] = "Ja"

    import_budget_workbook(BytesIO(edited(content, edit)))

    september = ReportingPeriod.objects.get(plan=plan, month=9)
    assert (september.content, september.asks_forecast) == (
        "Ekonomisk uppföljning med prognos",
        True,
    )
    assert AuditEntry.objects.filter(
        area=AuditEntry.Area.CALENDAR, object_id=str(september.pk), field="innehåll"
    ).exists()


def test_every_wrong_cell_is_named_and_nothing_is_saved(plan):
    before = periods(plan)
    content = workbook_bytes(plan, today=TODAY)

    def edit(ws):
        r = HEADER_ROW + 1
        ws[f"A{r}"] = 13
        ws[f"B{r + 1}"] = "Kvartalsrapport"
        ws[f"D{r + 2}"] = "kanske"
        ws[f"H{r + 3}"] = "imorgon"
        ws[f"A{r + 4}"] = ws[f"A{r + 5}"].value
        ws[f"C{r + 6}"] = None

    with pytest.raises(BudgetWorkbookError) as refused:
        import_budget_workbook(BytesIO(edited(content, edit)))

    problems = [str(p) for p in refused.value.problems]
    r = HEADER_ROW + 1
    assert problems == [
        f"Blad ”{SHEET}”, rad {r}, kolumn A: Månaden ska vara ett heltal från 1 till 12.",
        f"Blad ”{SHEET}”, rad {r + 1}, kolumn B: Okänd rapport ”Kvartalsrapport”; tillåtna: "
        "Månadsrapport, Delårsrapport, Årsbokslut.",
        f"Blad ”{SHEET}”, rad {r + 2}, kolumn D: Utfall: skriv Ja eller lämna tomt, inte ”kanske”.",
        f"Blad ”{SHEET}”, rad {r + 3}, kolumn H: Sista dag ska vara ett datum (ÅÅÅÅ-MM-DD).",
        f"Blad ”{SHEET}”, rad {r + 5}, kolumn A: Månad 9 finns redan på rad {r + 4}.",
        f"Blad ”{SHEET}”, rad {r + 6}, kolumn C: Innehållet saknas (till exempel ”Ekonomisk "
        "uppföljning”).",
    ]
    assert periods(plan) == before


def test_a_deadline_before_its_month_is_refused(plan):
    before = periods(plan)

    def edit(ws):
        row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws[f"A{r}"].value == 4)
        ws[f"H{row}"] = datetime.date(2026, 3, 31)

    content = edited(workbook_bytes(plan, today=TODAY), edit)
    # Finance has set no deadline in this test's plan that the import would keep.
    ReportingPeriod.objects.filter(plan=plan, month=4).update(deadline=None)

    with pytest.raises(BudgetWorkbookError, match="sista dag kan inte ligga före periodens månad"):
        import_budget_workbook(BytesIO(content))

    assert ReportingPeriod.objects.get(plan=plan, month=4).deadline is None
    assert periods(plan)[:2] == before[:2]


def test_the_readme_sheet_says_what_the_calendar_sheet_holds(plan):
    ws = load_workbook(BytesIO(workbook_bytes(plan, today=TODAY)))["Om arbetsboken"]
    texts = [c.value for c in ws["A"] if c.value]

    assert any(str(t).startswith(f"{SHEET}: en rad per uppföljningsperiod") for t in texts)
