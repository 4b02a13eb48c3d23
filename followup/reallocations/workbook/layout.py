"""The reallocation template's layout: sheet names, sections and columns.

Shared by the writer and the reader, so the two cannot drift apart. The sections are the
budget workbook's kind (budget/exports/layout.py): a title in column A, a header row, then
data rows, so the budget import's section reader (budget/imports/sheets.py) reads them.
"""

from budget.exports.layout import Section
from budget.xlsx import MKR_FORMAT
from followup.models import Reallocation, ReallocationLine

FORM_SHEET = "Omfördelning"
ACTIVITIES_SHEET = "Verksamheter"
ABOUT_SHEET = "Om mallen"

# Raised when the layout changes in a way an older file cannot be read in.
FORMAT_VERSION = 1
TEMPLATE_MARK = "Omfördelningsmall från Budgetuppföljning"
NOT_A_TEMPLATE = (
    "Filen är inte en omfördelningsmall från Budgetuppföljning. Ladda ned mallen, fyll i "
    "den och ladda upp den igen."
)

IDENTITY = Section(
    "Mallens identitet",
    (
        ("template", "Mall"),
        ("format", "Mallformat"),
        ("municipality", "Kommun"),
        ("year", "Mål och budget"),
    ),
    key_value=True,
)

# What the reallocation is: one value per row, in column B.
DETAILS = Section(
    "Omfördelningen",
    (
        ("kind", "Slag"),
        ("title", "Rubrik"),
        ("purpose", "Syfte"),
        ("funding", "Varifrån pengarna kommer"),
    ),
    key_value=True,
)

UNIT = "tkr"
LINES = Section(
    f"Rader, {UNIT}",
    (
        ("committee", "Nämndkod"),
        ("activity", "Verksamhetskod"),
        ("amount", f"Belopp, {UNIT}"),
        ("note", "Kommentar"),
    ),
)
BLANK_LINES = 20  # input rows in a downloaded template; more may be inserted above the sum
TOTAL_LABEL = "Summa"

COMMITTEES = Section("Nämnder", (("committee", "Nämndkod"), ("committee_name", "Nämnd")))
ACTIVITIES = Section(
    "Nämnder och verksamheter",
    (
        ("committee", "Nämndkod"),
        ("committee_name", "Nämnd"),
        ("activity", "Verksamhetskod"),
        ("activity_name", "Verksamhet"),
    ),
)

AMOUNT_FORMAT = MKR_FORMAT  # one decimal and a thousands separator, whatever the unit
# Amounts are exact to the öre: at most five decimals of tkr; refused at or beyond the limit.
AMOUNT_PLACES = 5
AMOUNT_LIMIT = 10**12
TITLE_MAX_LENGTH = Reallocation._meta.get_field("title").max_length
TEXT_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = ReallocationLine._meta.get_field("note").max_length
