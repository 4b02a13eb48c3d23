"""What several follow-up models share: who entered a row and when, and its version."""

from django.db import models

from budget.models.fields import UserReference


class Recorded(models.Model):
    """A row someone enters for a period or a year (a statement figure, a goal analysis, a
    project's follow-up, …): who entered it or last changed it, and when. Every save that
    changes the row stamps both (budget.audit.record_with_history)."""

    recorded_at = models.DateTimeField("registrerad")
    recorded_by = UserReference("registrerad av")

    class Meta:
        abstract = True


class RowVersioned(models.Model):
    """A row edited on a form that may go stale: each save raises ``row_version``, and a
    save against an older one is refused (budget.concurrency)."""

    row_version = models.PositiveIntegerField("radversion", default=1)

    class Meta:
        abstract = True
