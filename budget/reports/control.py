"""Kontroll: where the document's stated figures and the computed ones differ.

Two kinds of check, both from data:
- every figure the document states for a total is set beside the total
  computed from the rows (StatedFigure);
- every statement row that names a ``reference`` is set beside the figure it
  should equal elsewhere in the plan (the result in the result budget and in
  the frame table, investments in the cash-flow budget and the investment
  budget, opening and closing cash of consecutive years, …);
- the previous year's budget column, which the document says is "updated with the
  year's frame changes", is set beside that year's own plan in the application:
  its adopted frames plus the changes applied during the year (the frame ledger).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from budget.models import BudgetYear, FrameEntry
from budget.money import sum_present
from budget.reports import document
from budget.reports.snapshot import ADOPTED
from budget.reports.structure import shown_equal


@dataclass
class Check:
    table: str  # table title
    row: str  # row label
    column: str  # column label
    expected_label: str  # what the figure is compared with
    shown: Decimal | None  # the figure in the table (computed from rows, or stored)
    expected: Decimal | None  # the stated or referenced figure
    unit: str  # "mkr" or "procent"
    agrees: bool
    table_code: str = ""
    row_code: str = ""
    column_key: str = ""
    # The stated figure differs from the rows only by the document's rounding, so it is the
    # one headlines, target checks and the balanskravsutredning use (BudgetTable.figure).
    stated_used: bool = False

    @property
    def used(self) -> str:
        """Which of the two figures the application uses elsewhere, said in Swedish."""
        if self.stated_used:
            return "Angiven uppgift (skillnaden är avrundning)"
        return "" if self.agrees else "Beräknad uppgift"

    @property
    def difference(self):
        if self.shown is None or self.expected is None:
            return None
        return self.shown - self.expected


def checks(snapshot, built=None) -> list[Check]:
    """Every check of the adopted budget: the document's figures are the adopted ones, so a
    snapshot of the current budget is compared as adopted."""
    if snapshot.basis != ADOPTED:
        snapshot, built = snapshot.with_basis(ADOPTED), None
    built = built or document.all_tables(snapshot)
    result = []
    for table in built:
        for row, key, stated, computed, agrees in table.comparisons():
            result.append(
                Check(
                    table=table.title,
                    row=row.label,
                    column=table.column(key).label,
                    expected_label="Angivet i dokumentet",
                    shown=computed,
                    expected=stated,
                    unit=table.cell_unit(row, key),
                    agrees=agrees,
                    table_code=table.code,
                    row_code=row.code,
                    column_key=key,
                    stated_used=table.figure(row.code, key).from_document,
                )
            )
    result.extend(reference_checks(snapshot, built))
    result.extend(previous_plan_checks(snapshot))
    return result


def previous_plan_checks(snapshot) -> list[Check]:
    """Budget <year − 1> per committee against <year − 1>'s plan: adopted + applied changes.

    Nothing when that plan is not in the application (then the column is as stated).
    """
    column = snapshot.previous_budget_year()
    if column is None:
        return []
    earlier = (
        BudgetYear.objects.filter(
            plan__municipality_id=snapshot.plan.municipality_id,
            plan__year=column.year,
            year=column.year,
            kind=BudgetYear.Kind.BUDGET,
        )
        .select_related("plan")
        .first()
    )
    if earlier is None:
        return []
    ledger = dict(
        FrameEntry.objects.filter(budget_year=earlier)
        .values("activity__committee_id")
        .annotate(total=Sum("amount"))
        .values_list("activity__committee_id", "total")
        .order_by()
    )
    result = []
    for committee in snapshot.committees:
        activities = snapshot.activities_by_committee.get(committee.pk, [])
        shown = sum_present(snapshot.activity_frame(a, column.key) for a in activities)
        expected = ledger.get(committee.pk)
        if shown is None and expected is None:
            continue
        result.append(
            Check(
                table=f"{column} (uppdaterad med årets ramförändringar)",
                row=committee.name,
                column=str(column),
                expected_label=f"{earlier.plan}: beslutad ram + genomförda ramförändringar",
                shown=shown,
                expected=expected,
                unit="mkr",
                agrees=shown_equal(shown, expected, "mkr"),
                table_code="foregaende-ars-budget",
                row_code=committee.code,
                column_key=column.key,
            )
        )
    return result


def reference_checks(snapshot, built) -> list[Check]:
    by_code = {t.code: t for t in built}
    result = []
    for st in snapshot.statements:
        table = by_code.get(st.kind)
        if table is None:
            continue
        for line in snapshot.lines_by_statement[st.pk]:
            if not line.reference:
                continue
            row = table.row(line.code)
            for index, column in enumerate(table.columns):
                expected, label = _referenced(snapshot, by_code, table, line, column.key, index)
                if not label or (expected is None and row.values.get(column.key) is None):
                    continue
                expected = None if expected is None else expected * line.reference_sign
                shown = row.values.get(column.key)
                result.append(
                    Check(
                        table=table.title,
                        row=row.label,
                        column=column.label,
                        expected_label=label,
                        shown=shown,
                        expected=expected,
                        unit="mkr",
                        agrees=shown_equal(shown, expected, "mkr"),
                        table_code=table.code,
                        row_code=row.code,
                        column_key=column.key,
                    )
                )
    return result


def _referenced(snapshot, by_code, table, line, key, index):
    kind, _, target = line.reference.partition(":")
    sign = " (med omvänt tecken)" if line.reference_sign == -1 else ""
    if kind == "line":
        for activity in snapshot.activities:
            if activity.code == target:
                return snapshot.activity_frame(activity, key), f"{activity.name} i Budgetjämförelse"
        return None, f"{target} (saknas)"
    if kind == "total":
        source = {
            "resultat": ("budgetjamforelse", "resultat"),
            "summa-namnder": ("budgetjamforelse", "summa-namnder"),
            "investeringar": ("investeringsbudget", "summa-investeringar"),
        }.get(target)
        if source is None or source[0] not in by_code:
            return None, f"{target} (okänd referens)"
        other = by_code[source[0]]
        if not other.has_row(source[1]):  # e.g. no result in a plan without finance lines
            return None, f"{target} (saknas)"
        row = other.row(source[1])
        return row.values.get(key), f"{row.label} i {other.title}{sign}"
    if kind == "statement":
        statement_kind, _, code = target.partition(":")
        other = by_code.get(statement_kind)
        if other is None or not other.has_row(code):
            return None, f"{target} (saknas)"
        row = other.row(code)
        return row.values.get(key), f"{row.label} i {other.title}{sign}"
    if kind == "previous":
        if index == 0 or not table.has_row(target):
            return None, ""
        previous = table.columns[index - 1]
        row = table.row(target)
        return row.values.get(previous.key), f"{row.label} {previous.label}"
    return None, f"{line.reference} (okänd referens)"


def differing(all_checks):
    return [c for c in all_checks if not c.agrees]
