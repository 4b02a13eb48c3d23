"""The screens of a phone (390 px) and a laptop (1280 px), in Chromium: on a phone the main
menu folds behind a button (static/js/menu.js) and no role's main pages are wider than the
screen; on a laptop the menu shows at most seven top-level entries."""

import re

import pytest
from playwright.sync_api import expect

from budget.models import Role
from tests.e2e.conftest import E2E_PASSWORD, give_role, sign_in

YEAR = 2026
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}

# Each role's main pages: where signing in lands, then the pages of its daily work.
MAIN_PAGES = {
    Role.FINANCE: [
        f"/uppfoljning/{YEAR}/",
        f"/uppfoljning/{YEAR}/10/granskning/",
        f"/budget/{YEAR}/jamforelse/",
        "/logg/",
    ],
    Role.CONTROLLER: ["/mina-namnder/", f"/uppfoljning/{YEAR}/10/bildningsnamnden/"],
    Role.COUNCILLOR: [f"/budget/{YEAR}/", f"/uppfoljning/{YEAR}/investeringar/"],
    Role.SECRETARY: [f"/uppfoljning/{YEAR}/kf-arenden/"],
    Role.ADMINISTRATOR: ["/administration/anvandare/"],
}


@pytest.fixture
def screen(demo_year, django_user_model, browser, live_server):
    """screen(role, viewport, javascript=True): a page of a browser of its own, signed in as
    a new user of ``role`` (a controller of Bildningsnämnden); closed after the test."""
    contexts = []

    def open_screen(role, viewport, javascript=True):
        user = django_user_model.objects.create_user(
            username=f"skarm-{role.name.lower()}-{len(contexts)}", password=E2E_PASSWORD
        )
        give_role(user, role, "bildningsnamnden" if role == Role.CONTROLLER else None)
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
        )
        contexts.append(context)
        return sign_in(context.new_page(), live_server, user.username)

    yield open_screen
    for context in contexts:
        context.close()


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_the_menu_button_opens_and_closes_the_menu(live_server, screen):
    page = screen(Role.FINANCE, PHONE)
    page.goto(f"{live_server.url}/budget/{YEAR}/jamforelse/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    button = menu.get_by_role("button", name="Meny")
    first_entry = menu.get_by_role("link", name="Översikt", exact=True)

    expect(button).to_have_attribute("aria-expanded", "false")
    expect(first_entry).to_be_hidden()
    # The menu's links stay out of the first screen while it is folded.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 250

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(first_entry).to_be_visible()
    expect(menu.get_by_role("link", name="Budgetjämförelse")).to_have_attribute(
        "aria-current", "page"
    )
    assert page_width(page) <= PHONE["width"]

    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(first_entry).to_be_hidden()

    # With the keyboard: Enter opens it, the first link is next to focus, Escape folds it
    # and gives the focus back to the button.
    button.focus()
    page.keyboard.press("Enter")
    expect(first_entry).to_be_visible()
    page.keyboard.press("Tab")
    expect(first_entry).to_be_focused()
    page.keyboard.press("Escape")
    expect(first_entry).to_be_hidden()
    expect(button).to_be_focused()


def test_without_javascript_the_menu_is_open_on_a_phone(screen):
    page = screen(Role.COUNCILLOR, PHONE, javascript=False)
    menu = page.get_by_role("navigation", name="Huvudmeny")

    expect(menu.get_by_role("link", name="Budget", exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Meny")).to_be_hidden()


@pytest.mark.parametrize("role", list(MAIN_PAGES), ids=lambda role: role.name.lower())
def test_no_main_page_of_a_role_is_wider_than_a_phone(live_server, screen, role):
    page = screen(role, PHONE)

    widths = {page.url: page_width(page)}  # the start page the login lands on
    for path in MAIN_PAGES[role]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        widths[path] = page_width(page)

    assert {path: width for path, width in widths.items() if width > PHONE["width"]} == {}


@pytest.mark.parametrize("role", list(MAIN_PAGES), ids=lambda role: role.name.lower())
def test_on_a_laptop_the_menu_has_at_most_seven_entries(screen, role):
    page = screen(role, LAPTOP)
    menu = page.get_by_role("navigation", name="Huvudmeny")

    entries = menu.locator(".main-nav__list > li > a")
    expect(menu.get_by_role("button", name="Meny")).to_be_hidden()
    assert 1 <= entries.count() <= 7
    for entry in entries.all():
        expect(entry).to_be_visible()
    assert page_width(page) <= LAPTOP["width"]


# Pages with long tables whose key rows an inner scroll box used to hide.
LONG_TABLES = [
    f"/uppfoljning/{YEAR}/",
    f"/uppfoljning/{YEAR}/10/granskning/",
    f"/uppfoljning/{YEAR}/10/finansforvaltningen/",
    "/logg/",
]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_table_hides_rows_in_a_scroll_box_of_its_own(live_server, screen, viewport):
    page = screen(Role.FINANCE, viewport)

    for path in LONG_TABLES:
        page.goto(live_server.url + path)
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.table-wrap, .table-container')]
                   .filter(w => w.scrollHeight > w.clientHeight + 2)
                   .map(w => w.getAttribute('aria-label') || w.className)"""
        )
        assert hidden == [], path
        assert page_width(page) <= viewport["width"], path


def test_on_a_laptop_a_long_tables_heading_and_sum_stay_in_view(live_server, screen):
    page = screen(Role.FINANCE, {"width": 1280, "height": 600})
    page.goto(f"{live_server.url}/uppfoljning/{YEAR}/10/granskning/")
    table = page.get_by_role("table").filter(has=page.locator("tr.total")).first
    total = table.locator("tr.total").last.locator("th")  # its cells stick (tfoot or tbody)
    heading = table.locator("thead")
    expect(table.locator("xpath=..")).to_have_class(re.compile("table-fits"))

    # Scrolled to the middle of the table: its top and its end are both out of the window.
    box = table.bounding_box()
    page.mouse.wheel(0, box["y"] + box["height"] / 2 - 300)
    page.wait_for_function("() => window.scrollY > 0")
    box = table.bounding_box()
    assert box["y"] < 0 and box["y"] + box["height"] > 600

    heading_box, total_box = heading.bounding_box(), total.bounding_box()
    assert heading_box["y"] == pytest.approx(0, abs=1)
    assert total_box["y"] + total_box["height"] == pytest.approx(600, abs=1)
    expect(total).to_contain_text("Kommunen")
