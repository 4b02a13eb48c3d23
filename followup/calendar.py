"""Loading the follow-up calendar of a plan's budget year from plain data."""

from django.db import transaction

from budget.audit import Actor, History, Scope, Source, save_with_history
from budget.models import AuditEntry

from .models import ReportingPeriod


def load_calendar(*, plan, entries, actor: Actor | None = None) -> int:
    """Create or update the plan year's reporting periods; returns how many there are.

    Deadlines and statuses that finance has set are left as they are.
    """
    history = History(actor=actor or Actor(source=Source.COMMAND, name="Inläsning av kalender"))
    scope = Scope(area=AuditEntry.Area.CALENDAR, plan=plan)
    with transaction.atomic():
        for entry in entries:
            asks = set(entry.get("asks", ["utfall"]))
            save_with_history(
                ReportingPeriod,
                {"plan": plan, "year": plan.year, "month": entry["month"]},
                {
                    "kind": entry["kind"],
                    "content": entry["content"],
                    "asks_outcome": "utfall" in asks,
                    "asks_forecast": "prognos" in asks,
                    "asks_actions": "atgarder" in asks,
                    "asks_goals": "mal" in asks,
                },
                history=history,
                scope=scope,
            )
        history.write()
    return ReportingPeriod.objects.filter(plan=plan).count()


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
    return period
