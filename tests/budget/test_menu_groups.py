"""The main menu's groups (budget/context_processors.py): at most seven top-level entries for
any role, each page in the group of what it is for, and the group of the page shown marked."""

import re

import pytest
from django.urls import reverse

from budget import extensions
from budget.models import BudgetPlan
from tests.pages import PERSONAS, page_as

YEAR = 2026


def groups(response):
    """{group label: [its section labels]} in menu order."""
    return {
        g["label"]: [s["label"] for s in g["sections"]] for g in response.context["nav"]["groups"]
    }


def marked(response):
    """(the group marked current, its aria-current; the section marked, its aria-current)."""
    nav = response.context["nav"]
    group = next((g for g in nav["groups"] if g["current"]), None)
    section = next((s for s in nav["sections"] if s["current"]), None)
    return (
        (group["label"], group["current"]) if group else None,
        (section["label"], section["current"]) if section else None,
    )


@pytest.fixture
def superuser(plan, django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


@pytest.mark.parametrize("role", [r for r in PERSONAS if r != "outsider"])
def test_every_role_gets_at_most_seven_entries_and_can_open_each_page(client, request, role):
    user = request.getfixturevalue(PERSONAS[role])

    response = page_as(client, user, reverse("budget:overview", kwargs={"year": YEAR}))

    nav = response.context["nav"]
    assert 1 <= len(nav["groups"]) <= 7
    for group in nav["groups"]:
        assert group["url"] == group["sections"][0]["url"]
        for section in group["sections"]:
            assert client.get(section["url"]).status_code == 200, (role, section["label"])


def test_the_groups_gather_the_pages_by_what_they_are_for(client, superuser):
    response = page_as(client, superuser, reverse("budget:overview", kwargs={"year": YEAR}))

    menu = groups(response)
    assert list(menu) == [
        "Översikt",
        "Budget",
        "Mina nämnder",
        "Uppföljning",
        "Omfördelningar",
        "Investeringar",
        "Administration",
    ]
    assert menu["Budget"][0] == "Mål och budget"
    assert {"Budgetjämförelse", "Resultatbudget", "Mål och nyckeltal", "Kontroll av summor"} <= set(
        menu["Budget"]
    )
    assert menu["Uppföljning"] == ["Perioder och rapporter", "Uppföljningskalender"]
    assert menu["Administration"] == ["Logg", "Användare", "Läs in budget"]
    # Every page of the menu sits in exactly one group.
    flat = [s["label"] for s in response.context["nav"]["sections"]]
    assert sorted(flat) == sorted(label for labels in menu.values() for label in labels)


def test_a_councillor_gets_no_administration(client, councillor):
    response = page_as(client, councillor, reverse("budget:overview", kwargs={"year": YEAR}))

    assert "Administration" not in groups(response)
    assert "Mina nämnder" not in groups(response)


@pytest.mark.parametrize(
    ("url_name", "kwargs", "group", "section"),
    [
        ("followup:dashboard", {}, ("Översikt", "page"), ("Översikt", "page")),
        ("budget:overview", {}, ("Budget", "true"), ("Mål och budget", "page")),
        ("budget:comparison", {}, ("Budget", "true"), ("Budgetjämförelse", "page")),
        (
            "budget:statement",
            {"kind": "balansbudget"},
            ("Budget", "true"),
            ("Balansbudget", "page"),
        ),
        ("budget:plan_history", {}, ("Budget", "true"), ("Mål och budget", "true")),
        ("followup:periods", {}, ("Uppföljning", "true"), ("Perioder och rapporter", "page")),
        (
            "followup:review",
            {"month": 10},
            ("Uppföljning", "true"),
            ("Perioder och rapporter", "true"),
        ),
        ("budget:calendar", {}, ("Uppföljning", "true"), ("Uppföljningskalender", "page")),
        (
            "followup:investments",
            {},
            ("Investeringar", "page"),
            ("Investeringsuppföljning", "page"),
        ),
    ],
)
def test_the_group_of_the_page_shown_is_marked(
    client, finance_officer, demo_year, url_name, kwargs, group, section
):
    response = page_as(client, finance_officer, reverse(url_name, kwargs={"year": YEAR, **kwargs}))

    assert marked(response) == (group, section)
    assert sum(1 for g in response.context["nav"]["groups"] if g["active"]) == 1


def test_a_page_outside_the_menu_marks_nothing(client, finance_officer):
    response = page_as(client, finance_officer, reverse("password_change"))

    assert marked(response) == (None, None)
    assert response.context["nav"]["subsections"] == []


def test_the_second_row_shows_the_pages_of_the_current_group(client, finance_officer):
    response = page_as(client, finance_officer, reverse("budget:funds", kwargs={"year": YEAR}))

    nav = response.context["nav"]
    assert nav["group"]["label"] == "Budget"
    assert nav["subsections"] == nav["group"]["sections"]
    html = response.text
    assert 'aria-labelledby="huvudmeny-undersidor"' in html
    assert re.search(r'aria-current="page">\s*Förändring av medel\s*<', html)
    assert re.search(r'aria-current="true">\s*Budget\s*<', html)


def test_the_menu_button_controls_the_menu(client, finance_officer):
    html = page_as(client, finance_officer, reverse("budget:overview", kwargs={"year": YEAR})).text

    button = re.search(r"<button[^>]*main-nav__toggle[^>]*>", html).group(0)
    assert 'aria-expanded="true"' in button  # open until static/js/menu.js folds it
    controls = re.search(r'aria-controls="([^"]+)"', button).group(1)
    assert f'id="{controls}"' in html
    assert re.search(r'<script src="[^"]*js/menu\.js"', html)


def test_without_followup_the_groups_are_budgets_own(client, superuser, monkeypatch):
    monkeypatch.setattr(extensions, "_registry", extensions.Registry())

    response = page_as(client, superuser, reverse("budget:overview", kwargs={"year": YEAR}))

    assert list(groups(response)) == ["Budget", "Mina nämnder", "Uppföljning", "Administration"]
    assert groups(response)["Uppföljning"] == ["Uppföljningskalender"]


def test_each_page_gets_the_tables_of_its_own_year_in_the_menu(client, plan, finance_officer):
    # The menu's query is built once per process; each request asks it about its page's year.
    BudgetPlan.objects.create(municipality=plan.municipality, year=YEAR + 1, title="Utan tabeller")
    client.force_login(finance_officer)

    def sections(year):
        response = client.get(reverse("budget:overview", kwargs={"year": year}))
        return [s["label"] for s in response.context["nav"]["sections"]]

    with_tables, without, again = sections(YEAR), sections(YEAR + 1), sections(YEAR)

    assert {"Resultatbudget", "Investeringsbudget"} <= set(with_tables)
    assert not {"Resultatbudget", "Investeringsbudget"} & set(without)
    assert again == with_tables
