"""A controller reports a period in the browser, with the keyboard and Swedish numbers."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budget.loader import load_plan
from budget.models import Committee, Membership, Role
from followup.models import Report, ReportingPeriod
from followup.periods.calendar import load_plan_calendar


@pytest.fixture
def open_march(transactional_db, plan_data, e2e_user):
    plan = load_plan(plan_data).plan
    load_plan_calendar(plan=plan, data=plan_data)
    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    e2e_user.groups.add(Group.objects.get_or_create(name=Role.CONTROLLER.value)[0])
    Membership.objects.create(
        user=e2e_user, committee=Committee.objects.get(code="bildningsnamnden")
    )
    return plan


def test_a_controller_saves_and_submits_the_march_report(open_march, logged_in_page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/uppfoljning/2026/3/bildningsnamnden/")

    outcome = page.get_by_label(re.compile("^Utfall ackumulerat, Bildningsnämndens verksamhet"))
    outcome.fill("−130 825,5")
    page.keyboard.press("Tab")
    page.keyboard.type("-523300")
    page.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet")).fill("Enligt plan.")
    page.get_by_role("button", name="Spara utkast").click()

    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    expect(outcome).to_have_value(re.compile(r"^-130\s825,5$"))
    page.get_by_role("button", name="Spara och lämna in").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    assert Report.objects.get().status == Report.Status.SUBMITTED
