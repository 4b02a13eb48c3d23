"""Two people saving the same report at once, in real concurrent transactions (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from budget.audit import Actor, Source
from budget.loader import load_plan
from budget.models import Committee
from followup.models import ReportingPeriod
from followup.periods.calendar import load_plan_calendar
from followup.reports.workflow import StaleReport, open_report, save_report

pytestmark = pytest.mark.postgres


@pytest.fixture
def report(transactional_db, plan_data, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: real concurrent transactions and row locks")
    plan = load_plan(plan_data).plan
    load_plan_calendar(plan=plan, data=plan_data)
    period = ReportingPeriod.objects.get(plan=plan, month=3)
    period.status = ReportingPeriod.Status.OPEN
    period.save()
    user = django_user_model.objects.create_user("cecilia")
    committee = Committee.objects.get(code="bildningsnamnden")
    return open_report(committee=committee, period=period, actor=Actor(user=user))


def test_of_two_simultaneous_saves_one_wins_and_the_other_is_refused(report):
    activity = report.lines.get().activity_id
    opened = report.row_version
    barrier = threading.Barrier(2)
    outcomes = []

    def save(comment):
        try:
            barrier.wait()
            save_report(
                report=report,
                row_version=opened,
                values={activity: (Decimal(-1), Decimal(-2), comment)},
                actor=Actor(source=Source.PAGE, name=comment),
            )
            outcomes.append("saved")
        except StaleReport:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Anna", "Bertil")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["refused", "saved"]
    report.refresh_from_db()
    assert report.row_version == opened + 1
    assert report.lines.get().comment in ("Anna", "Bertil")
