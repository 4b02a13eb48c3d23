"""What the Excel templates that users fill in and upload share (the report template,
followup/reports/workbook/, and the reallocation template, followup/reallocations/workbook/).

A template's "Om mallen" sheet says how to fill it in and ends in an identity section:
which template it is, its format version, and what it belongs to. ``about_sheet`` writes
it; ``read_identity`` reads it back, refuses a workbook that is not the template and notes
a problem for an older format. ``amount_validation`` keeps text out of the amount inputs
while the file is filled in. Each template's ``layout`` module names the sheet, the
section, the mark, the format version, the unit and the limit (ABOUT_SHEET, IDENTITY,
TEMPLATE_MARK, FORMAT_VERSION, NOT_A_TEMPLATE, UNIT, AMOUNT_LIMIT), so that its writer and
reader cannot drift apart.
"""

from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from budget import money
from budget.exports.detail import SectionWriter
from budget.imports.safety import refuse
from budget.imports.sheets import Problems, Row, find_sections
from budget.xlsx import TITLE_FONT, put_text

KEY, VALUE = 0, 1  # the columns of a key-value section


def about_sheet(ws, layout, *, lines, identity):
    """The title, the instructions (``lines``, one a row) and the identity section: the
    template's mark and format version, then ``identity`` as (name, value) pairs, integers
    written as numbers."""
    put_text(ws, 1, 1, "Om mallen", font=TITLE_FONT)
    for row, text in enumerate(lines, start=3):
        put_text(ws, row, 1, text)
    w = SectionWriter(ws)
    w.row = 3 + len(lines)
    w.begin(layout.IDENTITY)
    labels = dict(layout.IDENTITY.columns)
    w.key_value(labels["template"], layout.TEMPLATE_MARK)
    w.key_value(labels["format"], layout.FORMAT_VERSION, number=True)
    for name, value in identity:
        w.key_value(labels[name], value, number=isinstance(value, int))
    w.finish()


def amount_validation(layout, *, error: str, prompt: str) -> DataValidation:
    """Amounts in ``layout.UNIT`` within ±``layout.AMOUNT_LIMIT``: spreadsheet programs
    refuse text in them while the file is filled in. The upload checks everything again,
    since a pasted value passes a validation."""
    return DataValidation(
        type="decimal",
        operator="between",
        formula1=str(-layout.AMOUNT_LIMIT),
        formula2=str(layout.AMOUNT_LIMIT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Inte ett belopp",
        error=error,
        showInputMessage=True,
        promptTitle=f"Belopp i {layout.UNIT}",
        prompt=prompt,
    )


@dataclass
class Identity:
    """The identity section's values (text) and rows, by name."""

    values: dict
    places: dict
    sheet: str
    problems: Problems

    def problem(self, name, message):
        """A problem with the value of ``name``, at its row."""
        self.problems.add(self.sheet, self.places.get(name), VALUE, message)

    def wrong_municipality(self, municipality: str) -> bool:
        """Whether the template is another municipality's (a problem noted)."""
        if self.values.get("municipality") == municipality:
            return False
        self.problem(
            "municipality",
            f"Mallen gäller {self.values.get('municipality') or 'en annan kommun'}, "
            f"inte {municipality}.",
        )
        return True


def read_identity(rows, layout, problems) -> Identity | None:
    """The identity section of the about sheet's ``rows``. Refuses a workbook that is not
    the template; None, with a problem noted, when its format is not the one read here."""
    found = find_sections(layout.ABOUT_SHEET, rows, (layout.IDENTITY,), Problems(), ())
    data = found.get(layout.IDENTITY.title)
    if data is None:
        refuse(layout.NOT_A_TEMPLATE)
    values, places = key_values(data, layout.IDENTITY, problems)
    if values.get("template") != layout.TEMPLATE_MARK:
        refuse(layout.NOT_A_TEMPLATE)
    identity = Identity(values=values, places=places, sheet=layout.ABOUT_SHEET, problems=problems)
    if integer(values.get("format")) != layout.FORMAT_VERSION:
        identity.problem(
            "format",
            f"Mallen har formatversion ”{values.get('format', '')}”; den här versionen av "
            f"Budgetuppföljning läser version {layout.FORMAT_VERSION}. Ladda ned en ny mall.",
        )
        return None
    return identity


def key_values(data, section, problems) -> tuple[dict, dict]:
    """{name: text} and {name: row} of a key-value section's rows, by their labels."""
    labels = {label.casefold(): name for name, label in section.columns}
    values, places = {}, {}
    for number, cells in data.rows:
        row = Row(data, number, cells, problems)
        name = labels.get(_text(row.raw(KEY)).casefold())
        if name is not None and name not in values:
            values[name] = _text(row.raw(VALUE))
            places[name] = number
    return values, places


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def integer(text) -> int | None:
    """A whole number typed as text or number; None for anything else."""
    try:
        number = money.parse_amount(text)
    except ValueError:
        return None
    return int(number) if number == number.to_integral_value() else None
