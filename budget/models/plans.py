"""The adopted plan ("Mål och budget") and its year columns."""

from django.db import models

from budget.models.organisation import Municipality
from budget.roles import has_a_role, is_administrator, is_finance


class BudgetPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Adopted plans for every role; proposals only for finance and administrators."""
        if is_finance(user) or is_administrator(user):
            return self
        if has_a_role(user):
            return self.filter(status=BudgetPlan.Status.ADOPTED)
        return self.none()


class BudgetPlan(models.Model):
    """One adopted "Mål och budget": the budget year and its plan years."""

    class Status(models.TextChoices):
        DRAFT = "forslag", "Förslag"
        ADOPTED = "faststalld", "Fastställd"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    year = models.PositiveIntegerField("budgetår")
    title = models.CharField("titel", max_length=200)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.ADOPTED
    )
    adopted_by = models.CharField("beslut", max_length=200, blank=True)
    source = models.CharField("källa", max_length=300, blank=True)
    investment_note = models.TextField("not till investeringsbudgeten", blank=True)

    objects = BudgetPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "mål och budget"
        verbose_name_plural = "mål och budget"
        ordering = ["municipality", "-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="plan_year_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=["forslag", "faststalld"]), name="plan_status_valid"
            ),
        ]

    def __str__(self):
        return self.title


class BudgetYear(models.Model):
    """A column of the plan: a year and what its figures are (outcome, budget, …)."""

    class Kind(models.TextChoices):
        OUTCOME = "bokslut", "Bokslut"
        BUDGET = "budget", "Budget"
        FORECAST = "prognos", "Prognos"
        PLAN = "plan", "Plan"

    class Status(models.TextChoices):
        CLOSED = "avslutad", "Avslutad"
        ADOPTED = "faststalld", "Fastställd"
        PRELIMINARY = "preliminar", "Preliminär"

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.PROTECT, related_name="years", verbose_name="mål och budget"
    )
    year = models.PositiveIntegerField("år")
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    status = models.CharField("status", max_length=12, choices=Status.choices)
    note = models.TextField("not", blank=True)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "budgetår"
        verbose_name_plural = "budgetår"
        ordering = ["plan", "position", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "kind"], name="budget_year_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["bokslut", "budget", "prognos", "plan"]),
                name="budget_year_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["avslutad", "faststalld", "preliminar"]),
                name="budget_year_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    @property
    def key(self) -> str:
        """A stable identifier of the column within its plan, e.g. "budget-2026"."""
        return f"{self.kind}-{self.year}"
