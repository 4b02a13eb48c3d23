"""Smoke test: Chromium starts through Playwright and the live server serves the login page."""

import re

from django.urls import reverse
from playwright.sync_api import expect


def test_login_page_opens_in_chromium(live_server, page):
    page.goto(live_server.url + reverse("login"))
    expect(page).to_have_title(re.compile("Logga in"))
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
