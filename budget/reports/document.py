"""The document's tables, built from a plan snapshot.

Each builder returns a BudgetTable: the pages render it, the workbook export
writes it (with its formulas), and the control page compares its computed
totals with what the document states.
"""

from budget.models import Committee, Statement, StatementLine
from budget.money import ratio
from budget.reports.snapshot import ADOPTED, CURRENT
from budget.reports.structure import (
    BudgetTable,
    ChangeRatio,
    Column,
    Difference,
    Figure,
    Ref,
    Row,
    SumOf,
    signed_sum,
)

COMMITTEE_KINDS = (Committee.Kind.COMMITTEE, Committee.Kind.RESERVE)


def year_column(budget_year, note_mark="") -> Column:
    return Column(
        key=budget_year.key,
        kind_label=budget_year.get_kind_display(),
        year_label=str(budget_year.year),
        note_mark=note_mark,
    )


def sum_row(code, label, kind, columns, parts, stated=None) -> Row:
    """A computed row: for each column, the signed sum of the ``parts`` rows."""
    row = Row(code=code, label=label, kind=kind, stated=stated or {})
    for column in columns:
        row.values[column.key] = signed_sum((p.values.get(column.key), s) for p, s in parts)
        row.formulas[column.key] = SumOf(tuple((Ref(p.code, column.key), s) for p, s in parts))
    return row


def total_row(code, label, kind, columns, rows, stated=None) -> Row:
    """A computed row adding up ``rows``."""
    return sum_row(code, label, kind, columns, [(r, 1) for r in rows], stated)


def value_rows(items, columns, value_of) -> list[Row]:
    """One row per item (its code and name), valued per column by ``value_of(item, key)``."""
    return [
        Row(
            code=item.code,
            label=item.name,
            values={col.key: value_of(item, col.key) for col in columns},
        )
        for item in items
    ]


def with_adopted(build):
    """A table builder whose current-budget tables keep each row's adopted values beside
    (Row.adopted): the document's stated figures are the adopted budget's, so a headline on
    the current budget is the stated figure plus the decided changes (BudgetTable.figure)."""

    def built(snapshot):
        table = build(snapshot)
        if snapshot.basis == ADOPTED:
            return table
        adopted = build(snapshot.with_basis(ADOPTED))
        for row in table.rows:
            if adopted.has_row(row.code):
                values = adopted.row(row.code).values
                row.adopted = {k: v for k, v in values.items() if row.values.get(k) != v}
        return table

    built.__doc__ = build.__doc__
    built.__name__ = build.__name__
    return built


@with_adopted
def comparison(snapshot) -> BudgetTable:
    """Budgetjämförelse: every committee and finance line over all frame years.

    The result is the committees and finansförvaltningen's lines together; a plan without
    finance lines (committee frames only) has neither Summa Finansförvaltningen nor a
    result: the committees' sum is not the municipality's result."""
    columns = [year_column(y) for y in snapshot.frame_years()]
    stated = snapshot.stated
    committee_rows = value_rows(
        snapshot.committees_of(*COMMITTEE_KINDS), columns, snapshot.committee_frame
    )
    committees_total = total_row(
        "summa-namnder",
        "Summa nämnder",
        "subtotal",
        columns,
        committee_rows,
        stated[("budgetjamforelse", "summa-namnder")],
    )
    finance_activities = [
        activity
        for finance in snapshot.committees_of(Committee.Kind.FINANCE)
        for activity in snapshot.activities_by_committee[finance.pk]
    ]
    notes = [y.note for y in snapshot.frame_years() if y.note]
    if not finance_activities:
        return BudgetTable(
            code="budgetjamforelse",
            title="Budgetjämförelse",
            columns=columns,
            rows=[*committee_rows, committees_total],
            notes=notes,
        )
    finance_rows = value_rows(finance_activities, columns, snapshot.activity_frame)
    finance_total = total_row(
        "summa-finansforvaltningen",
        "Summa Finansförvaltningen",
        "subtotal",
        columns,
        finance_rows,
        stated[("budgetjamforelse", "summa-finansforvaltningen")],
    )
    result = sum_row(
        "resultat",
        "Resultat",
        "total",
        columns,
        [(committees_total, 1), (finance_total, 1)],
        stated[("budgetjamforelse", "resultat")],
    )
    return BudgetTable(
        code="budgetjamforelse",
        title="Budgetjämförelse",
        columns=columns,
        rows=[*committee_rows, committees_total, *finance_rows, finance_total, result],
        notes=notes,
    )


@with_adopted
def change(snapshot) -> BudgetTable:
    """Budgetförändring mot föregående år, per committee, in mkr and %."""
    new, old = snapshot.main_year(), snapshot.previous_budget_year()
    if new is None or old is None:
        return BudgetTable("budgetforandring", "Budgetförändring mot föregående år", [], [])
    columns = [
        year_column(old),
        year_column(new),
        Column(key="forandring-mkr", kind_label="Förändring", year_label="mkr"),
        Column(key="forandring-procent", kind_label="Förändring", year_label="%", unit="procent"),
    ]
    committees = snapshot.committees_of(Committee.Kind.COMMITTEE)
    rows = [_change_row(snapshot, c.code, c.name, "amount", old, new, c) for c in committees]
    total = _change_row(snapshot, "summa-namnder", "Summa nämnder", "total", old, new, None)
    rows.append(total)
    notes = [
        "Förändring i procent = förändringen i mkr delad med föregående års budget; "
        "med negativa nettobelopp betyder ett positivt tal att nettokostnaden ökar."
    ]
    shown = sum(1 for row in rows[:-1] if row.stated)
    if 0 < shown < len(committees):
        notes.append(
            f"Dokumentet visar {shown} av {len(committees)} nämnder; "
            "här visas alla nämnder och summan."
        )
    return BudgetTable(
        code="budgetforandring",
        title="Budgetförändring mot föregående år",
        columns=columns,
        rows=rows,
        notes=notes,
    )


def _change_row(snapshot, code, label, kind, old, new, committee):
    if committee is None:
        committees = snapshot.committees_of(*COMMITTEE_KINDS)
        before = snapshot.frame_total(committees, old.key)
        after = snapshot.frame_total(committees, new.key)
    else:
        before = snapshot.committee_frame(committee, old.key)
        after = snapshot.committee_frame(committee, new.key)
    difference = None if before is None or after is None else after - before
    stated_mkr = snapshot.stated.get(("budgetforandring", f"{code}-mkr"), {}).get(new.key)
    stated_pct = snapshot.stated.get(("budgetforandring", f"{code}-procent"), {}).get(new.key)
    stated = {}
    if stated_mkr is not None:
        stated["forandring-mkr"] = stated_mkr
    if stated_pct is not None:
        stated["forandring-procent"] = stated_pct
    return Row(
        code=code,
        label=label,
        kind=kind,
        values={
            old.key: before,
            new.key: after,
            "forandring-mkr": difference,
            "forandring-procent": ratio(difference, before),
        },
        formulas={
            "forandring-mkr": Difference(Ref(code, new.key), Ref(code, old.key)),
            "forandring-procent": ChangeRatio(Ref(code, new.key), Ref(code, old.key)),
        },
        stated=stated,
    )


@with_adopted
def funds(snapshot) -> BudgetTable:
    """Prognosticerad förändring av medel: revenues against committees' frames."""
    years = snapshot.forward_years()
    columns = [year_column(y) for y in years]
    stated = snapshot.stated
    revenue_rows = value_rows(snapshot.tax_base_lines(), columns, snapshot.activity_frame)
    revenues = total_row(
        "skatter-och-bidrag",
        "Summa skatteintäkter och generella statsbidrag",
        "subtotal",
        columns,
        revenue_rows,
        stated[("forandring-av-medel", "skatter-och-bidrag")],
    )
    committees = snapshot.committees_of(*COMMITTEE_KINDS)
    committees_total = Row(
        code="summa-namnder",
        label="Summa nämnder",
        kind="subtotal",
        values={col.key: snapshot.frame_total(committees, col.key) for col in columns},
        stated=stated[("forandring-av-medel", "summa-namnder")],
        terms=len(committees),
    )
    rows = [
        *revenue_rows,
        revenues,
        _growth_row(
            snapshot,
            "skatter-och-bidrag-procent",
            "Procentuell förändring av intäkter",
            columns,
            revenues,
            snapshot.tax_base,
            stated[("forandring-av-medel", "skatter-och-bidrag-procent")],
        ),
        Row(code="tom-1", label="", kind="spacer"),
        committees_total,
        _growth_row(
            snapshot,
            "summa-namnder-procent",
            "Procentuell förändring av nämndernas medel",
            columns,
            committees_total,
            lambda key: snapshot.frame_total(committees, key),
            stated[("forandring-av-medel", "summa-namnder-procent")],
        ),
    ]
    return BudgetTable(
        code="forandring-av-medel",
        title="Prognosticerad förändring av medel",
        columns=columns,
        rows=rows,
        notes=[
            "Procentuell förändring mot föregående års budget eller plan. "
            "Summa nämnder är summan av nämndernas ramar i Budgetjämförelsen."
        ],
    )


def _growth_row(snapshot, code, label, columns, base_row, value_for, stated):
    row = Row(code=code, label=label, kind="amount", unit="procent", stated=stated)
    keys = [c.key for c in columns]
    for i, key in enumerate(keys):
        before_column = snapshot.column_before(key)
        before = value_for(before_column.key) if before_column else None
        now = base_row.values.get(key)
        row.values[key] = None if now is None else ratio(now - before, before) if before else None
        if i > 0:
            row.formulas[key] = ChangeRatio(
                Ref(base_row.code, key), Ref(base_row.code, keys[i - 1])
            )
    return row


def statement(snapshot, kind) -> BudgetTable | None:
    """Resultatbudget, balansbudget or kassaflödesbudget, with computed subtotals."""
    st = snapshot.statement(kind)
    if st is None:
        return None
    columns = [year_column(y) for y in snapshot.statement_years(st)]
    lines = snapshot.lines_by_statement[st.pk]
    code_of = {line.pk: line.code for line in lines}
    rows = []
    for line in lines:
        if line.line_type == StatementLine.Type.HEADING:
            rows.append(Row(code=line.code, label=line.label, kind="heading"))
            continue
        if line.line_type == StatementLine.Type.SPACER:
            rows.append(Row(code=line.code, label="", kind="spacer"))
            continue
        row = Row(
            code=line.code,
            label=line.label,
            kind="subtotal" if line.line_type == StatementLine.Type.SUBTOTAL else "amount",
            values={col.key: snapshot.line_value(line, col.key) for col in columns},
            stated=snapshot.stated[(st.kind, line.code)],
        )
        if line.line_type == StatementLine.Type.SUBTOTAL:
            parts = snapshot.components[line.pk]
            for col in columns:
                row.formulas[col.key] = SumOf(
                    tuple((Ref(code_of[cid], col.key), sign) for cid, sign in parts)
                )
        rows.append(row)
    return BudgetTable(code=st.kind, title=st.title, columns=columns, rows=rows, unit_label="Mkr")


def investments(snapshot) -> BudgetTable:
    """Investeringsbudget per line (committee or project), gross amounts."""
    main = snapshot.main_year()
    note = snapshot.plan.investment_note
    columns = [
        year_column(y, "*" if note and main is not None and y.pk == main.pk else "")
        for y in snapshot.investment_years()
    ]
    rows = value_rows(snapshot.investment_lines, columns, snapshot.investment_value)
    total = total_row(
        "summa-investeringar",
        "Summa investeringar",
        "total",
        columns,
        rows,
        snapshot.stated[("investeringsbudget", "summa-investeringar")],
    )
    return BudgetTable(
        code="investeringsbudget",
        title="Investeringsbudget",
        columns=columns,
        rows=[*rows, total],
        unit_label="Mkr",
        notes=[f"*{note}"] if note else [],
    )


def committee_frames(snapshot, committee) -> BudgetTable:
    """One committee's frames per activity over the years, original and current."""
    columns = [year_column(y) for y in snapshot.frame_years()]
    rows = value_rows(
        snapshot.activities_by_committee[committee.pk], columns, snapshot.activity_frame
    )
    total = total_row(f"summa-{committee.code}", f"Summa {committee.name}", "total", columns, rows)
    return BudgetTable(
        code=f"ramar-{committee.code}",
        title=f"Ramar per verksamhet – {committee.name}",
        columns=columns,
        rows=[*rows, total],
    )


def committee_investments(snapshot, committee) -> BudgetTable:
    columns = [year_column(y) for y in snapshot.investment_years()]
    lines = [line for line in snapshot.investment_lines if line.committee_id == committee.pk]
    rows = value_rows(lines, columns, snapshot.investment_value)
    total = total_row("summa", "Summa investeringar", "total", columns, rows)
    return BudgetTable(
        code=f"investeringar-{committee.code}",
        title=f"Investeringar – {committee.name}",
        columns=columns,
        rows=[*rows, total] if rows else [],
        unit_label="Mkr",
    )


def current_beside(table, build, snapshot) -> BudgetTable:
    """The adopted ``table`` with, after each of its columns that a decided change touches,
    that column on the current budget, headed "Aktuell budget 2026 efter beslutade
    förändringar". ``build`` makes the table from a snapshot. Unchanged without changes or
    when ``snapshot`` already shows the current budget."""
    if snapshot.basis != ADOPTED or not snapshot.changed:
        return table
    current = build(snapshot.with_basis(CURRENT))
    columns = []
    for column in table.columns:
        columns.append(column)
        if column.unit != "mkr" or not any(
            current.has_row(row.code)
            and current.row(row.code).values.get(column.key) != row.values.get(column.key)
            for row in table.rows
        ):
            continue
        key = f"{column.key}-{CURRENT}"
        columns.append(
            Column(
                key=key,
                kind_label="Aktuell budget",
                year_label=f"{column.year_label} efter beslutade förändringar",
                is_current=True,
            )
        )
        for row in table.rows:
            if current.has_row(row.code) and row.kind not in ("heading", "spacer"):
                row.values[key] = current.row(row.code).values.get(column.key)
    table.columns = columns
    return table


STATEMENT_KINDS = [k for k, _ in Statement.Kind.choices]

# The overview's headline figures: (title, table code, row code).
HEADLINES = (
    ("Resultat", "budgetjamforelse", "resultat"),
    ("Summa nämnder", "budgetjamforelse", "summa-namnder"),
    ("Summa finansförvaltningen", "budgetjamforelse", "summa-finansforvaltningen"),
    ("Investeringar", "investeringsbudget", "summa-investeringar"),
)


def headlines(built, key) -> list[tuple[str, Figure]]:
    """The plan's headline figures for column ``key``: (title, Figure), the stated figure
    where the document's differs from the rows only by rounding (BudgetTable.figure).
    A headline whose table, row or figure the plan lacks is left out."""
    by_code = {t.code: t for t in built}
    figures = [
        (title, by_code[table].figure(row, key))
        for title, table, row in HEADLINES
        if table in by_code and by_code[table].has_row(row)
    ]
    return [(title, figure) for title, figure in figures if figure.value is not None]


def all_tables(snapshot) -> list[BudgetTable]:
    """The document's tables in the document's order."""
    tables = [comparison(snapshot), change(snapshot), funds(snapshot)]
    for kind in STATEMENT_KINDS:
        table = statement(snapshot, kind)
        if table is not None:
            tables.append(table)
    tables.append(investments(snapshot))
    return tables
