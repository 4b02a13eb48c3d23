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
from followup.models import ReportingPeriod

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
    return {
        "goals": goals_follow_up(plan),
        "analysis_periods": analysis_periods(request.user, plan),
        "balance": budget_balance(snapshot, comparison),
        "kolada": kolada_references(plan),
    }


def kolada_references(plan) -> dict:
    """The financial indicators as Kolada publishes them, beside the county and group."""
    chosen = references(plan)
    if not chosen:
        return {"references": [], "circle": None}
    circle = circles(plan)
    return {"references": reference_rows(plan, circle, chosen=chosen), "circle": circle}


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
    return {"period": None if plan is None else next_period(plan, on=today)}


def next_period(plan, *, on):
    """The plan's first reporting period that is neither over nor closed on the day ``on``."""
    periods = (
        ReportingPeriod.objects.filter(plan=plan)
        .exclude(status__in=[ReportingPeriod.Status.CLOSED, ReportingPeriod.Status.PUBLISHED])
        .order_by("year", "month", "id")
    )
    return next((p for p in periods if p.last_day >= on), None)
