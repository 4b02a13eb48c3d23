"""The shape of a budget table, shared by the pages and the workbook export.

A table has columns (usually budget years) and rows. Every figure is computed
from stored rows; a row may also carry the figure the document states, so the
difference can be shown. Formulas describe how a computed cell follows from
other cells, so the workbook can write them as spreadsheet formulas.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Ref:
    """A cell of the same table: row code and column key."""

    row: str
    column: str


@dataclass(frozen=True)
class SumOf:
    """The signed sum of cells."""

    terms: tuple  # of (Ref, sign)


@dataclass(frozen=True)
class Difference:
    """minuend − subtrahend."""

    minuend: Ref
    subtrahend: Ref


@dataclass(frozen=True)
class ChangeRatio:
    """(new − old) / old: the relative change, as a fraction."""

    new: Ref
    old: Ref


@dataclass
class Column:
    key: str
    kind_label: str  # "Budget", "Plan", "Förändring"
    year_label: str  # "2026", "mkr", "%"
    unit: str = "mkr"  # or "procent"
    note_mark: str = ""  # "*" where the table's note applies to this column

    @property
    def label(self) -> str:
        return f"{self.kind_label} {self.year_label}{self.note_mark}".strip()


@dataclass
class Row:
    code: str
    label: str
    kind: str = "amount"  # amount | subtotal | total | heading | spacer
    unit: str = "mkr"  # mkr (values in kronor) | procent (values as fractions)
    values: dict = field(default_factory=dict)  # column key -> Decimal | None
    formulas: dict = field(default_factory=dict)  # column key -> SumOf | Difference | …
    stated: dict = field(default_factory=dict)  # column key -> Decimal (same unit as values)
    link: str = ""  # URL of the row's own page, where it has one

    @property
    def is_computed(self) -> bool:
        return self.kind in ("subtotal", "total")

    def value(self, column_key: str):
        return self.values.get(column_key)


@dataclass
class BudgetTable:
    code: str
    title: str
    columns: list
    rows: list
    unit_label: str = "Nettobelopp, mkr"
    notes: list = field(default_factory=list)

    def row(self, code: str) -> Row:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def has_row(self, code: str) -> bool:
        return any(row.code == code for row in self.rows)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def cell_unit(self, row: Row, column_key: str) -> str:
        """A percent column makes every cell in it a percentage."""
        return "procent" if self.column(column_key).unit == "procent" else row.unit

    def comparisons(self):
        """Every cell whose figure the document states: (row, column key, stated,
        computed, agrees). Agreement is judged on the figures as shown."""
        for row in self.rows:
            for key, stated in row.stated.items():
                computed = row.values.get(key)
                yield (
                    row,
                    key,
                    stated,
                    computed,
                    shown_equal(stated, computed, self.cell_unit(row, key)),
                )

    def differences(self):
        return [c for c in self.comparisons() if not c[4]]


def shown_equal(a, b, unit: str) -> bool:
    """Whether two figures look the same when shown (mkr or % with one decimal)."""
    from budget.money import round_half_up, round_mkr

    if a is None or b is None:
        return a is None and b is None
    if unit == "procent":
        return round_half_up(a * 100, 1) == round_half_up(b * 100, 1)
    return round_mkr(a) == round_mkr(b)


def signed_sum(values) -> Decimal | None:
    """Sum of the (value, sign) pairs that are present; None when none is."""
    present = [(v, s) for v, s in values if v is not None]
    if not present:
        return None
    return sum((v * s for v, s in present), Decimal(0))
