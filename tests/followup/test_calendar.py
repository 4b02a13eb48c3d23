"""The calendar: deadlines from the plan's data, set by finance, and late reports marked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.audit import Actor
from budget.models import AuditEntry
from followup.models import ReportingPeriod
from followup.periods.calendar import (
    PeriodError,
    load_plan_calendar,
    set_deadline,
    working_day_after,
)
from followup.reports.workflow import open_report
from tests.followup.committees import extra_committees
from tests.followup.periods import period_of
from tests.followup.reports import submitted

LOADED_MARCH_DEADLINE = datetime.date(2026, 4, 10)


@pytest.fixture
def march_as_loaded(plan):
    """March as the plan's calendar loaded it, due on 10 April 2026 (not opened)."""
    return period_of(plan, 3)


def deadline_now(period):
    period.refresh_from_db()
    return period.deadline


def post_deadline(client, user, period, deadline, **options):
    """``user`` sends the periods page's deadline form for ``period``."""
    client.force_login(user)
    return client.post(
        reverse("followup:period_deadline", kwargs={"pk": period.pk}),
        {f"p{period.pk}-deadline": deadline},
        **options,
    )


def test_a_deadline_is_the_given_working_day_of_the_following_month():
    # February 2026 ends on a Saturday; 1 March is a Sunday, so the 8th working day is 11 March.
    assert working_day_after(year=2026, month=2, working_day=8) == datetime.date(2026, 3, 11)
    # December's reports are due in January of the following year.
    assert working_day_after(year=2026, month=12, working_day=1) == datetime.date(2027, 1, 1)


def test_the_loaded_calendar_gives_every_period_a_deadline(plan):
    deadlines = dict(ReportingPeriod.objects.filter(plan=plan).values_list("month", "deadline"))

    assert deadlines[3] == LOADED_MARCH_DEADLINE
    assert all(deadlines.values())


def test_reloading_the_calendar_keeps_the_deadline_finance_set(
    plan, plan_data, march_as_loaded, finance_officer
):
    set_deadline(
        period=march_as_loaded,
        deadline=datetime.date(2026, 4, 15),
        actor=Actor(user=finance_officer),
    )

    load_plan_calendar(plan=plan, data=plan_data)

    assert deadline_now(march_as_loaded) == datetime.date(2026, 4, 15)


def test_setting_a_deadline_is_kept_in_the_history(march_as_loaded, finance_officer):
    set_deadline(
        period=march_as_loaded,
        deadline=datetime.date(2026, 4, 14),
        actor=Actor(user=finance_officer),
    )

    entry = AuditEntry.objects.get(area="kalender", field="sista dag", user=finance_officer)
    assert (entry.old_value, entry.new_value) == ("2026-04-10", "2026-04-14")


def test_a_deadline_before_the_periods_month_is_refused(march_as_loaded, finance_officer):
    with pytest.raises(PeriodError, match="före periodens månad"):
        set_deadline(
            period=march_as_loaded,
            deadline=datetime.date(2026, 2, 27),
            actor=Actor(user=finance_officer),
        )

    assert deadline_now(march_as_loaded) == LOADED_MARCH_DEADLINE


def test_finance_changes_a_deadline_on_the_periods_page(client, march_as_loaded, finance_officer):
    response = post_deadline(client, finance_officer, march_as_loaded, "2026-04-17")

    assert response.status_code == 302
    assert deadline_now(march_as_loaded) == datetime.date(2026, 4, 17)


def test_a_date_that_is_not_a_date_changes_nothing(client, march_as_loaded, finance_officer):
    response = post_deadline(client, finance_officer, march_as_loaded, "den tionde", follow=True)

    assert "ändrades inte" in response.text
    assert deadline_now(march_as_loaded) == LOADED_MARCH_DEADLINE


def test_a_controller_cannot_change_a_deadline(client, march_as_loaded, bildning_controller):
    response = post_deadline(client, bildning_controller, march_as_loaded, "2026-12-31")

    assert response.status_code == 403
    assert deadline_now(march_as_loaded) == LOADED_MARCH_DEADLINE


LATE_BADGE = '<span class="badge badge-error">Sen</span>'


@pytest.mark.parametrize(("days_left", "late"), [(-1, True), (0, False), (1, False)])
def test_a_report_not_submitted_after_the_deadline_is_marked_late(
    client, march, bildning, bildning_controller, days_left, late
):
    march.deadline = timezone.localdate() + datetime.timedelta(days=days_left)
    march.save()
    open_report(committee=bildning, period=march, actor=Actor(user=bildning_controller))
    client.force_login(bildning_controller)

    periods = client.get(reverse("followup:periods", kwargs={"year": 2026}))
    report = client.get(
        reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})
    )

    assert (LATE_BADGE in periods.text, LATE_BADGE in report.text) == (late, late)


def test_a_report_submitted_on_time_is_not_late(march, bildning, bildning_controller):
    from followup.models.calendar import is_late

    submitted_on_the_9th = submitted(
        march,
        bildning,
        bildning_controller,
        at=datetime.datetime(2026, 4, 9, 12, tzinfo=datetime.UTC),
    )

    assert not is_late(submitted_on_the_9th, datetime.date(2026, 4, 10), datetime.date(2026, 5, 1))
    assert is_late(submitted_on_the_9th, datetime.date(2026, 4, 8), datetime.date(2026, 5, 1))
    assert is_late(None, datetime.date(2026, 4, 8), datetime.date(2026, 4, 9))
    assert not is_late(None, datetime.date(2026, 4, 8), datetime.date(2026, 4, 8))


def test_the_periods_page_runs_a_bounded_number_of_queries_whatever_the_committees(
    client, plan, march, finance_officer, django_assert_max_num_queries
):
    extra_committees(plan.municipality, 30, activities=0)
    client.force_login(finance_officer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("followup:periods", kwargs={"year": 2026}))

    assert response.status_code == 200
    assert "Ingen rapport: 39" in response.text
