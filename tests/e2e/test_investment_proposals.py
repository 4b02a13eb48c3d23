"""The investment follow-up's forecast proposals in Chromium: the proposal and its warning
are there to read, "Använd förslaget" fills the project's forecast field with the proposed
amount only when pressed (static/js/proposals.js), and axe finds no violation."""

from decimal import Decimal

from playwright.sync_api import expect

from tests.e2e.accessibility import assert_accessible
from tests.followup.investments import TKR, new_project, record_follow_up

URL = "/uppfoljning/2026/3/bildningsnamnden/investeringar/"


def test_a_projects_proposal_is_taken_into_its_forecast_field_when_pressed(
    open_march, e2e_user, logged_in_page, live_server
):
    from followup.models import ReportingPeriod

    project = new_project(e2e_user)  # 600 tkr for 2026
    march = ReportingPeriod.objects.get(plan=open_march, month=3)
    record_follow_up(
        project, march, e2e_user, outcome=Decimal(100) * TKR, forecast=Decimal(600) * TKR
    )
    page = logged_in_page
    page.goto(live_server.url + URL)
    field = page.get_by_label(f"Helårsprognos, {project.code} {project.name} (tkr)")
    expect(field).to_have_value("600")

    # 100 tkr by March at an even pace: 400 tkr, a third of the budget left unspent.
    expect(page.locator(".proposal-text")).to_have_text(
        "Förslag 0,4 mkr: utfall t.o.m. mars 0,1 mkr omräknat med jämn takt över året (3/12)"
    )
    expect(page.locator(".proposal-warning")).to_contain_text(
        "Varning: På väg att lämna 33\u00a0% av årets budget oförbrukad"
    )
    expect(field).to_have_accessible_description(
        "Förslag 0,4 mkr: utfall t.o.m. mars 0,1 mkr omräknat med jämn takt över året (3/12)"
        " Varning: På väg att lämna 33\u00a0% av årets budget oförbrukad (0,2 av 0,6 mkr)"
    )
    assert_accessible(page, context="investment follow-up with proposals")
    # The proposal wraps within the form's table: it does not make it scroll sideways.
    assert page.locator(".table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth")

    page.get_by_role("button", name=f"Använd förslaget för {project.code} {project.name}").click()

    expect(field).to_have_value("400")
