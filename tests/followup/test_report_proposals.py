"""Forecast proposals on the report form (followup.forecasts, followup.reports.report_table):
beside each forecast field of an editable report in a month that asks for a forecast, the
proposal's amount and basis as text, tied to the field, and a button that fills it in
(static/js/proposals.js) with the amount as the field shows amounts; nothing for a
report that cannot be edited or a month without forecasts; three more queries for the
page, however many activities."""

import re
from decimal import Decimal
from types import SimpleNamespace

from budget.models import Activity, BudgetYear, Committee, FrameEntry
from budget.money import format_tkr
from followup.forecasts.choice import Proposal
from followup.reports.forms import ReportForm
from followup.reports.report_table import rows
from tests.followup.test_report_form_html import STORED, form
from tests.followup.test_report_pages import (
    approve_report,
    form_data,
    open_draft,
    report_url,
    submit_report,
)

FOUND = Proposal(
    amount=Decimal("-521234567.89"),
    method="profile",
    basis="utfall jan–mar omräknat med jämn fördelning över året (3/12 av årets budget)",
)
MARCH = SimpleNamespace(asks_forecast=True, month_name="mars")
BUTTON = re.compile(r"<button [^>]*data-proposal-for[^>]*>.*?</button>", re.S)


def test_the_proposal_stands_below_the_forecast_field_which_it_describes():
    row = rows(form(), [STORED], editable=True, period=MARCH, proposals={7: FOUND})

    assert (
        '<div id="id_forecast_7_proposal"><p class="proposal-text">'
        "<strong>Förslag −521\xa0235 tkr:</strong> utfall jan–mar omräknat med jämn "
        "fördelning över året (3/12 av årets budget)</p></div>"
    ) in row
    assert 'name="forecast_7" inputmode="decimal" autocomplete="off" id="id_forecast_7"' not in row
    assert 'aria-describedby="id_forecast_7_proposal" id="id_forecast_7">' in row
    # The outcome has no proposal and no description.
    assert 'aria-describedby="id_outcome_7' not in row


def test_the_button_fills_in_the_amount_as_the_field_shows_amounts_and_names_its_activity():
    row = rows(form(), [STORED], editable=True, period=MARCH, proposals={7: FOUND})

    (button,) = BUTTON.findall(row)
    # Tkr with one decimal, as the field shows a saved forecast of that amount.
    shown = form().fields["forecast_7"].prepare_value(FOUND.amount)
    assert shown == "-521\xa0234,6"
    assert f'data-proposal-for="id_forecast_7" data-proposal-value="{shown}"' in button
    assert 'type="button"' in button  # never submits the form
    assert " hidden " in button  # until the script is there to make it work
    assert button.endswith(
        'Använd förslaget<span class="visually-hidden"> för Grundskola &lt;F–9&gt; &amp; '
        "fritids</span></button>"
    )


def test_a_refused_forecast_is_described_by_its_error_and_its_proposal():
    refused = form({"row_version": "3", "forecast_7": "tjugo"})

    row = rows(refused, [STORED], editable=True, period=MARCH, proposals={7: FOUND})

    assert (
        'aria-invalid="true" aria-describedby="id_forecast_7_error id_forecast_7_proposal"'
    ) in row
    assert 'id="id_forecast_7_error"' in row


def test_no_proposal_where_the_report_cannot_be_edited_or_the_month_has_no_forecast():
    shown = rows(form(), [STORED], editable=False, period=MARCH, proposals={7: FOUND})
    april = SimpleNamespace(asks_forecast=False, month_name="april")
    outcome_only = ReportForm(initial={"row_version": 1}, lines=[STORED], asks_forecast=False)
    without_forecast = rows(
        outcome_only, [STORED], editable=True, period=april, proposals={7: FOUND}
    )

    for row in (shown, without_forecast):
        assert "Förslag" not in row and "Använd förslaget" not in row


# --- On the page -----------------------------------------------------------------------------


def test_an_editable_report_proposes_a_forecast_from_its_saved_outcome(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    client.post(report_url(), form_data(report.row_version, "-130 000", ""))

    page = client.get(report_url())

    # −130 000 tkr by March, at twelfths (no profile): −520 000 tkr for the year.
    assert "<strong>Förslag −520\xa0000 tkr:</strong> utfall jan–mar omräknat med" in page.text
    assert 'data-proposal-value="-520\xa0000,0"' in page.text
    assert "Använd förslaget" in page.text
    assert "js/proposals.js" in page.text
    assert report.lines.get().forecast is None  # proposed, never filled in


def test_a_report_that_cannot_be_edited_shows_no_proposal(
    client, march, bildning_controller, finance_officer
):
    submit_report(client, march, bildning_controller)
    submitted = client.get(report_url())
    client.force_login(finance_officer)
    reviewed = client.get(report_url())

    for page in (submitted, reviewed):
        assert page.status_code == 200
        assert "Använd förslaget" not in page.text and "Förslag " not in page.text
        assert "js/proposals.js" not in page.text


def test_an_approved_report_shows_no_proposal(client, march, bildning_controller, finance_officer):
    approve_report(client, march, bildning_controller, finance_officer)
    client.force_login(bildning_controller)

    page = client.get(report_url())

    assert "Använd förslaget" not in page.text


def test_a_month_without_forecasts_shows_no_proposal(client, april, bildning_controller):
    client.force_login(bildning_controller)

    page = client.get(report_url(month=4))

    assert page.status_code == 200
    assert 'name="outcome_' in page.text
    assert "Använd förslaget" not in page.text and "js/proposals.js" not in page.text


def test_the_proposals_cost_the_same_queries_for_one_activity_or_many(
    client, march, bildning_controller, django_assert_max_num_queries
):
    client.force_login(bildning_controller)
    open_draft(march, bildning_controller)
    with django_assert_max_num_queries(23) as one:  # as test_report_form_html: 20 and 3
        page = client.get(report_url())
    assert page.text.count("Använd förslaget<") == 1

    bildning = Committee.objects.get(code="bildningsnamnden")
    column = BudgetYear.objects.get(plan=march.plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    for n in range(12):
        activity = Activity.objects.create(
            committee=bildning, code=f"extra-{n}", name=f"Verksamhet {n}", position=50 + n
        )
        FrameEntry.objects.create(
            activity=activity,
            budget_year=column,
            kind=FrameEntry.Kind.ORIGINAL,
            amount=Decimal(-1_000_000 * (n + 1)),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(report_url())

    assert page.text.count("Använd förslaget<") == 13
    # Without outcome the budget stands in: forecast = budget.
    assert f"Förslag {format_tkr(Decimal(-12_000_000))} tkr:</strong> årets budget" in page.text
