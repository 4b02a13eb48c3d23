"""A blank budget workbook for a new municipality: the sheets the import reads, empty, with
instructions on the first sheet (``export_budget --blank``).

It is the workbook of an empty plan (no committees, no figures), made in a transaction that
is rolled back, without the document's tables (they are formulas over the detail sheets and
are written when the filled-in workbook is exported again)."""

import math
from datetime import date

from django.db import transaction

from budget import xlsx
from budget.exports import layout
from budget.exports.workbook import build_workbook
from budget.loader import load_plan
from budget.reports.snapshot import PlanSnapshot

INSTRUCTIONS_SHEET = "Så fyller du i"
INSTRUCTIONS_WIDTH = 90
# (year offset from the budget year, kind) of a plan's columns, as Mål och budget has them.
YEARS = ((-2, "bokslut", "avslutad"), (-1, "budget", "faststalld"), (0, "budget", "preliminar"))
PLAN_YEARS = 2


def steps(year: int) -> list[str]:
    return [
        "Fyll i bladen i den här ordningen. Belopp i mkr, nettobelopp: kostnader negativa och "
        "intäkter positiva, som i budgetdokumentets tabeller (text som ”−1 207,5” går bra).",
        f"1. {layout.ORGANISATION_SHEET}: kommunens namn och Kolada-id, planens titel och status, "
        "åren i planen (bokslut, budget, plan), förvaltningarna, nämnderna med kod, namn och typ "
        "(nämnd, finansförvaltning eller reserv) och de budgetställningar kommunen gör "
        "(resultat-, balans-, kassaflödesbudget; lämna bort dem ni inte gör).",
        f"2. {layout.FRAMES_SHEET}: en rad per verksamhet med dess nämnd och ramen för varje år.",
        f"3. {layout.LINES_SHEET} och {layout.INVESTMENTS_SHEET}: budgetställningarnas rader och "
        "investeringsbudgetens poster, om kommunen har dem.",
        f"4. {layout.STATED_SHEET}: summor som dokumentet anger, för kontroll (kan lämnas tomt).",
        f"5. {layout.FACTS_SHEET}: nyckeluppgifter (bland dem vad som räknas som en investering: "
        "investering-minsta-belopp och investering-minsta-livslangd) och kommunens bolag.",
        f"6. {layout.GOALS_SHEET}: vision, styrperspektiv, inriktningsmål och nyckeltal.",
        f"7. Uppföljningskalender: en rad per uppföljningsperiod {year} med vad nämnderna lämnar "
        "och sista dag.",
        "Läs sedan in arbetsboken: Budget → Läs in budget, eller "
        "manage.py load_municipality <katalog> med arbetsboken som "
        f"mal-och-budget-{year}.xlsx. Allt läses in eller ingenting; varje fel visas med blad, "
        "rad och kolumn. Exportera därefter budgeten för att få dokumentets tabeller.",
        f"Bladet {layout.README_SHEET} listar de tillåtna värdena.",
    ]


def blank_workbook(*, municipality: str, year: int, today: date):
    data = {
        "municipality": {"name": municipality, "kolada_id": ""},
        "plan": {
            "year": year,
            "title": f"Mål och budget {year}",
            "status": "forslag",
            "unit": "mkr",
        },
        "years": [
            {"year": year + offset, "kind": kind, "status": status}
            for offset, kind, status in YEARS
        ]
        + [
            {"year": year + n, "kind": "plan", "status": "preliminar"}
            for n in range(1, PLAN_YEARS + 1)
        ],
        "administrations": [],
        "committees": [],
    }
    with transaction.atomic():
        wb = build_workbook(PlanSnapshot(load_plan(data).plan), generated_on=today)
        transaction.set_rollback(True)  # a template: nothing of it stays in the database
    for ws in list(wb.worksheets):
        if ws.title in layout.DOCUMENT_SHEETS.values() or ws.title == layout.CONTROL_SHEET:
            wb.remove(ws)
        else:
            ws.sheet_state = "visible"  # in a blank workbook the detail sheets are the work
    _without_document_tables(wb[layout.README_SHEET])
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    xlsx.put_text(ws, 1, 1, f"{municipality} – Mål och budget {year}", font=xlsx.TITLE_FONT)
    xlsx.put_text(ws, 2, 1, "Så fyller du i arbetsboken", font=xlsx.BOLD)
    for row, text in enumerate(steps(year), start=4):
        xlsx.put_text(ws, row, 1, text, alignment=xlsx.WRAP)
        # A spreadsheet program does not grow a row for wrapped text on opening: as high as
        # the text needs, at about one character per unit of the column's width.
        ws.row_dimensions[row].height = 15 * math.ceil(len(text) / INSTRUCTIONS_WIDTH)
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    xlsx.print_setup(
        ws,
        municipality=municipality,
        title=INSTRUCTIONS_SHEET,
        made_on=today,
        orientation="portrait",
    )
    wb.active = 0
    return wb


def _without_document_tables(ws) -> None:
    """The sheet about the workbook without its list of the document's tables (not in a
    blank workbook): from its heading to the empty row after it."""
    start = next(
        (r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Dokumentets tabeller"), None
    )
    if start is None:
        return
    end = start
    while end <= ws.max_row and ws.cell(end, 1).value not in (None, ""):
        end += 1
    ws.delete_rows(start, end - start + 1)


def blank_workbook_bytes(*, municipality: str, year: int, today: date) -> bytes:
    return xlsx.workbook_bytes(blank_workbook(municipality=municipality, year=year, today=today))
