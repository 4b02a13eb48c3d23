"""What open data publishes, and nothing else (docs/decisions/0028).

- **A published period**: a period finance has published that has a record. Its figures
  per committee are read from the record's latest version (followup.periods.shown), never
  from the live tables; a corrected period says so, with its version. A period that is
  open, closed or published before records were kept is not published here.
- **An adopted budget's tables**: the document's tables of an adopted plan (never a
  proposal, ``BudgetPlan.Status.DRAFT``) on the adopted frames, as budget/reports/document.py
  builds them for the budget pages.

Only figures and the names of committees, rows and columns go out: no comment, no action
plan, no correction's reason, no person, and of a committee whose recorded report was not
approved (a draft or a report waiting for finance) only its budget.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Min
from django.urls import reverse

from budget.models import BudgetPlan, Committee, Municipality
from budget.money import round_half_up
from budget.reports import document
from budget.reports.snapshot import PlanSnapshot
from followup.models import PeriodRecord, ReportingPeriod
from followup.periods import shown

PERIOD, BUDGET = "period", "budget"
# A figure the application computes rather than stores (budget to date: the budget spread
# over the months; a change in per cent) is published rounded: kronor to öre, a share to
# six decimals. Every other amount is published exactly as recorded.
ORE_PLACES, RATIO_PLACES = 2, 6
CSV, JSON = "csv", "json"
FORMATS = (CSV, JSON)


@dataclass(frozen=True)
class Column:
    """A column of a published table: its stable name and what it holds (Swedish)."""

    name: str
    description: str


SIGNS = "kostnader negativa, intäkter positiva"
AMOUNT = f"Nettobelopp i kronor med exakta decimaler: {SIGNS}."
PERIOD_COLUMNS = (
    Column("year", "Budgetår."),
    Column("month", "Periodens månad, 1–12."),
    Column("version", "Den publicerade periodens version: 1 som publicerad, högre efter rättelse."),
    Column("corrected", "true när perioden har rättats efter publiceringen, annars false."),
    Column("committee_code", "Nämndens kod."),
    Column("committee_name", "Nämndens namn när perioden publicerades."),
    Column(
        "report_approved",
        "true när nämndens rapport var godkänd; annars false, och bara budgeten är ifylld.",
    ),
    Column("budget", f"Årets budget (ram) för nämnden. {AMOUNT}"),
    Column(
        "budget_to_date",
        "Budget för årets månader till och med perioden, fördelad efter verksamheternas "
        f"periodisering och avrundad till hela ören. {AMOUNT}",
    ),
    Column("outcome", f"Utfall till och med perioden. {AMOUNT}"),
    Column("forecast", f"Prognos för helåret; tom när perioden inte efterfrågar prognos. {AMOUNT}"),
    Column("deviation", f"Prognosens avvikelse mot budget: prognos − budget. {AMOUNT}"),
    Column(
        "outcome_deviation",
        f"Utfallets avvikelse mot budget hittills: utfall − budget hittills. {AMOUNT}",
    ),
)
BUDGET_COLUMNS = (
    Column("year", "Budgetår (den fastställda budgetens år)."),
    Column("table", "Tabellens kod, t.ex. resultatbudget."),
    Column("row_code", "Radens kod i tabellen."),
    Column("row_label", "Radens rubrik."),
    Column("row_kind", "amount (belopp), subtotal (delsumma) eller total (summa)."),
    Column("column_key", "Kolumnens kod: slag och år, t.ex. budget-2026."),
    Column("column_label", "Kolumnens rubrik, t.ex. Budget 2026."),
    Column(
        "unit", "SEK för kronor, ratio för en andel (0.05 är 5 %, avrundad till sex decimaler)."
    ),
    Column("value", f"Värdet med exakta decimaler; kronor som nettobelopp: {SIGNS}."),
)
COLUMNS = {PERIOD: PERIOD_COLUMNS, BUDGET: BUDGET_COLUMNS}


@dataclass(frozen=True)
class Entry:
    """One published table, without its rows: a period's figures per committee
    (``key``: the month) or a table of an adopted budget (``key``: the table's code)."""

    kind: str  # PERIOD or BUDGET
    year: int
    key: int | str
    title: str
    description: str
    issued: datetime | None = None  # when the period was published
    modified: datetime | None = None  # when its latest version was written
    version: int | None = None

    @property
    def corrected(self) -> bool:
        return (self.version or 1) > 1

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS[self.kind]

    def url(self, fmt: str) -> str:
        """The address of the table in ``fmt`` (CSV or JSON)."""
        if self.kind == PERIOD:
            kwargs = {"year": self.year, "month": self.key}
        else:
            kwargs = {"year": self.year, "kind": self.key}
        return reverse(f"opendata:{self.kind}_{fmt}", kwargs=kwargs)

    @property
    def csv_url(self) -> str:
        return self.url(CSV)

    @property
    def json_url(self) -> str:
        return self.url(JSON)


@dataclass
class Table:
    """A published table with its rows: column name → value (int, bool, str, Decimal or
    None for an empty cell), in ``entry.columns``' order."""

    entry: Entry
    publisher: str
    rows: list = field(default_factory=list)


@dataclass
class PublishedYear:
    year: int
    title: str  # the plan's, e.g. "Mål och budget 2026"
    budget: list  # Entry of each of the adopted budget's tables
    periods: list  # Entry of each published period, in month order


@dataclass
class Published:
    """Everything open data publishes: the adopted plans' years, latest first."""

    publisher: str  # the municipality's name
    years: list

    @property
    def entries(self) -> list:
        return [e for y in self.years for e in (*y.budget, *y.periods)]


def adopted_plans():
    return (
        BudgetPlan.objects.filter(status=BudgetPlan.Status.ADOPTED)
        .select_related("municipality")
        .order_by("-year", "id")
    )


def publisher(plans) -> str:
    """The municipality's name (one municipality per installation)."""
    if plans:
        return plans[0].municipality.name
    municipality = Municipality.objects.order_by("id").first()
    return municipality.name if municipality else ""


def published() -> Published:
    """What is published: per adopted plan its budget's tables and its published periods
    (a query for the periods of every plan, whatever their number)."""
    plans = list(adopted_plans())
    periods = _period_entries(plans)
    return Published(
        publisher=publisher(plans),
        years=[
            PublishedYear(
                year=plan.year,
                title=plan.title,
                budget=[_budget_entry(plan, t) for t in _budget_tables(plan)],
                periods=periods.get(plan.pk, []),
            )
            for plan in plans
        ],
    )


# Published periods --------------------------------------------------------------------


def _period_entry(*, kind, year, month, issued, modified, version) -> Entry:
    """The Entry of a published period, from what its records say (times, version)."""
    period = ReportingPeriod(kind=kind, year=year, month=month)
    return Entry(
        kind=PERIOD,
        year=year,
        key=month,
        title=f"{period}, per nämnd",
        description=(
            f"Budget, budget hittills, utfall, prognos och avvikelser per nämnd för "
            f"{period.month_name} {year}, som perioden publicerades (med rättelser: den "
            "senaste versionen)."
        ),
        issued=issued,
        modified=modified,
        version=version,
    )


def _period_entries(plans) -> dict:
    """plan id → Entry of each of its published periods with a record, in month order:
    from the records' own times and versions (one query)."""
    found = (
        PeriodRecord.objects.filter(
            period__plan__in=plans, period__status=ReportingPeriod.Status.PUBLISHED
        )
        .values("period_id", "period__plan_id", "period__kind", "period__year", "period__month")
        .annotate(version=Max("version"), issued=Min("made_at"), modified=Max("made_at"))
        .order_by("period__month", "period_id")
    )
    entries = {}
    for r in found:
        entries.setdefault(r["period__plan_id"], []).append(
            _period_entry(
                kind=r["period__kind"],
                year=r["period__year"],
                month=r["period__month"],
                issued=r["issued"],
                modified=r["modified"],
                version=r["version"],
            )
        )
    return entries


def _minus(a, b):
    return None if a is None or b is None else a - b


def _committee_row(period, row, base: dict) -> dict:
    """One committee's line: its budget always; the rest only from an approved report."""
    approved = row.report is not None and row.report.is_approved
    outcome = forecast = budget_to_date = None
    if approved:
        outcome, forecast = row.outcome, row.forecast
        # The committee's page: its activities' budget to date, added up.
        part = shown.shown_committee(period=period, committee=row.committee, user=AnonymousUser())
        if part.figures is not None and part.figures.budget_to_date is not None:
            budget_to_date = round_half_up(part.figures.budget_to_date, ORE_PLACES)
    return {
        **base,
        "committee_code": row.committee.code,
        "committee_name": row.committee.name,
        "report_approved": approved,
        "budget": row.budget,
        "budget_to_date": budget_to_date,
        "outcome": outcome,
        "forecast": forecast,
        "deviation": _minus(forecast, row.budget),
        "outcome_deviation": _minus(outcome, budget_to_date),
    }


def period_table(year: int, month: int) -> Table | None:
    """The published period of ``month`` in ``year``'s adopted plan, per committee, as its
    record's latest version shows it; None when there is no such published period."""
    period = (
        ReportingPeriod.objects.filter(
            year=year,
            month=month,
            status=ReportingPeriod.Status.PUBLISHED,
            plan__status=BudgetPlan.Status.ADOPTED,
        )
        .select_related("plan__municipality")
        .order_by("id")
        .first()
    )
    record = shown.record_of(period) if period is not None else None
    if record is None:
        return None
    first = record if record.version == 1 else shown.record_of(period, 1)
    entry = _period_entry(
        kind=period.kind,
        year=period.year,
        month=period.month,
        issued=first.made_at,
        modified=record.made_at,
        version=record.version,
    )
    base = {
        "year": period.year,
        "month": period.month,
        "version": record.version,
        "corrected": record.is_correction,
    }
    committees = list(Committee.objects.of_plan(period.plan))
    return Table(
        entry=entry,
        publisher=period.plan.municipality.name,
        rows=[_committee_row(period, r, base) for r in shown.shown_rows(period, committees)],
    )


# The adopted budget's tables ------------------------------------------------------------


def _budget_tables(plan) -> list:
    """The adopted plan's document tables on the adopted frames, those it has figures of."""
    return [t for t in document.all_tables(PlanSnapshot(plan)) if t.columns]


def _budget_entry(plan, table) -> Entry:
    return Entry(
        kind=BUDGET,
        year=plan.year,
        key=table.code,
        title=f"{table.title} {plan.year}",
        description=(
            f"{table.title} ur {plan.title}, den budget kommunfullmäktige fastställt, "
            "utan de förändringar som beslutats under året."
        ),
    )


def _budget_rows(plan, table) -> list:
    """One row per cell that has a value: the document table in long form."""
    rows = []
    for row in table.rows:
        if row.kind in ("heading", "spacer"):
            continue
        for column in table.columns:
            value = row.values.get(column.key)
            if value is None:
                continue
            ratio = table.cell_unit(row, column.key) == "procent"
            value = round_half_up(value, RATIO_PLACES) if ratio else Decimal(value)
            rows.append(
                {
                    "year": plan.year,
                    "table": table.code,
                    "row_code": row.code,
                    "row_label": row.label,
                    "row_kind": row.kind,
                    "column_key": column.key,
                    "column_label": column.label,
                    "unit": "ratio" if ratio else "SEK",
                    "value": value,
                }
            )
    return rows


def budget_table(year: int, code: str) -> Table | None:
    """Table ``code`` of ``year``'s adopted budget; None when there is no adopted plan of
    that year or it has no such table."""
    plan = adopted_plans().filter(year=year).first()
    if plan is None:
        return None
    table = next((t for t in _budget_tables(plan) if t.code == code), None)
    if table is None:
        return None
    return Table(
        entry=_budget_entry(plan, table),
        publisher=plan.municipality.name,
        rows=_budget_rows(plan, table),
    )
