"""Forecast proposals for investment projects, with a warning for budget left unspent.

A project's spending to date divided by the share of a year's spending that the
committee's projects had reached by the same month in earlier years (the municipality's
projects where the committee has none, an even pace without any), as gross kronor
(positive, docs/decisions/0012). A finished or cancelled project spends no more: its
outcome is its year. A proposal that leaves more than UNSPENT_WARNING of the year's
budget (including carry-overs) unspent carries a warning.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from budget.money import format_mkr, format_percent, ratio
from followup.forecasts.methods import WHOLE_YEAR, kronor
from followup.investments.figures import follow_up
from followup.models import InvestmentProject, ProjectFollowUp
from followup.models.calendar import MONTH_NAMES

UNSPENT_WARNING = Decimal("0.25")
# A project that spends no more, and how a proposal says so.
DONE = {
    InvestmentProject.Status.FINISHED: "projektet är avslutat",
    InvestmentProject.Status.CANCELLED: "projektet är avbrutet",
}


@dataclass(frozen=True)
class InvestmentProposal:
    amount: Decimal  # the year's spending, gross kronor
    basis: str
    unspent: Decimal | None = None  # share of the year's budget left unspent at this pace
    warning: str = ""

    @property
    def heading(self) -> str:
        return f"Förslag {format_mkr(self.amount)} mkr"

    @property
    def text(self) -> str:
        return f"{self.heading}: {self.basis}"


@dataclass(frozen=True)
class Pace:
    """The share of a year's spending reached by the end of each month (``shares``: month →
    share), where it was learnt (``source``, Swedish) and from which years."""

    shares: dict
    source: str = ""
    years: tuple = ()

    def share(self, month: int) -> Decimal | None:
        if not self.years:
            return Decimal(month) / WHOLE_YEAR
        return self.shares.get(month)

    def describe(self, month: int) -> str:
        if not self.years:
            return f"jämn takt över året ({month}/12)"
        span = str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}–{self.years[-1]}"
        return (
            f"{self.source} investeringstakt tidigare år ({span}: "
            f"{format_percent(self.share(month))} av årets utgifter t.o.m. {MONTH_NAMES[month]})"
        )


def pace(project_years: list, source: str) -> Pace:
    """The pace of ``project_years`` (each: month → outcome to date, with the year's
    outcome in month 12, and its year): Σ spent by each month / Σ spent in the year."""
    spent, total, years = defaultdict(Decimal), Decimal(0), set()
    for year, outcomes in project_years:
        final = outcomes.get(WHOLE_YEAR)
        if not final:
            continue
        total += final
        years.add(year)
        running = Decimal(0)
        for month in range(1, WHOLE_YEAR + 1):
            running = outcomes.get(month, running)
            spent[month] += running
    if not total:
        return Pace(shares={})
    return Pace(
        shares={month: spent[month] / total for month in range(1, WHOLE_YEAR + 1)},
        source=source,
        years=tuple(sorted(years)),
    )


def paces(plan) -> tuple[dict, Pace]:
    """(committee id → its projects' Pace, the municipality's Pace) from the follow-ups of
    the years before ``plan``'s: one query."""
    rows = ProjectFollowUp.objects.filter(
        project__plan__municipality_id=plan.municipality_id,
        project__plan__year__lt=plan.year,
        period__year=F("project__plan__year"),
    ).values_list("project__committee_id", "project_id", "period__year", "period__month", "outcome")
    by_project = defaultdict(dict)
    committee_of = {}
    for committee_id, project_id, year, month, outcome in rows:
        by_project[project_id, year][month] = outcome
        committee_of[project_id, year] = committee_id
    per_committee = defaultdict(list)
    for key, outcomes in by_project.items():
        per_committee[committee_of[key]].append((key[1], outcomes))
    everyone = [item for items in per_committee.values() for item in items]
    return (
        {pk: pace(items, "nämndens") for pk, items in per_committee.items()},
        pace(everyone, "kommunens"),
    )


def propose_project(figures, pace_of: Pace) -> InvestmentProposal | None:
    """The proposal for one project (followup.investments.figures.ProjectFigures) as of
    its latest follow-up; None before any."""
    if figures.outcome is None or figures.outcome_period is None:
        return None
    month = figures.outcome_period.month
    to_date = f"utfall t.o.m. {MONTH_NAMES[month]} {format_mkr(figures.outcome)} mkr"
    if figures.project.status in DONE:
        amount = figures.outcome
        basis = f"{to_date}; {DONE[figures.project.status]}"
    else:
        share = pace_of.share(month)
        if not share or share <= 0:
            return None
        amount = kronor(figures.outcome / share)
        basis = f"{to_date} omräknat med {pace_of.describe(month)}"
    budget = figures.budget_incl
    unspent = ratio(budget - amount, budget)
    warning = ""
    if unspent is not None and unspent > UNSPENT_WARNING:
        warning = (
            f"På väg att lämna {format_percent(unspent, 0)} av årets budget oförbrukad "
            f"({format_mkr(budget - amount)} av {format_mkr(budget)} mkr)"
        )
    return InvestmentProposal(amount=amount, basis=basis, unspent=unspent, warning=warning)


def investment_proposals(follow_up) -> dict:
    """project id → InvestmentProposal for the projects of an investment follow-up
    (followup.investments.figures.follow_up) as of its period: one query beside it."""
    by_committee, municipality = paces(follow_up.plan)
    proposals = {}
    for figures in follow_up.total.projects:
        own = by_committee.get(figures.project.committee_id)
        proposal = propose_project(figures, own if own and own.years else municipality)
        if proposal is not None:
            proposals[figures.project.pk] = proposal
    return proposals


def committee_proposals(*, plan, period, committee) -> dict:
    """project id → InvestmentProposal for ``committee``'s projects as of ``period``, for
    the page where their follow-up of the period is entered: the follow-up's queries and
    one more."""
    return investment_proposals(follow_up(plan=plan, period=period, committee=committee))
