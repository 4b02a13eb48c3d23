"""Loading the follow-up calendar of a plan's budget year from plain data."""

from django.db import transaction

from .models import ReportingPeriod


@transaction.atomic
def load_calendar(*, plan, entries) -> int:
    """Create or update the plan year's reporting periods; returns how many there are."""
    for entry in entries:
        asks = set(entry.get("asks", ["utfall"]))
        ReportingPeriod.objects.update_or_create(
            plan=plan,
            year=plan.year,
            month=entry["month"],
            defaults={
                "kind": entry["kind"],
                "content": entry["content"],
                "asks_outcome": "utfall" in asks,
                "asks_forecast": "prognos" in asks,
                "asks_actions": "atgarder" in asks,
                "asks_goals": "mal" in asks,
            },
        )
    return ReportingPeriod.objects.filter(plan=plan).count()
