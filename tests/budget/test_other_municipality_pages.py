"""A municipality of another shape than Hedemora gets pages without holes: the menu offers
only the tables its plan has, and no card or sentence stands with a missing figure.

Each test loads its own plan, a trimmed copy of Hedemora's data file (without statements,
investments, key facts or finance lines), into an empty database."""

import copy

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from budget.loader import load_plan
from budget.models import Role
from followup.periods.calendar import load_plan_calendar
from tests.pages import page_as

YEAR = 2026
STATEMENT_MENU = ("Resultatbudget", "Balansbudget", "Kassaflödesbudget")
# What a sentence with a missing figure looks like once its template has filled it in.
HOLES = (" ( mkr)", "är .", "av  ", "är  mkr", "( mkr)", " : ")


def trimmed(plan_data, *sections, facts=True, finance_lines=True):
    """Hedemora's plan data without ``sections`` (e.g. "statements", "investments") and
    what the document states of their tables; without the key facts unless ``facts``;
    without finansförvaltningen and its stated rows unless ``finance_lines``."""
    data = copy.deepcopy(plan_data)
    gone = set()
    for section in sections:
        if section == "statements":
            gone |= {s["kind"] for s in data["statements"]}
        if section == "investments":
            gone.add("investeringsbudget")
        data.pop(section)
    if not facts:
        data.pop("facts")
    if not finance_lines:
        data["committees"] = [c for c in data["committees"] if c["kind"] != "finans"]
        gone_rows = {"summa-finansforvaltningen", "resultat"}
        data["stated"] = [s for s in data["stated"] if s["row"] not in gone_rows]
    data["stated"] = [s for s in data["stated"] if s["table"] not in gone]
    return data


def loaded(data):
    plan = load_plan(data).plan
    load_plan_calendar(plan=plan, data=data)
    return plan


@pytest.fixture
def reader(db, django_user_model):
    """A finance officer of the other municipality (reads every budget and follow-up page)."""
    user = django_user_model.objects.create_user(username="fia", password="pw-for-tests-1")
    user.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return user


def menu_labels(response):
    return [section["label"] for section in response.context["nav"]["sections"]]


def overview(client, user):
    return page_as(client, user, reverse("budget:overview", kwargs={"year": YEAR}))


# --- The menu -----------------------------------------------------------------------------


def test_the_menu_offers_hedemoras_statements_and_investment_budget(client, plan_data, reader):
    loaded(trimmed(plan_data))

    labels = menu_labels(overview(client, reader))

    assert set(STATEMENT_MENU) | {"Investeringsbudget"} <= set(labels)


def test_the_menu_leaves_out_statements_and_investments_the_plan_lacks(client, plan_data, reader):
    loaded(trimmed(plan_data, "statements", "investments"))

    response = overview(client, reader)

    labels = menu_labels(response)
    assert not set(STATEMENT_MENU) & set(labels)
    assert "Investeringsbudget" not in labels
    assert "Budgetjämförelse" in labels and "Nämnder" in labels
    for section in response.context["nav"]["sections"]:
        assert client.get(section["url"]).status_code == 200, section["label"]


def test_the_overview_links_no_table_the_plan_lacks(client, plan_data, reader):
    loaded(trimmed(plan_data, "statements", "investments"))

    response = overview(client, reader)

    titles = [link["title"] for link in response.context["table_links"]]
    assert "Investeringsbudget" not in titles and "Resultatbudget" not in titles
    for link in response.context["table_links"]:
        assert client.get(link["url"]).status_code == 200, link["title"]
    assert "Investeringar" not in [title for title, _ in response.context["headlines"]]
