"""Whether figures may be entered in a period now.

One rule for what is entered beside the reports, which have their own workflow: the
investment follow-up, the interim report's and the annual accounts' statement figures, the
companies' forecasts and the goal analyses. An open period takes figures; a closed one
only from finance (or a command, which has no user) as a correction; a planned or a
published one from nobody.
"""

from budget.roles import is_finance
from followup.errors import FieldErrors
from followup.models import ReportingPeriod


class PeriodClosed(FieldErrors):
    """Figures cannot be entered in the period now."""


def _corrects(actor) -> bool:
    """Finance, or the system itself (a command has no user), may correct a closed period."""
    return actor.user is None or is_finance(actor.user)


def check_open(period, actor, error: type[FieldErrors] = PeriodClosed) -> None:
    """Raise ``error`` with the reason unless ``actor`` may enter figures in ``period`` now."""
    status = ReportingPeriod.Status(period.status)
    if status == ReportingPeriod.Status.OPEN:
        return
    if status == ReportingPeriod.Status.CLOSED and _corrects(actor):
        return
    if status == ReportingPeriod.Status.PLANNED:
        raise error("Perioden är inte öppnad ännu; uppföljningen kan inte registreras.")
    if status == ReportingPeriod.Status.CLOSED:
        raise error("Perioden är stängd; bara ekonomiavdelningen kan rätta uppföljningen nu.")
    raise error("Perioden är publicerad; uppföljningen kan inte längre ändras.")


def closed_reason(period, actor) -> str:
    """Why ``actor`` may not enter figures in ``period`` now; "" when they may."""
    try:
        check_open(period, actor)
    except PeriodClosed as exc:
        return str(exc)
    return ""
