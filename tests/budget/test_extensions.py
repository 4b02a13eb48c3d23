"""budget's extension point (budget/extensions.py): followup joins the menu and the pages
through it, and without it the budget pages still open."""

import pytest
from django.urls import reverse

from budget import extensions
from budget.extensions import MenuSection
from tests.budget.plan_document import DOCUMENT_TABLES
from tests.pages import page_as

YEAR = 2026

# The main menu as a user with every permission sees it, in this order.
WHOLE_MENU = [
    "Översikt",
    "Mål och budget",
    "Mina nämnder",
    "Perioder och rapporter",
    "Omfördelningar",
    "Investeringsuppföljning",
    *DOCUMENT_TABLES,
    "Nämnder",
    "Mål och nyckeltal",
    "Uppföljningskalender",
    "Kontroll av summor",
    "Logg",
    "Användare",
    "Läs in budget",
]
FOLLOWUP_SECTIONS = {
    "Översikt",
    "Perioder och rapporter",
    "Omfördelningar",
    "Investeringsuppföljning",
}


@pytest.fixture
def superuser(plan, django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


@pytest.fixture
def budget_alone(monkeypatch):
    """budget as if no app had registered anything with it."""
    monkeypatch.setattr(extensions, "_registry", extensions.Registry())


def menu_labels(response):
    return [section["label"] for section in response.context["nav"]["sections"]]


def test_followups_sections_take_their_places_in_the_menu(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("budget:overview", kwargs={"year": YEAR}))

    assert menu_labels(response) == WHOLE_MENU


def test_a_councillor_sees_the_follow_up_sections_their_permissions_allow(client, councillor):
    client.force_login(councillor)

    response = client.get(reverse("budget:overview", kwargs={"year": YEAR}))

    labels = menu_labels(response)
    assert labels[:2] == ["Översikt", "Mål och budget"]
    assert {"Perioder och rapporter", "Omfördelningar", "Investeringsuppföljning"} <= set(labels)
    assert "Mina nämnder" not in labels


def test_without_followup_the_menu_has_budgets_own_sections(client, superuser, budget_alone):
    client.force_login(superuser)

    response = client.get(reverse("budget:overview", kwargs={"year": YEAR}))

    assert menu_labels(response) == [s for s in WHOLE_MENU if s not in FOLLOWUP_SECTIONS]


@pytest.mark.parametrize("name", ["goals", "calendar", "committee"])
def test_without_followup_the_budget_pages_still_open(client, councillor, budget_alone, name):
    client.force_login(councillor)
    kwargs = {"year": YEAR, **({"code": "bildningsnamnden"} if name == "committee" else {})}

    response = client.get(reverse(f"budget:{name}", kwargs=kwargs))

    assert response.status_code == 200
    assert "goals" not in response.context
    assert "periods" not in response.context


def test_without_followup_mina_namnder_opens_without_a_period(
    client, bildning_controller, budget_alone
):
    response = page_as(client, bildning_controller, reverse("budget:my_committees"))

    assert "period" not in response.context
    assert "Bildningsnämnden" in response.text


def test_without_followup_the_start_page_opens_the_budget(client, councillor, budget_alone):
    client.force_login(councillor)

    response = client.get(reverse("budget:start"))

    assert response.status_code == 302
    assert response.url == reverse("budget:overview", kwargs={"year": YEAR})


# --- The registry itself ------------------------------------------------------------------


def test_sections_go_before_or_after_the_section_named(budget_alone):
    own = [MenuSection("A", "a", "p"), MenuSection("B", "b", "p")]
    extensions.add_menu_sections(MenuSection("First", "x:first", "p"), before="a")
    extensions.add_menu_sections(
        MenuSection("After A", "x:one", "p"), MenuSection("Then", "x:two", "p"), after="a"
    )

    assert [s.label for s in extensions.menu(own)] == ["First", "A", "After A", "Then", "B"]


def test_a_section_placed_by_a_section_that_is_not_there_fails_loudly(budget_alone):
    extensions.add_menu_sections(MenuSection("Lost", "x:lost", "p"), after="nowhere")

    with pytest.raises(LookupError):
        extensions.menu([MenuSection("A", "a", "p")])


def test_a_page_without_providers_gets_nothing(budget_alone):
    assert extensions.context_for("calendar", request=None, plan=None) == {}


def test_context_for_an_unknown_page_cannot_be_registered(budget_alone):
    with pytest.raises(LookupError):
        extensions.add_page_context("goal", lambda **_: {})


def test_a_view_must_pass_the_arguments_its_page_declares(budget_alone):
    with pytest.raises(TypeError):
        extensions.context_for("calendar", request=None)


def test_two_providers_giving_the_same_name_is_an_error(budget_alone):
    extensions.add_page_context("calendar", lambda **_: {"periods": [1]})
    extensions.add_page_context("calendar", lambda **_: {"periods": [2]})

    with pytest.raises(ValueError, match="periods"):
        extensions.context_for("calendar", request=None, plan=None)
