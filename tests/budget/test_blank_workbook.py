"""A blank budget workbook for a new municipality: the sheets the import reads, empty, with
instructions on the first sheet; made without leaving anything in the database, and read
back by the import as it is."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from budget.exports import layout
from budget.exports.blank import INSTRUCTIONS_SHEET, blank_workbook_bytes
from budget.imports import import_budget_workbook
from budget.models import BudgetPlan, Municipality

TODAY = datetime.date(2026, 12, 7)


def blank():
    return blank_workbook_bytes(municipality="Exempelby kommun", year=2027, today=TODAY)


def test_the_instructions_come_first_then_the_sheets_to_fill_in_all_visible(db):
    wb = load_workbook(BytesIO(blank()))

    assert wb.sheetnames[0] == INSTRUCTIONS_SHEET
    assert set(layout.DETAIL_SHEETS) <= set(wb.sheetnames)
    assert "Uppföljningskalender" in wb.sheetnames
    assert not set(layout.DOCUMENT_SHEETS.values()) & set(wb.sheetnames)
    assert {ws.sheet_state for ws in wb.worksheets} == {"visible"}
    texts = [c.value for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value]
    assert texts[0] == "Exempelby kommun – Mål och budget 2027"
    assert any("load_municipality" in t for t in texts)
    assert not any("Dokumentets tabeller" == c.value for c in wb[layout.README_SHEET]["A"])


def test_making_it_leaves_nothing_in_the_database(db):
    blank()

    assert not Municipality.objects.exists()
    assert not BudgetPlan.objects.exists()


def test_the_blank_workbook_is_read_back_as_the_plan_of_a_new_municipality(db):
    content = blank()

    result = import_budget_workbook(BytesIO(content))

    plan = BudgetPlan.objects.get()
    assert (plan.municipality.name, plan.year) == ("Exempelby kommun", 2027)
    assert sorted(plan.years.values_list("year", "kind")) == [
        (2025, "bokslut"),
        (2026, "budget"),
        (2027, "budget"),
        (2028, "plan"),
        (2029, "plan"),
    ]
    assert result.created > 0


def test_the_command_writes_it_and_needs_the_municipalitys_name(db, tmp_path):
    path = tmp_path / "mal-och-budget-2027.xlsx"
    out = StringIO()

    call_command(
        "export_budget",
        "--blank",
        "--year",
        "2027",
        "--municipality",
        "Exempelby kommun",
        "--output",
        str(path),
        stdout=out,
    )

    assert load_workbook(path).sheetnames[0] == INSTRUCTIONS_SHEET
    assert "Så fyller du i" in out.getvalue()
    with pytest.raises(CommandError, match="Ange kommunens namn"):
        call_command("export_budget", "--blank", "--year", "2027", stdout=StringIO())
