"""Who may see and do what in the follow-up year: followup's named permissions (django-rules).

Built on budget's roles (budget/roles.py); budget's own permissions are in
budget/permissions.py. Registered once, by ``FollowupConfig.ready`` (followup/apps.py).
"""

import rules

from budget.roles import (
    committee_ids,
    has_a_role,
    is_administrator,
    is_controller,
    is_councillor,
    is_finance,
    is_secretary,
    works_for_committee,
)

# The calendar of reporting periods: every role reads it; finance keeps it (also in the
# admin site, which shows the app to administrators and finance).
rules.add_perm("followup", is_administrator | is_finance)
rules.add_perm("followup.view_reportingperiod", is_administrator | is_finance)
rules.add_perm("followup.change_reportingperiod", is_administrator | is_finance)
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

# Investment projects and the companies' forecasts. Reading is open to every role
# ("followup.view_periods"), as the adopted budget is. Finance keeps the projects, proposes
# carry-overs and records the council's decisions; a committee's controller follows up the
# committee's own projects each period.


@rules.predicate
def works_for_projects_committee(user, project):
    """``project`` is an InvestmentProject or a Committee (a committee's projects)."""
    committee = getattr(project, "committee", project)
    return works_for_committee(user, committee)


rules.add_perm("followup.manage_investments", is_finance)
rules.add_perm(
    "followup.follow_up_investments", is_finance | (is_controller & works_for_projects_committee)
)
rules.add_perm("followup.enter_company_forecasts", is_finance)

# The month report (followup/papers/): a council paper for finance, councillors and the
# council secretary; controllers follow their own committees' reports instead.
rules.add_perm("followup.export_reports", is_finance | is_councillor | is_secretary)

# The interim report's and the annual accounts' own figures (followup/statements/entry.py):
# finance enters them; the balanskravsutredning is read by finance, and by councillors,
# the council secretary and controllers once the period is published.
rules.add_perm("followup.enter_accounts", is_finance)
rules.add_perm("followup.view_balance", is_finance | is_councillor | is_secretary | is_controller)

# Indicator values from Kolada (followup/goals/kolada/): finance reads the page, keeps the
# mappings, fetches from Kolada and loads saved response files.
rules.add_perm("followup.import_kolada", is_finance)
