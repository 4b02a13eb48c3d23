"""A municipality of another shape than Hedemora gets pages without holes: the menu offers
only the tables its plan has, and no card or sentence stands with a missing figure.

Each test loads its own plan, a trimmed copy of Hedemora's data file (without statements,
investments, key facts or finance lines), into an empty database."""

import copy
import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from budget.loader import load_plan
from budget.models import Role
from budget.reports import document
from budget.reports.snapshot import PlanSnapshot
from followup.models import ReportingPeriod
from followup.papers import paper
from followup.periods.calendar import load_plan_calendar
from tests.pages import page_as

YEAR = 2026
STATEMENT_MENU = ("Resultatbudget", "Balansbudget", "Kassaflödesbudget")
# What a sentence with a missing figure looks like once its template has filled it in.
HOLES = ("( mkr)", "är .", "av  ", "är  mkr", "är :", "()", "> mkr")


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


# --- Cards and sentences without their figures ------------------------------------------


def visible_text(response) -> str:
    """The page's text with the tags taken out and the white space of each run made one
    space, as a reader meets the sentences."""
    text = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text)


def assert_without_holes(response):
    html = re.sub(r"\s+", " ", response.content.decode())
    text = visible_text(response)
    for hole in HOLES:
        assert hole not in text and hole not in html, hole


@pytest.mark.parametrize(
    "page",
    [
        reverse("budget:overview", kwargs={"year": YEAR}),
        reverse("followup:review", kwargs={"year": YEAR, "month": 3}),
        reverse("followup:review", kwargs={"year": YEAR, "month": 12}),
        reverse("followup:dashboard", kwargs={"year": YEAR}) + "?period=3",
    ],
)
@pytest.mark.parametrize("finance_lines", [True, False])
def test_without_the_key_facts_no_sentence_stands_with_a_hole(
    client, plan_data, reader, page, finance_lines
):
    loaded(trimmed(plan_data, facts=False, finance_lines=finance_lines))
    ReportingPeriod.objects.update(status=ReportingPeriod.Status.OPEN)

    response = page_as(client, reader, page)

    assert_without_holes(response)
    text = visible_text(response)
    assert "Överskottsmål" not in text
    assert "Resultatmål (" not in text and "Resultatmålet är" not in text
    assert "Förutsättningar" not in text


def test_with_the_key_facts_the_surplus_target_card_reads_in_full(client, plan_data, reader):
    loaded(trimmed(plan_data))

    text = visible_text(overview(client, reader))

    assert "Överskottsmål" in text
    assert re.search(r"0,5 % av skatteintäkter och generella statsbidrag \([^)]*\d mkr\) är", text)
    assert "Resultatet 6,0 mkr är" in text


def test_without_finance_lines_the_surplus_target_card_says_only_the_target(
    client, plan_data, reader
):
    loaded(trimmed(plan_data, finance_lines=False))

    response = overview(client, reader)

    assert_without_holes(response)
    text = visible_text(response)
    assert "Överskottsmål 0,5 %" in text
    assert "generella statsbidrag (" not in text and "Resultatet" not in text


# --- The change table's note on the committees the document lists -------------------------


def change_notes(plan):
    return document.change(PlanSnapshot(plan)).notes


def test_the_change_table_says_how_many_committees_the_document_shows(db, plan_data):
    notes = change_notes(loaded(trimmed(plan_data)))

    assert "Dokumentet visar 4 av 7 nämnder; här visas alla nämnder och summan." in notes


def test_a_document_that_states_no_committees_change_gets_no_such_note(db, plan_data):
    data = trimmed(plan_data)
    data["stated"] = [s for s in data["stated"] if s["table"] != "budgetforandring"]

    notes = change_notes(loaded(data))

    assert not any(note.startswith("Dokumentet visar") for note in notes)


def test_a_document_that_states_every_committees_change_gets_no_such_note(db, plan_data):
    data = trimmed(plan_data)
    listed = {
        s["row"].rsplit("-", 1)[0] for s in data["stated"] if s["table"] == "budgetforandring"
    }
    for committee in data["committees"]:
        if committee["kind"] == "namnd" and committee["code"] not in listed:
            data["stated"].append(
                {
                    "table": "budgetforandring",
                    "row": f"{committee['code']}-mkr",
                    "values": {"budget-2026": Decimal("0.1")},
                }
            )

    notes = change_notes(loaded(data))

    assert not any(note.startswith("Dokumentet visar") for note in notes)


# --- Committee frames only: no finance lines, so no result --------------------------------


def test_without_finance_lines_the_comparison_has_no_result_and_no_empty_finance_sum(
    client, plan_data, reader
):
    plan = loaded(trimmed(plan_data, finance_lines=False))

    table = document.comparison(PlanSnapshot(plan))

    codes = [row.code for row in table.rows]
    assert codes[-1] == "summa-namnder"
    assert "resultat" not in codes and "summa-finansforvaltningen" not in codes
    response = page_as(client, reader, reverse("budget:comparison", kwargs={"year": YEAR}))
    text = visible_text(response)
    assert "Summa Finansförvaltningen" not in text and "Resultat " not in text
    assert "inget resultat för kommunen" in text


def test_without_finance_lines_the_overview_presents_no_result(client, plan_data, reader):
    loaded(trimmed(plan_data, facts=False, finance_lines=False))

    response = overview(client, reader)

    titles = [title for title, _ in response.context["headlines"]]
    assert titles == ["Summa nämnder", "Investeringar"]
    assert not re.search(r"Resultat \S*\d", visible_text(response))  # "Resultat −1 207,6 mkr"


def test_without_finance_lines_every_budget_page_opens(client, plan_data, reader):
    loaded(trimmed(plan_data, finance_lines=False))

    response = overview(client, reader)

    for section in response.context["nav"]["sections"]:
        assert client.get(section["url"]).status_code == 200, section["label"]
    assert client.get(reverse("budget:control", kwargs={"year": YEAR})).status_code == 200


@pytest.mark.parametrize("page", ["followup:dashboard", "followup:review"])
def test_without_finance_lines_the_follow_up_calls_the_sum_the_committees_net_cost(
    client, plan_data, reader, page
):
    plan = loaded(trimmed(plan_data, finance_lines=False))
    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    kwargs = {"year": YEAR} if page == "followup:dashboard" else {"year": YEAR, "month": 3}

    text = visible_text(page_as(client, reader, reverse(page, kwargs=kwargs)))

    assert "Nämndernas nettokostnad" in text
    assert "Kommunens resultat" not in text


def test_without_finance_lines_the_month_paper_calls_its_sum_the_committees_net_cost(db, plan_data):
    plan = loaded(trimmed(plan_data, finance_lines=False))
    march = ReportingPeriod.objects.get(plan=plan, month=3)
    march.status = "oppen"
    march.save()

    content = paper.workbook_bytes(march, today=datetime.date(2026, 4, 20))
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    labels = [row[0] for row in sheet.iter_rows(min_col=1, max_col=1, values_only=True)]

    assert "Nämnderna (nettokostnad)" in labels
    assert "Kommunen (resultat)" not in labels
