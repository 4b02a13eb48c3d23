"""Who may see and do what in the budget: its named permissions (django-rules).

Views (``permission_required``), templates (``{% has_perm %}``), exports and
the admin all ask ``user.has_perm(name, obj)``; querysets narrow themselves
with ``visible_to(user)`` using the same predicates (budget/roles.py).

Roles are groups (``budget.roles.Role``); a controller is bound to committees
through ``Membership``. A superuser has every role. The follow-up year's
permissions are followup's own (followup/permissions.py).
"""

import rules

from budget.models import Committee
from budget.roles import (
    has_a_role,
    is_administrator,
    is_controller,
    is_finance,
    works_for_committee,
)

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
for action in ("view", "add", "change"):
    rules.add_perm(f"auth.{action}_user", is_administrator)
rules.add_perm("auth.view_group", is_administrator)


def can_read_audit_log(user) -> bool:
    return user.has_perm("budget.view_audit_log")


# Which apps the admin site shows a user (``has_module_perms``).
rules.add_perm("budget", is_administrator | is_finance)
rules.add_perm("auth", is_administrator)
rules.add_perm("budget.view_my_committees", is_controller)
