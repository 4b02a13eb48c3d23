"""The open-data page in the browser: reached without login and accessible (WCAG 2.1 AA,
axe-core), its links leading to the files (docs/decisions/0028)."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.accessibility import assert_accessible


def test_the_open_data_page_is_reached_without_login_and_is_accessible(
    live_server, page, demo_year, settings
):
    settings.OPEN_DATA = True

    page.goto(live_server.url + reverse("opendata:index"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Öppna data")
    expect(page.get_by_role("heading", name="Budgetår 2026")).to_be_visible()
    assert_accessible(page)
    csv_link, json_link = page.get_by_role("link", name="Månadsrapport mars 2026, per nämnd").all()
    expect(csv_link).to_contain_text("CSV")
    expect(json_link).to_contain_text("JSON")
    assert csv_link.get_attribute("href") == reverse(
        "opendata:period_csv", kwargs={"year": 2026, "month": 3}
    )
