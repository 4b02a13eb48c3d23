"""Resultatbudget, balansbudget and kassaflödesbudget: ordered lines with subtotals."""

from django.db import models

from budget.models.fields import AmountField
from budget.models.plans import BudgetPlan, BudgetYear


class Statement(models.Model):
    class Kind(models.TextChoices):
        RESULT = "resultatbudget", "Resultatbudget"
        BALANCE = "balansbudget", "Balansbudget"
        CASHFLOW = "kassaflodesbudget", "Kassaflödesbudget"

    plan = models.ForeignKey(
        BudgetPlan,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name="mål och budget",
    )
    kind = models.CharField("slag", max_length=20, choices=Kind.choices)
    title = models.CharField("rubrik", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "budgetställning"
        verbose_name_plural = "budgetställningar"
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="statement_kind_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["resultatbudget", "balansbudget", "kassaflodesbudget"]
                ),
                name="statement_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.plan})"


class StatementLine(models.Model):
    """A row of a statement: an amount row, a computed subtotal, a heading or a spacer.

    ``reference`` names a figure elsewhere in the plan that this row should
    equal (times ``reference_sign``); the control page compares them. It is one
    of "total:<key>" (a computed total such as total:resultat), "line:<activity
    code>" (a finance line) or "statement:<kind>:<line code>".
    """

    class Type(models.TextChoices):
        AMOUNT = "belopp", "Belopp"
        SUBTOTAL = "summa", "Summa"
        HEADING = "rubrik", "Rubrik"
        SPACER = "tom", "Tom rad"

    class Role(models.TextChoices):
        TOTAL_ASSETS = "summa_tillgangar", "Summa tillgångar"
        TOTAL_EQUITY = "summa_eget_kapital", "Summa eget kapital"
        PENSION_COMMITMENTS = "pensionsataganden", "Pensionsåtaganden (ansvarsförbindelse)"

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    code = models.SlugField("kod", max_length=60)
    label = models.CharField("text", max_length=200, blank=True)
    line_type = models.CharField("radtyp", max_length=10, choices=Type.choices)
    position = models.PositiveIntegerField("ordning")
    reference = models.CharField("ska stämma med", max_length=120, blank=True)
    reference_sign = models.SmallIntegerField("tecken mot referens", default=1)
    role = models.CharField("roll i nyckeltal", max_length=30, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = "rad"
        verbose_name_plural = "rader"
        ordering = ["statement", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "code"], name="statement_line_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(line_type__in=["belopp", "summa", "rubrik", "tom"]),
                name="statement_line_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(reference_sign__in=[1, -1]), name="statement_line_sign_valid"
            ),
        ]

    def __str__(self):
        return self.label or self.code


class SubtotalComponent(models.Model):
    """A subtotal row is the signed sum of its components (which may be subtotals)."""

    subtotal = models.ForeignKey(StatementLine, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="used_in")
    sign = models.SmallIntegerField("tecken", default=1)

    class Meta:
        verbose_name = "summakomponent"
        verbose_name_plural = "summakomponenter"
        ordering = ["subtotal", "component__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subtotal", "component"], name="component_unique"),
            models.CheckConstraint(condition=models.Q(sign__in=[1, -1]), name="component_sign"),
        ]

    def __str__(self):
        return f"{self.subtotal} {'+' if self.sign > 0 else '−'} {self.component}"


class StatementAmount(models.Model):
    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="amounts")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="+")
    amount = AmountField()

    class Meta:
        verbose_name = "belopp"
        verbose_name_plural = "belopp"
        ordering = ["line", "budget_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "budget_year"], name="statement_amount_unique")
        ]

    def __str__(self):
        return f"{self.line} {self.budget_year}"
