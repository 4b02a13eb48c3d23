"""A report with a negative deviation goes the whole way in the browser: the controller is
stopped until an action plan exists, finance sends the report back with a question, the
controller answers and submits again, finance approves. Two people, two browser contexts,
one live server; every page is also checked with axe-core."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budget.models import AuditEntry, Committee, Membership, Role
from followup.models import ActionPlan, Report, ReportingPeriod
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import E2E_PASSWORD

REPORT = "/uppfoljning/2026/3/bildningsnamnden/"
REVIEW = "/uppfoljning/2026/3/granskning/"
QUESTION = "Förklara prognosen för skolskjutsarna."


@pytest.fixture
def open_march(transactional_db, plan_data, e2e_user, django_user_model):
    """March open; e2e_user controls Bildningsnämnden, ``ekonom`` is in finance."""
    from budget.loader import load_plan
    from followup.calendar import load_plan_calendar

    plan = load_plan(plan_data).plan
    load_plan_calendar(plan=plan, data=plan_data)
    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    e2e_user.groups.add(Group.objects.get_or_create(name=Role.CONTROLLER.value)[0])
    Membership.objects.create(
        user=e2e_user, committee=Committee.objects.get(code="bildningsnamnden")
    )
    finance = django_user_model.objects.create_user(
        username="ekonom", password=E2E_PASSWORD, first_name="Eva", last_name="Ekonom"
    )
    finance.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return plan


def log_in(browser, live_server, username):
    page = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    page.goto(live_server.url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", E2E_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    return page


def the_report() -> Report:
    return Report.objects.get(committee__code="bildningsnamnden", period__month=3)


def test_a_deviating_report_is_planned_for_returned_answered_and_approved(
    open_march, live_server, logged_in_page, browser
):
    controller = logged_in_page

    # The controller forecasts 6,7 mkr more cost than the frame (−523,3 mkr).
    controller.goto(live_server.url + REPORT)
    assert_accessible(controller)
    controller.get_by_label(re.compile("^Utfall ackumulerat, Bildningsnämndens verksamhet")).fill(
        "−130 825,5"
    )
    controller.get_by_label(re.compile("^Helårsprognos, Bildningsnämndens verksamhet")).fill(
        "−530 000"
    )
    controller.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet")).fill(
        "Fler elever i skolskjuts än planerat."
    )
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_role("status").first).to_contain_text(
        "Fel: Nämnden prognostiserar en negativ avvikelse mot budget och ska upprätta en åtgärdsplan"
    )
    assert the_report().status == Report.Status.DRAFT

    # The action plan, from the link the report page gives.
    controller.get_by_role("link", name="Åtgärdsplan", exact=True).click()
    expect(controller.get_by_role("heading", level=1)).to_have_text("Åtgärdsplan: Bildningsnämnden")
    expect(controller.get_by_text("Prognostiserad avvikelse:")).to_contain_text("−6 700 tkr")
    assert_accessible(controller)
    measure = controller.get_by_role("group", name="Ny åtgärd")
    measure.get_by_label("Åtgärd", exact=True).fill("Samordnade skolskjutsturer från augusti.")
    measure.get_by_label("Förväntad effekt för året (tkr)").fill("2 500")
    measure.get_by_label("Ansvarig").fill("Skolchefen")
    measure.get_by_label("Klart senast").fill("2026-08-31")
    controller.get_by_role("button", name="Spara åtgärdsplanen").click()
    # Back on the report, which now tells how much of the deviation the plan covers.
    expect(controller.get_by_text("Åtgärdsplanen är sparad.")).to_be_visible()
    expect(controller.get_by_text("väntas täcka 37,3 % av avvikelsen")).to_be_visible()
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_text("Rapporten är inlämnad.")).to_be_visible()

    # Finance sees the deviation and the plan on the review page, and asks a question.
    finance = log_in(browser, live_server, "ekonom")
    finance.goto(live_server.url + REVIEW)
    row = finance.get_by_role("row", name=re.compile("^Bildningsnämnden"))
    expect(row).to_contain_text("Inlämnad")
    expect(row).to_contain_text("−6,7")
    expect(row.get_by_role("link", name="1 åtgärder")).to_be_visible()
    assert_accessible(finance)
    row.get_by_text("Skicka tillbaka").first.click()
    row.get_by_label("Varför skickas rapporten tillbaka?").fill(QUESTION)
    row.get_by_role("button", name="Skicka tillbaka").click()
    expect(finance.get_by_text("Rapporten är tillbakaskickad till nämnden.")).to_be_visible()
    assert the_report().status == Report.Status.RETURNED

    # The controller reads the question on the report and answers in the comment.
    controller.goto(live_server.url + REPORT)
    expect(
        controller.get_by_text("Ekonomiavdelningen har skickat tillbaka rapporten")
    ).to_be_visible()
    expect(controller.get_by_text(QUESTION)).to_be_visible()
    assert_accessible(controller)
    controller.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet")).fill(
        "Fler elever i skolskjuts än planerat: 40 nya elever från januari."
    )
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_text("Rapporten är inlämnad.")).to_be_visible()

    # Finance approves.
    finance.goto(live_server.url + REVIEW)
    finance.get_by_role("button", name="Godkänn Bildningsnämnden").click()
    expect(finance.get_by_text("Rapporten är godkänd.")).to_be_visible()
    expect(finance.get_by_role("row", name=re.compile("^Bildningsnämnden"))).to_contain_text(
        "Godkänd"
    )

    report = the_report()
    line = report.lines.get()
    assert (report.status, report.approved_by.username) == (Report.Status.APPROVED, "ekonom")
    assert (line.outcome, line.forecast) == (Decimal("-130825500"), Decimal("-530000000"))
    assert ActionPlan.objects.get(committee__code="bildningsnamnden").measures.count() == 1
    statuses = list(
        AuditEntry.objects.filter(
            content_type__model="report", object_id=str(report.pk), field="status"
        )
        .order_by("pk")
        .values_list("new_value", "user__username")
    )
    assert statuses == [
        ("Inlämnad", "webbtestare"),
        ("Återskickad", "ekonom"),
        ("Inlämnad", "webbtestare"),
        ("Godkänd", "ekonom"),
    ]
