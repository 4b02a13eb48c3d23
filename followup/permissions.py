"""Who may change investment projects and the companies' forecasts (django-rules).

Reading is open to every role ("followup.view_periods"), as the adopted budget is.
Finance keeps the projects, proposes carry-overs and records the council's decisions;
a committee's controller follows up the committee's own projects each period.

Imported by the modules that use these permissions (followup/investments/projects.py,
followup/statements/companies.py), so they are registered before anyone asks for them.
"""

import rules

from budget.permissions import (
    is_controller,
    is_councillor,
    is_finance,
    is_secretary,
    works_for_committee,
)


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
