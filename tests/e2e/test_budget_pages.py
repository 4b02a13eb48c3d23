"""A signed-in user opens every budget page from the menu, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from budget.models import Role
from tests.e2e.conftest import committed_plan, give_role


@pytest.fixture
def loaded_plan(transactional_db, plan_data, request):
    """The adopted plan (no calendar), committed; e2e_user a councillor."""
    plan = committed_plan(plan_data, calendar=False)
    give_role(request.getfixturevalue("e2e_user"), Role.COUNCILLOR)
    return plan


def test_every_budget_page_opens_from_the_menu(loaded_plan, logged_in_page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/budget/2026/")
    menu = page.get_by_role("navigation", name=re.compile("Huvudmeny|Huvudnavigering|Meny"))
    links = [
        (link.inner_text().strip(), link.get_attribute("href"))
        for link in menu.get_by_role("link").all()
    ]

    assert len(links) >= 12
    for label, href in links:
        response = page.goto(live_server.url + href)
        assert response.status == 200, f"{label}: {response.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page).to_have_title(re.compile("Hedemora kommun"))


def test_budget_comparison_shows_the_documents_figures(loaded_plan, logged_in_page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/budget/2026/jamforelse/")

    row = page.get_by_role("row", name=re.compile("^Bildningsnämnden"))
    expect(row).to_contain_text("\u2212523,3")
    expect(page.get_by_text("Dokumentet anger andra summor")).to_be_visible()


def test_a_workbook_download_says_it_is_being_made_then_done(
    loaded_plan, logged_in_page, live_server
):
    page = logged_in_page
    page.goto(f"{live_server.url}/budget/2026/jamforelse/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned tabellen som den visas (Excel)").click()

    assert download.value.suggested_filename == "budgetjamforelse-2026.xlsx"
    expect(page.get_by_role("status")).to_have_text(
        re.compile("Klar: budgetjamforelse-2026.xlsx är nedladdad.")
    )
