"""Investment projects and their follow-up; the companies' forecasts per period.

The adopted investment budget (budget.InvestmentLine/InvestmentAmount) gives each
committee one figure per year. Here that budget is broken down into projects, each with
a total budget, a budget per year, a follow-up per reporting period (outcome to date and
full-year forecast) and carry-overs of unspent budget to the next year (överflyttade
medel), which only the council (KF) decides. Nothing is deleted: a project is cancelled
(avbruten), a carry-over is rejected (avslagen).

The rules of the domain live in followup/investments/projects.py; the constraints here are the
database's own guard against anything that slips past them.
"""

from django.db import models
from django.db.models import Q

from budget import roles
from budget.models import BudgetPlan, Committee, Company, InvestmentLine
from budget.models.fields import AmountField, OptionalReference, UserReference
from followup.models.base import Recorded, RowVersioned
from followup.models.calendar import ReportingPeriod

# What counts as an investment is each plan's own rule (its key facts, e.g. "minst 100 000
# kr … en livslängd om minst tre år"), applied by the domain (budget.rules.InvestmentRule).
# The database holds every plan to what any rule implies: an amount and a life above zero.


class InvestmentProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The investment follow-up is open to every role, as the adopted budget is."""
        return self if roles.has_a_role(user) else self.none()

    def for_plan(self, plan):
        return self.filter(plan=plan)


class InvestmentProject(RowVersioned):
    class Status(models.TextChoices):
        PLANNED = "planerad", "Planerad"
        ONGOING = "pagar", "Pågår"
        FINISHED = "avslutad", "Avslutad"
        CANCELLED = "avbruten", "Avbruten"

    plan = models.ForeignKey(
        BudgetPlan,
        on_delete=models.PROTECT,
        related_name="investment_projects",
        verbose_name="mål och budget",
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="investment_projects",
        verbose_name="nämnd",
    )
    line = OptionalReference(InvestmentLine, "post i investeringsbudgeten", related_name="projects")
    code = models.SlugField("projektnummer", max_length=20)
    name = models.CharField("projekt", max_length=200)
    description = models.TextField("beskrivning", blank=True)
    total_budget = AmountField("total budget (kr)")
    life_years = models.PositiveSmallIntegerField("förväntad livslängd (år)")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    responsible = models.CharField("ansvarig", max_length=150)
    demo = models.BooleanField(
        "demodata", default=False, help_text="Projektet är en påhittad demouppgift."
    )
    created_at = models.DateTimeField("skapad")
    created_by = UserReference("skapad av")

    objects = InvestmentProjectQuerySet.as_manager()

    audit_area = "investeringar"

    class Meta:
        verbose_name = "investeringsprojekt"
        verbose_name_plural = "investeringsprojekt"
        ordering = ["plan", "committee__position", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="investment_project_code_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["planerad", "pagar", "avslutad", "avbruten"]),
                name="investment_project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gt=0),
                name="investment_project_positive_amount",
                violation_error_message="En investering ska ha en budget över 0 kr.",
            ),
            models.CheckConstraint(
                condition=Q(life_years__gt=0),
                name="investment_project_positive_life",
                violation_error_message="En investering ska ha en livslängd över 0 år.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class ProjectBudget(models.Model):
    """A project's budget for one calendar year (gross kronor, as the investment budget)."""

    project = models.ForeignKey(InvestmentProject, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveIntegerField("år")
    amount = AmountField("budget (kr)")

    audit_area = "investeringar"

    class Meta:
        verbose_name = "projektbudget per år"
        verbose_name_plural = "projektbudgetar per år"
        ordering = ["project", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="project_budget_year_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.project} budget {self.year}"


class ProjectFollowUp(Recorded):
    """A project in a reporting period: spent so far and the full-year forecast."""

    project = models.ForeignKey(
        InvestmentProject, on_delete=models.PROTECT, related_name="follow_ups"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name="period"
    )
    outcome = AmountField("utfall hittills (kr)")
    forecast = AmountField("helårsprognos (kr)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)

    audit_area = "investeringar"

    class Meta:
        verbose_name = "uppföljning av investeringsprojekt"
        verbose_name_plural = "uppföljningar av investeringsprojekt"
        ordering = ["project", "period__month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"], name="project_follow_up_per_period"
            ),
            models.CheckConstraint(
                condition=Q(outcome__gte=0), name="project_follow_up_outcome_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(forecast__isnull=True) | Q(forecast__gte=0),
                name="project_follow_up_forecast_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.project}, {self.period}"


class CarryOverQuerySet(models.QuerySet):
    def decided(self):
        return self.filter(status=CarryOver.Status.DECIDED)

    def into_year(self, year):
        """Carry-overs into ``year``: unspent budget of the year before."""
        return self.filter(from_year=year - 1)


class CarryOver(models.Model):
    """Överflyttade medel: unspent budget of a year carried into the next, decided by KF.

    Finance proposes at year end; the council decides. Only a decided carry-over adds to
    the next year's budget, in a column of its own.
    """

    class Status(models.TextChoices):
        PROPOSED = "forslag", "Förslag"
        DECIDED = "beslutad", "Beslutad"
        REJECTED = "avslagen", "Avslagen"

    project = models.ForeignKey(
        InvestmentProject, on_delete=models.PROTECT, related_name="carry_overs"
    )
    from_year = models.PositiveIntegerField("från år")
    amount = AmountField("belopp (kr)")
    reason = models.TextField("motivering")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    decision_paragraph = models.CharField("paragraf", max_length=40, blank=True)
    proposed_at = models.DateTimeField("föreslagen")
    proposed_by = UserReference("föreslagen av")
    decision_recorded_at = models.DateTimeField("beslut registrerat", null=True, blank=True)
    decision_recorded_by = UserReference("beslut registrerat av")

    objects = CarryOverQuerySet.as_manager()

    audit_area = "investeringar"

    class Meta:
        verbose_name = "överflyttning av investeringsmedel"
        verbose_name_plural = "överflyttade investeringsmedel"
        ordering = ["project", "from_year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="carry_over_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["forslag", "beslutad", "avslagen"]),
                name="carry_over_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="forslag")
                | (Q(decided_on__isnull=False) & ~Q(decision_paragraph="")),
                name="carry_over_decision_recorded",
            ),
            # One live carry-over per project and year; a rejected one may be proposed anew.
            models.UniqueConstraint(
                fields=["project", "from_year"],
                condition=Q(status__in=["forslag", "beslutad"]),
                name="carry_over_one_per_year",
            ),
        ]

    def __str__(self):
        return f"Överflyttning {self.from_year}→{self.to_year}, {self.project}"

    @property
    def to_year(self) -> int:
        return self.from_year + 1

    @property
    def decision(self) -> str:
        """The decision as cited: "KF 2027-02-23 § 12"."""
        if self.decided_on is None:
            return ""
        return f"KF {self.decided_on:%Y-%m-%d} {self.decision_paragraph}".strip()


class CompanyPeriodForecast(Recorded):
    """A municipal company's forecast result for the year, as of a reporting period
    (net kronor: a profit is positive). Entered by finance for the interim report."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="period_forecasts", verbose_name="bolag"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name="period"
    )
    result = AmountField("prognostiserat resultat (kr)")
    comment = models.TextField("kommentar", blank=True)

    audit_area = "nyckeluppgifter"

    class Meta:
        verbose_name = "bolagets prognos för perioden"
        verbose_name_plural = "bolagens prognoser per period"
        ordering = ["company__position", "period__month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period"], name="company_forecast_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.company}, {self.period}"
