"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browser on our machines, so every test here launches
Debian's Chromium: /usr/bin/chromium-headless-shell where installed, else /usr/bin/chromium
(tests/tooling.py). Without either the tests skip (fail under REQUIRE_BROWSER=1, as in CI).
A failing test leaves a screenshot in test-results/ (see addopts in pyproject.toml).
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.snapshots import load_once
from tests.tooling import require_chromium

# Playwright's sync API runs an asyncio loop in the test thread; without this, ORM calls in
# fixtures (creating users, live_server's database setup) raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

_HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    # The machines have no network but the package registries: keep Chromium from trying.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

E2E_PASSWORD = "Webbtest-lösen-2026"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder needs Chromium: mark it so `-m "not browser"` leaves it out."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a Playwright-downloaded build."""
    executable = require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def e2e_user(django_user_model):
    return django_user_model.objects.create_user(
        username="webbtestare", password=E2E_PASSWORD, first_name="Webb", last_name="Testare"
    )


def sign_in(page, live_server, username):
    """Sign ``page`` in as ``username`` (password E2E_PASSWORD) through the real login form."""
    login_url = live_server.url + reverse("login")
    page.goto(login_url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", E2E_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    assert not page.url.startswith(login_url), f"login through the form failed: {page.url}"
    return page


@pytest.fixture
def logged_in_page(live_server, page, e2e_user):
    """A Playwright page logged in as e2e_user through the real login form."""
    return sign_in(page, live_server, e2e_user.username)


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(username): a page of a browser of its own, signed in as ``username``;
    every such browser is closed after the test."""
    contexts = []

    def open_signed_in(username):
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        contexts.append(context)
        return sign_in(context.new_page(), live_server, username)

    yield open_signed_in
    for context in contexts:
        context.close()


def fill_measure(form, description, effect, responsible, due):
    """Fill in a measure of an action plan in ``form`` (a page or the measure's fieldset):
    ``effect`` in tkr as typed, ``due`` as YYYY-MM-DD."""
    form.get_by_label("Åtgärd", exact=True).fill(description)
    form.get_by_label("Förväntad effekt för året (tkr)").fill(effect)
    form.get_by_label("Ansvarig").fill(responsible)
    form.get_by_label("Klart senast").fill(due)


# The committed data of a browser test comes first (tests.snapshots.load_once puts back a
# copy on SQLite, replacing the whole database): the users come after it, so a fixture that
# loads takes e2e_user through request.getfixturevalue, after the load.


def give_role(user, role, committee_code=None):
    """``user`` in ``role``'s group, and a member of the committee ``committee_code``."""
    from django.contrib.auth.models import Group

    from budget.models import Committee, Membership

    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if committee_code:
        Membership.objects.create(user=user, committee=Committee.objects.get(code=committee_code))
    return user


def committed_plan(plan_data, *, calendar=True, demo=False):
    """The adopted plan for 2026 (with its calendar, with the demo follow-up), committed."""
    from budget.loader import load_plan, read_toml
    from budget.models import BudgetPlan
    from followup.periods.calendar import load_plan_calendar
    from followup.reports.demo import load_demo_followup
    from tests.conftest import DEMO_FOLLOWUP

    def build():
        plan = load_plan(plan_data).plan
        if calendar:
            load_plan_calendar(plan=plan, data=plan_data)
        if demo:
            load_demo_followup(read_toml(DEMO_FOLLOWUP), plan=plan)

    load_once(f"plan calendar={calendar} demo={demo}", build)
    return BudgetPlan.objects.get(year=plan_data["plan"]["year"])


@pytest.fixture
def demo_year(transactional_db, plan_data):
    """The plan with the demo follow-up of 2026 (Feb–Sep published, October open with
    Bildningsnämnden's report a draft), committed. Returns the plan."""
    return committed_plan(plan_data, demo=True)


@pytest.fixture
def open_march(transactional_db, plan_data, request):
    """The plan for 2026 with its calendar, March open for reporting, and e2e_user a
    controller of Bildningsnämnden."""
    from budget.models import Role
    from followup.models import ReportingPeriod

    plan = committed_plan(plan_data)
    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    give_role(request.getfixturevalue("e2e_user"), Role.CONTROLLER, "bildningsnamnden")
    return plan
