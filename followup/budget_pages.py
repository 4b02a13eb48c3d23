"""What the follow-up year adds to budget's pages, through budget/extensions.py.

Registered by ``FollowupConfig.ready`` (followup/apps.py): the follow-up sections of the
main menu, the start page, and more context for the goals page (the indicators'
follow-up, the budget's balance requirement, finance's goal analyses), the calendar
(the reporting periods) and a controller's "Mina nämnder" (the next period).
"""

from django.urls import reverse

from budget.extensions import FOLLOW_UP_GROUP, MenuSection
from followup.goals.kolada.benchmarks import circles, reference_rows
from followup.goals.kolada.references import references
from followup.goals.progress import budget_balance, goals_follow_up
from followup.models import Report, ReportingPeriod

START_PAGE = "followup:dashboard"

# The groups of the main menu (budget/extensions.py MenuSection.group) that are the
# follow-up year's own.
REALLOCATIONS_GROUP = "Omfördelningar"
INVESTMENTS_GROUP = "Investeringar"

# Before budget's "Mål och budget" (overview): the year at a glance, a group of its own ...
FIRST_SECTIONS = (MenuSection("Översikt", "followup:dashboard", "followup.view_periods"),)
# ... and after "Mina nämnder" (my_committees): the periods with their reports and review
# join budget's calendar under "Uppföljning".
YEAR_SECTIONS = (
    MenuSection(
        "Perioder och rapporter", "followup:periods", "followup.view_periods", group=FOLLOW_UP_GROUP
    ),
    MenuSection(
        "Omfördelningar",
        "followup:reallocations",
        "followup.view_reallocations",
        group=REALLOCATIONS_GROUP,
    ),
    MenuSection(
        "Investeringsuppföljning",
        "followup:investments",
        "followup.view_periods",
        group=INVESTMENTS_GROUP,
    ),
)


def goals(*, request, plan, snapshot, comparison) -> dict:
    chosen = references(plan)
    # Whom the municipality is compared with: read once for both, when either needs it.
    circle = circles(plan) if chosen else None
    return {
        "goals": goals_follow_up(plan, circle=circle),
        "analysis_periods": analysis_periods(request.user, plan),
        "balance": budget_balance(snapshot, comparison),
        "kolada": {
            "references": reference_rows(plan, circle, chosen=chosen) if chosen else [],
            "circle": circle,
        },
    }


def analysis_periods(user, plan) -> list[ReportingPeriod]:
    """The interim report and annual accounts whose goal analysis the user may read:
    finance every one, councillors, the secretary and controllers the published ones."""
    periods = ReportingPeriod.objects.filter(plan=plan).accounts_visible_to(user)
    return list(periods.order_by("year", "month", "id"))


def calendar(*, request, plan) -> dict:
    """The periods, and for finance the page that changes them."""
    may_edit = request.user.has_perm("followup.manage_periods")
    return {
        "periods": ReportingPeriod.objects.filter(plan=plan).order_by("year", "month", "id"),
        "edit_url": reverse("followup:calendar", kwargs={"year": plan.year}) if may_edit else "",
    }


def my_committees(*, request, plan, committees, today) -> dict:
    """The next period, and the reports the controller has to work on now: each open
    period's report of each of their committees that is not handed in (late or not)."""
    if plan is None:
        return {"period": None, "to_do": []}
    return {"period": next_period(plan, on=today), "to_do": reports_to_do(plan, committees, today)}


def reports_to_do(plan, committees, today) -> list[dict]:
    """Per open period (in calendar order) and committee: the report to fill in or finish,
    with its state in words and whether it is late. Handed-in reports are left out. Two
    queries."""
    periods = list(
        ReportingPeriod.objects.filter(plan=plan, status=ReportingPeriod.Status.OPEN).order_by(
            "year", "month", "id"
        )
    )
    if not periods or not committees:
        return []
    current = {}
    reports = Report.objects.filter(period__in=periods, committee__in=committees).exclude(
        status=Report.Status.SUPERSEDED
    )
    for report in reports.order_by("version", "id"):
        current[(report.period_id, report.committee_id)] = report  # the latest version
    rows = []
    for period in periods:
        for committee in committees:
            report = current.get((period.pk, committee.pk))
            if report is not None and not report.is_editable:
                continue
            rows.append(
                {
                    "period": period,
                    "committee": committee,
                    "state": "Inte påbörjad" if report is None else report.get_status_display(),
                    "late": period.is_late(report, today=today),
                    "url": reverse(
                        "followup:report",
                        kwargs={"year": period.year, "month": period.month, "code": committee.code},
                    ),
                }
            )
    return rows


def next_period(plan, *, on):
    """The plan's first reporting period that is neither over nor closed on the day ``on``."""
    periods = (
        ReportingPeriod.objects.filter(plan=plan)
        .exclude(status__in=[ReportingPeriod.Status.CLOSED, ReportingPeriod.Status.PUBLISHED])
        .order_by("year", "month", "id")
    )
    return next((p for p in periods if p.last_day >= on), None)
