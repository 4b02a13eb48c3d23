"""Finance's review page at the year's end: the annual accounts (December) ask for the
year's outcome and no forecast, so a deviation there is outcome − budget, as on the
committee's own pages (Deviations.outcome_deviation)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.audit import Actor, Source
from followup.models import ReportingPeriod
from followup.reports.figures import current_frames
from followup.reports.workflow import open_report, save_report
from tests.followup.periods import period_of
from tests.pages import page_as

MKR = Decimal(1_000_000)


def outcome(committee, period, user, *, off_budget_mkr):
    """``committee``'s report of ``period`` with each activity's outcome its budget plus
    ``off_budget_mkr``, and no forecast."""
    actor = Actor(user=user, source=Source.PAGE)
    report = open_report(committee=committee, period=period, actor=actor)
    activities = list(committee.activities.all())
    frames = current_frames(activities, period)
    values = {a.pk: (frames[a.pk] + off_budget_mkr * MKR, None, "") for a in activities}
    return save_report(report=report, row_version=report.row_version, values=values, actor=actor)


@pytest.fixture
def december(plan):
    period = period_of(plan, 12, ReportingPeriod.Status.OPEN)
    assert not period.asks_forecast
    return period


def review(month):
    return reverse("followup:review", kwargs={"year": 2026, "month": month})


def test_the_annual_accounts_deviation_is_the_years_outcome_minus_budget(
    client, december, bildning, bildning_controller, finance_officer
):
    outcome(bildning, december, bildning_controller, off_budget_mkr=Decimal("-4.2"))

    response = page_as(client, finance_officer, review(12))

    item = next(i for i in response.context["rows"] if i["row"].committee == bildning)
    assert item["deviation"] == Decimal("-4.2") * MKR
    others = [i for i in response.context["rows"] if i["row"].committee != bildning]
    assert all(i["deviation"] is None for i in others)  # no outcome reported
    assert response.context["result_deviation"] == Decimal("-4.2") * MKR
    assert "avvikelse = årets utfall − budget" in response.text
    assert response.text.count("\u22124,2") >= 3  # the committee, the total, the result


def test_a_month_without_forecast_before_the_year_end_shows_no_deviation(
    client, april, bildning, bildning_controller, finance_officer
):
    outcome(bildning, april, bildning_controller, off_budget_mkr=Decimal("-4.2"))

    response = page_as(client, finance_officer, review(4))

    assert all(i["deviation"] is None for i in response.context["rows"])
    assert response.context["result_deviation"] is None
    assert "visar ingen avvikelse" in response.text


def test_a_forecast_period_keeps_forecast_minus_budget(
    client, march, bildning, bildning_controller, finance_officer
):
    outcome(bildning, march, bildning_controller, off_budget_mkr=Decimal("-4.2"))

    response = page_as(client, finance_officer, review(3))

    item = next(i for i in response.context["rows"] if i["row"].committee == bildning)
    assert item["deviation"] is None  # an outcome to date is no forecast
    assert "avvikelse = prognos − budget" in response.text
