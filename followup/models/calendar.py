"""The follow-up calendar: which reports are due in which month of the budget year."""

import calendar
import datetime

import rules
from django.db import models
from django.utils import timezone

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


def is_late(report, deadline, today) -> bool:
    """Whether a report was not submitted by the deadline: first submitted after it, or still
    not submitted after it. ``report`` may be None (none started). A report is judged by its
    *first* submission (``first_submitted_at``): late once means late, and a report submitted
    on time stays on time when finance returns it and it is submitted again (pages say
    "återskickad" and "inlämnad igen" instead). No deadline, not late. The one definition of
    "late": pages, papers, the dashboard and the reminders use it through
    :meth:`ReportingPeriod.is_late` and :meth:`ReportingPeriod.deadline_passed`."""
    submitted_at = getattr(report, "first_submitted_at", None)
    day = timezone.localdate(submitted_at) if submitted_at is not None else today
    return deadline is not None and day > deadline


class ReportingPeriodQuerySet(models.QuerySet):
    def accounts_visible_to(self, user):
        """The interim reports and annual accounts whose own figures (statements, balance
        requirement, goal analysis) the user may read: finance ("followup.enter_accounts")
        every one; councillors, the council secretary and controllers
        ("followup.view_balance") the published ones; nobody else any. Asks the rules
        themselves: no model-permission queries."""
        periods = self.filter(kind__in=[self.model.Kind.INTERIM, self.model.Kind.ANNUAL])
        if rules.has_perm("followup.enter_accounts", user):
            return periods
        if rules.has_perm("followup.view_balance", user):
            return periods.filter(status=self.model.Status.PUBLISHED)
        return periods.none()


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

    objects = ReportingPeriodQuerySet.as_manager()

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
    def asks_label(self) -> str:
        """What the period asks of the committees: "utfall, helårsprognos"."""
        fields = ("asks_outcome", "asks_forecast", "asks_actions", "asks_goals")
        return ", ".join(
            str(self._meta.get_field(f).verbose_name) for f in fields if getattr(self, f)
        )

    @property
    def key(self) -> str:
        """The period as written in commands and URLs, e.g. "2026-03"."""
        return f"{self.year}-{self.month:02d}"

    def deadline_passed(self, today) -> bool:
        """Past the period's deadline: a report not submitted by now is late."""
        return is_late(None, self.deadline, today)

    def is_late(self, report, *, today) -> bool:
        """Whether ``report`` (None: not started) is late for this period. A planned period
        does not take reports yet, so nothing in it is late."""
        return self.status != self.Status.PLANNED and is_late(report, self.deadline, today)

    @property
    def last_day(self):
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
