"""The report form in Chromium (static/js/report-form.js, static/js/unsaved.js): the deviations
and the committee's sums follow what the controller types before anything is saved, leaving
with unsaved changes asks first, an error under a field does not widen the table, on a
phone each activity's forecast and deviation are on the screen without scrolling sideways,
and a forecast proposal is taken into its field only when its button is pressed
(static/js/proposals.js)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budget import money
from budget.models import Activity, BudgetYear, Committee, FrameEntry, Role
from followup.forecasts.proposals import proposals_for
from followup.models import Report
from followup.reports.figures import report_figures
from followup.reports.forms import SwedishAmountField
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import E2E_PASSWORD, give_role, sign_in

URL = "/uppfoljning/2026/10/bildningsnamnden/"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# A budget no whole number of tkr divides, in October (10/12 of it to date): the script
# must count with the exact figures the server uses, not with the rounded ones shown.
SCHOOL_BUDGET = Decimal("-12345678.90")


@pytest.fixture
def october(demo_year, django_user_model):
    """The demo's October (open, Bildningsnämnden's report a draft), Bildningsnämnden with a
    second activity, Grundskola, and a controller of the committee."""
    bildning = Committee.objects.get(code="bildningsnamnden")
    school = Activity.objects.create(
        committee=bildning, code="grundskola", name="Grundskola", position=99
    )
    FrameEntry.objects.create(
        activity=school,
        budget_year=BudgetYear.objects.get(plan=demo_year, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=FrameEntry.Kind.ORIGINAL,
        amount=SCHOOL_BUDGET,
    )
    user = django_user_model.objects.create_user(username="rapportor", password=E2E_PASSWORD)
    give_role(user, Role.CONTROLLER, "bildningsnamnden")
    return Report.objects.get(committee=bildning, period__plan=demo_year, period__month=10)


@pytest.fixture
def screen(october, signed_in, live_server):
    """screen(viewport): the October report of Bildningsnämnden in a browser of its own,
    ``viewport`` wide, signed in as its controller."""

    def open_screen(viewport):
        page = signed_in("rapportor")
        page.set_viewport_size(viewport)
        page.goto(live_server.url + URL)
        return page

    return open_screen


def figures_of(report):
    return {line.activity.name: line for line in report_figures(report).lines}


def row(page, name):
    return page.locator("form.report-form tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(f"^{name}"))
    )


def forecast_field(page, name):
    return page.get_by_label(f"Helårsprognos, {name} (tkr)")


def deviation(page, name):
    return row(page, name).locator('[data-figure="deviation"]')


def total(page, figure):
    return page.locator(f'form.report-form tr.total [data-figure="{figure}"]')


def expect_not_counted(cell):
    """A figure that cannot be counted: a dash to see, words for a screen reader."""
    expect(cell.locator('[aria-hidden="true"]')).to_have_text("–")
    expect(cell.locator(".visually-hidden")).to_have_text(
        "kan inte räknas, ett belopp går inte att läsa"
    )


def kronor(typed):
    return money.parse_amount(typed) * money.THOUSAND


def test_typing_a_forecast_recalculates_its_deviation_and_the_sum_before_saving(october, screen):
    page = screen(LAPTOP)
    before = figures_of(october)
    main, school = before["Bildningsnämndens verksamhet"], before["Grundskola"]
    saved_deviation = total(page, "deviation").inner_text()
    assert saved_deviation == money.format_tkr(main.forecast - (main.budget + school.budget))

    forecast_field(page, "Bildningsnämndens verksamhet").fill("−530 000,4")
    expect(deviation(page, "Bildningsnämndens verksamhet")).to_have_text(
        money.format_tkr(kronor("−530 000,4") - main.budget)
    )
    expect(total(page, "forecast")).to_have_text(money.format_tkr(kronor("−530 000,4")))
    # Grundskola has no forecast: the committee's forecast is the forecasts there are, its
    # budget the whole budget (budget.money.sum_present, as the server counts).
    expect(total(page, "deviation")).to_have_text(
        money.format_tkr(kronor("−530 000,4") - (main.budget + school.budget))
    )

    # The second activity: typed with a hyphen and ordinary spaces, counted exactly.
    forecast_field(page, "Grundskola").fill("-12 000")
    expect(deviation(page, "Grundskola")).to_have_text(
        money.format_tkr(kronor("-12 000") - school.budget)
    )
    expect(total(page, "deviation")).to_have_text(
        money.format_tkr(kronor("−530 000,4") + kronor("-12 000") - (main.budget + school.budget))
    )
    page.get_by_label("Utfall ackumulerat, Grundskola (tkr)").fill("-10 300,25")
    expect(row(page, "Grundskola").locator('[data-figure="outcome-deviation"]')).to_have_text(
        money.format_tkr(kronor("-10 300,25") - school.budget_to_date)
    )
    expect(total(page, "outcome-deviation")).to_have_text(
        money.format_tkr(
            main.outcome + kronor("-10 300,25") - (main.budget_to_date + school.budget_to_date)
        )
    )

    # What the server would refuse gives no figure, never a wrong one.
    forecast_field(page, "Grundskola").fill("12.000")
    for cell in (deviation(page, "Grundskola"), total(page, "deviation"), total(page, "forecast")):
        expect_not_counted(cell)
    # An emptied field is a missing forecast, as the server counts it.
    forecast_field(page, "Grundskola").fill("")
    expect(deviation(page, "Grundskola")).to_have_text("")
    expect(total(page, "deviation")).to_have_text(
        money.format_tkr(kronor("−530 000,4") - (main.budget + school.budget))
    )

    # After a pause the committee's new deviation is read out once, in a status region.
    expect(page.get_by_role("status").filter(has_text="Nämndens avvikelse helår")).to_have_text(
        "Nämndens avvikelse helår: "
        + money.format_tkr(kronor("−530 000,4") - (main.budget + school.budget))
        + " tkr (inte sparat)."
    )
    # Nothing is saved while typing.
    october.refresh_from_db()
    assert figures_of(october)["Bildningsnämndens verksamhet"].forecast == main.forecast

    # Saved, the server shows the figures the script showed.
    forecast_field(page, "Grundskola").fill("-12 000")
    shown = total(page, "deviation").inner_text()
    page.once("dialog", lambda dialog: pytest.fail(f"asked on saving: {dialog.message}"))
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    assert total(page, "deviation").inner_text() == shown
    assert shown != saved_deviation


def test_an_unchanged_field_counts_with_its_exact_saved_figure(october, screen):
    """A field shows its saved amount to one decimal of tkr (100 kr); typing in another row
    must not count the unchanged row with that rounded figure instead of the exact one."""
    budget = sum((line.budget for line in figures_of(october).values()), Decimal(0))

    def as_shown(forecast):  # what the field shows, read back
        return money.round_half_up(forecast / money.THOUSAND, 1) * money.THOUSAND

    # A forecast whose deviation the rounded figure would round the other way.
    forecast = next(
        f
        for f in (budget + Decimal(9_245_000) + offset for offset in range(0, 2000, 7))
        if money.format_tkr(f - budget) != money.format_tkr(as_shown(f) - budget)
    )
    line = october.lines.get(activity__name="Bildningsnämndens verksamhet")
    line.forecast = forecast
    line.save()
    page = screen(LAPTOP)
    shown = kronor(forecast_field(page, "Bildningsnämndens verksamhet").input_value())
    assert shown == as_shown(forecast)

    forecast_field(page, "Grundskola").fill("0")
    expect(total(page, "deviation")).to_have_text(money.format_tkr(forecast - budget))


def test_the_script_reads_amounts_as_the_server_does(october, screen):
    page = screen(LAPTOP)
    field = SwedishAmountField(unit="tkr", required=False)
    samples = [
        "1 207,5",
        "−1 207,5",
        "-1207",
        "+12",
        "–3,2",
        "1\u00a0207\u00a0000",
        "1\u202f207",
        " 42 ",
        "0",
        "-0",
        "0,000001",
        "1,500000",
        "1,12345",
        "1,123456",
        "999 999 999 999",
        "1 000 000 000 000",
        "1.220",
        "1,207.5",
        "1.5",
        "12 34",
        "1  207",
        "1e3",
        "NaN",
        "Infinity",
        "١٢٣",
        "４５",
        "1_000",
        "1 207,",
        ",5",
        "− 5",
        "5−",
        "--5",
        "",
        "   ",
        "\ufeff12",
        "1\u200b207",
    ]

    def server(text):
        try:
            value = field.clean(text)
        except Exception:  # noqa: BLE001 - refused, whatever the reason
            return None
        return "" if value is None else f"{(value / money.THOUSAND).normalize():f}"

    read = page.evaluate("samples => samples.map(window.reportForm.readAmount)", samples)
    assert dict(zip(samples, read, strict=True)) == {s: server(s) for s in samples}

    amounts = [
        "-1207499.99",
        "-1207500",
        "1207500",
        "-499.99",
        "-500",
        "500",
        "499.5",
        "0",
        "-436083.3333333333333333333333",
        "1.2E+7",
        "0E-20",
        "-10288065.75000000000000000000",
    ]
    shown = page.evaluate("amounts => amounts.map(window.reportForm.formatTkr)", amounts)
    assert shown == [money.format_tkr(Decimal(a)) for a in amounts]


def test_leaving_with_unsaved_changes_asks_first(october, screen, live_server):
    page = screen(LAPTOP)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    overview = page.get_by_role("link", name="Uppföljning 2026")

    # Nothing changed: no question.
    overview.click()
    expect(page).not_to_have_url(re.compile(re.escape(URL) + "$"))
    assert asked == []

    page.goto(live_server.url + URL)
    forecast_field(page, "Grundskola").click()
    page.keyboard.type("-12 000")
    overview.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(re.escape(URL) + "$"))  # stayed
    expect(forecast_field(page, "Grundskola")).to_have_value("-12 000")

    # Saving is not leaving; after the save nothing is unsaved.
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    assert asked == ["beforeunload"]
    overview.click()
    expect(page).not_to_have_url(re.compile(re.escape(URL) + "$"))
    assert asked == ["beforeunload"]


def test_the_action_plan_form_asks_too(october, screen, live_server):
    page = screen(LAPTOP)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.goto(live_server.url + URL + "atgardsplan/")
    page.get_by_label("Sammanfattning").click()
    page.keyboard.type("Vi ser över bemanningen.")
    page.get_by_role("link", name="Bildningsnämnden, oktober").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile("atgardsplan/$"))


def table_width(page):
    return page.locator("form.report-form table").bounding_box()["width"]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_an_error_under_a_field_does_not_widen_the_table(screen, viewport):
    page = screen(viewport)
    field = forecast_field(page, "Bildningsnämndens verksamhet")
    width, field_width = table_width(page), field.bounding_box()["width"]
    comment = page.get_by_label("Kommentar, Bildningsnämndens verksamhet")
    comment_right = comment.bounding_box()["x"] + comment.bounding_box()["width"]

    field.fill("1.220")
    page.get_by_role("button", name="Spara utkast").click()

    expect(page.get_by_text("Rapporten sparades inte")).to_be_visible()
    error = row(page, "Bildningsnämndens verksamhet").locator(".errorlist")
    expect(error).to_contain_text("1.220")
    assert table_width(page) <= width + 1
    assert field.bounding_box()["width"] == pytest.approx(field_width, abs=1)
    error_box = error.bounding_box()
    cell_box = field.locator("xpath=..").bounding_box()
    assert error_box["x"] + error_box["width"] <= cell_box["x"] + cell_box["width"] + 1
    # The last column is where it was: on a laptop, not pushed off the screen.
    box = comment.bounding_box()
    assert box["x"] + box["width"] == pytest.approx(comment_right, abs=1)
    assert box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_on_a_phone_each_activity_shows_its_forecast_and_deviation_on_the_screen(screen):
    page = screen(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator("form.report-form .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")

    for name in ("Bildningsnämndens verksamhet", "Grundskola"):
        for element in (
            row(page, name).get_by_role("rowheader"),
            page.get_by_label(f"Utfall ackumulerat, {name} (tkr)"),
            forecast_field(page, name),
            deviation(page, name),
            page.get_by_label(f"Kommentar, {name}"),
        ):
            element.scroll_into_view_if_needed()
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], element
        # Each figure says which it is: its column's name beside it.
        expect(deviation(page, name)).to_have_attribute("data-label", "Avvikelse helår")
    # A screen reader still meets a table of rows and cells with their column headers.
    table = page.get_by_role("table", name=re.compile("Belopp i tkr"))
    expect(table.get_by_role("columnheader", name="Avvikelse helår")).to_have_count(1)
    expect(table.get_by_role("row")).to_have_count(4)

    # Typing on the phone recalculates as on a laptop.
    forecast_field(page, "Grundskola").fill("-1")
    expect(deviation(page, "Grundskola")).to_have_text(
        money.format_tkr(
            kronor("-1")
            - figures_of(Report.objects.get(committee__code="bildningsnamnden", period__month=10))[
                "Grundskola"
            ].budget
        )
    )


def test_without_javascript_the_page_shows_the_servers_figures_until_saved(
    october, browser, live_server
):
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    try:
        page = sign_in(context.new_page(), live_server, "rapportor")
        page.goto(live_server.url + URL)
        main = figures_of(october)["Bildningsnämndens verksamhet"]
        expect(deviation(page, "Bildningsnämndens verksamhet")).to_have_text(
            money.format_tkr(main.deviation)
        )
        forecast_field(page, "Bildningsnämndens verksamhet").fill("-1")
        page.wait_for_timeout(200)
        expect(deviation(page, "Bildningsnämndens verksamhet")).to_have_text(
            money.format_tkr(main.deviation)
        )

        page.get_by_role("button", name="Spara utkast").click()
        expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
        expect(deviation(page, "Bildningsnämndens verksamhet")).to_have_text(
            money.format_tkr(kronor("-1") - main.budget)
        )
    finally:
        context.close()


def proposed(report, name):
    """The proposal for ``name``'s forecast and the text the field is filled in with."""
    line = figures_of(report)[name]
    proposal = proposals_for(Report.objects.get(pk=report.pk))[line.activity.pk]
    field = SwedishAmountField(unit="tkr", required=False)
    return proposal, field.prepare_value(proposal.amount)


def use_proposal(page, name):
    return page.get_by_role("button", name=f"Använd förslaget för {name}")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_proposal_is_taken_into_its_field_only_when_its_button_is_pressed(
    october, screen, viewport
):
    main_name = "Bildningsnämndens verksamhet"
    main = figures_of(october)[main_name]
    proposal, value = proposed(october, main_name)
    school, school_value = proposed(october, "Grundskola")
    page = screen(viewport)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    field = forecast_field(page, main_name)
    saved = field.input_value()

    # The proposal and its basis are there to read, and describe the field; nothing is filled in.
    text = row(page, main_name).locator(".proposal-text")
    expect(text).to_be_visible()
    expect(text).to_have_text(proposal.text)
    assert proposal.method == "profile" and "utfall jan–okt" in proposal.text
    expect(field).to_have_accessible_description(proposal.text)
    expect(field).to_have_value(saved)
    assert value != saved
    assert_accessible(page, context=f"report form with proposals, {viewport['width']} px")

    button = use_proposal(page, main_name)
    for element in (text, button, field):
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], element
    button.click()

    expect(field).to_have_value(value)
    expect(deviation(page, main_name)).to_have_text(money.format_tkr(kronor(value) - main.budget))
    # With a key: the budget is Grundskola's proposal (it has no outcome yet).
    use_proposal(page, "Grundskola").focus()
    page.keyboard.press("Enter")
    expect(forecast_field(page, "Grundskola")).to_have_value(school_value)
    assert school.method == "budget"
    expect(total(page, "forecast")).to_have_text(
        money.format_tkr(kronor(value) + kronor(school_value))
    )
    # Taken, the amount is a change like a typed one: leaving asks first, nothing is saved.
    page.get_by_role("link", name="Uppföljning 2026").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    october.refresh_from_db()
    assert figures_of(october)[main_name].forecast == main.forecast
    assert_accessible(page, context="report form after a proposal was taken")


def test_without_javascript_a_proposal_is_text_to_read_without_a_button(
    october, browser, live_server
):
    proposal, _ = proposed(october, "Bildningsnämndens verksamhet")
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    try:
        page = sign_in(context.new_page(), live_server, "rapportor")
        page.goto(live_server.url + URL)
        expect(row(page, "Bildningsnämndens verksamhet").locator(".proposal-text")).to_have_text(
            proposal.text
        )
        expect(page.get_by_role("button", name=re.compile("Använd förslaget"))).to_have_count(0)
    finally:
        context.close()
