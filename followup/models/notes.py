"""The conversation on a report: return reasons, the committee's answers, the approver's notes.

Append-only like the audit trail: a note is never changed or removed (the model and its
queryset refuse it). Written only by followup/reports/workflow.py (return, submit, approve,
add_note), each with who, when and which version of the report it was about.
"""

from django.db import models
from django.db.models import Q

from budget.models.audit import AppendOnly, AppendOnlyQuerySet
from budget.models.fields import UserReference
from followup.models.reports import Report


class ReportNoteQuerySet(AppendOnlyQuerySet):
    def thread(self, *, period, committee=None, committees=None):
        """The notes on every version of a committee's report for a period (or of several
        committees' reports), oldest first."""
        notes = self.filter(report__period=period)
        if committee is not None:
            notes = notes.filter(report__committee=committee)
        if committees is not None:
            notes = notes.filter(report__committee__in=committees)
        return notes.select_related("written_by", "report").order_by("written_at", "id")


class ReportNote(AppendOnly):
    refused_change = "En anteckning i rapportens tråd kan inte ändras."
    refused_removal = "En anteckning i rapportens tråd kan inte tas bort."

    class Kind(models.TextChoices):
        RETURN = "aterskickning", "Skickad tillbaka"
        ANSWER = "svar", "Inlämnad med kommentar"
        APPROVAL = "godkannande", "Godkänd med kommentar"
        NOTE = "anteckning", "Anteckning"

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="notes", verbose_name="rapport"
    )
    kind = models.CharField("slag", max_length=14, choices=Kind.choices)
    text = models.TextField("text")
    written_at = models.DateTimeField("skriven")
    written_by = UserReference("skriven av")
    author = models.CharField(
        "skriven av (namn)",
        max_length=150,
        help_text="Namnet som visas, också när anteckningen skrevs av ett kommando.",
    )
    report_version = models.PositiveSmallIntegerField("rapportens version")
    row_version = models.PositiveIntegerField(
        "rapportens radversion",
        null=True,
        blank=True,
        help_text="Rapportens radversion när anteckningen skrevs; okänd för en anteckning "
        "som hämtats ur historiken från tiden före tråden.",
    )

    objects = ReportNoteQuerySet.as_manager()

    class Meta:
        verbose_name = "anteckning i rapportens tråd"
        verbose_name_plural = "rapporternas trådar"
        ordering = ["written_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["aterskickning", "svar", "godkannande", "anteckning"]),
                name="report_note_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="report_note_text_required"),
        ]

    def __str__(self):
        return f"{self.report}: {self.get_kind_display()} {self.written_at:%Y-%m-%d}"
