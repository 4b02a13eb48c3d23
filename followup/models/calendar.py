"""The follow-up calendar: which reports are due in which month of the budget year."""

import calendar

from django.db import models

from budget.models import BudgetPlan

MONTH_NAMES = [
    "",
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "manadsrapport", "Månadsrapport"
        INTERIM = "delarsrapport", "Delårsrapport"
        ANNUAL = "arsbokslut", "Årsbokslut"

    class Status(models.TextChoices):
        PLANNED = "planerad", "Planerad"
        OPEN = "oppen", "Öppen"
        CLOSED = "stangd", "Stängd"
        PUBLISHED = "publicerad", "Publicerad"

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.PROTECT, related_name="periods", verbose_name="mål och budget"
    )
    year = models.PositiveIntegerField("år")
    month = models.PositiveSmallIntegerField("månad")
    kind = models.CharField("rapporttyp", max_length=20, choices=Kind.choices)
    content = models.CharField("innehåll", max_length=200)
    asks_outcome = models.BooleanField("utfall", default=True)
    asks_forecast = models.BooleanField("helårsprognos", default=False)
    asks_actions = models.BooleanField("planerade åtgärder", default=False)
    asks_goals = models.BooleanField("måluppföljning", default=False)
    deadline = models.DateField("sista dag", null=True, blank=True)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    demo = models.BooleanField(
        "demodata", default=False, help_text="Periodens rapporter är påhittade demouppgifter."
    )

    audit_area = "kalender"

    class Meta:
        verbose_name = "uppföljningsperiod"
        verbose_name_plural = "uppföljningsperioder"
        ordering = ["year", "month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "plan"], name="period_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="period_month_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["manadsrapport", "delarsrapport", "arsbokslut"]),
                name="period_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["planerad", "oppen", "stangd", "publicerad"]),
                name="period_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.month_name} {self.year}"

    @property
    def month_name(self) -> str:
        return MONTH_NAMES[self.month]

    @property
    def key(self) -> str:
        """The period as written in commands and URLs, e.g. "2026-03"."""
        return f"{self.year}-{self.month:02d}"

    @property
    def last_day(self):
        import datetime

        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
