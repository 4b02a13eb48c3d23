"""Last year's outcome that the interim report and the annual accounts compare with.

Finance enters it once per plan (``PreviousYearFigure``): for each statement line and each
committee the outcome of the year before the plan's, for the same months as the interim
report (January–August) and for the whole year. The papers read it through the functions
here; finance enters it with :func:`save_previous_year`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget import concurrency
from budget.audit import Actor, Area, History, Scope, record_each
from budget.models import Committee, StatementLine
from followup.models.calendar import MONTH_NAMES, ReportingPeriod
from followup.models.statements import PreviousYearFigure
from followup.statements.entry import AccountsError, StaleAccounts, statement_lines

WHOLE_YEAR = 12


@dataclass(frozen=True)
class PreviousOutcome:
    """Last year's outcome of one line or committee, in kronor (net, the budget's signs):
    ``to_date`` for January to the period's month, ``year`` for the whole year; None where
    finance has entered none."""

    to_date: Decimal | None = None
    year: Decimal | None = None


def previous_year(plan) -> int:
    """The year the comparison figures are from: the one before the plan's."""
    return plan.year - 1


def _outcomes(period, field: str) -> dict:
    """``field`` id → PreviousOutcome for ``period``'s months and the whole year."""
    months = {period.month, WHOLE_YEAR}
    found = {}
    for key, months_covered, amount in (
        PreviousYearFigure.objects.filter(
            plan=period.plan, months__in=months, **{f"{field}__isnull": False}
        )
        .order_by(field, "months", "id")
        .values_list(field, "months", "amount")
    ):
        found.setdefault(key, {})[months_covered] = amount
    return {
        key: PreviousOutcome(to_date=amounts.get(period.month), year=amounts.get(WHOLE_YEAR))
        for key, amounts in found.items()
    }


def committee_outcomes(period) -> dict[int, PreviousOutcome]:
    """committee id → last year's outcome for the same months as ``period`` (``to_date``)
    and for the whole year (``year``). Committees without any entered figure are left
    out; for the annual accounts (December) ``to_date`` and ``year`` are the same figure."""
    return _outcomes(period, "committee")


def line_outcomes(period) -> dict[int, PreviousOutcome]:
    """statement line id → last year's outcome, as :func:`committee_outcomes`."""
    return _outcomes(period, "line")


# --- Entering last year's figures ------------------------------------------------------------


def comparison_months(plan) -> list[int]:
    """The months last year's outcome is entered for: the months of the plan's interim
    reports (8 for January–August) and the whole year (12)."""
    interim = ReportingPeriod.objects.filter(plan=plan, kind=ReportingPeriod.Kind.INTERIM)
    return sorted({*interim.values_list("month", flat=True), WHOLE_YEAR})


def previous_year_version(figures) -> str:
    """A token for the plan's last-year figures as they are: it changes when any is saved."""
    return ",".join(
        f"{f.pk}:{f.recorded_at.isoformat()}" for f in sorted(figures, key=lambda f: f.pk)
    )


def _stale() -> StaleAccounts:
    return StaleAccounts("föregående års utfall")


def _months_label(months: int) -> str:
    return "helår" if months == WHOLE_YEAR else f"januari–{MONTH_NAMES[months]}"


@transaction.atomic
def save_previous_year(
    *,
    plan,
    lines: dict,
    committees: dict,
    actor: Actor,
    now=None,
    version: str | None = None,
    demo: bool = False,
) -> list:
    """Enter last year's outcome for ``plan`` (the year before the plan's): ``lines`` is
    (statement line id, months) → kronor or None, ``committees`` (committee id, months) →
    kronor or None; ``months`` is one of :func:`comparison_months` (8: January–August,
    12: the whole year). Amount lines only (subtotals are computed). A value left empty
    keeps what it has, a recorded one cannot be emptied; each change is audited.
    ``version`` is :func:`previous_year_version` as the form was shown. ``demo`` marks
    invented figures (the demo year). Returns the figures created or changed."""
    allowed = set(comparison_months(plan))
    known_lines = statement_lines(plan)
    known_committees = {c.pk: c for c in Committee.objects.of_plan(plan)}
    unknown = {pk for pk, _ in lines if pk not in known_lines} | {
        pk for pk, _ in committees if pk not in known_committees
    }
    if unknown:
        raise AccountsError("Raden eller nämnden hör inte till planens budget.")
    year = previous_year(plan)
    errors = [
        (None, f"Utfall {year} registreras för {', '.join(map(_months_label, sorted(allowed)))}.")
        for _, months in (*lines, *committees)
        if months not in allowed
    ][:1]

    def field(kind, pk, months):
        return f"{kind}_{pk}_{months}"

    def named(kind, pk, months):
        what = known_lines[pk] if kind == "line" else known_committees[pk]
        title = f"{what.statement.title}, {what}" if kind == "line" else str(what)
        return f"{title}, utfall {year} {_months_label(months)}"

    given = [("line", key, value) for key, value in lines.items()] + [
        ("committee", key, value) for key, value in committees.items()
    ]
    errors += [
        (
            field(kind, pk, months),
            f"{named(kind, pk, months)}: raden är en summa eller rubrik och registreras inte.",
        )
        for kind, (pk, months), value in given
        if kind == "line"
        and value is not None
        and known_lines[pk].line_type != StatementLine.Type.AMOUNT
    ]
    errors += [
        (field(kind, pk, months), f"{named(kind, pk, months)}: beloppet ska vara i kronor.")
        for kind, (pk, months), value in given
        if value is not None and (not isinstance(value, Decimal) or not value.is_finite())
    ]
    locked = list(PreviousYearFigure.objects.select_for_update(of=("self",)).filter(plan=plan))
    concurrency.check_version(shown=version, current=previous_year_version(locked), stale=_stale)
    existing = {
        ("line" if f.line_id else "committee", f.line_id or f.committee_id, f.months): f
        for f in locked
    }
    errors += [
        (
            field(kind, pk, months),
            f"{named(kind, pk, months)}: ett registrerat belopp kan ändras men inte tas bort.",
        )
        for kind, (pk, months), value in given
        if value is None and (kind, pk, months) in existing
    ]
    if errors:
        raise AccountsError(*errors)
    now = now or timezone.now()
    history = History(actor=actor, at=now)
    rows = []
    for kind, (pk, months), value in given:
        if value is None:
            continue
        key = {"line": known_lines[pk]} if kind == "line" else {"committee": known_committees[pk]}
        scope = Scope(
            area=Area.ACCOUNTS,
            plan=plan,
            committee=known_committees[pk] if kind == "committee" else None,
        )
        new = {"amount": value} | ({"demo": True} if demo else {})
        rows.append(
            (existing.get((kind, pk, months)), {"plan": plan, "months": months, **key}, new, scope)
        )
    saved = record_each(
        PreviousYearFigure, rows, history=history, now=now, user=actor.person, conflict=_stale
    )
    history.write()
    return saved
