"""Outcome from the financial system: how its objects map to activities, and each load."""

from django.db import models

from budget.models import Activity, Municipality
from budget.models.fields import AmountField, UserReference
from followup.models.calendar import ReportingPeriod


class OutcomeMapping(models.Model):
    """One object of the financial system (an SIE dimension and object code, e.g. a
    cost centre) and the activity its outcome is booked to. Kept as data per municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="outcome_mappings"
    )
    dimension = models.PositiveSmallIntegerField(
        "dimension", default=1, help_text="SIE-dimension, 1 = kostnadsställe/resultatenhet."
    )
    object_code = models.CharField("objekt", max_length=40)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="outcome_mappings",
        verbose_name="verksamhet",
    )
    name = models.CharField("benämning i ekonomisystemet", max_length=200, blank=True)

    audit_area = "utfall"  # where the admin's audit entries for a mapping belong

    class Meta:
        verbose_name = "koppling till ekonomisystemet"
        verbose_name_plural = "kopplingar till ekonomisystemet"
        ordering = ["municipality", "dimension", "object_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "dimension", "object_code"], name="outcome_mapping_unique"
            )
        ]

    def __str__(self):
        return f"Dimension {self.dimension} objekt {self.object_code} → {self.activity}"


class OutcomeImport(models.Model):
    """One load of outcome into a period's reports: which file, by whom, what it held."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        SIE = "sie", "SIE 4"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="outcome_imports"
    )
    file_name = models.CharField("fil", max_length=255)
    file_format = models.CharField("format", max_length=4, choices=Format.choices)
    sha256 = models.CharField("kontrollsumma (SHA-256)", max_length=64)
    rows = models.PositiveIntegerField("rader")
    activities = models.PositiveIntegerField("verksamheter")
    total = AmountField("summa (kr)")
    imported_at = models.DateTimeField("inläst")
    imported_by = UserReference("inläst av")

    class Meta:
        verbose_name = "inläsning av utfall"
        verbose_name_plural = "inläsningar av utfall"
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(file_format__in=["csv", "sie"]), name="outcome_import_format"
            )
        ]

    def __str__(self):
        return f"{self.file_name} → {self.period}"
