"""Who reaches what: the look-ups the report views and the accounts pages share."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from budget.models import Committee
from budget.views.pages import plan_for
from followup.models import Report, ReportingPeriod
from followup.statements.entry import ACCOUNT_KINDS


def committee_period(request, year, month, code):
    """(plan, period, committee) of a report URL; 404 for an unknown year, month or
    committee, or a committee the user may not see."""
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    committee = get_object_or_404(
        Committee.objects.visible_to(request.user), municipality=plan.municipality, code=code
    )
    return plan, period, committee


def report_access(request, committee, period):
    """(current report or None, may work on it, may review it); 403 for a user who may
    see neither the report nor the committee's drafts.

    For someone who may work on the report in an open period, a report nobody has started
    is an unsaved draft (``pk`` None): the pages show it and its first save creates it
    (followup.reports.workflow.save_report); nothing is written on GET."""
    user = request.user
    may_work = user.has_perm("budget.work_on_committee", committee)
    may_review = user.has_perm("followup.review_reports")
    visible = Report.objects.visible_to(user).filter(committee=committee, period=period)
    report = visible.exclude(status=Report.Status.SUPERSEDED).order_by("-version").first()
    if report is None and not (
        may_work or user.has_perm("budget.view_committee_drafts", committee)
    ):
        raise PermissionDenied("Du har inte behörighet till nämndens rapport.")
    if report is None and may_work and period.status == ReportingPeriod.Status.OPEN:
        report = Report(committee=committee, period=period)
    return report, may_work, may_review


def accounts_period(plan, month):
    """The plan's period ``month`` when it is the interim report's or the annual accounts'
    (whose statements, balance requirement and goal analysis finance enters); 404 else."""
    return get_object_or_404(
        ReportingPeriod.objects.select_related("plan__municipality"),
        plan=plan,
        month=month,
        kind__in=ACCOUNT_KINDS,
    )


def accounts_access(request, period, page: str) -> bool:
    """Whether the user may enter the accounts of ``period`` (finance). Others read ``page``
    once the period is published (404 before); a POST from them is refused (403)."""
    may_enter = request.user.has_perm("followup.enter_accounts")
    if not may_enter and period.status != ReportingPeriod.Status.PUBLISHED:
        raise Http404(f"{page} visas när perioden är publicerad.")
    if request.method == "POST" and not may_enter:
        raise PermissionDenied
    return may_enter


def accounts_page(request, year, month, page: str):
    """(plan, period, may enter) of an accounts page's URL: the period as
    ``accounts_period`` finds it, the access as ``accounts_access`` decides it."""
    plan = plan_for(request, year)
    period = accounts_period(plan, month)
    return plan, period, accounts_access(request, period, page)
