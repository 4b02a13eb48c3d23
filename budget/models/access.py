"""Controllers are bound to committees; the roles themselves are in budget/roles.py."""

from django.conf import settings
from django.db import models

from budget.models.organisation import Committee
from budget.roles import is_administrator


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see every membership; everyone else only their own."""
        if is_administrator(user):
            return self
        return self.filter(user_id=user.pk) if user.is_authenticated else self.none()


class Membership(models.Model):
    """A controller's committee: the committees whose reports the user works on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="användare",
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="memberships", verbose_name="nämnd"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "nämndtillhörighet"
        verbose_name_plural = "nämndtillhörigheter"
        ordering = ["user", "committee__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "committee"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.committee}"
