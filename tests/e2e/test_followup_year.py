"""A reporting round in the browser: the controller reports a deficit, draws up an action
plan and submits; finance returns the report from the review page, the controller answers
and finance approves; in August the plan is followed up."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budget.models import AuditEntry, Committee, Role
from followup.models import MeasureFollowUp, Report, ReportingPeriod

from .accessibility import assert_accessible
from .conftest import E2E_PASSWORD, fill_measure


@pytest.fixture
def year(open_march, django_user_model):
    """March open, e2e_user Bildningsnämnden's controller, and a finance officer."""
    finance = django_user_model.objects.create_user(
        username="webbekonom", password=E2E_PASSWORD, first_name="Webb", last_name="Ekonom"
    )
    finance.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return open_march


@pytest.fixture
def finance_page(signed_in, year):
    """A second browser, signed in as the finance officer; closed after the test."""
    return signed_in("webbekonom")


def report(page, live_server, month=3):
    page.goto(f"{live_server.url}/uppfoljning/2026/{month}/bildningsnamnden/")


def fill_report(page, outcome, forecast, comment):
    page.get_by_label(re.compile("^Utfall ackumulerat, Bildningsnämndens verksamhet")).fill(outcome)
    page.get_by_label(re.compile("^Helårsprognos, Bildningsnämndens verksamhet")).fill(forecast)
    page.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet")).fill(comment)


def test_a_reporting_round_with_a_deficit_a_return_and_an_approval(
    year, live_server, logged_in_page, finance_page
):
    controller = logged_in_page
    report(controller, live_server)
    fill_report(controller, "−130 000", "−529 800", "Fler elever i grundskolan.")
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(
        controller.get_by_text("ska upprätta en åtgärdsplan med minst en åtgärd")
    ).to_be_visible()

    controller.get_by_role("link", name="Åtgärdsplan", exact=True).first.click()
    assert_accessible(controller)
    controller.get_by_label("Sammanfattning").fill("Återhållsamhet under resten av året.")
    fill_measure(
        controller,
        "Vakanser tillsätts inte före augusti",
        "3 500",
        "Förvaltningschef",
        "2026-08-31",
    )
    controller.get_by_role("button", name="Spara åtgärdsplanen").click()
    expect(controller.get_by_text("Åtgärdsplanen är sparad.")).to_be_visible()
    # 3,5 of 6,5 mkr: the plan falls short, so handing in asks why.
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_text("Skriv varför rapporten lämnas in ändå.")).to_be_visible()
    controller.get_by_label(re.compile("^Varför lämnas rapporten in ändå")).fill(
        "Fler åtgärder beslutas i nämnden i april."
    )
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_text("Rapporten är inlämnad.")).to_be_visible()

    finance = finance_page
    finance.goto(f"{live_server.url}/uppfoljning/2026/3/granskning/")
    row = finance.get_by_role("row", name=re.compile("^Bildningsnämnden"))
    expect(row).to_contain_text("−6,5")
    expect(row).to_contain_text("1 åtgärder")
    row.locator("summary").click()
    row.get_by_label("Varför skickas rapporten tillbaka?").fill("Förklara ökningen av elever.")
    row.get_by_role("button", name="Skicka tillbaka").click()
    expect(finance.get_by_text("Rapporten är tillbakaskickad till nämnden.")).to_be_visible()
    assert finance.url.endswith("/uppfoljning/2026/3/granskning/")

    report(controller, live_server)
    # Why it came back: said at the top of the report and kept in its conversation.
    expect(controller.get_by_text("Förklara ökningen av elever.")).to_have_count(2)
    expect(controller.locator("ol").get_by_text("Förklara ökningen av elever.")).to_be_visible()
    assert_accessible(controller)
    controller.get_by_label(re.compile("^Kommentar, Bildningsnämndens verksamhet")).fill(
        "42 fler elever än i budgeten, främst i årskurs 7–9."
    )
    controller.get_by_label(re.compile("^Varför lämnas rapporten in ändå")).fill(
        "Fler åtgärder beslutas i nämnden i april."
    )
    controller.get_by_role("button", name="Spara och lämna in").click()
    expect(controller.get_by_text("Rapporten är inlämnad.")).to_be_visible()

    finance.reload()
    finance.get_by_role("row", name=re.compile("^Bildningsnämnden")).get_by_role(
        "button", name="Godkänn"
    ).click()
    expect(finance.get_by_text("Rapporten är godkänd.")).to_be_visible()

    report(controller, live_server)
    expect(controller.get_by_text("Godkänd", exact=True)).to_be_visible()
    expect(controller.get_by_role("button", name="Spara utkast")).to_have_count(0)
    approved = Report.objects.get()
    assert (approved.status, approved.approved_by.username) == (
        Report.Status.APPROVED,
        "webbekonom",
    )
    # Each step in the history, by whom it was taken.
    assert list(
        AuditEntry.objects.filter(
            content_type__model="report", object_id=str(approved.pk), field="status"
        )
        .order_by("pk")
        .values_list("new_value", "user__username")
    ) == [
        ("Inlämnad", "webbtestare"),
        ("Återskickad", "webbekonom"),
        ("Inlämnad", "webbtestare"),
        ("Godkänd", "webbekonom"),
    ]


def test_the_action_plan_is_followed_up_in_august(year, live_server, logged_in_page):
    from datetime import date
    from decimal import Decimal

    from budget.audit import Actor
    from followup.reports.actions import save_measures

    march = ReportingPeriod.objects.get(plan=year, month=3)
    save_measures(
        committee=Committee.objects.get(code="bildningsnamnden"),
        period=march,
        measures=[
            {
                "id": None,
                "description": "Vakanser tillsätts inte före augusti",
                "expected_effect": Decimal("3500000"),
                "responsible": "Förvaltningschef",
                "due_date": date(2026, 8, 31),
                "status": "planerad",
            }
        ],
        actor=Actor(name="test"),
    )
    ReportingPeriod.objects.filter(plan=year, month=3).update(status="stangd")
    ReportingPeriod.objects.filter(plan=year, month=8).update(status="oppen")
    page = logged_in_page

    page.goto(f"{live_server.url}/uppfoljning/2026/8/bildningsnamnden/atgardsplan/")
    expect(page.get_by_text("Planen upprättades i mars 2026 och pågår")).to_be_visible()
    page.get_by_label("Status").first.select_option("pagar")
    page.get_by_label("Uppnådd effekt (tkr)").first.fill("1 900")
    page.get_by_label("Kommentar").first.fill("Fem tjänster hålls vakanta.")
    page.get_by_role("button", name="Spara åtgärdsplanen").click()
    expect(page.get_by_text("Åtgärdsplanen är sparad.")).to_be_visible()

    follow_up = MeasureFollowUp.objects.get(period__month=8)
    assert (follow_up.status, follow_up.realised_effect) == ("pagar", Decimal("1900000.00"))


def test_a_controller_reports_through_the_excel_template(
    year, live_server, logged_in_page, tmp_path
):
    from decimal import Decimal

    from openpyxl import load_workbook

    page = logged_in_page
    report(page, live_server)
    page.get_by_role("button", name="Starta rapporten").click()  # a GET writes nothing
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned rapporten som Excel-mall").click()
    template = tmp_path / "mall.xlsx"
    download.value.save_as(template)
    wb = load_workbook(template)
    sheet = wb["Rapport"]
    row = next(r for r in sheet.iter_rows(min_row=1) if r[0].value == "bildningsnamnden")
    row[5].value = "−130 825,5"  # Utfall ackumulerat, typed as text the Swedish way
    row[6].value = -523300
    row[7].value = "Enligt plan."
    wb.save(template)

    page.get_by_role("link", name="ladda upp ifylld mall").click()
    page.set_input_files("input[type=file]", str(template))
    page.get_by_role("button", name="Ladda upp och spara").click()

    expect(page.get_by_text("Rapporten är uppdaterad från Excel")).to_be_visible()
    line = Report.objects.get().lines.get()
    assert (line.outcome, line.forecast, line.comment) == (
        Decimal("-130825500.00"),
        Decimal("-523300000.00"),
        "Enligt plan.",
    )
