"""Forecast proposals for a report: one per activity, for the report form to show beside
the forecast field (never filled in by itself)."""

from followup.forecasts.choice import propose
from followup.forecasts.history import activity_years

# How many earlier years a proposal learns from (and one more: last year's pattern of
# the earliest of them).
HISTORY_YEARS = 5


def history_years(year: int) -> range:
    return range(year - HISTORY_YEARS - 1, year + 1)


def proposals_for(report) -> dict:
    """activity id → Proposal for each of the report's activities that has anything to go
    on: its outcome to date as saved in ``report``, the year's earlier reports, the
    activity's earlier years. Four queries (with the report's period) whatever the number
    of activities and years."""
    period = report.period
    years = activity_years([report.committee_id], history_years(period.year), report=report)
    proposals = {}
    for activity_id, by_year in years.items():
        if period.year in by_year:
            proposal = propose(by_year, period.year, period.month)
            if proposal is not None:
                proposals[activity_id] = proposal
    return proposals
