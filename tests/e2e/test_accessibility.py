"""WCAG 2.1 AA in the browser: every page a role's journey passes through has no serious or
critical axe-core violation, and a controller can report a period with the keyboard only.

The pages hold the demo follow-up of 2026 (Feb–Sep published, October open with
Bildningsnämnden's report still a draft), so the tables, charts and notes have content.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from budget.audit import Actor, Source
from budget.models import Activity, BudgetYear, Role
from followup.models import Reallocation, Report, ReportLine
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import give_role

YEAR = 2026
OPEN_MONTH = 10
DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-uppfoljning-2026.toml"


# The personas, before logged_in_page in a test's arguments: the login lands on their start page.
@pytest.fixture
def bildning_controller(demo_year, e2e_user):
    return give_role(e2e_user, Role.CONTROLLER, "bildningsnamnden")


@pytest.fixture
def finance_officer(demo_year, e2e_user):
    return give_role(e2e_user, Role.FINANCE)


@pytest.fixture
def councillor(demo_year, e2e_user):
    return give_role(e2e_user, Role.COUNCILLOR)


def visit(page, url, *, heading):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def prepared_reallocation(plan, user):
    """A reallocation between two committees, prepared for kommunfullmäktige's decision."""
    from followup.reallocations import workflow as reallocations

    actor = Actor(user=user, source=Source.PAGE, name="Webb Testare")
    draft = reallocations.save_draft(
        plan=plan,
        budget_year=BudgetYear.objects.get(plan=plan, year=YEAR, kind=BudgetYear.Kind.BUDGET),
        kind=Reallocation.Kind.REALLOCATION,
        title="Förstärkt hemtjänst",
        purpose="Fler brukare i hemtjänsten än budgeterat.",
        funding="Kommunstyrelsens medel för utvecklingsinsatser.",
        lines=[
            reallocations.Line(
                Activity.objects.get(code="omsorgsnamnden"), Decimal("1500000"), "Hemtjänst"
            ),
            reallocations.Line(
                Activity.objects.get(code="kommunstyrelsen"), Decimal("-1500000"), ""
            ),
        ],
        actor=actor,
    )
    return reallocations.prepare_reallocation(reallocation=draft, actor=actor)


def test_the_login_page_is_accessible_also_with_an_error(live_server, page):
    page.goto(live_server.url + reverse("login"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, context="login form")

    page.fill("input[name=username]", "ingen")
    page.fill("input[name=password]", "fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, context="login form with an error")


def test_a_controllers_pages_are_accessible(bildning_controller, live_server, logged_in_page):
    page, base = logged_in_page, f"{live_server.url}/uppfoljning/{YEAR}"

    visit(page, f"{base}/{OPEN_MONTH}/bildningsnamnden/", heading="Bildningsnämnden")
    expect(page.get_by_role("button", name="Spara utkast")).to_be_visible()
    visit(page, f"{base}/{OPEN_MONTH}/bildningsnamnden/atgardsplan/", heading="Åtgärdsplan")
    visit(page, f"{base}/oversikt/", heading="Översikt 2026")


def test_finance_officers_pages_are_accessible(
    demo_year, finance_officer, finance_colleague, live_server, logged_in_page
):
    # Drawn up by a colleague: the decision form is for the other pair of eyes.
    reallocation = prepared_reallocation(demo_year, finance_colleague)
    page, base = logged_in_page, f"{live_server.url}/uppfoljning/{YEAR}"

    visit(page, f"{base}/{OPEN_MONTH}/granskning/", heading="Granskning")
    visit(page, f"{base}/", heading="Uppföljning")
    visit(page, f"{base}/omfordelningar/{reallocation.number}/", heading="Förstärkt hemtjänst")
    expect(page.get_by_label("Beslutsdatum")).to_be_visible()
    visit(page, f"{base}/omfordelningar/ny/", heading="Ny budgetomfördelning")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("alert")).to_contain_text("Omfördelningen sparades inte")
    assert_accessible(page, context="new reallocation refused")
    visit(page, f"{base}/kf-arenden/", heading="Ärenden till kommunfullmäktige")
    visit(page, f"{base}/omfordelningar/", heading="Budgetomfördelningar")
    # Where the reallocation journey ends: the committee's frame with its decided changes.
    visit(
        page, f"{live_server.url}/budget/{YEAR}/namnder/omsorgsnamnden/", heading="Omsorgsnämnden"
    )


def test_a_councillors_pages_are_accessible(councillor, live_server, logged_in_page):
    page = logged_in_page

    visit(page, f"{live_server.url}/uppfoljning/{YEAR}/oversikt/", heading="Översikt 2026")
    page.get_by_role("link", name="Omsorgsnämnden").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Omsorgsnämnden")
    assert_accessible(page, context="committee drill-down")
    visit(page, f"{live_server.url}/budget/{YEAR}/jamforelse/", heading="Budgetjämförelse")
    visit(page, f"{live_server.url}/budget/{YEAR}/mal/", heading="Vision, mål och nyckeltal")


def test_a_controller_reports_with_the_keyboard_only(
    bildning_controller, live_server, logged_in_page
):
    """test_reporting_journey.py fills the fields and clicks the buttons; here nothing but
    the keyboard: the skip link, Tab to the fields, Swedish amounts, Enter to save."""
    page = logged_in_page
    page.goto(f"{live_server.url}/uppfoljning/{YEAR}/{OPEN_MONTH}/bildningsnamnden/")
    outcome = page.get_by_label(re.compile("^Utfall ackumulerat, Bildningsnämndens verksamhet"))
    forecast = page.get_by_label(re.compile("^Helårsprognos, Bildningsnämndens verksamhet"))
    comment = page.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet"))

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, outcome)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("−412 300,5")
    page.keyboard.press("Tab")
    expect(forecast).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("−540 100")
    # The forecast's proposal comes next; passed by, it fills in nothing.
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("button", name="Använd förslaget för Bildningsnämndens verksamhet")
    ).to_be_focused()
    page.keyboard.press("Tab")
    expect(comment).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Vikarier hålls nere.")
    tab_to(page, page.get_by_role("button", name="Spara utkast"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    expect(outcome).to_have_value(re.compile(r"^-412\s300,5$"))
    line = ReportLine.objects.get(
        report__committee__code="bildningsnamnden",
        report__period__month=OPEN_MONTH,
        report__status=Report.Status.DRAFT,
    )
    assert (line.outcome, line.forecast, line.comment) == (
        Decimal("-412300500"),
        Decimal("-540100000"),
        "Vikarier hålls nere.",
    )
    assert_accessible(page, context="report form after saving")


def tab_to(page, target, *, most=25):
    """Press Tab until ``target`` has the focus; fail if it is not reached in ``most`` presses."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {most} presses of Tab")
