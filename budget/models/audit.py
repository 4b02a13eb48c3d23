"""The audit trail: an append-only history of every change that matters.

Nothing in the application updates or deletes an entry: the model and its
queryset refuse it, the admin shows entries read-only, and on PostgreSQL a
trigger refuses UPDATE and DELETE on the table itself.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from budget.models.fields import OptionalReference, UserReference


class AppendOnlyError(Exception):
    """An attempt to change or remove a row that is written once: a history entry, a note
    in a report's conversation, a published period's record."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses to update or delete rows of an AppendOnly model, with its own words."""

    def update(self, **kwargs):
        raise AppendOnlyError(self.model.refused_change)

    def delete(self):
        raise AppendOnlyError(self.model.refused_removal)


class AppendOnly(models.Model):
    """A model whose rows are written once and never changed or removed: the model and its
    queryset (an AppendOnlyQuerySet) refuse it. ``refused_change`` and ``refused_removal``
    say so in Swedish. (On PostgreSQL a trigger guards each table as well.)"""

    refused_change = "Uppgiften kan inte ändras."
    refused_removal = "Uppgiften kan inte raderas."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(self.refused_change)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.refused_removal)


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        return self if user.has_perm("budget.view_audit_log") else self.none()

    def for_committee(self, committee):
        return self.filter(committee=committee)


class AuditEntry(AppendOnly):
    refused_change = "Historiken kan inte ändras."
    refused_removal = "Historiken kan inte raderas."

    class Action(models.TextChoices):
        CREATED = "skapad", "Skapad"
        CHANGED = "andrad", "Ändrad"
        CANCELLED = "makulerad", "Makulerad"
        REMOVED = "borttagen", "Borttagen"

    class Source(models.TextChoices):
        PAGE = "sida", "Sida"
        IMPORT = "import", "Inläsning av fil"
        COMMAND = "kommando", "Kommando"
        ADMIN = "admin", "Administrationsgränssnittet"
        SYSTEM = "system", "System"

    class Area(models.TextChoices):
        FRAMES = "ramar", "Ramar"
        STATEMENTS = "budgetstallningar", "Resultat-, balans- och kassaflödesbudget"
        INVESTMENTS = "investeringar", "Investeringar"
        STATED = "angivna", "Angivna summor"
        FACTS = "nyckeluppgifter", "Nyckeluppgifter och bolag"
        GOALS = "mal", "Mål och nyckeltal"
        PLAN = "budget", "Budget och budgetår"
        ORGANISATION = "organisation", "Organisation"
        ACCESS = "behorighet", "Användare och behörighet"
        CALENDAR = "kalender", "Uppföljningskalender"
        REPORTS = "rapporter", "Rapporter och prognoser"
        ACTIONS = "atgarder", "Åtgärdsplaner"
        OUTCOME = "utfall", "Utfall från ekonomisystemet"
        REALLOCATIONS = "omfordelningar", "Budgetomfördelningar"
        ACCOUNTS = "bokslut", "Delårsrapport och bokslut"

    at = models.DateTimeField("tidpunkt", db_index=True)
    user = UserReference("användare")
    actor = models.CharField("utförd av", max_length=150)
    action = models.CharField("händelse", max_length=12, choices=Action.choices)
    source = models.CharField("väg", max_length=10, choices=Source.choices)
    area = models.CharField("område", max_length=20, choices=Area.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("objekt-id", max_length=64)
    object_repr = models.CharField("objekt", max_length=300)
    field = models.CharField("uppgift", max_length=200, blank=True)
    old_value = models.TextField("före", blank=True)
    new_value = models.TextField("efter", blank=True)
    reason = models.TextField("motivering", blank=True)
    plan = OptionalReference("budget.BudgetPlan", "mål och budget", related_name="+")
    committee = OptionalReference("budget.Committee", "nämnd", related_name="+")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "historikpost"
        verbose_name_plural = "historik"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["skapad", "andrad", "makulerad", "borttagen"]),
                name="audit_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.object_repr} {self.field}"
