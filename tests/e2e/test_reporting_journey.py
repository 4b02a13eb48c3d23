"""A controller reports a period in the browser, with the keyboard and Swedish numbers."""

import re

from playwright.sync_api import expect

from followup.models import Report


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
