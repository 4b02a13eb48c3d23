"""Key facts, companies and the figures the document states."""

from django.db import models

from budget.models.fields import AmountField
from budget.models.organisation import Municipality
from budget.models.plans import BudgetPlan, BudgetYear


class KeyFact(models.Model):
    """A fact the plan rests on: tax rate, population forecast, internal interest, …

    Facts the application computes with are found by code (for example
    "overskottsmal", "investering_minsta_belopp", "investering_minsta_livslangd").
    """

    class Unit(models.TextChoices):
        KRONOR = "kr", "kr"
        PERCENT = "procent", "%"
        PEOPLE = "invanare", "invånare"
        YEARS = "ar", "år"

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="facts")
    code = models.SlugField("kod", max_length=60)
    label = models.CharField("uppgift", max_length=200)
    value = models.DecimalField("värde", max_digits=18, decimal_places=4)
    unit = models.CharField("enhet", max_length=10, choices=Unit.choices)
    year = models.PositiveIntegerField("avser år", null=True, blank=True)
    note = models.TextField("kommentar", blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "nyckeluppgift"
        verbose_name_plural = "nyckeluppgifter"
        ordering = ["plan", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="fact_code_unique")]

    def __str__(self):
        return self.label


class Company(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=150)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "bolag"
        verbose_name_plural = "bolag"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="company_code_unique")
        ]

    def __str__(self):
        return self.name


class CompanyForecast(models.Model):
    """A company's forecast result for a year, as reported (e.g. in an interim report)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="forecasts")
    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="company_forecasts")
    year = models.PositiveIntegerField("år")
    source = models.CharField("källa", max_length=200)
    amount = AmountField("prognostiserat resultat (kr)")

    class Meta:
        verbose_name = "bolagsprognos"
        verbose_name_plural = "bolagsprognoser"
        ordering = ["company__position", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "plan", "year", "source"], name="company_forecast_unique"
            )
        ]

    def __str__(self):
        return f"{self.company} {self.year} ({self.source})"


class StatedFigure(models.Model):
    """A total or ratio exactly as the document states it.

    The application computes every total from rows; the control page sets
    each stated figure beside the computed one and shows the difference.
    """

    class Unit(models.TextChoices):
        KRONOR = "kr", "kr"
        PERCENT = "procent", "%"

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="stated_figures")
    table = models.SlugField("tabell", max_length=60)
    row = models.SlugField("rad", max_length=80)
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("angivet värde", max_digits=18, decimal_places=4)
    unit = models.CharField("enhet", max_length=10, choices=Unit.choices, default=Unit.KRONOR)

    class Meta:
        verbose_name = "angiven uppgift"
        verbose_name_plural = "angivna uppgifter"
        ordering = ["plan", "table", "row", "budget_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "table", "row", "budget_year"], name="stated_figure_unique"
            )
        ]

    def __str__(self):
        return f"{self.table}/{self.row} {self.budget_year}"
