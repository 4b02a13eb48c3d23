"""Budget frames as a ledger: the adopted frame plus decided changes."""

from django.db import models
from django.db.models import Q

from budget.models.fields import AmountField, UserReference
from budget.models.organisation import Activity
from budget.models.plans import BudgetYear


def in_force(day) -> Q:
    """The condition on an entry to be part of the frame as it stood on ``day``
    (``FrameEntryQuerySet.in_force_on``), for an aggregate's filter."""
    return Q(decided_on__isnull=True) | Q(decided_on__lte=day)


class FrameEntryQuerySet(models.QuerySet):
    def counted(self):
        """Entries that make up the current frame (all of them: only decided
        changes are ever written to the ledger)."""
        return self

    def original(self):
        return self.filter(kind=FrameEntry.Kind.ORIGINAL)

    def in_force_on(self, day):
        """The entries that make up the frame as it stood on ``day``: the adopted frame
        and the changes decided on or before that day (a change decided in May does not
        alter what February's report was measured against)."""
        return self.filter(in_force(day))


class FrameEntry(models.Model):
    """One line of the frame ledger for an activity and a budget column.

    The adopted frame is the single ORIGINAL entry; every decided change
    during the year is another entry. Current frame = sum of the entries.
    Entries are never edited or deleted; a wrong change is reversed by a new one.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Beslutad ram"
        CHANGE = "andring", "Beslutad förändring"
        CARRYOVER = "overforing", "Resultatöverföring"

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="frame_entries", verbose_name="verksamhet"
    )
    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.PROTECT, related_name="frame_entries", verbose_name="budgetår"
    )
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    amount = AmountField()
    decision = models.CharField("beslut", max_length=200, blank=True)
    decided_on = models.DateField(
        "beslutsdatum",
        null=True,
        blank=True,
        help_text="När förändringen beslutades; den räknas i uppföljningen från den dagen. "
        "Tom för den antagna ramen.",
    )
    source = models.CharField(
        "källa",
        max_length=80,
        blank=True,
        help_text="Det dokument (t.ex. en rad i en budgetomfördelning) som posten kommer från; "
        "varje källa ger högst en post.",
    )
    note = models.TextField("kommentar", blank=True)
    recorded_at = models.DateTimeField("registrerad", auto_now_add=True)
    recorded_by = UserReference("registrerad av")

    objects = FrameEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "rampost"
        verbose_name_plural = "ramposter"
        ordering = ["budget_year", "activity", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "budget_year"],
                condition=Q(kind="original"),
                name="one_original_frame_per_activity_and_year",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["original", "andring", "overforing"]),
                name="frame_entry_kind_valid",
            ),
            # A decided change is applied once: a second entry from the same source fails.
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="frame_entry_source_once"
            ),
        ]

    def __str__(self):
        return f"{self.activity} {self.budget_year} ({self.get_kind_display().lower()})"
