"""The budget pages: signed-in users see the document's tables, computed from rows."""

import pytest
from django.urls import reverse

from tests.pages import assert_sent_to_login, page_as

YEAR = 2026

PAGES = [
    ("budget:overview", {}),
    ("budget:comparison", {}),
    ("budget:change", {}),
    ("budget:funds", {}),
    ("budget:statement", {"kind": "resultatbudget"}),
    ("budget:statement", {"kind": "balansbudget"}),
    ("budget:statement", {"kind": "kassaflodesbudget"}),
    ("budget:investments", {}),
    ("budget:committees", {}),
    ("budget:committee", {"code": "bildningsnamnden"}),
    ("budget:goals", {}),
    ("budget:calendar", {}),
    ("budget:control", {}),
]


def url(name, **kwargs):
    return reverse(name, kwargs={"year": YEAR, **kwargs})


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, plan, name, kwargs):
    response = client.get(url(name, **kwargs))

    assert_sent_to_login(response)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_budget_page_opens_with_a_bounded_number_of_queries(
    client, councillor, django_assert_max_num_queries, name, kwargs
):
    client.force_login(councillor)

    # The goals page is the heaviest: goals, indicators, the financial indicators and
    # what Kolada publishes beside them (comparison group, references, their figures).
    with django_assert_max_num_queries(28):
        response = client.get(url(name, **kwargs))

    assert response.status_code == 200
    assert "Hedemora kommun" in response.text


def test_start_page_opens_the_latest_years_dashboard(client, councillor):
    client.force_login(councillor)

    response = client.get(reverse("budget:start"))

    assert response.status_code == 302
    assert response.url == url("followup:dashboard")


def test_budget_comparison_shows_swedish_figures_and_the_documents_other_total(client, councillor):
    text = page_as(client, councillor, url("budget:comparison")).text

    assert "\u2212523,3" in text  # Bildningsnämnden 2026
    assert "\u22121\u00a0207,6" in text  # Summa nämnder, computed from rows
    assert "dokumentet anger \u22121\u00a0207,5" in text
    assert "2025 års budget är uppdaterad" in text


def test_cash_flow_page_shows_subtotals_computed_from_lines(client, councillor):
    text = page_as(client, councillor, url("budget:statement", kind="kassaflodesbudget")).text

    assert "Likvida medel vid periodens slut" in text
    assert "66,4" in text
    assert "Dokumentet anger andra summor" not in text


def test_query_count_does_not_grow_with_more_committees(
    client, councillor, plan, django_assert_max_num_queries
):
    from decimal import Decimal

    from budget.models import Activity, Committee, FrameEntry

    client.force_login(councillor)
    year = plan.years.get(kind="budget", year=YEAR)
    for i in range(30):
        committee = Committee.objects.create(
            municipality=plan.municipality, code=f"extra-{i}", name=f"Extra {i}", kind="namnd"
        )
        for j in range(3):
            activity = Activity.objects.create(committee=committee, code=f"a{j}", name=f"A{j}")
            FrameEntry.objects.create(
                activity=activity, budget_year=year, kind="original", amount=Decimal(-1000)
            )

    with django_assert_max_num_queries(25):
        response = client.get(url("budget:comparison"))
    with django_assert_max_num_queries(25):
        client.get(url("budget:committees"))

    assert response.status_code == 200
    assert "Extra 29" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/budget/1999/",
        "/budget/2026/okand-tabell/",
        "/budget/2026/namnder/finns-inte/",
        "/budget/2026/namnder/finansforvaltningen/",
    ],
)
def test_unknown_year_table_or_committee_is_not_found(client, councillor, path):
    client.force_login(councillor)

    response = client.get(path)

    assert response.status_code == 404


def test_pages_refuse_post(client, councillor):
    client.force_login(councillor)

    response = client.post(url("budget:comparison"))

    assert response.status_code == 405


def test_committees_list_sorts_by_frame(client, councillor):
    text = page_as(client, councillor, url("budget:committees") + "?sort=frame").text

    assert text.index("Omsorgsnämnden") < text.index("Kommunrevisionen")


def test_control_page_lists_the_differences_and_can_show_all(client, councillor):
    client.force_login(councillor)

    differing = client.get(url("budget:control")).text
    everything = client.get(url("budget:control") + "?visa=alla").text

    assert "Investering i materiella anläggningstillg." in differing
    assert "<strong>20 av " in differing
    assert everything.count("Stämmer") > differing.count("Stämmer")


def test_goals_page_shows_indicators_and_computed_financial_indicators(client, councillor):
    text = page_as(client, councillor, url("budget:goals")).text

    assert "År 2038 är vi 17 500 innevånare i kommunen" in text
    assert "Medarbetarengagemang (HME) totalkommunindex" in text
    assert "37,0\u00a0%" in text  # soliditet inkl. pensionsåtaganden 2026
    assert "Under målet" in text


def test_committee_page_shows_original_changes_and_current_frame(client, councillor):
    text = page_as(client, councillor, url("budget:committee", code="omsorgsnamnden")).text

    assert "Beslutad ram" in text
    assert "\u2212534,1" in text
    assert "Investeringar" in text


def test_a_proposed_plan_is_seen_by_finance_but_not_by_a_councillor(
    client, plan, councillor, finance_officer
):
    plan.status = plan.Status.DRAFT
    plan.save()

    client.force_login(councillor)
    hidden = client.get(url("budget:comparison"))
    client.force_login(finance_officer)
    shown = client.get(url("budget:comparison"))

    assert hidden.status_code == 404
    assert shown.status_code == 200
