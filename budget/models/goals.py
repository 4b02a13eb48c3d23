"""Vision, goals (inriktningsmål), steering perspectives and indicators."""

from django.db import models

from budget.models.fields import OptionalReference
from budget.models.plans import BudgetPlan


class Vision(models.Model):
    plan = models.OneToOneField(BudgetPlan, on_delete=models.PROTECT, related_name="vision")
    title = models.CharField("rubrik", max_length=200)
    text = models.TextField("vision")

    class Meta:
        verbose_name = "vision"
        verbose_name_plural = "visioner"
        ordering = ["plan", "id"]

    def __str__(self):
        return self.title


class Perspective(models.Model):
    """Styrperspektiv."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="perspectives")
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=100)
    description = models.TextField("beskrivning", blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "styrperspektiv"
        verbose_name_plural = "styrperspektiv"
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="perspective_code_unique")
        ]

    def __str__(self):
        return self.name


class Goal(models.Model):
    """Inriktningsmål."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="goals")
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("mål", max_length=300)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "inriktningsmål"
        verbose_name_plural = "inriktningsmål"
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "oka", "Öka"
        DECREASE = "minska", "Minska"

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField("kod", max_length=60)
    name = models.CharField("nyckeltal", max_length=200)
    description = models.TextField("beskrivning", blank=True)
    baseline_value = models.DecimalField("utgångsvärde", max_digits=12, decimal_places=2)
    baseline_year = models.PositiveIntegerField("utgångsår")
    target_value = models.DecimalField("målvärde", max_digits=12, decimal_places=2)
    target_year = models.PositiveIntegerField("målår")
    direction = models.CharField("önskad riktning", max_length=10, choices=Direction.choices)
    source = models.CharField("källa", max_length=100, blank=True)

    class Meta:
        verbose_name = "nyckeltal"
        verbose_name_plural = "nyckeltal"
        ordering = ["goal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="indicator_code_unique")
        ]

    def __str__(self):
        return self.name


class FinancialIndicator(models.Model):
    """A financial result indicator; computed from the plan's statements where it can be."""

    class Method(models.TextChoices):
        EQUITY_RATIO = "soliditet", "Soliditet (eget kapital / tillgångar)"
        EQUITY_RATIO_WITH_PENSIONS = (
            "soliditet_inkl_pension",
            "Soliditet inkl. pensionsåtaganden",
        )
        RESULT_SHARE = "resultatandel", "Årets resultat / skatter och generella statsbidrag"
        ENTERED = "inmatad", "Inmatas (underlag finns inte i budgeten)"

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.PROTECT, related_name="financial_indicators"
    )
    goal = OptionalReference(Goal, related_name="financial_indicators")
    code = models.SlugField("kod", max_length=60)
    name = models.CharField("nyckeltal", max_length=200)
    method = models.CharField("beräkning", max_length=30, choices=Method.choices)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "finansiellt nyckeltal"
        verbose_name_plural = "finansiella nyckeltal"
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="financial_indicator_unique")
        ]

    def __str__(self):
        return self.name
