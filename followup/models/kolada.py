"""What the municipality is compared with in Kolada, beyond its goals' indicators: its
comparison group ("Liknande kommuner, övergripande"), the Kolada KPIs that mirror its
financial indicators and its balanskravsresultat, and the figures fetched for them."""

from django.db import models
from django.db.models import Q

from budget.models import BudgetPlan, FinancialIndicator, Municipality
from budget.models.fields import OptionalReference, UserReference


class KoladaGroup(models.Model):
    """The municipality's comparison group in Kolada (e.g. "G37393"): the id comes from
    the municipality's mapping file; the title and the members from Kolada
    (``/municipality_groups/<id>``) at each fetch. ``members`` is a list of
    {"code": "2084", "name": "Avesta"}."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="kolada_group"
    )
    group_id = models.CharField("grupp-id i Kolada", max_length=20)
    title = models.CharField("gruppens namn", max_length=200, blank=True)
    members = models.JSONField("kommuner i gruppen", default=list, blank=True)
    fetched_at = models.DateTimeField("hämtad", null=True, blank=True)

    audit_area = "mal"

    class Meta:
        verbose_name = "jämförelsegrupp i Kolada"
        verbose_name_plural = "jämförelsegrupper i Kolada"
        ordering = ["municipality", "id"]

    def __str__(self):
        return f"{self.title or 'Jämförelsegrupp'} ({self.group_id})"

    def member_list(self) -> list[tuple[str, str]]:
        """(Kolada id, name) of the members, the municipality itself included."""
        return [(str(m["code"]), str(m["name"])) for m in self.members]


class KoladaReference(models.Model):
    """A Kolada KPI that mirrors one of the plan's own figures: a financial indicator
    (soliditet → N03106), the balanskravsresultat (N03139) or the number of inhabitants
    (N01951, to turn kronor into kronor per inhabitant). ``unit`` is the KPI's unit as
    Kolada's catalogue gives it."""

    class Measure(models.TextChoices):
        INDICATOR = "nyckeltal", "Finansiellt nyckeltal"
        BALANCE_RESULT = "balanskravsresultat", "Balanskravsresultat"
        INHABITANTS = "invanare", "Invånare"

    class Unit(models.TextChoices):
        PERCENT = "procent", "procent"
        KR_PER_INHABITANT = "kr/inv", "kr per invånare"
        COUNT = "antal", "antal"

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField("vad", max_length=20, choices=Measure.choices)
    financial_indicator = OptionalReference(FinancialIndicator, related_name="+")
    kpi = models.CharField("Kolada-KPI", max_length=20)
    unit = models.CharField("enhet", max_length=10, choices=Unit.choices)

    audit_area = "mal"

    class Meta:
        verbose_name = "jämförelsetal i Kolada"
        verbose_name_plural = "jämförelsetal i Kolada"
        ordering = ["plan", "measure", "financial_indicator", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "measure"],
                condition=~Q(measure="nyckeltal"),
                name="kolada_reference_one_per_measure",
            ),
            models.UniqueConstraint(
                fields=["plan", "financial_indicator"], name="kolada_reference_per_indicator"
            ),
            models.CheckConstraint(
                condition=(Q(measure="nyckeltal") & Q(financial_indicator__isnull=False))
                | (~Q(measure="nyckeltal") & Q(financial_indicator__isnull=True)),
                name="kolada_reference_indicator_iff_measure",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=["nyckeltal", "balanskravsresultat", "invanare"]),
                name="kolada_reference_measure_valid",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["procent", "kr/inv", "antal"]),
                name="kolada_reference_unit_valid",
            ),
        ]

    def __str__(self):
        what = self.financial_indicator or self.get_measure_display()
        return f"{what} ← {self.kpi}"


class KoladaFigure(models.Model):
    """A figure Kolada published for a KPI, municipality and year (gender group totalt),
    for a KoladaReference. Fetched again with another value it is updated, and the
    change is in the audit trail."""

    kpi = models.CharField("Kolada-KPI", max_length=20)
    municipality_code = models.CharField("kommunkod", max_length=10)
    year = models.PositiveIntegerField("år")
    value = models.DecimalField("värde", max_digits=14, decimal_places=4)
    fetched_at = models.DateTimeField("hämtad")
    recorded_by = UserReference("registrerad av")

    audit_area = "mal"

    class Meta:
        verbose_name = "värde från Kolada"
        verbose_name_plural = "värden från Kolada"
        ordering = ["kpi", "municipality_code", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "municipality_code", "year"], name="kolada_figure_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.kpi} {self.year} ({self.municipality_code}): {self.value}"
