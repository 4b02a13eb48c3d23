"""The figures the methods read, from the database: each activity's years as plain data.

Three queries whatever the number of activities and years: the report lines, the
periodisation profiles and the frame ledger's budget columns.
"""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from budget.models import BudgetYear, FrameEntry
from followup.forecasts.methods import WHOLE_YEAR, ActivityYear, twelfths
from followup.models import BudgetProfile, Report, ReportLine

MONTHS = range(1, 13)


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _budgets(committee_ids, years) -> dict:
    """(activity id, year) → month → the frame in force on the month's last day: the
    budget column of the year's own plan, adopted frame plus the changes decided by then
    (as followup.reports.figures.ledger measures a period)."""
    entries = defaultdict(list)
    for activity_id, year, decided_on, amount in FrameEntry.objects.filter(
        activity__committee_id__in=committee_ids,
        budget_year__kind=BudgetYear.Kind.BUDGET,
        budget_year__year__in=years,
        budget_year__year=F("budget_year__plan__year"),
    ).values_list("activity_id", "budget_year__year", "decided_on", "amount"):
        entries[activity_id, year].append((decided_on, amount))
    return {
        (activity_id, year): {
            month: sum(
                (a for day, a in found if day is None or day <= _last_day(year, month)),
                start=Decimal(0),
            )
            for month in MONTHS
        }
        for (activity_id, year), found in entries.items()
    }


def _shares(committee_ids, years) -> dict:
    """(activity id, year) → the profile's cumulative shares at the end of months 1..12,
    for the activities with a profile that year."""
    monthly = defaultdict(dict)
    for activity_id, year, month, share in BudgetProfile.objects.filter(
        activity__committee_id__in=committee_ids, year__in=years
    ).values_list("activity_id", "year", "month", "share"):
        monthly[activity_id, year][month] = share
    shares = {}
    for key, months in monthly.items():
        running, cumulative = Decimal(0), []
        for month in MONTHS:
            running += months.get(month, 0)
            cumulative.append(running)
        shares[key] = tuple(cumulative)
    return shares


def _lines(committee_ids, years, report):
    """(activity id, year, month, outcome, forecast, final?) of the reports not superseded,
    the newer version last. In ``report``'s own period only ``report``'s lines count; a
    year's outcome (December) only from an approved report."""
    rows = (
        ReportLine.objects.filter(
            activity__committee_id__in=committee_ids, report__period__year__in=years
        )
        .exclude(report__status=Report.Status.SUPERSEDED)
        .order_by("report__version", "id")
        .values_list(
            "report_id",
            "report__period_id",
            "report__status",
            "activity_id",
            "report__period__year",
            "report__period__month",
            "outcome",
            "forecast",
        )
    )
    for report_id, period_id, status, activity_id, year, month, outcome, forecast in rows:
        if report is not None and period_id == report.period_id and report_id != report.pk:
            continue
        final = month == WHOLE_YEAR and status == Report.Status.APPROVED
        yield activity_id, year, month, outcome, forecast, final


def activity_years(committee_ids, years, *, report=None) -> dict:
    """activity id → year → ActivityYear, for the committees' activities in ``years``
    (a range), in three queries. ``report``: the report proposed for, whose own figures
    stand for its period (a correction or draft beside it is not read)."""
    years = list(years)
    budgets = _budgets(committee_ids, years)
    shares = _shares(committee_ids, years)
    outcomes, forecasts, finals = defaultdict(dict), defaultdict(dict), {}
    for activity_id, year, month, outcome, forecast, final in _lines(committee_ids, years, report):
        key = (activity_id, year)
        if outcome is not None:
            outcomes[key][month] = outcome
            if final:
                finals[key] = outcome
        if forecast is not None:
            forecasts[key][month] = forecast
    result = defaultdict(dict)
    for key in {*budgets, *shares, *outcomes, *forecasts}:
        activity_id, year = key
        result[activity_id][year] = ActivityYear(
            year=year,
            budgets=budgets.get(key, {}),
            shares=shares.get(key) or twelfths(),
            profiled=key in shares,
            outcomes=outcomes.get(key, {}),
            forecasts=forecasts.get(key, {}),
            final=finals.get(key),
        )
    return result
