"""A published period in the browser: finance publishes August; in October a controller adds
a measure to the action plan; a councillor opens August's dashboard, committee page and
paper and finds them as they were when August was published."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budget.models import Role
from followup.models import Measure, PeriodRecord, ReportingPeriod

from .conftest import E2E_PASSWORD, fill_measure

AUGUST = "/uppfoljning/2026/oversikt/?period=8"
COMMITTEE = "/uppfoljning/2026/8/bildningsnamnden/oversikt/"
PAPER = "/uppfoljning/2026/8/manadsrapport.xlsx"


@pytest.fixture
def closed_august(open_march, django_user_model):
    """The demo year up to August: February–May published, August reported, approved and
    closed, not yet published; October open. e2e_user is Bildningsnämnden's controller;
    a finance officer and a councillor have their own logins."""
    from budget.loader import read_toml
    from followup.reports.demo import load_demo_followup
    from tests.conftest import DEMO_FOLLOWUP

    data = read_toml(DEMO_FOLLOWUP)
    data["months"] = [m for m in data["months"] if m <= 8]
    data["published"] = [m for m in data["published"] if m < 8]
    load_demo_followup(data, plan=open_march)
    ReportingPeriod.objects.filter(plan=open_march, month=10).update(status="oppen")
    for username, role in (("webbekonom", Role.FINANCE), ("webbpolitiker", Role.COUNCILLOR)):
        user = django_user_model.objects.create_user(username=username, password=E2E_PASSWORD)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return open_march


def what_the_councillor_sees(page, live_server) -> dict:
    """August's dashboard and committee page as text, and its paper as downloaded."""
    page.goto(live_server.url + AUGUST)
    dashboard = page.locator("main").inner_text()
    page.goto(live_server.url + COMMITTEE)
    committee = page.locator("main").inner_text()
    page.goto(live_server.url + "/uppfoljning/2026/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned delårsrapporten (Excel)").click()
    with open(download.value.path(), "rb") as paper:
        return {"dashboard": dashboard, "committee": committee, "paper": paper.read()}


def test_a_published_august_stays_as_published_when_october_adds_a_measure(
    closed_august, signed_in, live_server, logged_in_page
):
    finance = signed_in("webbekonom")
    finance.goto(f"{live_server.url}/uppfoljning/2026/")
    finance.get_by_label("Ny status för Delårsrapport augusti 2026").select_option("publicerad")
    finance.get_by_role("button", name="Ändra").nth(0).click()
    expect(finance.get_by_text("Delårsrapport augusti 2026 har ändrats.")).to_be_visible()
    assert PeriodRecord.objects.filter(period__month=8).count() == 1

    councillor = signed_in("webbpolitiker")
    before = what_the_councillor_sees(councillor, live_server)
    assert "3 åtgärder" in before["dashboard"]

    controller = logged_in_page
    controller.goto(f"{live_server.url}/uppfoljning/2026/10/bildningsnamnden/atgardsplan/")
    new = controller.get_by_role("group", name="Ny åtgärd")
    fill_measure(new, "Hyresavtal sägs upp i förtid", "2 000", "Fastighetschef", "2026-12-31")
    controller.get_by_role("button", name="Spara åtgärdsplanen").click()
    expect(controller.get_by_text("Åtgärdsplanen är sparad.")).to_be_visible()
    assert Measure.objects.filter(description="Hyresavtal sägs upp i förtid").exists()

    after = what_the_councillor_sees(councillor, live_server)
    assert after == before
    assert "Hyresavtal" not in after["committee"]
