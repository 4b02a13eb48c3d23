"""Goal follow-up: indicator values per year with their source, which Kolada KPI feeds
which indicator (data, editable), and finance's analysis per goal for the interim report
and the annual accounts."""

from django.db import models
from django.db.models import Q

from budget.models import Goal, Indicator
from budget.models.fields import UserReference
from followup.models.base import Recorded, RowVersioned
from followup.models.calendar import ReportingPeriod


class KoladaMapping(models.Model):
    """Which Kolada KPI (e.g. "N00310") feeds an indicator, and for which gender group
    (Kolada's "T" = totalt). Data, not code: finance edits it. A KPI Kolada no longer
    publishes keeps its mapping, inactive, with ``retired_reason`` saying why."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="kolada_mappings"
    )
    kpi = models.CharField("Kolada-KPI", max_length=20)
    gender = models.CharField("kön", max_length=1, default="T", help_text="T, K eller M.")
    active = models.BooleanField("används", default=True)
    retired_reason = models.TextField(
        "publiceras inte längre",
        blank=True,
        help_text="Varför Kolada inte längre publicerar nyckeltalet; tomt när det publiceras.",
    )

    audit_area = "mal"

    class Meta:
        verbose_name = "koppling till Kolada"
        verbose_name_plural = "kopplingar till Kolada"
        ordering = ["indicator", "kpi", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kpi", "gender"], name="kolada_mapping_unique"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=["T", "K", "M"]), name="kolada_mapping_gender_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} ← {self.kpi} ({self.gender})"


class IndicatorValue(models.Model):
    """An indicator's value for one year and municipality (Kolada's municipality id, e.g.
    "2083" for Hedemora), with where it came from and when it was fetched. A value fetched
    again with another figure is updated, and the change is in the audit trail."""

    class Source(models.TextChoices):
        KOLADA = "kolada", "Kolada"
        ENTERED = "inmatad", "Inmatad"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    municipality_code = models.CharField("kommunkod", max_length=10)
    year = models.PositiveIntegerField("år")
    value = models.DecimalField("värde", max_digits=14, decimal_places=4)
    source = models.CharField("källa", max_length=10, choices=Source.choices)
    kpi = models.CharField("Kolada-KPI", max_length=20, blank=True)
    fetched_at = models.DateTimeField("hämtad")
    recorded_by = UserReference("registrerad av")

    audit_area = "mal"

    class Meta:
        verbose_name = "värde för nyckeltal"
        verbose_name_plural = "värden för nyckeltal"
        ordering = ["indicator", "municipality_code", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality_code", "year"],
                name="indicator_value_per_year",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["kolada", "inmatad"]), name="indicator_value_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} ({self.municipality_code}): {self.value}"


class GoalAnalysis(RowVersioned, Recorded):
    """Finance's analysis of a goal for a period (interim report, annual accounts)."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="analyses")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("analys")

    audit_area = "mal"

    class Meta:
        verbose_name = "analys av mål"
        verbose_name_plural = "analyser av mål"
        ordering = ["goal", "period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="goal_analysis_per_period"),
        ]

    def __str__(self):
        return f"Analys av {self.goal}, {self.period}"


class FinancialIndicatorValue(Recorded):
    """An entered financial indicator (method "inmatad", e.g. kommunkoncernens soliditet)
    as of an interim report or the annual accounts: a share (0,23 = 23 %)."""

    indicator = models.ForeignKey(
        "budget.FinancialIndicator", on_delete=models.PROTECT, related_name="entered_values"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("värde (andel)", max_digits=9, decimal_places=6)

    audit_area = "mal"

    class Meta:
        verbose_name = "inmatat finansiellt nyckeltal"
        verbose_name_plural = "inmatade finansiella nyckeltal"
        ordering = ["indicator", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="financial_indicator_value_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}, {self.period}: {self.value}"
