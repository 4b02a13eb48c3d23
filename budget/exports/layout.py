"""The budget workbook's layout: sheet names, sections and column headers.

Shared by the export (which writes it) and the import (which reads it back), so the
two cannot drift apart. See docs/decisions/0004-budget-workbook.md.

Two kinds of sheet:

- **Document sheets**, one per table of the document (Budgetjämförelse, …), laid out
  like the council paper. Their figures are formulas over the detail sheets, so the
  workbook stays consistent when a figure is changed; the import never reads them.
- **Detail sheets**, holding everything the plan consists of in plain rows. They are
  what the import reads. A detail sheet is a list of *sections*: a title row (the
  section title in column A), a header row, then data rows up to the next section.
"""

import re
from dataclasses import dataclass

# --- document sheets --------------------------------------------------------------

# Sheet titles may hold at most 31 characters; these are the document's tables.
DOCUMENT_SHEETS = {
    "budgetjamforelse": "Budgetjämförelse",
    "budgetforandring": "Förändring mot föregående år",
    "forandring-av-medel": "Förändring av medel",
    "resultatbudget": "Resultatbudget",
    "balansbudget": "Balansbudget",
    "kassaflodesbudget": "Kassaflödesbudget",
    "investeringsbudget": "Investeringsbudget",
}
TITLE_ROW = 1  # "<Kommun> – <tabell>"
UNIT_ROW = 2  # "Nettobelopp, mkr"
KIND_ROW = 3  # "Budget"
YEAR_ROW = 4  # "2026"
FIRST_DATA_ROW = 5

CONTROL_SHEET = "Kontroll"
README_SHEET = "Om arbetsboken"

# Amounts are shown in mkr (budget.xlsx.MKR_FORMAT); on the detail sheets every decimal
# stays visible (MKR_EXACT_FORMAT).

# --- detail sheets ----------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A table on a detail sheet.

    ``columns`` are (field, header) pairs in order. A section with ``years`` has one
    amount column per budget year after its fixed columns, headed "Budget 2026".
    A ``key_value`` section has two columns, Uppgift and Värde, and ``columns`` are
    the (field, label) pairs of its rows.
    """

    title: str
    columns: tuple
    years: bool = False
    key_value: bool = False

    @property
    def headers(self) -> list[str]:
        if self.key_value:
            return list(KEY_VALUE_HEADERS)
        return [header for _, header in self.columns]


KEY_VALUE_HEADERS = ("Uppgift", "Värde")

PLAN = Section(
    "Kommun och plan",
    (
        ("municipality", "Kommun"),
        ("kolada_id", "Kolada-id"),
        ("year", "Budgetår"),
        ("title", "Titel"),
        ("status", "Status"),
        ("adopted_by", "Beslutad av"),
        ("source", "Källa"),
        ("investment_note", "Not till investeringsbudgeten"),
    ),
    key_value=True,
)
YEARS = Section(
    "År i planen", (("kind", "Slag"), ("year", "År"), ("status", "Status"), ("note", "Not"))
)
ADMINISTRATIONS = Section("Förvaltningar", (("code", "Kod"), ("name", "Namn")))
COMMITTEES = Section(
    "Nämnder",
    (
        ("code", "Kod"),
        ("name", "Namn"),
        ("kind", "Slag"),
        ("administration", "Förvaltning"),
        ("description", "Beskrivning"),
    ),
)
STATEMENTS = Section("Budgetställningar", (("kind", "Slag"), ("title", "Rubrik")))

FRAMES = Section(
    "Beslutade ramar per verksamhet",
    (
        ("committee", "Nämnd"),
        ("code", "Kod"),
        ("name", "Verksamhet"),
        ("tax_base", "Skatter och generella statsbidrag"),
    ),
    years=True,
)
# Written only when frames have been changed during the year; never read back: the
# import loads adopted frames, and changes are decisions recorded in the application.
# Its fixed columns are as many as the frames' (the fourth names the decisions), so each
# year's changes stand in the same column as that year's frames and under its heading.
FRAME_CHANGES = Section(
    "Beslutade förändringar under året (läses inte in)",
    (("committee", "Nämnd"), ("code", "Kod"), ("name", "Verksamhet"), ("decisions", "Beslut")),
    years=True,
)
LINES = Section(
    "Rader i budgetställningar",
    (
        ("statement", "Budgetställning"),
        ("code", "Kod"),
        ("label", "Text"),
        ("type", "Radtyp"),
        ("sum", "Summa av"),
        ("reference", "Ska stämma med"),
        ("reference_sign", "Tecken mot referens"),
        ("role", "Roll"),
    ),
    years=True,
)
INVESTMENTS = Section(
    "Investeringsposter", (("code", "Kod"), ("name", "Namn"), ("committee", "Nämnd")), years=True
)
STATED = Section(
    "Angivna uppgifter", (("table", "Tabell"), ("row", "Rad"), ("unit", "Enhet")), years=True
)
FACTS = Section(
    "Nyckeluppgifter",
    (
        ("code", "Kod"),
        ("label", "Uppgift"),
        ("value", "Värde"),
        ("unit", "Enhet"),
        ("year", "Avser år"),
        ("note", "Kommentar"),
    ),
)
COMPANIES = Section("Bolag", (("code", "Kod"), ("name", "Namn")))
COMPANY_FORECASTS = Section(
    "Bolagsprognoser",
    (("company", "Bolag"), ("year", "År"), ("source", "Källa"), ("amount", "Resultat, mkr")),
)
VISION = Section("Vision", (("title", "Rubrik"), ("text", "Text")), key_value=True)
PERSPECTIVES = Section(
    "Styrperspektiv", (("code", "Kod"), ("name", "Namn"), ("description", "Beskrivning"))
)
GOALS = Section(
    "Inriktningsmål", (("number", "Nummer"), ("title", "Mål"), ("description", "Beskrivning"))
)
INDICATORS = Section(
    "Nyckeltal",
    (
        ("goal", "Mål"),
        ("code", "Kod"),
        ("name", "Nyckeltal"),
        ("description", "Beskrivning"),
        ("baseline_value", "Utgångsvärde"),
        ("baseline_year", "Utgångsår"),
        ("target_value", "Målvärde"),
        ("target_year", "Målår"),
        ("direction", "Önskad riktning"),
        ("source", "Källa"),
    ),
)
FINANCIAL_INDICATORS = Section(
    "Finansiella nyckeltal",
    (("goal", "Mål"), ("code", "Kod"), ("name", "Nyckeltal"), ("method", "Beräkning")),
)

ORGANISATION_SHEET = "Organisation"
FRAMES_SHEET = "Ramar per verksamhet"
LINES_SHEET = "Rader i budgetställningar"
INVESTMENTS_SHEET = "Investeringsposter"
STATED_SHEET = "Angivna uppgifter"
FACTS_SHEET = "Nyckeluppgifter och bolag"
GOALS_SHEET = "Mål och nyckeltal"

# Each detail sheet and its sections, in order. The import requires every sheet and
# every section (a section may be empty); optional sections may be left out.
DETAIL_SHEETS = {
    ORGANISATION_SHEET: (PLAN, YEARS, ADMINISTRATIONS, COMMITTEES, STATEMENTS),
    FRAMES_SHEET: (FRAMES, FRAME_CHANGES),
    LINES_SHEET: (LINES,),
    INVESTMENTS_SHEET: (INVESTMENTS,),
    STATED_SHEET: (STATED,),
    FACTS_SHEET: (FACTS, COMPANIES, COMPANY_FORECASTS),
    GOALS_SHEET: (VISION, PERSPECTIVES, GOALS, INDICATORS, FINANCIAL_INDICATORS),
}
OPTIONAL_SECTIONS = {FRAME_CHANGES.title}
# Sections written for the reader and never read back: their headers are not checked, so a
# workbook exported by an earlier version still reads.
UNREAD_SECTIONS = {FRAME_CHANGES.title}

# The sheet beside the document's tables when frames have been changed during the year:
# the Budgetjämförelse on the other basis (the current budget beside the adopted one, or the
# adopted beside the current), and the decided changes listed.
CURRENT_SHEET = "Aktuell budget"
ADOPTED_SHEET = "Antagen budget"
CHANGES_HEADERS = ("Beslut", "Beslutsdatum", "Slag", "Nämnd", "Verksamhet", "År", "Belopp, mkr")

# Money in the workbook is in mkr; a unit column says "mkr" for amounts of money.
MONEY_UNIT = "mkr"
YES = "Ja"
NO = ""

# A year column's header: "Budget 2026".
YEAR_HEADER = re.compile(r"^\s*(\w+)\s+(\d{4})\s*$")


def year_header(budget_year) -> str:
    return f"{budget_year.get_kind_display()} {budget_year.year}"
