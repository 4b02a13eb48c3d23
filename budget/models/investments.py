"""The investment budget per committee and investment line."""

from django.db import models

from budget.models.fields import AmountField
from budget.models.organisation import Committee
from budget.models.plans import BudgetPlan, BudgetYear


class InvestmentLine(models.Model):
    """A line of the investment budget, owned by a committee.

    The document gives one line per committee plus a reserve pot; projects
    are lines too, so a committee's investment budget is the sum of its lines.
    """

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="investment_lines")
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="investment_lines", verbose_name="nämnd"
    )
    code = models.SlugField("kod", max_length=60)
    name = models.CharField("namn", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "investeringspost"
        verbose_name_plural = "investeringsposter"
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="investment_line_code_unique")
        ]

    def __str__(self):
        return self.name


class InvestmentAmount(models.Model):
    """Gross investment in kronor (a positive figure, as the document shows it)."""

    line = models.ForeignKey(InvestmentLine, on_delete=models.PROTECT, related_name="amounts")
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="+")
    amount = AmountField()

    class Meta:
        verbose_name = "investeringsbelopp"
        verbose_name_plural = "investeringsbelopp"
        ordering = ["line", "budget_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "budget_year"], name="investment_amount_unique")
        ]

    def __str__(self):
        return f"{self.line} {self.budget_year}"
