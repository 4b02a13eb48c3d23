"""The follow-up calendar of a plan's budget year: loaded from data, run by finance."""

import datetime
import hashlib

from django.db import transaction

from budget.audit import Actor, History, Scope, Source, apply_changes, save_with_history
from budget.concurrency import check_version
from budget.models import AuditEntry
from followup.errors import FieldErrors
from followup.models import ReportingPeriod


def working_day_after(*, year: int, month: int, working_day: int) -> datetime.date:
    """The ``working_day``:th weekday (Monday–Friday) of the month after ``month``.

    Public holidays are not known to the application: finance moves a deadline that
    falls on one.
    """
    day = datetime.date(year + month // 12, month % 12 + 1, 1)
    count = 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == working_day:
                return day
        day += datetime.timedelta(days=1)


# What a period asks of the committees, in the data file's and the sheet's words.
ASKS = {
    "utfall": "asks_outcome",
    "prognos": "asks_forecast",
    "atgarder": "asks_actions",
    "mal": "asks_goals",
}


# The same asks as people read them: the calendar sheet's headers, the calendar form's choices.
ASK_LABELS = (
    ("utfall", "Utfall"),
    ("prognos", "Helårsprognos"),
    ("atgarder", "Planerade åtgärder"),
    ("mal", "Måluppföljning"),
)


def asked(asks) -> dict:
    """The period's asks_* fields for the words in ``asks`` ("utfall", "prognos", …)."""
    return {field: key in set(asks) for key, field in ASKS.items()}


def asks_of(period) -> list[str]:
    return [key for key, field in ASKS.items() if getattr(period, field)]


def load_calendar(
    *, plan, entries, deadline_working_day: int | None = None, actor: Actor | None = None
) -> int:
    """Create or update the plan year's reporting periods; returns how many there are.

    A period gets the deadline its entry gives, else the ``deadline_working_day``:th
    working day of the following month. Deadlines and statuses that finance has set
    are left as they are.
    """
    history = History(actor=actor or Actor(source=Source.COMMAND, name="Inläsning av kalender"))
    scope = Scope(area=AuditEntry.Area.CALENDAR, plan=plan)
    with transaction.atomic():
        for entry in entries:
            values = {
                "kind": entry["kind"],
                "content": entry["content"],
                **asked(entry.get("asks", ["utfall"])),
            }
            deadline = entry.get("deadline")
            if deadline is None and deadline_working_day:
                deadline = working_day_after(
                    year=plan.year, month=entry["month"], working_day=deadline_working_day
                )
            lookup = {"plan": plan, "year": plan.year, "month": entry["month"]}
            existing = ReportingPeriod.objects.filter(**lookup).first()
            if existing is None or existing.deadline is None:
                values["deadline"] = deadline
            save_with_history(ReportingPeriod, lookup, values, history=history, scope=scope)
        history.write()
    return ReportingPeriod.objects.filter(plan=plan).count()


@transaction.atomic
def set_deadline(*, period, deadline: datetime.date | None, actor: Actor) -> ReportingPeriod:
    """Finance sets (or clears) the last day for the period's reports."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status == ReportingPeriod.Status.PUBLISHED:
        raise PeriodError("Perioden är publicerad; sista dag kan inte längre ändras.")
    if deadline is not None and deadline < datetime.date(period.year, period.month, 1):
        raise PeriodError("Sista dag kan inte ligga före periodens månad.")
    history = History(actor=actor)
    scope = Scope(area=AuditEntry.Area.CALENDAR, plan=period.plan)
    if apply_changes(period, {"deadline": deadline}, history=history, scope=scope):
        period.save(update_fields=["deadline"])
        history.write()
    return period


# Finance moves a period through the year: planned → open → closed → published;
# a closed period may be reopened.
TRANSITIONS = {
    ReportingPeriod.Status.PLANNED: {ReportingPeriod.Status.OPEN},
    ReportingPeriod.Status.OPEN: {ReportingPeriod.Status.CLOSED},
    ReportingPeriod.Status.CLOSED: {ReportingPeriod.Status.OPEN, ReportingPeriod.Status.PUBLISHED},
    ReportingPeriod.Status.PUBLISHED: set(),
}


class PeriodError(Exception):
    """A status change the period's state does not allow (Swedish message)."""


@transaction.atomic
def set_period_status(*, period, status, actor: Actor) -> ReportingPeriod:
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    status = ReportingPeriod.Status(status)
    if status not in TRANSITIONS[ReportingPeriod.Status(period.status)]:
        raise PeriodError(
            f"En period som är {period.get_status_display().lower()} kan inte bli "
            f"{status.label.lower()}."
        )
    history = History(actor=actor)
    history.add(
        obj=period,
        action=AuditEntry.Action.CHANGED,
        scope=Scope(area=AuditEntry.Area.CALENDAR, plan=period.plan),
        field_label="status",
        old=period.get_status_display(),
        new=status.label,
    )
    period.status = status
    period.save(update_fields=["status"])
    history.write()
    if status == ReportingPeriod.Status.PUBLISHED:
        from followup.papers.paper import PaperRefused
        from followup.periods.record import write_record

        try:
            write_record(period, actor=actor)
        except PaperRefused as refused:
            raise PeriodError(f"Perioden kan inte publiceras: {refused}") from refused
    return period


def load_plan_calendar(*, plan, data: dict, actor: Actor | None = None) -> int:
    """The calendar as a plan's data file gives it: ``[[calendar]]`` entries and
    ``[calendar_rules]``."""
    rules = data.get("calendar_rules", {})
    return load_calendar(
        plan=plan,
        entries=data.get("calendar", []),
        deadline_working_day=rules.get("deadline_working_day"),
        actor=actor,
    )


class CalendarError(FieldErrors):
    """A period that finance may not add or change (Swedish messages, per field)."""


class StaleCalendar(CalendarError):
    def __init__(self):
        super().__init__(
            "Perioden har ändrats av någon annan sedan sidan öppnades; ingenting sparades. "
            "Läs in sidan igen och gör ändringen på nytt."
        )


def period_version(period) -> str:
    """The version of a period as the calendar form shows it ("0" before it exists)."""
    if period is None:
        return "0"
    shown = (period.kind, period.content, *asks_of(period), period.deadline, period.status)
    # str(): a choice is the same whether read ("oppen") or just set (Status.OPEN).
    return hashlib.sha256(repr([str(v) for v in shown]).encode()).hexdigest()[:16]


@transaction.atomic
def save_period(
    *, plan, month, kind, content, asks, deadline, actor: Actor, version: str | None = None
) -> tuple[ReportingPeriod, bool]:
    """Finance adds a period to the plan's calendar, or changes one that is still planned:
    its report, what it is about, what it asks of the committees and its last day. A
    period that has been opened keeps what it asked (its reports were made for it).
    ``version`` is ``period_version`` as the form was shown (StaleCalendar when the period
    has changed since). Returns (the period, whether it was created)."""
    lookup = {"plan": plan, "year": plan.year, "month": month}
    existing = ReportingPeriod.objects.select_for_update().filter(**lookup).first()
    check_version(shown=version, current=period_version(existing), stale=StaleCalendar)
    errors = []
    if existing is not None and existing.status != ReportingPeriod.Status.PLANNED:
        errors.append(
            (
                "month",
                f"{existing} är {existing.get_status_display().lower()}; bara en planerad "
                "period kan ändras här (sista dag ändras på sidan Uppföljning).",
            )
        )
    if deadline is not None and deadline < datetime.date(plan.year, month, 1):
        errors.append(("deadline", "Sista dag kan inte ligga före periodens månad."))
    if not asks:
        errors.append(("asks", "En period efterfrågar minst något av nämnderna."))
    if errors:
        raise CalendarError(*errors)
    history = History(actor=actor)
    scope = Scope(area=AuditEntry.Area.CALENDAR, plan=plan)
    values = {"kind": kind, "content": content.strip(), "deadline": deadline, **asked(asks)}
    period, created, _ = save_with_history(
        ReportingPeriod, lookup, values, history=history, scope=scope
    )
    history.write()
    return period, created
