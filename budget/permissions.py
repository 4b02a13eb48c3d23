"""Who may see and do what: one object-level permission layer (django-rules).

Views (``permission_required``), templates (``{% has_perm %}``), exports and
the admin all ask ``user.has_perm(name, obj)``; querysets narrow themselves
with ``visible_to(user)`` using the same predicates.

Roles are groups (``budget.models.Role``); a controller is bound to
committees through ``Membership``. A superuser has every role.
"""

import rules

from budget.models import Committee, Role


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


@rules.predicate
def is_controller(user):
    return Role.CONTROLLER.value in _roles(user)


@rules.predicate
def is_finance(user):
    return Role.FINANCE.value in _roles(user)


@rules.predicate
def is_councillor(user):
    return Role.COUNCILLOR.value in _roles(user)


@rules.predicate
def is_secretary(user):
    """The council secretary (kommunsekreterare): prepares kommunfullmäktige's agenda."""
    return Role.SECRETARY.value in _roles(user)


@rules.predicate
def is_administrator(user):
    return Role.ADMINISTRATOR.value in _roles(user)


@rules.predicate
def has_a_role(user):
    """Any role, the council secretary's included: they all read the adopted budget."""
    return bool(_roles(user))


@rules.predicate
def works_for_committee(user, committee):
    return committee is not None and committee.pk in committee_ids(user)


# The adopted budget is public to every role: it is decided and published by the council.
rules.add_perm("budget.view_budget", has_a_role)
rules.add_perm("budget.export_budget", has_a_role)
rules.add_perm("budget.view_history", has_a_role)
rules.add_perm("budget.import_budget", is_administrator)
rules.add_perm("budget.view_audit_log", is_finance | is_administrator)
rules.add_perm("budget.manage_access", is_administrator)


@rules.predicate
def is_kept_by_finance(user, committee):
    """Finansförvaltningen's lines and the political reserve have no controllers of
    their own: the finance department reports their outcome and forecast."""
    return committee is not None and committee.kind in (
        Committee.Kind.FINANCE,
        Committee.Kind.RESERVE,
    )


# A committee's own work (drafts, reports): its controllers; finance for the lines it keeps.
rules.add_perm(
    "budget.work_on_committee",
    (is_controller & works_for_committee) | (is_finance & is_kept_by_finance),
)
rules.add_perm("budget.view_committee_drafts", (is_controller & works_for_committee) | is_finance)

# The admin site: administrators manage organisation and memberships there; amounts
# and history are read-only (see budget/admin.py) and nothing financial is deleted.
for model in ("municipality", "administration", "committee", "activity", "membership"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"budget.{action}_{model}", is_administrator)
rules.add_perm("budget.delete_membership", is_administrator)
for model in (
    "budgetplan",
    "budgetyear",
    "frameentry",
    "statementamount",
    "investmentamount",
    "statedfigure",
    "keyfact",
    "goal",
    "indicator",
    "company",
    "auditentry",
):
    rules.add_perm(f"budget.view_{model}", is_administrator | is_finance)
for model in ("keyfact", "goal", "indicator", "company", "budgetplan"):
    rules.add_perm(f"budget.change_{model}", is_administrator)
rules.add_perm("followup.view_reportingperiod", is_administrator | is_finance)
rules.add_perm("followup.change_reportingperiod", is_administrator | is_finance)
for action in ("view", "add", "change"):
    rules.add_perm(f"auth.{action}_user", is_administrator)
rules.add_perm("auth.view_group", is_administrator)


def can_read_audit_log(user) -> bool:
    return user.has_perm("budget.view_audit_log")


# Which apps the admin site shows a user (``has_module_perms``).
rules.add_perm("budget", is_administrator | is_finance)
rules.add_perm("followup", is_administrator | is_finance)
rules.add_perm("auth", is_administrator)
rules.add_perm("budget.view_my_committees", is_controller)

# The follow-up year.
rules.add_perm("followup.view_periods", has_a_role)
rules.add_perm("followup.manage_periods", is_finance)
rules.add_perm("followup.review_reports", is_finance)
# Outcome from the financial system: finance loads it and keeps the mapping of its objects.
rules.add_perm("followup.import_outcome", is_finance)
for action in ("view", "add", "change"):
    rules.add_perm(f"followup.{action}_outcomemapping", is_finance)
rules.add_perm("followup.view_outcomeimport", is_finance | is_administrator)

# Budget changes during the year (followup/reallocations/workflow.py). Which reallocations a user
# sees is ``Reallocation.objects.visible_to(user)``: finance every one; a controller those
# touching their committees; controllers and councillors the decided and applied ones.
rules.add_perm("followup.view_reallocations", is_finance | is_controller | is_councillor)
rules.add_perm("followup.draw_up_reallocation", is_finance | is_controller)
rules.add_perm("followup.decide_reallocations", is_finance)


@rules.predicate
def decided_by_own_committee(user, reallocation):
    """A reallocation within one committee: that committee decides, its controllers draft."""
    return reallocation is not None and reallocation.deciding_committee_id in committee_ids(user)


rules.add_perm(
    "followup.edit_reallocation", is_finance | (is_controller & decided_by_own_committee)
)
# The admin site shows them, read-only (followup/admin.py): written only through
# followup.reallocations.workflow, which keeps every one balanced.
for model in ("reallocation", "reallocationline"):
    rules.add_perm(f"followup.view_{model}", is_administrator | is_finance)
# What awaits a decision by kommunfullmäktige: the secretary puts it on the agenda, finance
# prepares it, councillors decide it.
rules.add_perm("followup.view_council_list", is_secretary | is_finance | is_councillor)
