"""All figures of one plan, read in a fixed number of queries.

Every budget page and the workbook export start from a snapshot, so the
number of queries does not grow with the number of committees, activities,
lines or years.
"""

import copy
from collections import defaultdict

from django.db.models import Q, Sum

from budget.models import (
    BudgetYear,
    Committee,
    FrameEntry,
    InvestmentAmount,
    InvestmentLine,
    KeyFact,
    StatedFigure,
    Statement,
    StatementAmount,
    StatementLine,
    SubtotalComponent,
)
from budget.money import sum_present
from budget.reports.structure import signed_sum

FRAME_KINDS = (BudgetYear.Kind.OUTCOME, BudgetYear.Kind.BUDGET, BudgetYear.Kind.PLAN)


ADOPTED = "antagen"  # the frames as the council adopted them: the document's figures
CURRENT = "aktuell"  # adopted + the decided changes applied during the year
BASES = (ADOPTED, CURRENT)
# How pages and workbooks name the two, wherever both are shown.
BASIS_LABELS = {
    ADOPTED: "Antagen budget, som i dokumentet",
    CURRENT: "Aktuell budget efter beslutade förändringar",
}


class PlanSnapshot:
    """Everything the budget tables need, read in a fixed number of queries.

    ``basis`` says which frames the tables show: the adopted ones (the default, equal to
    the document, and what the workbook export writes: it is read back as the adopted
    budget) or the current ones, with the changes applied during the year.
    """

    def __init__(self, plan, basis=ADOPTED):
        if basis not in BASES:
            raise ValueError(f"unknown basis {basis!r}")
        self.plan = plan
        self.basis = basis
        self.years = list(plan.years.all())
        self.years_by_key = {y.key: y for y in self.years}
        self.years_by_id = {y.pk: y for y in self.years}
        self.committees = list(
            Committee.objects.of_plan(plan).with_activities().select_related("administration")
        )
        self.activities = [a for c in self.committees for a in c.activities.all()]
        self.activities_by_committee = defaultdict(list)
        for activity in self.activities:
            self.activities_by_committee[activity.committee_id].append(activity)
        self._frames = {}
        rows = (
            FrameEntry.objects.filter(budget_year__plan=plan)
            .values("activity_id", "budget_year_id")
            .annotate(
                current=Sum("amount"),
                original=Sum("amount", filter=Q(kind=FrameEntry.Kind.ORIGINAL)),
            )
            .order_by()
        )
        for r in rows:
            key = self.years_by_id[r["budget_year_id"]].key
            self._frames[(r["activity_id"], key)] = (r["original"], r["current"])
        self.statements = list(plan.statements.all())
        self.lines_by_statement = defaultdict(list)
        self.lines_by_id = {}
        for line in StatementLine.objects.filter(statement__plan=plan):
            self.lines_by_statement[line.statement_id].append(line)
            self.lines_by_id[line.pk] = line
        self.components = defaultdict(list)
        for c in SubtotalComponent.objects.filter(subtotal__statement__plan=plan).order_by(
            "component__position", "id"
        ):
            self.components[c.subtotal_id].append((c.component_id, c.sign))
        self.statement_amounts = {
            (a.line_id, self.years_by_id[a.budget_year_id].key): a.amount
            for a in StatementAmount.objects.filter(line__statement__plan=plan)
        }
        self.investment_lines = list(
            InvestmentLine.objects.filter(plan=plan).select_related("committee")
        )
        self.investment_amounts = {
            (a.line_id, self.years_by_id[a.budget_year_id].key): a.amount
            for a in InvestmentAmount.objects.filter(line__plan=plan)
        }
        self.stated = defaultdict(dict)
        for s in StatedFigure.objects.filter(plan=plan):
            value = s.value / 100 if s.unit == StatedFigure.Unit.PERCENT else s.value
            self.stated[(s.table, s.row)][self.years_by_id[s.budget_year_id].key] = value
        self.facts = {f.code: f for f in KeyFact.objects.filter(plan=plan)}

    def with_basis(self, basis) -> "PlanSnapshot":
        """The same figures on the other basis, without reading them again."""
        if basis not in BASES:
            raise ValueError(f"unknown basis {basis!r}")
        other = copy.copy(self)
        other.basis = basis
        return other

    # --- columns -------------------------------------------------------------

    def frame_years(self):
        """Columns of the frame tables: outcome, budget and plan years."""
        return [y for y in self.years if y.kind in FRAME_KINDS]

    def main_year(self):
        """The plan's budget year column (e.g. Budget 2026)."""
        return self.years_by_key.get(f"{BudgetYear.Kind.BUDGET}-{self.plan.year}")

    def previous_budget_year(self):
        return self.years_by_key.get(f"{BudgetYear.Kind.BUDGET}-{self.plan.year - 1}")

    def forward_years(self):
        """The budget year and the plan years after it."""
        return [
            y
            for y in self.years
            if y.kind in (BudgetYear.Kind.BUDGET, BudgetYear.Kind.PLAN) and y.year >= self.plan.year
        ]

    def column_before(self, key):
        """The frame column of the year before ``key``'s year (budget preferred)."""
        year = self.years_by_key[key].year - 1
        for kind in (BudgetYear.Kind.BUDGET, BudgetYear.Kind.PLAN, BudgetYear.Kind.OUTCOME):
            column = self.years_by_key.get(f"{kind}-{year}")
            if column is not None:
                return column
        return None

    # --- frames --------------------------------------------------------------

    def committees_of(self, *kinds):
        return [c for c in self.committees if c.kind in kinds]

    def activity_frame(self, activity, key, which=None):
        pair = self._frames.get((activity.pk, key))
        if pair is None:
            return None
        return pair[0] if (which or self.basis) == ADOPTED else pair[1]

    @property
    def changed(self) -> bool:
        """Whether any frame of the plan has a decided change (current ≠ adopted)."""
        return any(original != current for original, current in self._frames.values())

    def committee_frame(self, committee, key, which=None):
        values = [
            self.activity_frame(a, key, which) for a in self.activities_by_committee[committee.pk]
        ]
        return sum_present(values)

    def frame_total(self, committees, key, which=None):
        values = [self.committee_frame(c, key, which) for c in committees]
        return sum_present(values)

    def tax_base_lines(self):
        finance = {c.pk for c in self.committees_of(Committee.Kind.FINANCE)}
        return [a for a in self.activities if a.committee_id in finance and a.tax_base]

    def tax_base(self, key):
        values = [self.activity_frame(a, key) for a in self.tax_base_lines()]
        return sum_present(values)

    # --- statements and investments -------------------------------------------

    def statement(self, kind) -> Statement | None:
        for s in self.statements:
            if s.kind == kind:
                return s
        return None

    def statement_years(self, statement):
        keys = {
            k for (line_id, k) in self.statement_amounts if line_id in self._line_ids(statement)
        }
        return [y for y in self.years if y.key in keys]

    def _line_ids(self, statement):
        return {line.pk for line in self.lines_by_statement[statement.pk]}

    def line_value(self, line, key, _depth=0):
        """A statement line's figure: stored for amount rows, computed for subtotals."""
        if line.line_type == StatementLine.Type.SUBTOTAL:
            if _depth > 50:
                raise ValueError(f"Summan {line.label} refererar till sig själv.")
            parts = [
                (self.line_value(self.lines_by_id[cid], key, _depth + 1), sign)
                for cid, sign in self.components[line.pk]
            ]
            return signed_sum(parts)
        return self.statement_amounts.get((line.pk, key))

    def line_by_role(self, role):
        for line in self.lines_by_id.values():
            if line.role == role:
                return line
        return None

    def investment_years(self):
        keys = {k for (_, k) in self.investment_amounts}
        return [y for y in self.years if y.key in keys]

    def investment_value(self, line, key):
        return self.investment_amounts.get((line.pk, key))

    def investment_total(self, key, committee=None):
        values = [
            self.investment_value(line, key)
            for line in self.investment_lines
            if committee is None or line.committee_id == committee.pk
        ]
        return sum_present(values)

    def fact(self, code):
        return self.facts.get(code)
