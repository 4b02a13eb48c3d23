"""The figures of a period are summed in the database (followup.reports.figures): every
committee's budget, outcome, forecast, previous forecast and the surplus target's base
equal, to the öre, what adding up each activity's figures gives, on every begun period of
a year with corrections, reports handed in again, frames changed during the year, lines
without a forecast and committees without a report.

The expectations come from ``Activitywise``: the computation the pages used before the
sums moved into the database, kept here, and only here, as the reference.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from budget.models import Activity, BudgetYear, Committee, FrameEntry
from budget.money import sum_present
from budget.reports.stated import result_rounding
from followup.models import BudgetProfile, Report, ReportingPeriod, ReportLine
from followup.reports.as_of import open_plans_as_of
from followup.reports.figures import (
    TWELFTH,
    MunicipalityResult,
    period_overview,
    reports_figures,
)
from tests.followup.committees import extra_committees

MKR = Decimal(1_000_000)
ROW_FIGURES = (
    "budget",
    "outcome",
    "forecast",
    "previous_forecast",
    "tax_base_budget",
    "tax_base_forecast",
)
LINE_FIGURES = ("budget", "budget_to_date", "outcome", "forecast", "previous_forecast", "comment")


class Activitywise:
    """The reference: each activity's figures read as objects and added up in Python."""

    @staticmethod
    def frames(activities, period) -> dict:
        column = BudgetYear.objects.filter(
            plan=period.plan, year=period.year, kind=BudgetYear.Kind.BUDGET
        ).first()
        if column is None:
            return {}
        rows = (
            FrameEntry.objects.filter(budget_year=column, activity__in=activities)
            .in_force_on(period.last_day)
            .values("activity_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        return {r["activity_id"]: r["total"] for r in rows}

    @staticmethod
    def shares(activities, period) -> dict:
        profiles = defaultdict(dict)
        for p in BudgetProfile.objects.filter(activity__in=activities, year=period.year):
            profiles[p.activity_id][p.month] = p.share
        result = {}
        for activity in activities:
            months = profiles.get(activity.pk)
            if months:
                result[activity.pk] = sum(
                    (months.get(m, Decimal(0)) for m in range(1, period.month + 1)), Decimal(0)
                )
            else:
                result[activity.pk] = TWELFTH * period.month
        return result

    @staticmethod
    def previous(committees, period) -> dict:
        lines = (
            ReportLine.objects.filter(
                report__committee__in=committees,
                report__period__plan=period.plan,
                report__period__year=period.year,
                report__period__month__lt=period.month,
                forecast__isnull=False,
            )
            .exclude(report__status=Report.Status.SUPERSEDED)
            .order_by("activity_id", "-report__period__month", "-report__version")
            .values_list("activity_id", "forecast")
        )
        result = {}
        for activity_id, forecast in lines:
            result.setdefault(activity_id, forecast)
        return result

    @classmethod
    def overview(cls, period, committees) -> list[dict]:
        committees = list(committees)
        activities = [a for c in committees for a in c.activities.all()]
        frames = cls.frames(activities, period)
        reports = {
            r.committee_id: r
            for r in Report.objects.current()
            .filter(period=period, committee__in=committees)
            .order_by("committee_id", "version")
        }
        lines = defaultdict(list)
        for line in ReportLine.objects.filter(report__in=reports.values()):
            lines[line.report_id].append(line)
        previous = cls.previous(committees, period)
        plans = open_plans_as_of(period, committees)
        rows = []
        for committee in committees:
            report = reports.get(committee.pk)
            report_lines = lines.get(report.pk, []) if report else []
            own = committee.activities.all()
            tax_base = [a.pk for a in own if a.tax_base]
            forecast_or_budget = {
                line.activity_id: line.forecast
                for line in report_lines
                if line.forecast is not None
            }
            rows.append(
                {
                    "committee": committee.pk,
                    "report": report.pk if report else None,
                    "action_plan": plans.get(committee.pk),
                    "budget": sum_present(frames.get(a.pk) for a in own),
                    "outcome": sum_present(line.outcome for line in report_lines),
                    "forecast": sum_present(line.forecast for line in report_lines),
                    "previous_forecast": sum_present(previous.get(a.pk) for a in own),
                    "tax_base_budget": sum_present(frames.get(pk) for pk in tax_base),
                    "tax_base_forecast": sum_present(
                        forecast_or_budget.get(pk, frames.get(pk)) for pk in tax_base
                    ),
                }
            )
        return rows

    @classmethod
    def report_lines(cls, period, report) -> list[dict]:
        activities = list(report.committee.activities.order_by("position", "id"))
        frames = cls.frames(activities, period)
        shares = cls.shares(activities, period)
        previous = cls.previous([report.committee], period)
        lines = {line.activity_id: line for line in report.lines.all()}
        result = []
        for activity in activities:
            line = lines.get(activity.pk)
            budget = frames.get(activity.pk)
            result.append(
                {
                    "activity": activity.pk,
                    "budget": budget,
                    "budget_to_date": None if budget is None else budget * shares[activity.pk],
                    "outcome": line.outcome if line else None,
                    "forecast": line.forecast if line else None,
                    "previous_forecast": previous.get(activity.pk),
                    "comment": line.comment if line else "",
                }
            )
        return result


def exact(value):
    """A figure as compared: a Decimal (or text) by its value, never a float."""
    assert value is None or isinstance(value, Decimal | str), value
    return value


def as_compared(row: dict) -> dict:
    return {k: exact(v) if k in ROW_FIGURES else v for k, v in row.items()}


def shown(row) -> dict:
    return as_compared(
        {
            "committee": row.committee.pk,
            "report": row.report.pk if row.report else None,
            "action_plan": row.action_plan,
            **{name: getattr(row, name) for name in ROW_FIGURES},
        }
    )


# --- The year the figures are compared on -------------------------------------------------


def line_values(report, outcome, forecast):
    """The report's lines with outcome and forecast changed by the functions given."""
    for line in report.lines.select_related("activity").order_by("id"):
        line.outcome = outcome(line)
        line.forecast = forecast(line)
        line.save()


def correction(report, *, status, change=Decimal("-1.5") * MKR):
    """A new version of an approved ``report`` with each forecast ``change`` lower; an
    approved correction supersedes the report, a draft one stands beside it."""
    if status == Report.Status.APPROVED:
        Report.objects.filter(pk=report.pk).update(status=Report.Status.SUPERSEDED)
    new = Report.objects.create(
        committee=report.committee,
        period=report.period,
        version=report.version + 1,
        corrects=report,
        status=status,
    )
    for line in report.lines.all():
        ReportLine.objects.create(
            report=new,
            activity=line.activity,
            outcome=line.outcome,
            forecast=None if line.forecast is None else line.forecast + change,
            comment="Rättad",
        )
    return new


def frame_change(activity, column, amount, decided_on, kind=FrameEntry.Kind.CHANGE):
    FrameEntry.objects.create(
        activity=activity,
        budget_year=column,
        kind=kind,
        amount=amount,
        decided_on=decided_on,
        source=f"test-{activity.code}-{decided_on}-{amount}",
    )


@pytest.fixture
def varied_year(demo_year):
    """The demo year (February–October begun, action plans, a report handed in again)
    with more of what changes a period's figures:

    - frames changed during the year (April, September, December) and a carry-over
      without a decision date, and an activity without any frame;
    - August's Omsorgsnämnden corrected and approved (the first version superseded),
      August's and September's Bildningsnämnden with a correction under way beside its
      approved report;
    - forecasts missing on some lines (the previous forecast comes from an older report),
      and a tax line without a forecast (the target's base counts its budget);
    - committees without any report, one with frames and one without;
    - a budget profile for an activity (its budget to date is not twelfths).
    """
    plan = demo_year
    column = BudgetYear.objects.get(plan=plan, year=plan.year, kind=BudgetYear.Kind.BUDGET)
    bildning = Committee.objects.get(code="bildningsnamnden")
    omsorg = Committee.objects.get(code="omsorgsnamnden")
    finance = Committee.objects.get(code="finansforvaltningen")
    periods = {p.month: p for p in ReportingPeriod.objects.filter(plan=plan)}

    omsorg_activity = omsorg.activities.order_by("position", "id").first()
    frame_change(omsorg_activity, column, Decimal("-2500000.25"), date(2026, 4, 15))
    frame_change(omsorg_activity, column, Decimal("1200000.10"), date(2026, 9, 30))
    frame_change(omsorg_activity, column, Decimal("-300000"), date(2026, 12, 1))
    tax = finance.activities.filter(tax_base=True).order_by("position", "id")
    frame_change(tax[0], column, Decimal("4000000.05"), date(2026, 8, 31))
    frame_change(
        bildning.activities.order_by("position", "id").first(),
        column,
        Decimal("750000.33"),
        None,
        kind=FrameEntry.Kind.CARRYOVER,
    )
    unframed = Activity.objects.create(
        committee=bildning, code="utan-ram", name="Utan ram", position=999
    )

    # Reports of several versions.
    august = Report.objects.current().get(committee=omsorg, period=periods[8])
    if august.status == Report.Status.APPROVED:
        correction(august, status=Report.Status.APPROVED)
    bildning_august = Report.objects.current().get(committee=bildning, period=periods[8])
    assert bildning_august.status == Report.Status.APPROVED
    correction(bildning_august, status=Report.Status.DRAFT, change=Decimal("-0.4") * MKR)
    september = Report.objects.current().get(committee=bildning, period=periods[9])
    assert september.status == Report.Status.APPROVED
    draft = correction(september, status=Report.Status.DRAFT, change=Decimal("-0.7") * MKR)
    ReportLine.objects.create(
        report=draft, activity=unframed, outcome=Decimal("-10.01"), forecast=Decimal("-20.02")
    )

    # Lines without a forecast in October and August: their previous forecast is older.
    october = Report.objects.current().get(committee=bildning, period=periods[10])
    line_values(
        october,
        outcome=lambda line: (line.outcome or Decimal(0)) - Decimal("0.07"),
        forecast=lambda line: None,
    )
    finance_august = Report.objects.current().filter(committee=finance, period=periods[8]).first()
    if finance_august is not None:
        first_tax = tax[0].pk
        line_values(
            finance_august,
            outcome=lambda line: line.outcome,
            forecast=lambda line: None if line.activity_id == first_tax else line.forecast,
        )

    # A report returned to its committee.
    returned = Report.objects.current().filter(period=periods[10]).exclude(committee=bildning)
    Report.objects.filter(pk=returned.order_by("id").first().pk).update(
        status=Report.Status.RETURNED
    )

    # Committees without any report: one with frames, one without.
    with_frames, _without = extra_committees(plan.municipality, 2, activities=2)
    for activity in with_frames.activities.all():
        frame_change(activity, column, Decimal("-123456.78"), None, kind=FrameEntry.Kind.ORIGINAL)

    # A profile that puts the year's budget in the autumn.
    for month, share in ((9, "0.25"), (10, "0.25"), (11, "0.25"), (12, "0.25")):
        BudgetProfile.objects.create(
            activity=omsorg_activity, year=plan.year, month=month, share=Decimal(share)
        )
    return plan


def begun_periods(plan):
    return list(
        ReportingPeriod.objects.filter(plan=plan)
        .exclude(status=ReportingPeriod.Status.PLANNED)
        .order_by("month")
    )


def committees_of(plan):
    return Committee.objects.of_plan(plan).with_activities()


# --- Specifications ---------------------------------------------------------------------


def test_the_year_compared_on_has_what_changes_a_periods_figures(varied_year):
    reports = Report.objects.filter(period__plan=varied_year)
    assert reports.filter(status=Report.Status.SUPERSEDED).exists()
    assert reports.filter(version__gt=1, status=Report.Status.DRAFT).exists()
    assert reports.filter(status=Report.Status.RETURNED).exists()
    assert FrameEntry.objects.filter(decided_on__month__in=[4, 8, 9, 12]).count() >= 4
    assert ReportLine.objects.filter(report__in=reports, forecast__isnull=True).exists()
    rows = period_overview(begun_periods(varied_year)[-1], committees_of(varied_year))
    assert [r for r in rows if r.report is None and r.budget is not None]
    assert [r for r in rows if r.report is None and r.budget is None]
    assert len(begun_periods(varied_year)) >= 6


def test_each_committees_figures_summed_in_the_database_equal_the_activities_added_up(
    varied_year,
):
    for period in begun_periods(varied_year):
        committees = committees_of(varied_year)

        summed = [shown(row) for row in period_overview(period, committees)]

        expected = [as_compared(row) for row in Activitywise.overview(period, committees)]
        assert summed == expected, period


def test_a_report_s_lines_equal_each_activity_read_on_its_own(varied_year):
    for period in begun_periods(varied_year):
        reports = list(Report.objects.current().filter(period=period).select_related("committee"))

        figures = reports_figures(period, reports)

        for report in reports:
            lines = [
                {"activity": line.activity.pk}
                | {name: exact(getattr(line, name)) for name in LINE_FIGURES}
                for line in figures[report.pk].lines
            ]
            expected = [
                {k: v if k == "activity" else exact(v) for k, v in line.items()}
                for line in Activitywise.report_lines(period, report)
            ]
            assert lines == expected, (period, report)


def test_a_correction_under_way_stands_for_the_committee_in_its_period(varied_year):
    september = ReportingPeriod.objects.get(plan=varied_year, month=9)
    bildning = Committee.objects.get(code="bildningsnamnden")

    row = next(
        r for r in period_overview(september, committees_of(varied_year)) if r.committee == bildning
    )

    assert row.report.version == 2
    assert row.report.status == Report.Status.DRAFT
    approved = Report.objects.get(committee=bildning, period=september, version=1)
    outcomes = approved.lines.values_list("outcome", flat=True)
    forecasts = approved.lines.exclude(forecast=None).values_list("forecast", flat=True)
    # The same outcome, each forecast 0,7 mkr lower, and the activity without a frame.
    assert row.outcome == sum(outcomes, Decimal(0)) - Decimal("10.01")
    assert row.forecast == sum((f - Decimal("0.7") * MKR for f in forecasts), Decimal("-20.02"))


def test_a_line_without_a_forecast_takes_its_previous_forecast_from_an_older_report(
    varied_year,
):
    october = ReportingPeriod.objects.get(plan=varied_year, month=10)
    finance = Committee.objects.get(code="finansforvaltningen")
    tax = finance.activities.filter(tax_base=True).order_by("position", "id").first()
    row = next(
        r for r in period_overview(october, committees_of(varied_year)) if r.committee == finance
    )

    # Each activity's forecasts of the earlier periods, oldest first: the last one counts.
    latest = {}
    for line in (
        ReportLine.objects.filter(
            activity__committee=finance,
            report__period__plan=varied_year,
            report__period__month__lt=10,
            forecast__isnull=False,
        )
        .exclude(report__status=Report.Status.SUPERSEDED)
        .select_related("report__period")
        .order_by("report__period__month", "report__version")
    ):
        latest[line.activity_id] = line
    assert latest[tax.pk].report.period.month != 8  # August's tax line has no forecast
    assert row.previous_forecast == sum((line.forecast for line in latest.values()), Decimal(0))


def test_the_previous_forecasts_are_summed_once_and_only_when_a_row_s_is_read(
    varied_year, django_assert_num_queries
):
    october = ReportingPeriod.objects.get(plan=varied_year, month=10)
    rows = period_overview(october, list(committees_of(varied_year)))

    with django_assert_num_queries(0):
        [(r.budget, r.outcome, r.forecast, r.deviation) for r in rows]
    with django_assert_num_queries(1):
        changes = [r.forecast_change for r in rows]
    with django_assert_num_queries(0):
        assert [r.forecast_change for r in rows] == changes


def test_a_periods_rows_bring_the_documents_rounding_as_it_is_read_alone(
    demo_year, django_assert_num_queries
):
    committees = list(Committee.objects.of_plan(demo_year))
    whole = result_rounding(demo_year.pk, committee_ids={c.pk for c in committees})

    for period in ReportingPeriod.objects.filter(plan=demo_year):
        period.plan = demo_year
        for part in (committees, committees[1:]):
            rows = period_overview(period, part)
            with django_assert_num_queries(0):
                result = MunicipalityResult.of(rows, target_share=None)
            alone = result_rounding(demo_year.pk, committee_ids={c.pk for c in part})
            assert (rows.stated_rounding, result.stated_rounding) == (alone, alone)
    assert whole != 0  # the demo's document rounds its result
