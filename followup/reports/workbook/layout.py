"""The report template's layout: sheet names, the identity section and the report's columns.

Shared by the writer and the reader, so the two cannot drift apart. The sections are
the budget workbook's kind (budget/exports/layout.py): a title row in column A, a header
row, then data rows, so the budget import's section reader reads them back.
"""

from budget.exports.layout import Section
from budget.xlsx import MKR_FORMAT

REPORT_SHEET = "Rapport"
ABOUT_SHEET = "Om mallen"

# Raised when the template's layout changes in a way an older file cannot be read in.
FORMAT_VERSION = 1
TEMPLATE_MARK = "Rapportmall från Budgetuppföljning"
NOT_A_TEMPLATE = (
    "Filen är inte en rapportmall från Budgetuppföljning. Ladda ned mallen från "
    "rapportsidan, fyll i den och ladda upp den igen."
)

IDENTITY = Section(
    "Mallens identitet",
    (
        ("template", "Mall"),
        ("format", "Mallformat"),
        ("municipality", "Kommun"),
        ("committee", "Nämndkod"),
        ("committee_name", "Nämnd"),
        ("period", "Period"),
        ("report", "Rapport-id"),
        ("version", "Rapportversion"),
        ("row_version", "Radversion"),
    ),
    key_value=True,
)

UNIT = "tkr"
# The budget workbook's format: one decimal and a thousands separator.
AMOUNT_FORMAT = MKR_FORMAT
# Amounts at or beyond this many tkr are refused (as in the report form).
AMOUNT_LIMIT = 10**12
COMMENT_MAX_LENGTH = 4000

INPUT_COLUMNS = ("outcome", "forecast", "comment")
AMOUNT_COLUMNS = ("budget", "budget_to_date", "previous_forecast", "outcome", "forecast")
TOTAL_LABEL = "Summa"


def report_section(period) -> Section:
    """The table of the report sheet: one row per activity; a forecast column only when
    the period asks for one."""
    columns = [
        ("code", "Kod"),
        ("name", "Verksamhet"),
        ("budget", "Budget"),
        ("budget_to_date", f"Budget t.o.m. {period.month_name}"),
        ("previous_forecast", "Föregående prognos"),
        ("outcome", "Utfall ackumulerat"),
    ]
    if period.asks_forecast:
        columns.append(("forecast", "Helårsprognos"))
    columns.append(("comment", "Kommentar"))
    return Section(f"Rapport per verksamhet, {UNIT}", tuple(columns))


def column_index(section: Section, name: str) -> int | None:
    """The 0-based column of a field in the section, or None when it has no column."""
    names = [n for n, _ in section.columns]
    return names.index(name) if name in names else None
