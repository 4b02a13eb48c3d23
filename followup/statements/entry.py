"""Finance enters what the interim report and the annual accounts need beyond the
committees' reports: the statements' figures (resultaträkning, balansräkning,
kassaflödesanalys) and the balance requirement's inputs (followup.models.statements).

Every function is keyword-only, atomic, locks the rows it compares, writes one audit entry
per changed value (area "bokslut") and raises :class:`AccountsError` with Swedish messages.
A form shown before someone else saved is refused (:class:`StaleAccounts`); nothing is
deleted: a recorded figure can be changed but not emptied.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget import concurrency
from budget.audit import (
    Actor,
    Area,
    History,
    Scope,
    apply_changes,
    field_label,
    fields_of,
    record_each,
    record_with_history,
)
from budget.models import (
    AuditEntry,
    BudgetYear,
    StatementAmount,
    StatementLine,
    SubtotalComponent,
)
from budget.reports.structure import signed_sum
from followup.errors import FieldErrors
from followup.models import BalanceInputs, EarlierDeficit, ReportingPeriod, StatementFigure
from followup.periods.entry import check_open

Action = AuditEntry.Action
ACCOUNT_KINDS = (ReportingPeriod.Kind.INTERIM, ReportingPeriod.Kind.ANNUAL)

BALANCE_AMOUNTS = (
    "realisation_gains",
    "exempt_realisation_gains",
    "exempt_realisation_losses",
    "unrealised_securities",
    "reversed_unrealised_securities",
    "reserve_balance",
    "reservation",
    "disposition",
)
BALANCE_FIELDS = (*BALANCE_AMOUNTS, "reserve", "negative_equity_incl_pensions", "comment")


class AccountsError(FieldErrors):
    """One or more reasons a save is refused: ``errors`` is [(field or None, message)]."""


class StaleAccounts(AccountsError):
    """Someone saved after this user opened the form: nothing of this save is kept."""

    def __init__(self, what: str):
        super().__init__(
            f"Någon annan har sparat {what} för perioden efter att du öppnade sidan. "
            "Ingenting av det du skrev har sparats; det står kvar i formuläret. "
            "Jämför med det sparade (ladda om sidan) och spara igen."
        )


def _stale_figures() -> StaleAccounts:
    return StaleAccounts("budgetställningarna")


def _stale_inputs() -> StaleAccounts:
    return StaleAccounts("underlaget för balanskravsutredningen")


def is_accounts_period(period) -> bool:
    return period.kind in ACCOUNT_KINDS


def check_accounts_period(period, actor) -> None:
    if not is_accounts_period(period):
        raise AccountsError(
            "Budgetställningar och balanskravsutredning registreras bara för delårsrapporten "
            "och årsbokslutet."
        )
    check_open(period, actor, AccountsError)


# --- The statements' figures --------------------------------------------------------------


def figures_version(figures) -> str:
    """A token for the period's figures as they are: it changes when any is saved."""
    return ",".join(
        f"{f.line_id}:{f.recorded_at.isoformat()}"
        for f in sorted(figures, key=lambda f: (f.line_id, f.pk))
    )


def statement_lines(plan):
    """The amount lines of the plan's statements, by id (the lines finance may enter)."""
    return {
        line.pk: line
        for line in StatementLine.objects.filter(statement__plan=plan).select_related("statement")
    }


@transaction.atomic
def save_statement_figures(
    *,
    period,
    values: dict,
    actor: Actor,
    now=None,
    version: str | None = None,
    to_date: dict | None = None,
    notes: dict | None = None,
) -> list:
    """Enter the statements' figures of ``period`` (the interim report's forecast, the
    annual accounts' outcome): ``values`` is line id → kronor, or None for a line left
    empty. Only amount lines are entered; subtotals are computed and headings have none.
    A line left empty keeps what it has, but a recorded figure cannot be emptied.

    ``to_date`` (interim report only) is line id → the outcome from January to the
    period's month, in kronor, or None; ``notes`` is line id → finance's note on the line
    (anmärkning; an empty text removes it, the history keeps it). Both belong to a line's
    figure: a line given either needs its forecast (outcome) too, entered now or before.
    Lines left out of ``to_date`` and ``notes`` keep what they have.

    ``version`` is :func:`figures_version` as the form was shown. Returns the figures
    that were created or changed."""
    check_accounts_period(period, actor)
    to_date = to_date or {}
    notes = notes or {}
    lines = statement_lines(period.plan)
    unknown = (set(values) | set(to_date) | set(notes)) - set(lines)
    if unknown:
        raise AccountsError("Raden hör inte till periodens budgetställningar.")

    def name(pk) -> str:
        return f"{lines[pk].statement.title}, {lines[pk]}"

    given = {
        pk
        for pk in set(values) | set(to_date) | set(notes)
        if values.get(pk) is not None or to_date.get(pk) is not None or notes.get(pk)
    }
    errors = [
        (
            f"line_{pk}",
            f"{name(pk)}: raden är en {lines[pk].get_line_type_display().lower()} och "
            "registreras inte"
            + ("; den beräknas av raderna under den." if _is_sum(lines[pk]) else "."),
        )
        for pk in sorted(given)
        if lines[pk].line_type != StatementLine.Type.AMOUNT
    ]
    annual = period.kind == ReportingPeriod.Kind.ANNUAL
    if annual:
        errors += [
            (
                f"to_date_{pk}",
                f"{name(pk)}: årsbokslutet har utfallet för helåret; utfallet hittills "
                "registreras för delårsrapporten.",
            )
            for pk, value in to_date.items()
            if value is not None
        ]
    locked = list(StatementFigure.objects.select_for_update(of=("self",)).filter(period=period))
    concurrency.check_version(shown=version, current=figures_version(locked), stale=_stale_figures)
    existing = {f.line_id: f for f in locked}
    errors += [
        (f"line_{pk}", f"{name(pk)}: ett registrerat belopp kan ändras men inte tas bort.")
        for pk, value in values.items()
        if value is None and pk in existing
    ]
    errors += [
        (
            f"to_date_{pk}",
            f"{name(pk)}: ett registrerat utfall hittills kan ändras men inte tas bort.",
        )
        for pk, value in to_date.items()
        if value is None and existing.get(pk) and existing[pk].outcome_to_date is not None
    ]
    errors += [
        (f"{field}_{pk}", f"{name(pk)}: beloppet ska vara i kronor.")
        for field, given_values in (("line", values), ("to_date", to_date))
        for pk, value in given_values.items()
        if value is not None and (not isinstance(value, Decimal) or not value.is_finite())
    ]
    what = "utfallet" if annual else "prognosen"
    errors += [
        (
            f"line_{pk}",
            f"{name(pk)}: ange {what} för raden också; utfall hittills och anmärkning hör "
            f"till {what}.",
        )
        for pk in sorted(given)
        if values.get(pk) is None and pk not in existing
    ]
    if errors:
        raise AccountsError(*_unique(errors))
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.ACCOUNTS, plan=period.plan)
    rows = []
    for pk in sorted(set(values) | set(to_date) | set(notes)):
        new = {}
        if values.get(pk) is not None:
            new["amount"] = values[pk]
        if to_date.get(pk) is not None:
            new["outcome_to_date"] = to_date[pk]
        if pk in notes and (pk in existing or notes[pk]):
            new["note"] = (notes[pk] or "").strip()
        if new:
            rows.append((existing.get(pk), {"period": period, "line": lines[pk]}, new, scope))
    saved = record_each(
        StatementFigure, rows, history=history, now=now, user=user, conflict=_stale_figures
    )
    history.write()
    return saved


def _unique(errors) -> list:
    """The errors in order, each once (a line may break a rule through several fields)."""
    seen, kept = set(), []
    for error in errors:
        if error not in seen:
            seen.add(error)
            kept.append(error)
    return kept


def _is_sum(line) -> bool:
    return line.line_type == StatementLine.Type.SUBTOTAL


@dataclass(frozen=True)
class StatementRow:
    """One line of a statement on the entry page: the budget beside the figure."""

    line: StatementLine
    budget: Decimal | None
    figure: Decimal | None  # recorded (amount line) or computed from them (subtotal)
    missing: int = 0  # for a subtotal: budgeted amount lines under it not yet entered
    to_date: Decimal | None = None  # the outcome so far, as ``figure`` (interim report)

    @property
    def is_amount(self) -> bool:
        return self.line.line_type == StatementLine.Type.AMOUNT

    @property
    def is_sum(self) -> bool:
        return _is_sum(self.line)


def statement_tables(period, figures, *, plan=None) -> list[tuple]:
    """[(statement, [StatementRow])] of the period's plan (or of ``plan``, without a
    period), in four queries: each line with the plan year's budget and the period's
    figure; subtotals computed from the budget and from the figures, once every budgeted
    line under them is entered (``missing`` counts those that are not)."""
    plan = plan or period.plan
    lines = list(
        StatementLine.objects.filter(statement__plan=plan)
        .select_related("statement")
        .order_by("statement__position", "statement_id", "position", "id")
    )
    by_id = {line.pk: line for line in lines}
    components = {}
    for c in SubtotalComponent.objects.filter(subtotal__statement__plan=plan).order_by(
        "component__position", "id"
    ):
        components.setdefault(c.subtotal_id, []).append((c.component_id, c.sign))
    budget = dict(
        StatementAmount.objects.filter(
            line__statement__plan=plan,
            budget_year__year=plan.year,
            budget_year__kind=BudgetYear.Kind.BUDGET,
        ).values_list("line_id", "amount")
    )
    entered = {f.line_id: f.amount for f in figures}
    to_date = {f.line_id: f.outcome_to_date for f in figures if f.outcome_to_date is not None}

    def value(line_id, amounts, depth=0):
        line = by_id[line_id]
        if not _is_sum(line):
            return amounts.get(line_id)
        if depth > 50:
            raise ValueError(f"Summan {line.label} refererar till sig själv.")
        return signed_sum(
            (value(cid, amounts, depth + 1), sign) for cid, sign in components.get(line_id, [])
        )

    def missing(line_id, amounts, depth=0):
        line = by_id[line_id]
        if not _is_sum(line):
            is_amount = line.line_type == StatementLine.Type.AMOUNT
            return int(is_amount and line_id in budget and line_id not in amounts)
        if depth > 50:
            return 0
        return sum(missing(cid, amounts, depth + 1) for cid, _ in components.get(line_id, []))

    tables = []
    for line in lines:
        if not tables or tables[-1][0].pk != line.statement_id:
            tables.append((line.statement, []))
        lacking = missing(line.pk, entered) if _is_sum(line) else 0
        lacking_to_date = missing(line.pk, to_date) if _is_sum(line) else 0
        tables[-1][1].append(
            StatementRow(
                line=line,
                budget=value(line.pk, budget),
                # A sum of some of its lines would read as the total: none until complete.
                figure=None if lacking else value(line.pk, entered),
                missing=lacking,
                to_date=None if lacking_to_date else value(line.pk, to_date),
            )
        )
    return tables


# --- The balance requirement's inputs ------------------------------------------------------


@transaction.atomic
def save_balance_inputs(
    *, period, values: dict, actor: Actor, now=None, row_version: int | None = None
) -> BalanceInputs:
    """Record (or change) the balanskravsutredning's inputs of ``period``.

    ``values``: field name of :class:`BalanceInputs` → value (amounts in kronor); a name
    left out keeps what it has (its default for a new row). ``row_version`` is the row's
    version as the form was shown (0 for none yet); when it has been saved since, nothing
    is saved (StaleAccounts). The rules of the utredning itself (the largest reservation,
    …) are not refused here: the page shows what they say about the figures."""
    unknown = set(values) - set(BALANCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown balance inputs: {sorted(unknown)}")
    check_accounts_period(period, actor)
    inputs = BalanceInputs.objects.select_for_update(of=("self",)).filter(period=period).first()
    concurrency.check_version(
        shown=row_version, current=concurrency.row_version(inputs), stale=_stale_inputs
    )
    errors = []
    for name in BALANCE_AMOUNTS:
        if name in values and (
            not isinstance(values[name], Decimal) or not values[name].is_finite()
        ):
            errors.append((name, f"{_label(name)}: ange ett belopp (0 om det inte finns något)."))
    for name in ("reservation", "disposition", "reserve_balance"):
        value = values.get(name)
        if isinstance(value, Decimal) and value < 0:
            errors.append((name, f"{_label(name)} anges med plustecken (det belopp som flyttas)."))
    if "reserve" in values and values["reserve"] not in BalanceInputs.Reserve.values:
        errors.append(
            (
                "reserve",
                "Reserven är resultatutjämningsreserven (RUR) eller resultatreserven (RER).",
            )
        )
    if "negative_equity_incl_pensions" in values and not isinstance(
        values["negative_equity_incl_pensions"], bool
    ):
        errors.append(("negative_equity_incl_pensions", "Ange ja eller nej."))
    if errors:
        raise AccountsError(*errors)
    new = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.ACCOUNTS, plan=period.plan)
    if inputs is None:
        inputs = concurrency.create_or_stale(
            BalanceInputs,
            stale=_stale_inputs,
            period=period,
            recorded_at=now,
            recorded_by=user,
            **new,
        )
        history.add(
            obj=inputs,
            action=Action.CREATED,
            scope=scope,
            new=fields_of(inputs, BALANCE_FIELDS),
        )
        history.write()
        return inputs
    changed = apply_changes(inputs, new, history=history, scope=scope)
    if not changed:
        return inputs
    inputs.row_version += 1
    inputs.recorded_at, inputs.recorded_by = now, user
    inputs.save(update_fields=[*changed, "row_version", "recorded_at", "recorded_by"])
    history.write()
    return inputs


def _label(name) -> str:
    """A field's name for a message: capitalised, without the unit (forms ask in tkr)."""
    text = field_label(BalanceInputs, name).removesuffix(" (kr)")
    return text[:1].upper() + text[1:]


# --- Deficits of earlier years ------------------------------------------------------------


@transaction.atomic
def save_earlier_deficit(*, plan, year: int, amount, actor: Actor, now=None) -> EarlierDeficit:
    """Record the deficit of ``year`` still to restore, as the annual accounts state it
    (a negative balanskravsresultat of a year before the plan's), or change it: one per
    year, each change audited."""
    errors = []
    if not isinstance(year, int) or isinstance(year, bool) or year >= plan.year:
        errors.append(("year", f"Underskottet ska vara från ett år före {plan.year}."))
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors.append(("amount", "Ange underskottet som ett belopp."))
    elif amount >= 0:
        errors.append(
            ("amount", "Ett underskott att återställa är negativt; ange det med minustecken.")
        )
    if errors:
        raise AccountsError(*errors)
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.ACCOUNTS, plan=plan)
    deficit, _ = record_with_history(
        EarlierDeficit,
        EarlierDeficit.objects.select_for_update(of=("self",)).filter(plan=plan, year=year).first(),
        create={"plan": plan, "year": year},
        values={"amount": amount},
        history=history,
        scope=scope,
        now=now,
        user=user,
        conflict=lambda: AccountsError(
            "Någon annan registrerade underskottet för året samtidigt; ladda om sidan."
        ),
        prefix=f"år: {year}, ",
    )
    history.write()
    return deficit
