"""Reminders sent about reports: kept so that none is sent twice on the same day."""

from django.db import models

from budget.models import Committee
from followup.models.calendar import ReportingPeriod


class Reminder(models.Model):
    class Kind(models.TextChoices):
        DUE = "paminnelse", "Påminnelse före sista dag"
        LATE = "forsenad", "Försenad rapport"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reminders")
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="reminders", verbose_name="nämnd"
    )
    kind = models.CharField("slag", max_length=12, choices=Kind.choices)
    recipient = models.EmailField("mottagare")
    sent_on = models.DateField("dag")
    sent_at = models.DateTimeField("skickad")

    class Meta:
        verbose_name = "påminnelse"
        verbose_name_plural = "påminnelser"
        ordering = ["-sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "committee", "kind", "recipient", "sent_on"],
                name="reminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["paminnelse", "forsenad"]), name="reminder_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.committee}, {self.period} → {self.recipient}"
