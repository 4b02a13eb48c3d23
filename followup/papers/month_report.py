"""What a period's month report (Månadsrapport) holds, read in a fixed number of queries.

The committees' figures are ``period_overview``'s and the municipality's result is
``MunicipalityResult``'s, exactly as finance's review page shows them
(followup/views/review.py). Each committee's part, its activities with the controller's
comments and its report's thread, is followup.papers.committee_parts', read for every
committee at once; so are the action plans the period follows and the reallocations
decided in the period's month.
"""

from dataclasses import dataclass
from datetime import date

from budget.models import Committee
from followup.papers.committee_parts import (
    CommitteePart,
    MeasureRow,
    PlanRows,
    committee_parts,
    covering_action_plans,
    decided_reallocations,
)
from followup.papers.common import PeriodPaper
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share

__all__ = ["CommitteePart", "MeasureRow", "MonthReport", "PlanRows", "month_report"]


@dataclass
class MonthReport(PeriodPaper):
    period: object
    today: date
    rows: list  # followup.reports.figures.CommitteeRow, one per committee
    result: MunicipalityResult
    parts: list  # CommitteePart, one per row
    action_plans: list  # PlanRows
    reallocations: list  # Reallocation, lines prefetched


def month_report(period, *, today: date) -> MonthReport:
    plan = period.plan
    # The activities come with the reports' figures (committee_parts); the committees'
    # own are not read.
    committees = list(Committee.objects.of_plan(plan))
    rows = period_overview(period, committees)
    plans = covering_action_plans(period, committees)
    return MonthReport(
        period=period,
        today=today,
        rows=rows,
        result=MunicipalityResult.of(rows, target_share=surplus_target_share(plan)),
        parts=committee_parts(period, rows, plans),
        action_plans=plans,
        reallocations=decided_reallocations(period),
    )
