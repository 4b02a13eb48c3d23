"""The roles and what can be told from the user alone: which roles they have and which
committees they work for (django-rules predicates).

Roles are groups named after ``Role``; a controller is bound to committees through
``Membership`` (``user.memberships``). A superuser has every role.

This module imports nothing from the rest of budget: the model querysets narrow
themselves with these predicates (``visible_to``) and budget/permissions.py builds the
named permissions on them, so neither has to import the other.
"""

import rules
from django.db import models


class Role(models.TextChoices):
    CONTROLLER = "Controller", "Controller (nämndens ekonom)"
    FINANCE = "Ekonomiavdelningen", "Ekonomiavdelningen"
    COUNCILLOR = "Förtroendevald", "Förtroendevald"
    SECRETARY = "Kommunsekreterare", "Kommunsekreterare (bereder fullmäktiges ärenden)"
    ADMINISTRATOR = "Administratör", "Administratör"


def _roles(user) -> frozenset:
    """The user's role names, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_budget_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role.values)
        else:
            cached = frozenset(
                user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )
        user._budget_roles = cached
    return cached


def committee_ids(user) -> frozenset:
    """The committees a controller works for (read once per user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_budget_committee_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("committee_id", flat=True))
        user._budget_committee_ids = cached
    return cached


def forget(user) -> None:
    """Drop the cached roles after they changed."""
    for attr in ("_budget_roles", "_budget_committee_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


def _has_role(role: Role, name: str) -> rules.Predicate:
    """The predicate ``name``: the user has ``role``."""
    return rules.Predicate(lambda user: role.value in _roles(user), name=name)


is_controller = _has_role(Role.CONTROLLER, "is_controller")
is_finance = _has_role(Role.FINANCE, "is_finance")
is_councillor = _has_role(Role.COUNCILLOR, "is_councillor")
# The council secretary (kommunsekreterare): prepares kommunfullmäktige's agenda.
is_secretary = _has_role(Role.SECRETARY, "is_secretary")
is_administrator = _has_role(Role.ADMINISTRATOR, "is_administrator")


@rules.predicate
def has_a_role(user):
    """Any role, the council secretary's included: they all read the adopted budget."""
    return bool(_roles(user))


@rules.predicate
def works_for_committee(user, committee):
    return committee is not None and committee.pk in committee_ids(user)
