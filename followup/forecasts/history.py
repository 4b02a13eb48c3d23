"""The figures the methods read, from the database: each activity's years as plain data.

Three queries whatever the number of activities and years: the report lines, the
periodisation profiles and the frame ledger's budget columns. ``activity_years`` reads
whole years (the backtest, and what a proposal learns from the years before its month);
``report_figures`` only what a proposal reads afresh on each request.
"""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value

from budget.models import BudgetYear, FrameEntry
from budget.models.fields import AmountField
from followup.forecasts.methods import WHOLE_YEAR, ActivityYear, twelfths
from followup.models import BudgetProfile, Report, ReportLine

MONTHS = range(1, 13)


def _month_ends(year: int) -> list:
    return [datetime.date(year, month, calendar.monthrange(year, month)[1]) for month in MONTHS]


def _in_force(found: list, ends: list) -> dict:
    """month → the sum of ``found`` ((decided on, amount)) in force on the month's last
    day (``ends``)."""
    if all(day is None for day, _ in found):  # the adopted frame alone: the same all year
        return dict.fromkeys(MONTHS, sum((a for _, a in found), start=Decimal(0)))
    return {
        month: sum((a for day, a in found if day is None or day <= end), start=Decimal(0))
        for month, end in zip(MONTHS, ends, strict=True)
    }


def _budgets(committee_ids, years) -> dict:
    """(activity id, year) → month → the frame in force on the month's last day: the
    budget column of the year's own plan, adopted frame plus the changes decided by then
    (as followup.reports.figures.ledger measures a period)."""
    entries = defaultdict(list)
    for activity_id, year, decided_on, amount in (
        FrameEntry.objects.filter(
            activity__committee_id__in=committee_ids,
            budget_year__kind=BudgetYear.Kind.BUDGET,
            budget_year__year__in=years,
            budget_year__year=F("budget_year__plan__year"),
        )
        .order_by()  # summed: in any order
        .values_list("activity_id", "budget_year__year", "decided_on", "amount")
    ):
        entries[activity_id, year].append((decided_on, amount))
    ends = {year: _month_ends(year) for year in years}
    return {
        (activity_id, year): _in_force(found, ends[year])
        for (activity_id, year), found in entries.items()
    }


def _shares(committee_ids, years) -> dict:
    """(activity id, year) → the profile's cumulative shares at the end of months 1..12,
    for the activities with a profile that year."""
    monthly = defaultdict(dict)
    for activity_id, year, month, share in (
        BudgetProfile.objects.filter(activity__committee_id__in=committee_ids, year__in=years)
        .order_by()  # one share per activity, year and month: in any order
        .values_list("activity_id", "year", "month", "share")
    ):
        monthly[activity_id, year][month] = share
    shares = {}
    for key, months in monthly.items():
        running, cumulative = Decimal(0), []
        for month in MONTHS:
            running += months.get(month, 0)
            cumulative.append(running)
        shares[key] = tuple(cumulative)
    return shares


# A report line as the methods read it, with its report, period and the report's versions.
LINE = (
    "report_id",
    "report__period_id",
    "report__status",
    "activity_id",
    "report__period__year",
    "report__period__month",
    "outcome",
    "forecast",
)


def _current_lines(committee_ids, where: Q):
    """The lines matching ``where`` of the committees' reports not superseded (a
    committee's report holds its own activities' lines: read through the reports, not
    the activities, the database reads only the reports' lines)."""
    return ReportLine.objects.filter(where, report__committee_id__in=committee_ids).exclude(
        report__status=Report.Status.SUPERSEDED
    )


def _lines(rows, report):
    """(activity id, year, month, outcome, forecast, final?) of ``rows`` (LINE, the newer
    version last). In ``report``'s own period only ``report``'s lines count; a year's
    outcome (December) only from an approved report."""
    for report_id, period_id, status, activity_id, year, month, outcome, forecast in rows:
        if report is not None and period_id == report.period_id and report_id != report.pk:
            continue
        final = month == WHOLE_YEAR and status == Report.Status.APPROVED
        yield activity_id, year, month, outcome, forecast, final


def _assembled(budgets: dict, shares: dict, lines) -> dict:
    """activity id → year → ActivityYear from the budgets, the shares and the lines."""
    outcomes, forecasts, finals = defaultdict(dict), defaultdict(dict), {}
    for activity_id, year, month, outcome, forecast, final in lines:
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


def activity_years(committee_ids, years, *, report=None) -> dict:
    """activity id → year → ActivityYear, for the committees' activities in ``years``
    (a range), in three queries. ``report``: the report proposed for, whose own figures
    stand for its period (a correction or draft beside it is not read)."""
    years = list(years)
    rows = (
        _current_lines(committee_ids, Q(report__period__year__in=years))
        .order_by("report__version", "id")
        .values_list(*LINE)
    )
    return _assembled(
        _budgets(committee_ids, years), _shares(committee_ids, years), _lines(rows, report)
    )


def report_figures(report, earlier) -> tuple[dict, list]:
    """What a proposal for ``report`` reads afresh on each request, and what the rest of
    what it reads rests on, in three queries (the lines with the reports, the profiles,
    the frames), with ``report.period`` read:

    - activity id → ActivityYear of ``report``'s year with its frames and profile and
      ``report``'s own lines (its outcome and forecast this month), as ``activity_years``
      reads them;
    - the (id, row version, moment of creation) of each of the committee's reports not
      superseded in ``earlier`` (a range of years) and in ``report``'s year before its
      month: every save and every change of status raises a report's row version, a
      correction is another report.

    The lines and the reports are one query: the reports as rows without a line."""
    period, committee_ids = report.period, [report.committee_id]
    year, month = period.year, period.month
    lines = (
        _current_lines(committee_ids, Q(report_id=report.pk))
        .order_by()
        .values_list(
            "id",
            *LINE,
            _none(models.PositiveIntegerField()),  # the reports' row version and creation,
            _none(models.DateTimeField()),  # read from the rows without a line
        )
    )
    reports = (
        Report.objects.current()
        .filter(
            Q(period__year__in=list(earlier)) | Q(period__year=year, period__month__lt=month),
            committee_id=report.committee_id,
        )
        .order_by()
        .values_list(
            _none(models.IntegerField()),  # no line
            "id",  # LINE's columns where a report has them
            "period_id",
            "status",
            _none(models.IntegerField()),
            "period__year",
            "period__month",
            _none(AmountField()),
            _none(AmountField()),
            "row_version",
            "created_at",
        )
    )
    rows, versions = [], []
    for line_id, *row, row_version, created_at in lines.union(reports, all=True):
        if line_id is None:
            versions.append((row[0], row_version, created_at.isoformat()))
        else:
            rows.append(row)
    years = _assembled(
        _budgets(committee_ids, [year]), _shares(committee_ids, [year]), _lines(rows, report)
    )
    return {activity_id: by_year[year] for activity_id, by_year in years.items()}, sorted(versions)


def _none(field):
    return Value(None, output_field=field)
