"""What a published period showed, kept as it was (docs/decisions/0020).

A record is written in the transaction that publishes the period and is never changed:
the model and its queryset refuse it, and on PostgreSQL a trigger refuses UPDATE and
DELETE on the table. A correction after publication is a new version of the record with
who, when and why.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from budget.models.audit import AppendOnly, AppendOnlyQuerySet
from budget.models.fields import UserReference
from followup.models.calendar import ReportingPeriod


class PeriodRecordQuerySet(AppendOnlyQuerySet):
    def latest_of(self, period):
        """The period's record as it stands: its latest version (None: never published)."""
        return self.filter(period=period).order_by("-version").first()


class PeriodRecord(AppendOnly):
    """One version of what a published period shows: its pages' figures and its paper."""

    refused_change = "En publicerad periods uppgifter kan inte ändras."
    refused_removal = "En publicerad periods uppgifter kan inte raderas."

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="records", verbose_name="period"
    )
    version = models.PositiveSmallIntegerField("version", default=1)
    made_at = models.DateTimeField("skriven")
    made_by = UserReference("skriven av")
    reason = models.TextField(
        "skäl till rättelsen", blank=True, help_text="Krävs för varje version efter den första."
    )
    changes = models.JSONField(
        "ändrade uppgifter",
        default=list,
        encoder=DjangoJSONEncoder,
        help_text="Vad rättelsen ändrade jämfört med föregående version.",
    )
    figures = models.JSONField("uppgifter", encoder=DjangoJSONEncoder)
    paper_name = models.CharField("rapportens filnamn", max_length=200, blank=True)
    paper = models.BinaryField("rapporten (Excel)", blank=True, default=b"")
    paper_sha256 = models.CharField("kontrollsumma (SHA-256)", max_length=64, blank=True)

    objects = PeriodRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "publicerad periods uppgifter"
        verbose_name_plural = "publicerade perioders uppgifter"
        ordering = ["period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="period_record_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="period_record_version_gte_1"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="period_record_correction_reason"
            ),
        ]

    def __str__(self):
        suffix = f" (rättelse {self.version - 1})" if self.version > 1 else ""
        return f"{self.period}{suffix}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1
