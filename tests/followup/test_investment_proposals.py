"""Forecast proposals on the investment pages (followup.forecasts.investments): below each
project's forecast field where its follow-up is entered, and under the committee's table,
the proposal with its basis, and a warning in words for a project on course to leave more
than a quarter of its year's budget unspent."""

import re
from decimal import Decimal

import pytest

from tests.followup.investments import TKR, new_project, record_follow_up
from tests.followup.test_investment_pages import BILDNING_IN_MARCH, url

NBSP = "\u00a0"
# 100 tkr spent by March of 600 tkr: at an even pace (no earlier years) 400 tkr for the year.
SLIPPING = (
    "<strong>Förslag 0,4 mkr:</strong> utfall t.o.m. mars 0,1 mkr omräknat med jämn takt "
    "över året (3/12)</p>"
)
WARNING = (
    '<p class="proposal-warning"><span aria-hidden="true">⚠ </span><strong>Varning:</strong> '
    f"På väg att lämna 33{NBSP}% av årets budget oförbrukad (0,2 av 0,6 mkr)</p>"
)
ON_COURSE = (
    "<strong>Förslag 0,6 mkr:</strong> utfall t.o.m. mars 0,2 mkr omräknat med jämn takt "
    "över året (3/12)</p>"
)


@pytest.fixture
def followed_up(march, finance_officer, bildning_controller):
    """Two projects of 600 tkr for 2026, followed up in March (forecast = budget): BN-T1
    has spent 100 tkr, BN-T2 150 tkr."""
    slipping = new_project(finance_officer)
    on_course = new_project(finance_officer, code="BN-T2")
    record_follow_up(
        slipping,
        march,
        bildning_controller,
        outcome=Decimal(100) * TKR,
        forecast=Decimal(600) * TKR,
    )
    record_follow_up(
        on_course,
        march,
        bildning_controller,
        outcome=Decimal(150) * TKR,
        forecast=Decimal(600) * TKR,
    )
    return slipping, on_course


def test_each_forecast_field_has_its_proposal_and_a_button_to_take_it(
    client, followed_up, bildning_controller
):
    slipping, on_course = followed_up
    client.force_login(bildning_controller)

    page = client.get(BILDNING_IN_MARCH).text

    for project, text in ((slipping, SLIPPING), (on_course, ON_COURSE)):
        field_id = f"id_forecast_{project.pk}"
        assert f'<div id="{field_id}_proposal"><p class="proposal-text">{text}' in page
        assert re.search(rf'<input [^>]*aria-describedby="{field_id}_proposal"[^>]*>', page)
        # The field's own format: tkr, as many decimals as the amount has.
        assert f'data-proposal-for="{field_id}" data-proposal-value="' in page
        assert (
            f'Använd förslaget<span class="visually-hidden"> för {project.code} '
            f"{project.name}</span>"
        ) in page
    assert 'data-proposal-value="400"' in page and 'data-proposal-value="600"' in page
    assert "js/proposals.js" in page


def test_a_project_on_course_to_leave_over_a_quarter_of_its_budget_unspent_is_warned(
    client, followed_up, bildning_controller
):
    client.force_login(bildning_controller)

    page = client.get(BILDNING_IN_MARCH).text

    assert SLIPPING + WARNING in page
    assert ON_COURSE + "</div>" in page  # no warning
    assert page.count("Varning:") == 1


def test_a_refused_forecast_is_described_by_its_error_and_its_proposal(
    client, followed_up, bildning_controller
):
    slipping, _ = followed_up
    client.force_login(bildning_controller)

    response = client.post(
        BILDNING_IN_MARCH,
        {f"outcome_{slipping.pk}": "100", f"forecast_{slipping.pk}": "sexhundra"},
    )

    assert response.status_code == 400
    field_id = f"id_forecast_{slipping.pk}"
    (field,) = re.findall(rf'<input [^>]*id="{field_id}">', response.text)
    assert f'aria-describedby="{field_id}_error {field_id}_proposal"' in field
    assert 'aria-invalid="true"' in field
    assert f'id="{field_id}_error"' in response.text
    assert SLIPPING + WARNING in response.text


def test_the_committee_page_lists_the_proposals_and_warns_of_slipping_projects(
    client, followed_up, councillor
):
    client.force_login(councillor)

    page = client.get(url("investment_committee", code="bildningsnamnden"), {"period": 3}).text

    section = page[page.index("Förslag till prognos") :]
    assert ">BN-T1</a> Projekt BN-T1" in section
    assert SLIPPING + WARNING in section
    assert ON_COURSE + "</div>" in section
    assert section.index("BN-T1") < section.index("BN-T2")  # in the table's order
