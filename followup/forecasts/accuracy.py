"""The proposals' prognossäkerhet, beside the controllers': how far the forecast proposal the
report form showed in each forecast month would have been from the year's outcome.

Per committee and forecast month: the sum of ``proposals_for`` over the committee's
activities in that month's current report (what the form proposed, taken or not), minus
the year's outcome in the annual accounts, the same "prognos − utfall" as the controllers'
row of the dashboard's Prognossäkerhet (followup.dashboard.overview.forecast_accuracy);
None where the committee had no report that month or no activity had a proposal. An
activity without a proposal (nothing to go on) adds nothing to its committee's sum.

The table is shown once the annual accounts are in, when the months' reports are final:
for a published annual period the proposals' sums are kept in Django's cache under its
record's identity (followup.periods.cache, as plain data), so a correction of the annual
accounts is a new key; for an annual period begun but not published (finance's view)
they are computed on each request.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from budget.money import sum_present
from followup.forecasts.proposals import proposals_for
from followup.models import ReportingPeriod
from followup.periods import cache, shown
from followup.reports.figures import current_reports

# The part of the annual record's cache entries (``cache.remembered``); raised with the
# form of what is kept.
PART = "proposal-sums:1"


@dataclass(frozen=True)
class ProposalRow:
    """A committee's proposals against the year's outcome."""

    committee: object
    outcome: Decimal | None
    misses: dict  # period month → proposals − outcome, or None without a proposal


@dataclass
class ProposalAccuracy:
    """The proposals' table and how far each side missed on average."""

    periods: list  # the forecast periods, the table's columns (as the controllers' table)
    rows: list = field(default_factory=list)  # ProposalRow, in the controllers' order
    proposals_mean: Decimal | None = None  # mean absolute miss of the proposals
    controllers_mean: Decimal | None = None  # of the controllers' forecasts, same cells


def annual_period(periods) -> ReportingPeriod | None:
    return next((p for p in periods if p.kind == ReportingPeriod.Kind.ANNUAL), None)


def forecast_periods(periods, annual) -> list:
    """The periods whose forecasts are measured: those asking a forecast before the annual
    accounts (forecast_accuracy's months)."""
    return [p for p in periods if p.asks_forecast and p.month < annual.month]


def proposal_accuracy(periods, accuracy) -> ProposalAccuracy | None:
    """The proposals' accuracy for the committees and year of ``accuracy`` (the
    controllers' rows, ``forecast_accuracy(periods, committees, rows=…)``: committee,
    outcome, misses by month); None while that is empty (no annual accounts yet)."""
    annual = annual_period(periods)
    if not accuracy or annual is None:
        return None
    final = {a.committee.pk: a.outcome for a in accuracy}
    misses = proposal_misses(periods, [a.committee for a in accuracy], final=final)
    rows = [
        ProposalRow(committee=a.committee, outcome=a.outcome, misses=misses[a.committee.pk])
        for a in accuracy
    ]
    proposals_mean, controllers_mean = mean_misses(rows, accuracy)
    return ProposalAccuracy(
        periods=forecast_periods(periods, annual),
        rows=rows,
        proposals_mean=proposals_mean,
        controllers_mean=controllers_mean,
    )


def proposal_misses(periods, committees, *, final) -> dict:
    """committee id → {forecast month → the sum of the committee's proposals that month
    − ``final[committee id]`` (the year's outcome), or None}; empty without an annual
    period among ``periods``."""
    annual = annual_period(periods)
    if annual is None:
        return {}
    sums = proposed_sums(annual, forecast_periods(periods, annual), committees)
    misses = {}
    for committee in committees:
        outcome = final.get(committee.pk)
        misses[committee.pk] = {
            month: None if amount is None or outcome is None else amount - outcome
            for month, amount in sums[str(committee.pk)].items()
        }
    return misses


def proposed_sums(annual, periods, committees) -> dict:
    """committee id as text → {month → the sum of its proposals, or None}: ``computed_sums``,
    kept under the published annual record (``cache.remembered``; the months and the
    committees are part of the key); computed each time when ``annual`` has no record."""
    record = shown.record_of(annual)
    if record is None:
        kept = computed_sums(periods, committees)
    else:
        months = ",".join(str(p.month) for p in periods)
        part = f"{PART}:{months}:{','.join(str(c.pk) for c in committees)}"
        kept = cache.remembered(record, part, lambda: {part: computed_sums(periods, committees)})
    return {
        pk: {int(month): amount for month, amount in by_month.items()}
        for pk, by_month in kept.items()
    }


def computed_sums(periods, committees) -> dict:
    """committee id as text → {month as text → the sum of the proposals of the
    committee's current report that month, or None}: plain data, for the cache."""
    sums = {str(c.pk): {} for c in committees}
    for period in periods:
        reports = current_reports(period, committees)
        for committee in committees:
            report = reports.get(committee.pk)
            amount = None
            if report is not None:
                report.period = period  # read already
                amount = sum_present(p.amount for p in proposals_for(report).values())
            sums[str(committee.pk)][str(period.month)] = amount
    return sums


def mean_misses(proposals, controllers) -> tuple:
    """(the proposals' mean absolute miss, the controllers') over the committees and
    months where both have one, so that the two are measured on the same cells; (None,
    None) where there is no such cell. ``proposals``, ``controllers``: rows with
    ``committee`` and ``misses`` (month → miss or None)."""
    theirs = {c.committee.pk: c.misses for c in controllers}
    pairs = [
        (miss, theirs[row.committee.pk].get(month))
        for row in proposals
        if row.committee.pk in theirs
        for month, miss in row.misses.items()
    ]
    pairs = [(p, c) for p, c in pairs if p is not None and c is not None]
    if not pairs:
        return None, None
    return (
        sum((abs(p) for p, _ in pairs), Decimal(0)) / len(pairs),
        sum((abs(c) for _, c in pairs), Decimal(0)) / len(pairs),
    )
