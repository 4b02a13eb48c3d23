"""Budget changes during the year: reallocations (budgetomfördelningar) and their decisions.

A reallocation is a document whose lines move money between activities (a committee's
activity or a finansförvaltningen line); its lines sum to zero. Nothing moves a frame
until a decided reallocation is applied: then each line becomes an entry in the frame
ledger (budget.FrameEntry), once.
"""

from django.db import models
from django.db.models import Q

from budget import roles
from budget.models import Activity, BudgetPlan, BudgetYear, Committee
from budget.models.fields import AmountField, OptionalReference, UserReference


def _touching(committee_ids):
    """The ids of reallocations with a current line in one of these committees."""
    return ReallocationLine.objects.filter(activity__committee_id__in=committee_ids).values(
        "reallocation_id"
    )


class ReallocationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Finance sees every reallocation; a controller those with a line in their
        committees; controllers and councillors the decided and applied ones (decisions are
        public); nobody else any."""
        if roles.is_finance(user):
            return self
        visible = Q(pk__in=[])
        if roles.is_controller(user) or roles.is_councillor(user):
            visible |= Q(status__in=[Reallocation.Status.DECIDED, Reallocation.Status.APPLIED])
        if roles.is_controller(user):
            visible |= Q(pk__in=_touching(roles.committee_ids(user)))
        return self.filter(visible)

    def touching(self, committee_ids):
        """Those with a current (not withdrawn) line in one of these committees."""
        return self.filter(pk__in=_touching(committee_ids))

    def pending(self):
        """Not yet applied nor rejected: listed apart, never counted in a frame."""
        return self.filter(status__in=Reallocation.PENDING)


class Reallocation(models.Model):
    class Kind(models.TextChoices):
        REALLOCATION = "omfordelning", "Budgetomfördelning"
        STATE_GRANT = "statsbidrag", "Riktat statsbidrag bokfört som generellt"
        CARRYOVER = "resultatoverforing", "Resultatöverföring"

    class Status(models.TextChoices):
        DRAFT = "utkast", "Utkast"
        PREPARED = "beredd", "Beredd"
        DECIDED = "beslutad", "Beslutad"
        APPLIED = "genomford", "Genomförd"
        REJECTED = "avslagen", "Avslagen"

    class Body(models.TextChoices):
        COMMITTEE = "namnd", "Nämnden"
        COUNCIL = "kf", "Kommunfullmäktige"

    PENDING = (Status.DRAFT, Status.PREPARED, Status.DECIDED)

    plan = models.ForeignKey(
        BudgetPlan,
        on_delete=models.PROTECT,
        related_name="reallocations",
        verbose_name="mål och budget",
    )
    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="reallocations",
        verbose_name="budgetår som ändras",
    )
    number = models.PositiveIntegerField("nummer")
    kind = models.CharField("slag", max_length=20, choices=Kind.choices, default=Kind.REALLOCATION)
    title = models.CharField("rubrik", max_length=200)
    purpose = models.TextField("syfte")
    funding = models.TextField("varifrån pengarna kommer")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    deciding_body = models.CharField(
        "beslutande organ",
        max_length=5,
        choices=Body.choices,
        help_text="Följer av raderna: inom en nämnd beslutar nämnden, annars kommunfullmäktige.",
    )
    deciding_committee = OptionalReference(Committee, "beslutande nämnd", related_name="+")
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    decision_paragraph = models.CharField("paragraf", max_length=40, blank=True)
    protocol = models.FileField("protokollsutdrag", upload_to="protokoll/%Y/", blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="återför",
    )
    rejection_reason = models.TextField("skäl för avslag", blank=True)
    row_version = models.PositiveIntegerField("radversion", default=1)
    demo = models.BooleanField(
        "demodata", default=False, help_text="Omfördelningen är en påhittad demouppgift."
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = UserReference("skapad av")
    prepared_at = models.DateTimeField("beredd", null=True, blank=True)
    prepared_by = UserReference("beredd av")
    decision_recorded_by = UserReference("beslut registrerat av")
    applied_at = models.DateTimeField("genomförd", null=True, blank=True)
    applied_by = UserReference("genomförd av")

    audit_area = "omfordelningar"

    objects = ReallocationQuerySet.as_manager()

    class Meta:
        verbose_name = "budgetomfördelning"
        verbose_name_plural = "budgetomfördelningar"
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="reallocation_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["omfordelning", "statsbidrag", "resultatoverforing"]),
                name="reallocation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["utkast", "beredd", "beslutad", "genomford", "avslagen"]),
                name="reallocation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(deciding_body="kf", deciding_committee__isnull=True)
                | Q(deciding_body="namnd", deciding_committee__isnull=False),
                name="reallocation_body_matches_committee",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["beslutad", "genomford"])
                | (Q(decided_on__isnull=False) & ~Q(decision_paragraph="")),
                name="reallocation_decided_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.plan.year}:{self.number} {self.title}"

    @property
    def reference(self) -> str:
        """How people cite it: "Omfördelning 2026:3"."""
        return f"{self.plan.year}:{self.number}"

    @property
    def decision(self) -> str:
        """The decision as cited: "KF 2026-04-27 § 45" or "Bildningsnämnden 2026-03-10 § 12"."""
        if self.decided_on is None:
            return ""
        body = "KF" if self.deciding_body == self.Body.COUNCIL else str(self.deciding_committee)
        return f"{body} {self.decided_on:%Y-%m-%d} {self.decision_paragraph}".strip()

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class CurrentLines(models.Manager):
    """The lines a reallocation has now: a line taken out of a draft is kept, withdrawn."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn=False)


class ReallocationLine(models.Model):
    """One activity's change of frame, in net kronor like the frames (costs negative).

    A committee that receives money gets a negative amount: its net cost frame grows.
    Where the money comes from gets a positive one: a committee's frame shrinks, or a
    finansförvaltningen revenue line (e.g. general grants) grows. The lines sum to zero,
    so the municipality's budgeted result is unchanged.
    """

    reallocation = models.ForeignKey(Reallocation, on_delete=models.PROTECT, related_name="lines")
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="reallocation_lines",
        verbose_name="verksamhet",
    )
    amount = AmountField("belopp (kr)")
    note = models.CharField("kommentar", max_length=500, blank=True)
    withdrawn = models.BooleanField(
        "borttagen ur utkastet", default=False, help_text="Raden räknas inte; den sparas."
    )

    every_line = models.Manager()
    objects = CurrentLines()

    class Meta:
        verbose_name = "rad i budgetomfördelning"
        base_manager_name = "every_line"
        default_manager_name = "objects"
        verbose_name_plural = "rader i budgetomfördelningar"
        ordering = ["reallocation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reallocation", "activity"],
                condition=Q(withdrawn=False),
                name="reallocation_line_activity_unique",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="reallocation_line_not_zero"),
        ]

    def __str__(self):
        return f"{self.reallocation.reference}: {self.activity} {self.amount}"

    @property
    def ledger_source(self) -> str:
        """The frame ledger's reference to this line: written once, when applied."""
        return f"omfordelning-rad-{self.pk}"
