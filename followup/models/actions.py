"""Action plans: what a committee does about a negative forecast deviation."""

from django.db import models
from django.db.models import Q

from budget import roles
from budget.models import Committee
from budget.models.fields import AmountField, UserReference
from followup.models.calendar import ReportingPeriod


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The action plans whose page the user may open: those of the committees whose
        drafts they may see ("budget.view_committee_drafts": finance every committee's,
        a controller their own committees'); nobody else any."""
        if roles.is_finance(user):
            return self
        if roles.is_controller(user):
            return self.filter(committee_id__in=roles.committee_ids(user))
        return self.none()


class ActionPlan(models.Model):
    """A committee's åtgärdsplan, drawn up in one period and followed up until closed."""

    class Status(models.TextChoices):
        OPEN = "oppen", "Pågår"
        CLOSED = "avslutad", "Avslutad"

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="action_plans", verbose_name="nämnd"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name="upprättad period",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default="oppen")
    summary = models.TextField("sammanfattning", blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "åtgärdsplan"
        verbose_name_plural = "åtgärdsplaner"
        ordering = ["period", "committee__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "period"], name="action_plan_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["oppen", "avslutad"]), name="action_plan_status"
            ),
        ]

    def __str__(self):
        return f"Åtgärdsplan {self.committee} {self.period}"


class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planerad", "Planerad"
        STARTED = "pagar", "Pågår"
        DONE = "genomford", "Genomförd"
        CANCELLED = "avbruten", "Avbruten"

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="measures")
    description = models.TextField("åtgärd")
    expected_effect = AmountField("förväntad effekt för året (kr)")
    responsible = models.CharField("ansvarig", max_length=150)
    due_date = models.DateField("klart senast")
    status = models.CharField("status", max_length=10, choices=Status.choices, default="planerad")
    realised_effect = AmountField("uppnådd effekt (kr)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "åtgärd"
        verbose_name_plural = "åtgärder"
        ordering = ["plan", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planerad", "pagar", "genomford", "avbruten"]),
                name="measure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(expected_effect__gte=0), name="measure_effect_not_negative"
            ),
        ]

    def __str__(self):
        return self.description[:80]


class MeasureFollowUp(models.Model):
    """A measure as followed up in one period: its status, realised effect and a comment.

    The measure itself carries the latest follow-up; these rows keep every period's.
    """

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="follow_ups")
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="measure_follow_ups",
        verbose_name="period",
    )
    status = models.CharField("status", max_length=10, choices=Measure.Status.choices)
    realised_effect = AmountField("uppnådd effekt hittills (kr)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)
    recorded_at = models.DateTimeField("uppföljd")
    recorded_by = UserReference("uppföljd av")

    class Meta:
        verbose_name = "uppföljning av åtgärd"
        verbose_name_plural = "uppföljningar av åtgärder"
        ordering = ["measure", "period__month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="measure_follow_up_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["planerad", "pagar", "genomford", "avbruten"]),
                name="measure_follow_up_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.measure} – {self.period}"
