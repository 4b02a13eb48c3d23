"""Two people saving the same report at once, in real concurrent transactions (PostgreSQL)."""

from decimal import Decimal

import pytest

from budget.audit import Actor, Source
from budget.loader import load_plan
from budget.models import Committee
from followup.models import ReportingPeriod
from followup.periods.calendar import load_plan_calendar
from followup.reports.workflow import StaleReport, open_report, save_report
from tests.database import require_postgresql
from tests.followup.threads import at_once, outcomes

pytestmark = pytest.mark.postgres


def open_march(plan_data):
    """The plan and its calendar loaded, March open for reporting (PostgreSQL only)."""
    require_postgresql("real concurrent transactions and row locks")
    plan = load_plan(plan_data).plan
    load_plan_calendar(plan=plan, data=plan_data)
    period = ReportingPeriod.objects.get(plan=plan, month=3)
    period.status = ReportingPeriod.Status.OPEN
    period.save()
    return period


@pytest.fixture
def report(transactional_db, plan_data, django_user_model):
    period = open_march(plan_data)
    user = django_user_model.objects.create_user("cecilia")
    committee = Committee.objects.get(code="bildningsnamnden")
    return open_report(committee=committee, period=period, actor=Actor(user=user))


def test_of_two_simultaneous_saves_one_wins_and_the_other_is_refused(report):
    activity = report.lines.get().activity_id
    opened = report.row_version

    def save(comment):
        return save_report(
            report=report,
            row_version=opened,
            values={activity: (Decimal(-1), Decimal(-2), comment)},
            actor=Actor(source=Source.PAGE, name=comment),
        )

    results = at_once(lambda: save("Anna"), lambda: save("Bertil"))

    assert outcomes(results, refusal=StaleReport, done="saved") == ["refused", "saved"]
    report.refresh_from_db()
    assert report.row_version == opened + 1
    assert report.lines.get().comment in ("Anna", "Bertil")


@pytest.fixture
def never_opened(transactional_db, plan_data, django_user_model):
    """March open for reporting, Bildningsnämnden's report not started, and two of its
    controllers."""
    from django.contrib.auth.models import Group

    from budget.models import Membership
    from budget.roles import Role

    period = open_march(plan_data)
    committee = Committee.objects.get(code="bildningsnamnden")
    group, _ = Group.objects.get_or_create(name=Role.CONTROLLER.value)
    users = []
    for name in ("anna", "bertil"):
        user = django_user_model.objects.create_user(name, password="pw-for-tests-1")
        user.groups.add(group)
        Membership.objects.create(user=user, committee=committee)
        users.append(user)
    return period, committee, users


def test_two_simultaneous_first_opens_give_one_report_and_no_error(never_opened):
    from budget.models import AuditEntry
    from followup.models import Report

    period, committee, users = never_opened

    opened = at_once(
        *(
            lambda user=user: open_report(
                committee=committee, period=period, actor=Actor(user=user)
            )
            for user in users
        )
    )

    assert all(isinstance(r, Report) for r in opened), opened
    assert opened[0].pk == opened[1].pk
    assert Report.objects.count() == 1
    assert AuditEntry.objects.filter(area="rapporter", action="skapad").count() == 1


def test_two_simultaneous_first_saves_on_the_page_give_no_error(never_opened):
    from django.test import Client
    from django.urls import reverse

    from budget.models import Activity, AuditEntry
    from followup.models import Report

    period, committee, users = never_opened
    url = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": committee.code})
    activity = Activity.objects.get(committee=committee).pk
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        shown = client.get(url).context["form"]["row_version"].value()
        clients.append((client, user.username, shown))
    assert not Report.objects.exists()  # the GETs wrote nothing

    responses = at_once(
        *(
            lambda c=c, name=name, shown=shown: c.post(
                url,
                {
                    "row_version": shown,
                    f"outcome_{activity}": "-1",
                    f"forecast_{activity}": "-2",
                    f"comment_{activity}": name,
                    "action": "spara",
                },
            )
            for c, name, shown in clients
        )
    )

    assert sorted(getattr(r, "status_code", r) for r in responses) == [200, 302], responses
    refused = next(r for r in responses if r.status_code == 200)
    assert "har sparats av" in refused.text
    report = Report.objects.get()
    assert report.row_version == 2
    assert report.lines.get().comment in ("anna", "bertil")
    assert AuditEntry.objects.filter(area="rapporter", action="skapad").count() == 1
