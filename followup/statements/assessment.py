"""Finance's assessment of god ekonomisk hushållning (sound financial management, KL 11:1)
for an interim report or the annual accounts: entered text, audited, stale forms refused.

Other code reads it with :func:`assessment_of`; finance enters it with
:func:`save_assessment` (the entry page is followup.views.statements.assessment).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from budget import concurrency
from budget.audit import Actor, Area, History, Scope, record_with_history
from followup.models.statements import StewardshipAssessment
from followup.statements.entry import AccountsError, StaleAccounts, check_accounts_period


@dataclass(frozen=True)
class Assessment:
    """The assessment as finance last saved it: who and when beside the text."""

    text: str
    recorded_by: object  # the user, or None for a command or the demo
    recorded_at: datetime.datetime
    row_version: int


def assessment_of(period) -> Assessment | None:
    """The period's assessment of god ekonomisk hushållning, or None when none is entered."""
    row = StewardshipAssessment.objects.filter(period=period).select_related("recorded_by").first()
    if row is None:
        return None
    return Assessment(
        text=row.text,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        row_version=row.row_version,
    )


def _stale() -> StaleAccounts:
    return StaleAccounts("bedömningen av god ekonomisk hushållning")


@transaction.atomic
def save_assessment(
    *, period, text: str, actor: Actor, now=None, row_version: int | None = None
) -> StewardshipAssessment:
    """Enter or change the period's assessment. ``row_version`` is the version the form
    was shown with (0 when there was none); a save against an older one is refused
    (StaleAccounts) and keeps nothing. An entered assessment can be changed, not emptied."""
    check_accounts_period(period, actor)
    row = (
        StewardshipAssessment.objects.select_for_update(of=("self",)).filter(period=period).first()
    )
    concurrency.check_version(shown=row_version, current=concurrency.row_version(row), stale=_stale)
    text = (text or "").strip()
    if not text:
        raise AccountsError(
            (
                "text",
                "Skriv bedömningen av god ekonomisk hushållning."
                if row is None
                else "En registrerad bedömning kan ändras men inte tas bort.",
            )
        )
    now = now or timezone.now()
    history = History(actor=actor, at=now)
    existed = row is not None
    row, changed = record_with_history(
        StewardshipAssessment,
        row,
        create={"period": period},
        values={"text": text},
        history=history,
        scope=Scope(area=Area.ACCOUNTS, plan=period.plan),
        now=now,
        user=actor.person,
        conflict=_stale,
    )
    if existed and changed:
        row.row_version += 1
        row.save(update_fields=["row_version"])
    history.write()
    return row
