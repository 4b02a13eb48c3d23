"""A committee's report for a period: outcome to date and full-year forecast per activity."""

from django.db import models
from django.db.models import Q

from budget import roles
from budget.models import Activity, Committee
from budget.models.fields import AmountField, UserReference
from followup.models.calendar import ReportingPeriod


class ReportQuerySet(models.QuerySet):
    def current(self):
        """Reports not replaced by an approved correction."""
        return self.exclude(status=Report.Status.SUPERSEDED)

    def for_period(self, period):
        return self.filter(period=period)

    def visible_to(self, user):
        """Finance sees every report; a controller their committees' reports; a councillor
        only approved reports of published periods; nobody else any."""
        if roles.is_finance(user) or roles.is_administrator(user):
            return self
        visible = Q(pk__in=[])
        if roles.is_controller(user):
            visible |= Q(committee_id__in=roles.committee_ids(user))
        if roles.has_a_role(user):
            visible |= Q(
                status=Report.Status.APPROVED, period__status=ReportingPeriod.Status.PUBLISHED
            )
        return self.filter(visible)


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "utkast", "Utkast"
        SUBMITTED = "inlamnad", "Inlämnad"
        RETURNED = "aterskickad", "Återskickad"
        APPROVED = "godkand", "Godkänd"
        SUPERSEDED = "ersatt", "Ersatt av rättelse"

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="reports", verbose_name="nämnd"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name="period"
    )
    version = models.PositiveSmallIntegerField("version", default=1)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name="rättar",
    )
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DRAFT)
    row_version = models.PositiveIntegerField(
        "radversion",
        default=1,
        help_text="Ökas vid varje sparning; en sparning mot en äldre version avvisas.",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    saved_at = models.DateTimeField("senast sparad", null=True, blank=True)
    saved_by = UserReference("sparad av")
    submitted_at = models.DateTimeField("inlämnad", null=True, blank=True)
    submitted_by = UserReference("inlämnad av")
    first_submitted_at = models.DateTimeField(
        "först inlämnad",
        null=True,
        blank=True,
        help_text="Den första inlämningen; en återskickning och ny inlämning ändrar den inte. "
        "Avgör om rapporten är sen.",
    )
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = UserReference("godkänd av")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        ordering = ["period", "committee__position", "version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "period", "version"], name="report_version_unique"
            ),
            models.UniqueConstraint(
                fields=["committee", "period"],
                condition=Q(status__in=["utkast", "inlamnad", "aterskickad"]),
                name="one_open_report_per_committee_and_period",
            ),
            models.UniqueConstraint(
                fields=["committee", "period"],
                condition=Q(status="godkand"),
                name="one_approved_report_per_committee_and_period",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["utkast", "inlamnad", "aterskickad", "godkand", "ersatt"]),
                name="report_status_valid",
            ),
        ]

    def __str__(self):
        suffix = f" (version {self.version})" if self.version > 1 else ""
        return f"{self.committee} – {self.period}{suffix}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def resubmitted(self) -> bool:
        """Submitted again after being returned: its latest submission is not its first."""
        return (
            self.corrects_id is None
            and self.first_submitted_at is not None
            and self.submitted_at is not None
            and self.submitted_at > self.first_submitted_at
        )

    @property
    def status_label(self) -> str:
        """The status as pages and papers say it: "Inlämnad igen" for a report submitted
        again after a return (never "sen" for that: lateness is the first submission's)."""
        if self.status == self.Status.SUBMITTED and self.resubmitted:
            return "Inlämnad igen"
        return self.get_status_display()


class ReportLine(models.Model):
    """One activity's figures in a report. Amounts are net kronor (costs negative)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="lines")
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="report_lines", verbose_name="verksamhet"
    )
    outcome = AmountField("utfall ackumulerat (kr)", null=True, blank=True)
    forecast = AmountField("helårsprognos (kr)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "rapportrad"
        verbose_name_plural = "rapportrader"
        ordering = ["report", "activity__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="report_line_unique")
        ]

    def __str__(self):
        return f"{self.report}: {self.activity}"


class BudgetProfile(models.Model):
    """How an activity's annual budget is spread over the months (periodisering).

    Without a profile the budget is spread in twelfths. Shares are fractions of the
    year's budget; the twelve of an activity and year sum to one.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="profile", verbose_name="verksamhet"
    )
    year = models.PositiveIntegerField("år")
    month = models.PositiveSmallIntegerField("månad")
    share = models.DecimalField("andel", max_digits=9, decimal_places=8)

    class Meta:
        verbose_name = "periodiseringsandel"
        verbose_name_plural = "periodiseringsprofil"
        ordering = ["activity", "year", "month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year", "month"], name="profile_unique"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="profile_month_valid"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=1), name="profile_share_valid"
            ),
        ]

    def __str__(self):
        return f"{self.activity} {self.year}-{self.month:02d}: {self.share}"
