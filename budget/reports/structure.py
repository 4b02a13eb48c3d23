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
    is_current: bool = False  # the current budget beside the adopted one (current_beside)

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
    # On a table of the current budget: the row's values on the adopted basis, where they
    # differ (the stated figures are the adopted budget's). Empty on an adopted table.
    adopted: dict = field(default_factory=dict)
    # How many of the document's rows a total without a formula adds up (see
    # BudgetTable.terms); a total with a formula counts the rows it refers to.
    terms: int | None = None

    @property
    def is_computed(self) -> bool:
        return self.kind in ("subtotal", "total")

    def value(self, column_key: str):
        return self.values.get(column_key)


@dataclass(frozen=True)
class Figure:
    """A total as headlines, target checks and the balanskravsutredning use it.

    ``value`` is the stated, adopted figure where the document states one that differs
    from the sum of its rows only by rounding (budget.money.differs_only_by_rounding); on
    the current budget, that figure plus the decided changes. Elsewhere it is ``computed``.
    """

    value: Decimal | None
    computed: Decimal | None
    stated: Decimal | None = None

    @property
    def from_document(self) -> bool:
        """Whether the figure used is the document's rather than the sum of the rows."""
        return self.value != self.computed

    @property
    def rounding(self) -> Decimal | None:
        """What the document's rounding adds to the sum of the rows (0 where nothing)."""
        if self.value is None or self.computed is None:
            return None
        return self.value - self.computed


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

    def terms(self, row: Row, column_key: str, _depth: int = 0) -> int:
        """How many of the document's rows (each rounded to its precision) a cell adds up:
        a row summed by a formula counts the rows it refers to; any other row counts as
        one, or as many as its ``terms`` say."""
        formula = row.formulas.get(column_key)
        if not isinstance(formula, SumOf) or _depth > 50:
            return row.terms or 1
        return sum(
            self.terms(self.row(ref.row), ref.column, _depth + 1)
            for ref, _ in formula.terms
            if self.has_row(ref.row) and self.row(ref.row).values.get(ref.column) is not None
        )

    def figure(self, row_code: str, column_key: str) -> Figure:
        """The figure a headline uses for a cell (Figure): the stated one where the
        document's rounding alone explains the difference from the rows. A row the table
        does not have (a plan without finance lines has no result) has no figure."""
        from budget.money import differs_only_by_rounding

        if not self.has_row(row_code):
            return Figure(value=None, computed=None)
        row = self.row(row_code)
        computed = row.values.get(column_key)
        stated = row.stated.get(column_key)
        if computed is None or self.cell_unit(row, column_key) == "procent":
            return Figure(value=computed, computed=computed)
        adopted = row.adopted.get(column_key, computed)
        if differs_only_by_rounding(stated, adopted, terms=self.terms(row, column_key)):
            return Figure(value=computed + (stated - adopted), computed=computed, stated=stated)
        return Figure(value=computed, computed=computed, stated=stated)


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
