"""Historik: every figure's history, per committee and per area of the plan, for every role.

Access changes (area "behorighet") are personal data: on these pages they show only to
finance and administrators.
"""

import copy
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from budget.accounts import set_access
from budget.audit import Actor, Scope, record
from budget.history import format_amount, shown_field, shown_object, shown_value
from budget.loader import load_plan
from budget.models import (
    AuditEntry,
    Committee,
    FrameEntry,
    InvestmentAmount,
    Role,
    StatementAmount,
)
from tests.pages import assert_sent_to_login, page_as

YEAR = 2026
Action = AuditEntry.Action
Area = AuditEntry.Area
Source = AuditEntry.Source
NBSP = "\u00a0"
FRAME_2026_SHOWN = f"\u2212523,3{NBSP}mkr (\u2212523{NBSP}300{NBSP}000,00{NBSP}kr)"
NEW_FRAME_SHOWN = f"\u2212524,0{NBSP}mkr (\u2212524{NBSP}000{NBSP}000,00{NBSP}kr)"


def committee_history_url(code="bildningsnamnden", year=YEAR):
    return reverse("budget:committee_history", kwargs={"year": year, "code": code})


def plan_history_url(area=None, year=YEAR):
    url = reverse("budget:plan_history", kwargs={"year": year})
    return f"{url}?omrade={area}" if area else url


def shown_entries(response):
    """The entries the page's table selects (all pages), as a queryset."""
    return response.context["table"].data.data


def first_page(response):
    return [row.record for row in response.context["table"].page.object_list]


def change_bildning_frame(plan_data, *, actor, reason=""):
    """Re-import the plan with Bildningsnämnden's 2026 frame at −524,0 mkr."""
    data = copy.deepcopy(plan_data)
    committee = next(c for c in data["committees"] if c["code"] == "bildningsnamnden")
    committee["activities"][0]["frames"]["budget-2026"] = Decimal("-524.0")
    return load_plan(data, actor=actor, reason=reason)


@pytest.fixture
def access_change(plan, omsorg_controller, administrator):
    """An administrator binds Omsorgsnämnden's controller to Bildningsnämnden as well."""
    set_access(
        user=omsorg_controller,
        roles=[Role.CONTROLLER],
        committees=Committee.objects.filter(code__in=["omsorgsnamnden", "bildningsnamnden"]),
        actor=Actor(user=administrator, source=Source.PAGE),
        reason="Vikariat",
    )
    return AuditEntry.objects.get(area=Area.ACCESS, new_value="Bildningsnämnden")


# Recording ------------------------------------------------------------------------


def test_loading_the_plan_records_one_created_entry_per_frame_with_plan_and_committee(plan):
    frames = {
        str(f.pk): f.activity.committee_id
        for f in FrameEntry.objects.select_related("activity").order_by("id")
    }
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(FrameEntry))

    assert sorted(e.object_id for e in entries) == sorted(frames)
    for entry in entries:
        assert entry.action == Action.CREATED
        assert entry.area == Area.FRAMES
        assert entry.plan == plan
        assert entry.committee_id == frames[entry.object_id]


def test_loading_the_plan_records_one_created_entry_per_statement_amount(plan):
    amounts = StatementAmount.objects.filter(line__statement__plan=plan)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StatementAmount)
    )

    assert entries.count() == amounts.count()
    assert set(entries.values_list("area", "action", "plan")) == {
        (Area.STATEMENTS, Action.CREATED, plan.pk)
    }


def test_reimporting_a_changed_frame_records_exactly_one_changed_entry_with_the_actor(
    plan, plan_data, finance_officer
):
    bildning = Committee.objects.get(code="bildningsnamnden")

    change_bildning_frame(
        plan_data,
        actor=Actor(user=finance_officer, source=Source.IMPORT),
        reason="KF 2026-06-15 § 80",
    )

    changed = AuditEntry.objects.filter(action=Action.CHANGED)
    assert changed.count() == 1
    entry = changed.get()
    assert entry.field == "belopp (kr)"
    assert (entry.old_value, entry.new_value) == ("-523300000.00", "-524000000.00")
    assert entry.user == finance_officer
    assert entry.actor == "eva"
    assert entry.source == Source.IMPORT
    assert entry.reason == "KF 2026-06-15 § 80"
    assert (entry.plan, entry.committee, entry.area) == (plan, bildning, Area.FRAMES)


# The committee's history ----------------------------------------------------------


def test_bildningsnamndens_frames_show_on_its_history_with_the_exact_amount(client, councillor):
    response = page_as(client, councillor, committee_history_url())

    assert "Historik: Bildningsnämnden" in response.text
    assert FRAME_2026_SHOWN in response.text
    bildning = Committee.objects.get(code="bildningsnamnden")
    frame_entries = shown_entries(response).filter(area=Area.FRAMES)
    assert frame_entries.count() == FrameEntry.objects.filter(activity__committee=bildning).count()
    assert (
        not shown_entries(response)
        .exclude(committee=bildning)
        .exclude(content_type=ContentType.objects.get_for_model(Committee))
        .exclude(content_type=ContentType.objects.get_for_model(InvestmentAmount))
        .exists()
    )


def test_committee_history_shows_the_change_first_with_old_and_new_amount_and_actor(
    client, plan_data, councillor, finance_officer
):
    change_bildning_frame(
        plan_data, actor=Actor(user=finance_officer, source=Source.IMPORT), reason="Tilläggsbudget"
    )
    client.force_login(councillor)

    response = client.get(committee_history_url())

    newest = first_page(response)[0]
    assert newest.action == Action.CHANGED
    assert FRAME_2026_SHOWN in response.text
    assert NEW_FRAME_SHOWN in response.text
    assert "Tilläggsbudget" in response.text
    assert "Inläsning av fil" in response.text


def test_committee_history_includes_the_committees_investment_amounts(client, councillor):
    client.force_login(councillor)

    response = client.get(committee_history_url("kommunstyrelsen"))

    investment_type = ContentType.objects.get_for_model(InvestmentAmount)
    amounts = InvestmentAmount.objects.filter(line__committee__code="kommunstyrelsen")
    assert amounts.exists()
    assert set(
        shown_entries(response)
        .filter(content_type=investment_type)
        .values_list("object_id", flat=True)
    ) == {str(pk) for pk in amounts.values_list("pk", flat=True)}


def test_councillor_does_not_see_access_changes_on_committee_history(
    client, councillor, access_change
):
    client.force_login(councillor)

    response = client.get(committee_history_url())

    assert response.status_code == 200
    assert not shown_entries(response).filter(area=Area.ACCESS).exists()
    assert "Vikariat" not in response.text


def test_finance_officer_sees_access_changes_on_committee_history(
    client, finance_officer, access_change
):
    client.force_login(finance_officer)

    response = client.get(committee_history_url())

    assert access_change in first_page(response)
    assert "Vikariat" in response.text


# The plan's history by area ---------------------------------------------------------


def test_plan_history_of_frames_shows_only_frame_entries_of_the_plan(client, plan, councillor):
    client.force_login(councillor)

    response = client.get(plan_history_url(Area.FRAMES))

    assert response.status_code == 200
    assert "Historik: Ramar" in response.text
    entries = shown_entries(response)
    assert entries.count() == FrameEntry.objects.filter(budget_year__plan=plan).count()
    assert set(entries.values_list("area", flat=True)) == {Area.FRAMES}
    assert len(first_page(response)) == 50


def test_plan_history_never_shows_access_entries_to_a_councillor_even_when_asked(
    client, plan, councillor, administrator
):
    bildning = Committee.objects.get(code="bildningsnamnden")
    record(
        actor=Actor(user=administrator, source=Source.PAGE),
        obj=councillor,
        action=Action.CHANGED,
        scope=Scope(area=Area.ACCESS, plan=plan, committee=bildning),
        field_label="roll",
        new="Förtroendevald",
        reason="Personuppgift",
    )
    client.force_login(councillor)

    asked = client.get(plan_history_url(Area.ACCESS))
    everything = client.get(plan_history_url())

    assert asked.status_code == 200
    assert "Välj ett giltigt alternativ" in asked.text
    for response in (asked, everything):
        assert not shown_entries(response).filter(area=Area.ACCESS).exists()
        assert "Personuppgift" not in response.text


def test_plan_history_opens_with_a_bounded_number_of_queries(
    client, councillor, django_assert_max_num_queries
):
    client.force_login(councillor)

    with django_assert_max_num_queries(12):
        response = client.get(plan_history_url(Area.STATEMENTS) + "&page=2")

    assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "999"])
def test_a_page_number_out_of_range_shows_a_page_instead_of_an_error(client, councillor, page):
    response = page_as(client, councillor, plan_history_url(Area.FRAMES) + f"&page={page}")

    assert first_page(response)


def test_history_is_sortable_by_time_oldest_first(client, councillor, plan_data, finance_officer):
    change_bildning_frame(plan_data, actor=Actor(user=finance_officer, source=Source.IMPORT))
    client.force_login(councillor)

    newest_first = first_page(client.get(committee_history_url()))
    oldest_first = first_page(client.get(committee_history_url() + "?sort=at"))

    assert newest_first[0].action == Action.CHANGED
    assert oldest_first[0].action == Action.CREATED
    assert oldest_first[0].at <= oldest_first[-1].at


# Links to the history -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "area"),
    [
        ("budget:comparison", {}, Area.FRAMES),
        ("budget:change", {}, Area.FRAMES),
        ("budget:funds", {}, Area.FRAMES),
        ("budget:statement", {"kind": "resultatbudget"}, Area.STATEMENTS),
        ("budget:statement", {"kind": "kassaflodesbudget"}, Area.STATEMENTS),
        ("budget:investments", {}, Area.INVESTMENTS),
        ("budget:control", {}, Area.STATED),
    ],
)
def test_every_table_page_links_to_the_history_of_its_figures(
    client, councillor, name, kwargs, area
):
    client.force_login(councillor)

    text = client.get(reverse(name, kwargs={"year": YEAR, **kwargs})).text

    assert f'href="{plan_history_url(area)}"' in text


def test_committee_page_links_to_its_history(client, bildning_controller):
    client.force_login(bildning_controller)

    text = client.get(
        reverse("budget:committee", kwargs={"year": YEAR, "code": "bildningsnamnden"})
    ).text

    assert f'href="{committee_history_url()}"' in text


# Who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [committee_history_url(), plan_history_url(Area.FRAMES)])
def test_anonymous_visitor_is_sent_to_the_login_page(client, plan, url):
    response = client.get(url)

    assert_sent_to_login(response)


@pytest.mark.parametrize("url", [committee_history_url(), plan_history_url()])
def test_outsider_without_a_role_is_refused(client, outsider, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        committee_history_url("ingen-sadan-namnd"),
        committee_history_url("finansforvaltningen"),
        committee_history_url(year=1999),
        plan_history_url(year=1999),
    ],
)
def test_unknown_committee_or_year_is_not_found(client, councillor, url):
    client.force_login(councillor)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [committee_history_url(), plan_history_url()])
def test_history_pages_refuse_post(client, councillor, url):
    client.force_login(councillor)

    assert client.post(url).status_code == 405


# How values are shown ----------------------------------------------------------------------


def test_an_amount_is_shown_in_mkr_with_the_exact_kronor_beside_it():
    assert format_amount("-523300000.00") == FRAME_2026_SHOWN
    assert format_amount("1234.5") == f"0,0{NBSP}mkr (1{NBSP}234,50{NBSP}kr)"
    assert format_amount("ej ett belopp") is None


def test_amounts_in_a_created_rows_summary_are_shown_in_mkr_and_other_values_as_stored():
    created = AuditEntry(field="", new_value="belopp (kr): -523300000.00")
    renamed = AuditEntry(field="namn", new_value="-523300000.00")
    changed = AuditEntry(field="belopp (kr)", new_value="-523300000.00")
    forecast = AuditEntry(field="", new_value="prognostiserat resultat (kr): 1500000.00, källa: KS")

    assert shown_value(created, created.new_value) == f"belopp: {FRAME_2026_SHOWN}"
    assert shown_value(renamed, renamed.new_value) == "-523300000.00"
    assert shown_value(changed, changed.new_value) == FRAME_2026_SHOWN
    assert shown_value(forecast, forecast.new_value) == (
        f"prognostiserat resultat: 1,5{NBSP}mkr (1{NBSP}500{NBSP}000,00{NBSP}kr), källa: KS"
    )


def test_a_figures_name_is_shown_without_the_amount_it_was_recorded_with():
    changed = AuditEntry(
        object_repr="Bildningsnämnden Budget 2026: -524000000.00", field="belopp (kr)"
    )
    named = AuditEntry(object_repr="Lokal 2026: 12.50", field="namn", new_value="Lokal")

    assert shown_object(changed) == "Bildningsnämnden Budget 2026"
    assert shown_field(changed) == "belopp"
    assert shown_object(named) == "Lokal 2026: 12.50"


def test_amounts_a_summary_gives_with_their_unit_are_shown_in_mkr_and_exact_kronor():
    stated = AuditEntry(field="", new_value="angivet värde: -523300000.00, enhet: kr")
    fact = AuditEntry(field="", new_value="värde: 74000000.00, enhet: kr, avser år: 2025")
    outcome = AuditEntry(
        field="", new_value="CSV, 12 rader, 3 verksamheter, summa -523300000.00 kr, SHA-256 ab12"
    )
    budget_of_a_year = AuditEntry(field="", new_value="-523300000.00")
    percent = AuditEntry(field="", new_value="angivet värde: 12.50, enhet: procent")

    assert shown_value(stated, stated.new_value) == f"angivet värde: {FRAME_2026_SHOWN}"
    assert shown_value(fact, fact.new_value) == (
        f"värde: 74,0{NBSP}mkr (74{NBSP}000{NBSP}000,00{NBSP}kr), avser år: 2025"
    )
    assert shown_value(outcome, outcome.new_value) == (
        f"CSV, 12 rader, 3 verksamheter, summa {FRAME_2026_SHOWN}, SHA-256 ab12"
    )
    assert shown_value(budget_of_a_year, budget_of_a_year.new_value) == FRAME_2026_SHOWN
    # Not kronor: as stored.
    assert shown_value(percent, percent.new_value) == percent.new_value


def test_a_line_named_with_its_amount_is_shown_without_it_where_the_entry_shows_it():
    line = AuditEntry(
        object_repr="2026:1: Kommunstyrelsens verksamhet 1200000.00",
        field="",
        new_value="belopp (kr): 1200000.00",
    )
    stated = AuditEntry(
        object_repr="budgetjamforelse/summa-namnder Budget 2026",
        field="",
        new_value="angivet värde: -1160900000.00, enhet: kr",
    )

    assert shown_object(line) == "2026:1: Kommunstyrelsens verksamhet"
    assert shown_object(stated) == "budgetjamforelse/summa-namnder Budget 2026"


@pytest.mark.parametrize("area", ["angivna", "nyckeluppgifter", "ramar"])
def test_the_history_page_shows_no_amount_as_stored(client, councillor, plan, area):
    """Every amount of the plan's history (as the loader records it) reads in Swedish on
    the page: no "-1160900000.00" left, the amounts in mkr with the exact kronor."""
    url = reverse("budget:plan_history", kwargs={"year": plan.year})
    response = page_as(client, councillor, url, {"omrade": area})

    text = response.content.decode()
    assert not re.search(r"(?<![\w.])-?\d{4,}\.\d{2}\b", text)
    assert re.search(rf"\d{NBSP}mkr \([\d{NBSP}−]+,\d\d{NBSP}kr\)", text)
