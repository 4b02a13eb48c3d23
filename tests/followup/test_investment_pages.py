"""The investment pages: the committees' table as the document's Investeringsbudget, a
committee's projects, a project; finance keeps the projects and records KF's decisions on
carry-overs, a controller follows up their own committee's projects. Refused input
changes nothing; the Excel export has the page's figures; the list pages cost a fixed
number of queries."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget.loader import read_toml
from budget.models import InvestmentLine
from budget.money import format_mkr, kronor_to_mkr, round_half_up
from followup.investments.demo import load_demo_investments
from followup.investments.projects import propose_carry_over
from followup.models import CarryOver, InvestmentProject, ProjectFollowUp, ReportingPeriod
from tests.followup.investments import (
    DEMO,
    MKR,
    SUMMA_INVESTERINGAR_2026,
    TKR,
    actor,
    entries_since,
    last_entry_id,
    new_project,
    record_follow_up,
)
from tests.pages import page_as
from tests.tooling import recomputed_sheets

NBSP = "\u00a0"
# The day finance records KF's decision of 2026-03-30 on the page.
TODAY = datetime.date(2026, 4, 2)


def url(name, **kwargs):
    return reverse(f"followup:{name}", kwargs={"year": 2026, **kwargs})


# Bildningsnämnden's project follow-up for March.
BILDNING_IN_MARCH = url("investment_follow_up", month=3, code="bildningsnamnden")


def form_data(committee, **fields):
    """What the project form posts (amounts in tkr, as typed)."""
    return {
        "code": "BN-T9",
        "name": "Skolgårdar",
        "committee": str(committee.pk),
        "line": str(InvestmentLine.objects.get(code=committee.code).pk),
        "description": "",
        "total_budget": "1 500",
        "life_years": "15",
        "responsible": "Fastighetschef",
        "status": InvestmentProject.Status.PLANNED,
        "budget_2026": "900",
        "budget_2027": "600",
        "budget_2028": "",
    } | fields


def follow_up_data(project, outcome, forecast, comment=""):
    return {
        f"outcome_{project.pk}": outcome,
        f"forecast_{project.pk}": forecast,
        f"comment_{project.pk}": comment,
    }


def decision_data(carry_over, **fields):
    prefix = f"beslut-{carry_over.pk}"
    values = {"decision": CarryOver.Status.DECIDED, "decided_on": "2026-03-30", "paragraph": "§ 41"}
    return {f"{prefix}-{k}": v for k, v in (values | fields).items()}


@pytest.fixture
def project(finance_officer):
    """Bildningsnämnden's project: 800 tkr in all, 600 tkr of it in 2026."""
    return new_project(finance_officer)


@pytest.fixture
def omsorg_project(finance_officer):
    return new_project(finance_officer, code="ON-T1", committee_code="omsorgsnamnden")


@pytest.fixture
def kf_clock(monkeypatch):
    """The pages' clock stands at TODAY, so that a decision date is past or future by it."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def proposed(project, finance_officer, kf_clock):
    """Finance's proposal to carry 200 tkr of 2025's unspent budget into 2026."""
    return propose_carry_over(
        project=project,
        from_year=2025,
        amount=Decimal(200) * TKR,
        reason="Upphandlingen försenades",
        actor=actor(finance_officer),
    )


@pytest.fixture
def demo(plan):
    load_demo_investments(read_toml(DEMO), plan=plan)
    return plan


def cells(row_html):
    """The texts of a table row's amount cells."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<td class="num">(.*?)</td>', row_html, re.S)
    ]


def total_row(page):
    match = re.search(
        r'<tr class="total">\s*<th scope="row">Summa investeringar</th>(.*?)</tr>',
        page.text,
        re.S,
    )
    assert match, "the page has no row Summa investeringar"
    return cells(match[1])


# --- Reading: the table, the drill-down and the project --------------------------------------


def test_the_table_shows_each_committee_and_summa_investeringar_as_the_document(
    client, demo, councillor
):
    page = page_as(client, councillor, url("investments"))

    data = page.context["data"]
    assert [row.committee.code for row in data.committees] == [
        "kommunstyrelsen",
        "bildningsnamnden",
        "omsorgsnamnden",
        "miljo-och-samhallsbyggnadsnamnden",
    ]
    assert kronor_to_mkr(data.total.budget) == SUMMA_INVESTERINGAR_2026
    budget, carried, budget_incl, outcome, forecast, deviation, plan_2027, plan_2028 = total_row(
        page
    )
    assert budget == "45,2"
    t = data.total
    assert [carried, budget_incl, outcome, forecast, deviation] == [
        format_mkr(t.carried),
        format_mkr(t.budget_incl),
        format_mkr(t.outcome),
        format_mkr(t.forecast),
        format_mkr(t.deviation),
    ]
    assert [plan_2027, plan_2028] == ["66,9", "99,3"]  # the document's Summa investeringar
    assert "Budget 2026 exkl. överflyttade medel" in page.text
    assert "Demodata:" in page.text


def test_the_table_puts_decided_carry_over_in_its_own_column(client, demo, finance_officer):
    client.force_login(finance_officer)
    carried = CarryOver.objects.decided().get()

    page = client.get(url("investments"))

    assert page.status_code == 200
    row = next(
        r for r in page.context["data"].committees if r.committee == carried.project.committee
    )
    assert row.carried == carried.amount
    assert row.budget_incl == row.budget + carried.amount
    assert "Överflyttade medel" in page.text
    assert "Budget inkl. överflyttade medel" in page.text


def test_the_table_says_where_projects_do_not_add_up_to_the_adopted_budget(
    client, project, councillor
):
    page = page_as(client, councillor, url("investments"))

    assert [r.committee.code for r in page.context["data"].differing] == [
        "kommunstyrelsen",
        "bildningsnamnden",
        "omsorgsnamnden",
        "miljo-och-samhallsbyggnadsnamnden",
    ]
    assert f"Bildningsnämnden: projekten <strong>{format_mkr(project.budgets.get().amount)}" in (
        page.text
    )


def test_a_period_is_chosen_for_the_forecast_and_an_unknown_one_is_not_found(
    client, demo, councillor
):
    client.force_login(councillor)

    march = client.get(url("investments"), {"period": "3"})
    april = client.get(url("investments"), {"period": "4"})  # asks for no forecast

    assert march.status_code == 200
    assert march.context["data"].period.month == 3
    assert "prognos enligt mars" in march.text
    assert april.status_code == 404


def test_the_committee_page_drills_down_to_its_projects_and_adds_them_up(
    client, demo, bildning_controller
):
    page = page_as(
        client, bildning_controller, url("investment_committee", code="bildningsnamnden")
    )

    row = page.context["row"]
    codes = [f.project.code for f in row.projects]
    assert codes == ["BN-2601", "BN-2602", "BN-2603"]
    for code in codes:
        assert url("investment_project", code=code) in page.text
    assert row.budget == sum((f.budget for f in row.projects), Decimal(0))
    assert row.deviation == sum((f.deviation for f in row.projects), Decimal(0))
    assert page.context["may_follow_up"] is True
    assert url("investment_follow_up", month=10, code="bildningsnamnden") in page.text


def test_the_committees_projects_sort_by_deviation(client, demo, councillor):
    page = page_as(
        client,
        councillor,
        url("investment_committee", code="kommunstyrelsen"),
        {"sort": "deviation"},
    )

    deviations = [row.record.deviation for row in page.context["table"].rows]
    assert (
        len(deviations)
        == InvestmentProject.objects.filter(committee__code="kommunstyrelsen").count()
    )
    assert deviations == sorted(deviations)


def test_the_project_page_shows_its_year_its_periods_carry_overs_and_history(
    client, demo, finance_officer
):
    page = page_as(client, finance_officer, url("investment_project", code="MSB-2602"))

    figures = page.context["figures"]
    project = InvestmentProject.objects.get(code="MSB-2602")
    assert figures.budget == project.budgets.get(year=2026).amount
    assert figures.carried == CarryOver.objects.decided().get(project=project).amount
    assert [f.period.month for f in page.context["follow_ups"]] == [3, 8, 10]
    assert "KF 2026-03-30 § 41" in page.text
    created = 1 + project.budgets.count() + project.follow_ups.count()
    proposed_and_decided = 2 * project.carry_overs.count()
    assert len(page.context["history"].rows) == created + proposed_and_decided


def test_a_committee_without_investments_has_an_empty_page(client, demo, councillor):
    page = page_as(client, councillor, url("investment_committee", code="valnamnden"))

    assert page.context["row"] is None
    assert "Nämnden har inga investeringsprojekt i budgeten." in page.text


def test_an_unknown_project_or_committee_is_not_found(client, councillor):
    client.force_login(councillor)

    assert client.get(url("investment_project", code="X-1")).status_code == 404
    assert client.get(url("investment_committee", code="finansforvaltningen")).status_code == 404


# The pages that only read the follow-up (BN-T1 is the ``project`` fixture's code).
READING_PAGES = [
    ("investments", {}),
    ("investments_export", {}),
    ("investment_committee", {"code": "bildningsnamnden"}),
    ("investment_project", {"code": "BN-T1"}),
]


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES)
def test_an_outsider_may_not_read_the_investment_follow_up(client, outsider, project, name, kwargs):
    client.force_login(outsider)

    response = client.get(url(name, **kwargs))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES)
def test_the_reading_pages_accept_no_post(client, finance_officer, project, name, kwargs):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(url(name, **kwargs))

    assert response.status_code == 405
    assert entries_since(before) == []


# --- Creating and changing a project -----------------------------------------------------------


def test_finance_creates_a_project_on_the_page(client, finance_officer, bildning):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(url("investment_project_create"), form_data(bildning))

    assert response.status_code == 302
    assert response.url == url("investment_project", code="BN-T9")
    project = InvestmentProject.objects.get(code="BN-T9")
    assert (project.committee, project.total_budget, project.life_years) == (
        bildning,
        Decimal(1_500) * TKR,
        15,
    )
    assert dict(project.budgets.values_list("year", "amount")) == {
        2026: Decimal(900) * TKR,
        2027: Decimal(600) * TKR,
    }
    entries = entries_since(before)
    assert [(e.action, e.content_type.model) for e in entries] == [
        ("skapad", "investmentproject"),
        ("skapad", "projectbudget"),
        ("skapad", "projectbudget"),
    ]
    assert {(e.user, e.source) for e in entries} == {(finance_officer, "sida")}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"total_budget": "99,9", "budget_2026": "99,9", "budget_2027": ""},
            "En investering ska uppgå till minst 100 000 kr; 99 900 kr är driftkostnad.",
        ),
        ({"life_years": "2"}, "En investering ska ha en livslängd om minst 3 år."),
        ({"total_budget": "mycket"}, "”mycket” är inte ett belopp."),
        ({"budget_2026": "nio hundra"}, "”nio hundra” är inte ett belopp."),
        ({"life_years": "tre"}, "Fyll i ett heltal."),
        ({"budget_2027": "1 000"}, "mer än projektets totala budget"),
    ],
    ids=[
        "under 100 000 kr",
        "life under three years",
        "text as total",
        "text as budget",
        "text as life",
        "years above total",
    ],
)
def test_a_project_the_rules_refuse_is_not_created_and_the_page_says_why(
    client, finance_officer, bildning, fields, message
):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(url("investment_project_create"), form_data(bildning, **fields))

    assert response.status_code == 400
    assert message in response.text.replace(NBSP, " ").replace("&quot;", '"')
    assert not InvestmentProject.objects.exists()
    assert entries_since(before) == []


@pytest.mark.parametrize("persona", ["bildning_controller", "councillor", "council_secretary"])
def test_only_finance_creates_or_changes_a_project(client, request, project, bildning, persona):
    client.force_login(request.getfixturevalue(persona))
    before = last_entry_id()

    responses = [
        client.get(url("investment_project_create")),
        client.post(url("investment_project_create"), form_data(bildning)),
        client.get(url("investment_project_edit", code=project.code)),
        client.post(
            url("investment_project_edit", code=project.code),
            form_data(bildning, code=project.code, reason="Ändrat"),
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert list(InvestmentProject.objects.values_list("code", "total_budget")) == [
        (project.code, project.total_budget)
    ]
    assert entries_since(before) == []


def test_the_project_forms_accept_only_get_and_post(client, finance_officer, project):
    client.force_login(finance_officer)

    assert client.put(url("investment_project_create")).status_code == 405
    assert client.delete(url("investment_project_edit", code=project.code)).status_code == 405
    assert InvestmentProject.objects.filter(pk=project.pk).exists()


def edit_form(client, project):
    """The edit form's fields as the page fills them in."""
    form = client.get(url("investment_project_edit", code=project.code)).context["form"]
    return {
        name: ""
        if (value := form[name].value()) is None
        else form.fields[name].prepare_value(value)
        for name in form.fields
    } | {"committee": str(project.committee_id)}


def test_saving_the_edit_form_unchanged_changes_nothing_and_writes_no_history(
    client, finance_officer
):
    exact = new_project(
        finance_officer, total_budget=Decimal("812345.67"), budgets={2026: Decimal("612345.67")}
    )
    client.force_login(finance_officer)
    data = edit_form(client, exact)
    before = last_entry_id()

    response = client.post(url("investment_project_edit", code=exact.code), data, follow=True)

    assert response.status_code == 200
    assert "Inget ändrades." in response.text
    exact.refresh_from_db()
    assert exact.total_budget == Decimal("812345.67")
    assert exact.budgets.get(year=2026).amount == Decimal("612345.67")
    assert entries_since(before) == []


def test_a_save_over_a_colleagues_newer_save_is_refused_and_the_input_is_kept(
    client, finance_officer, project
):
    client.force_login(finance_officer)
    opened = edit_form(client, project)
    colleague_saves = opened | {"budget_2026": "650", "reason": "Kollegans ändring"}
    assert client.post(url("investment_project_edit", code=project.code), colleague_saves)[
        "Location"
    ]
    before = last_entry_id()

    response = client.post(
        url("investment_project_edit", code=project.code),
        opened | {"budget_2026": "700", "reason": "Dyrare anbud"},
    )

    assert response.status_code == 400
    assert "Någon annan har ändrat projektet" in response.text
    assert 'value="700"' in response.text
    project.refresh_from_db()
    assert project.budgets.get(year=2026).amount == Decimal(650) * TKR
    assert entries_since(before) == []


def test_finance_changes_the_budget_with_a_reason_and_it_is_recorded(
    client, finance_officer, project
):
    client.force_login(finance_officer)
    data = edit_form(client, project) | {"budget_2026": "700", "total_budget": "900"}
    before = last_entry_id()

    response = client.post(
        url("investment_project_edit", code=project.code), data | {"reason": "Dyrare anbud"}
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_budget == Decimal(900) * TKR
    assert project.budgets.get(year=2026).amount == Decimal(700) * TKR
    entries = entries_since(before)
    assert [(e.field, Decimal(e.old_value), Decimal(e.new_value)) for e in entries] == [
        ("total budget (kr)", Decimal(800) * TKR, Decimal(900) * TKR),
        ("budget (kr)", Decimal(600) * TKR, Decimal(700) * TKR),
    ]
    assert {(e.user, e.reason) for e in entries} == {(finance_officer, "Dyrare anbud")}


def test_a_change_of_budget_without_a_reason_is_refused_on_the_page(
    client, finance_officer, project
):
    client.force_login(finance_officer)
    data = edit_form(client, project) | {"total_budget": "900"}
    before = last_entry_id()

    response = client.post(url("investment_project_edit", code=project.code), data)

    assert response.status_code == 400
    assert "Skriv varför budgeten, livslängden eller statusen ändras." in response.text
    project.refresh_from_db()
    assert project.total_budget == Decimal(800) * TKR
    assert entries_since(before) == []


def test_a_new_project_number_leads_to_the_renamed_project(client, finance_officer, project):
    client.force_login(finance_officer)
    data = edit_form(client, project) | {"code": "BN-T2"}

    response = client.post(url("investment_project_edit", code=project.code), data)

    assert response.status_code == 302
    assert response.url == url("investment_project", code="BN-T2")
    assert InvestmentProject.objects.get(pk=project.pk).code == "BN-T2"


# --- Follow-up per period ------------------------------------------------------------------------


def test_a_controller_follows_up_their_committees_projects(
    client, march, project, bildning_controller
):
    client.force_login(bildning_controller)
    before = last_entry_id()

    response = client.post(
        BILDNING_IN_MARCH, follow_up_data(project, "120,5", "580", "Möblerna levereras i maj")
    )

    assert response.status_code == 302
    assert response.url == url("investment_committee", code="bildningsnamnden") + "?period=3"
    recorded = ProjectFollowUp.objects.get(project=project, period=march)
    assert (recorded.outcome, recorded.forecast) == (Decimal("120500"), Decimal(580) * TKR)
    assert recorded.recorded_by == bildning_controller
    entries = entries_since(before)
    assert [(e.action, e.content_type.model, e.user) for e in entries] == [
        ("skapad", "projectfollowup", bildning_controller)
    ]
    page = client.get(response.url)
    assert page.context["row"].forecast == Decimal(580) * TKR


def test_a_project_row_left_blank_is_not_recorded(
    client, march, project, finance_officer, bildning_controller
):
    other = new_project(finance_officer, code="BN-T2", budgets={})
    client.force_login(bildning_controller)

    response = client.post(
        BILDNING_IN_MARCH, follow_up_data(project, "100", "600") | follow_up_data(other, "", "")
    )

    assert response.status_code == 302
    assert list(ProjectFollowUp.objects.values_list("project__code", flat=True)) == ["BN-T1"]


@pytest.mark.parametrize(
    ("outcome", "forecast", "message"),
    [
        ("hundra", "600", "”hundra” är inte ett belopp."),
        ("100", "sexhundra", "”sexhundra” är inte ett belopp."),
        ("300", "200", "BN-T1: helårsprognosen (200 000 kr) kan inte vara lägre än utfallet"),
        ("100", "", "BN-T1: perioden efterfrågar en helårsprognos."),
    ],
    ids=["text as outcome", "text as forecast", "forecast below outcome", "no forecast"],
)
def test_a_follow_up_with_bad_input_is_refused_in_swedish_and_nothing_is_saved(
    client, march, project, bildning_controller, outcome, forecast, message
):
    client.force_login(bildning_controller)
    before = last_entry_id()

    response = client.post(BILDNING_IN_MARCH, follow_up_data(project, outcome, forecast))

    assert response.status_code == 400
    assert message in response.text.replace(NBSP, " ")
    assert not ProjectFollowUp.objects.exists()
    assert entries_since(before) == []


def test_a_controller_cannot_follow_up_another_committees_projects(
    client, march, omsorg_project, bildning_controller
):
    client.force_login(bildning_controller)
    follow_up_url = url("investment_follow_up", month=3, code="omsorgsnamnden")
    before = last_entry_id()

    shown = client.get(follow_up_url)
    posted = client.post(follow_up_url, follow_up_data(omsorg_project, "100", "600"))

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert not ProjectFollowUp.objects.exists()
    assert entries_since(before) == []


def test_a_controller_cannot_slip_another_committees_project_into_their_own_follow_up(
    client, march, project, omsorg_project, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.post(
        BILDNING_IN_MARCH,
        follow_up_data(project, "100", "600") | follow_up_data(omsorg_project, "100", "600"),
    )

    assert response.status_code == 302
    assert list(ProjectFollowUp.objects.values_list("project__code", flat=True)) == ["BN-T1"]


@pytest.mark.parametrize("persona", ["councillor", "council_secretary"])
def test_a_reader_cannot_follow_up(client, request, march, project, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(BILDNING_IN_MARCH, follow_up_data(project, "100", "600"))

    assert response.status_code == 403
    assert not ProjectFollowUp.objects.exists()


def test_finance_follows_up_any_committee(client, march, omsorg_project, finance_officer):
    client.force_login(finance_officer)

    response = client.post(
        url("investment_follow_up", month=3, code="omsorgsnamnden"),
        follow_up_data(omsorg_project, "100", "600"),
    )

    assert response.status_code == 302
    assert ProjectFollowUp.objects.get().recorded_by == finance_officer


def test_a_closed_period_is_closed_to_the_controller_but_not_to_finance(
    client, march, project, bildning_controller, finance_officer
):
    march.status = ReportingPeriod.Status.CLOSED
    march.save()
    client.force_login(bildning_controller)

    shown = client.get(BILDNING_IN_MARCH)
    refused = client.post(BILDNING_IN_MARCH, follow_up_data(project, "100", "600"))

    assert shown.status_code == 200
    assert "bara ekonomiavdelningen kan rätta uppföljningen nu" in shown.text
    assert refused.status_code == 400
    assert not ProjectFollowUp.objects.exists()

    client.force_login(finance_officer)
    corrected = client.post(BILDNING_IN_MARCH, follow_up_data(project, "100", "600"))

    assert corrected.status_code == 302
    assert ProjectFollowUp.objects.get().recorded_by == finance_officer


def test_the_follow_up_page_accepts_only_get_and_post(client, march, project, finance_officer):
    client.force_login(finance_officer)

    response = client.put(BILDNING_IN_MARCH)

    assert response.status_code == 405
    assert not ProjectFollowUp.objects.exists()


# --- Carry-over (överflyttade medel) ----------------------------------------------------------------


def test_finance_proposes_a_carry_over_on_the_project_page(client, finance_officer, project):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(
        url("carry_over_propose", code=project.code),
        {"from_year": "2025", "amount": "250", "reason": "Leveransen dröjde"},
    )

    assert response.status_code == 302
    assert response.url == url("investment_project", code=project.code)
    carry_over = CarryOver.objects.get()
    assert (carry_over.from_year, carry_over.amount, carry_over.status) == (
        2025,
        Decimal(250) * TKR,
        CarryOver.Status.PROPOSED,
    )
    entries = entries_since(before)
    assert [(e.action, e.content_type.model, e.user) for e in entries] == [
        ("skapad", "carryover", finance_officer)
    ]
    page = client.get(response.url)
    assert page.context["figures"].carried == 0  # a proposal does not count
    assert "Registrera beslutet" in page.text


def test_finance_records_kfs_decision_and_the_money_joins_the_budget(
    client, finance_officer, project, proposed
):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(
        url("carry_over_decide", pk=proposed.pk), decision_data(proposed), follow=True
    )

    assert response.status_code == 200
    assert "Kommunfullmäktiges beslut är registrerat." in response.text
    proposed.refresh_from_db()
    assert proposed.status == CarryOver.Status.DECIDED
    assert proposed.decision == "KF 2026-03-30 § 41"
    assert response.context["figures"].carried == proposed.amount
    assert response.context["figures"].budget_incl == Decimal(600) * TKR + proposed.amount
    entries = entries_since(before)
    assert [(e.field, e.old_value, e.new_value, e.user) for e in entries] == [
        ("status", "Förslag", "Beslutad", finance_officer)
    ]


def test_a_rejection_is_kept_on_the_project_page_and_does_not_count(
    client, finance_officer, project, proposed
):
    client.force_login(finance_officer)

    response = client.post(
        url("carry_over_decide", pk=proposed.pk),
        decision_data(proposed, decision=CarryOver.Status.REJECTED),
        follow=True,
    )

    assert response.status_code == 200
    assert CarryOver.objects.get().status == CarryOver.Status.REJECTED
    assert "Avslagen" in response.text
    assert response.context["figures"].carried == 0


def test_a_carry_over_larger_than_the_unspent_budget_is_refused(
    client, finance_officer, march, project, bildning_controller
):
    record_follow_up(
        project, march, bildning_controller, outcome=Decimal(450) * TKR, forecast=Decimal(600) * TKR
    )
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(
        url("carry_over_propose", code=project.code),
        {"from_year": "2026", "amount": "151", "reason": "Leveransen dröjer"},
    )

    assert response.status_code == 400
    assert (
        "Överflyttningen (151 000 kr) är större än det som återstår av årets budget (150 000 kr)."
        in response.text.replace(NBSP, " ")
    )
    assert not CarryOver.objects.exists()
    assert entries_since(before) == []


def test_the_proposal_form_offers_what_is_left_of_the_years_budget(
    client, finance_officer, march, project, bildning_controller
):
    record_follow_up(
        project, march, bildning_controller, outcome=Decimal(450) * TKR, forecast=Decimal(600) * TKR
    )
    client.force_login(finance_officer)

    page = client.get(url("investment_project", code=project.code))

    assert page.context["carry_over_form"]["amount"].value() == "150"  # tkr: 600 − 450


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "tvåhundra"}, "”tvåhundra” är inte ett belopp."),
        ({"amount": "0"}, "Ange ett belopp större än noll."),
        ({"reason": ""}, "Detta fält måste fyllas i."),
        ({"from_year": "2024"}, "Välj ett giltigt alternativ."),
    ],
)
def test_a_proposal_with_bad_input_is_refused_and_nothing_is_saved(
    client, finance_officer, project, fields, message
):
    client.force_login(finance_officer)
    data = {"from_year": "2025", "amount": "200", "reason": "Försenat"} | fields

    response = client.post(url("carry_over_propose", code=project.code), data)

    assert response.status_code == 400
    assert message in response.text
    assert not CarryOver.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"paragraph": ""}, "Detta fält måste fyllas i."),
        ({"paragraph": "fyrtioett"}, "Ange paragrafen i protokollet, till exempel § 12."),
        ({"decided_on": "igår"}, "Fyll i ett giltigt datum."),
    ],
)
def test_a_decision_with_bad_input_is_refused_and_the_proposal_stays(
    client, finance_officer, proposed, fields, message
):
    client.force_login(finance_officer)
    before = last_entry_id()

    response = client.post(
        url("carry_over_decide", pk=proposed.pk), decision_data(proposed, **fields)
    )

    assert response.status_code == 400
    assert message in response.text
    proposed.refresh_from_db()
    assert proposed.status == CarryOver.Status.PROPOSED
    assert entries_since(before) == []


def test_a_decision_dated_in_the_future_is_refused(client, finance_officer, proposed):
    client.force_login(finance_officer)
    tomorrow = TODAY + datetime.timedelta(days=1)

    response = client.post(
        url("carry_over_decide", pk=proposed.pk),
        decision_data(proposed, decided_on=tomorrow.isoformat()),
    )

    assert response.status_code == 400
    assert "Beslutsdatum kan inte ligga i framtiden." in response.text
    assert CarryOver.objects.get().status == CarryOver.Status.PROPOSED


def test_a_decided_carry_over_is_not_decided_again(client, finance_officer, proposed):
    client.force_login(finance_officer)
    client.post(url("carry_over_decide", pk=proposed.pk), decision_data(proposed))
    before = last_entry_id()

    response = client.post(
        url("carry_over_decide", pk=proposed.pk),
        decision_data(proposed, decision=CarryOver.Status.REJECTED),
        follow=True,
    )

    assert response.status_code == 200
    assert "Överflyttningen är redan beslutad." in response.text
    assert CarryOver.objects.get().status == CarryOver.Status.DECIDED
    assert entries_since(before) == []


@pytest.mark.parametrize(
    "persona", ["bildning_controller", "councillor", "council_secretary", "administrator"]
)
def test_only_finance_proposes_and_decides_carry_overs(client, request, project, proposed, persona):
    client.force_login(request.getfixturevalue(persona))
    before = last_entry_id()

    propose = client.post(
        url("carry_over_propose", code=project.code),
        {"from_year": "2026", "amount": "100", "reason": "Försenat"},
    )
    decide = client.post(url("carry_over_decide", pk=proposed.pk), decision_data(proposed))

    assert (propose.status_code, decide.status_code) == (403, 403)
    assert list(CarryOver.objects.values_list("status", flat=True)) == ["forslag"]
    assert entries_since(before) == []


def test_the_carry_over_steps_accept_post_only(client, finance_officer, project, proposed):
    client.force_login(finance_officer)

    assert client.get(url("carry_over_propose", code=project.code)).status_code == 405
    assert client.get(url("carry_over_decide", pk=proposed.pk)).status_code == 405
    assert CarryOver.objects.get().status == CarryOver.Status.PROPOSED


def test_a_reader_sees_no_carry_over_forms(client, councillor, project, proposed):
    client.force_login(councillor)

    page = client.get(url("investment_project", code=project.code))

    assert page.status_code == 200
    assert page.context["carry_over_form"] is None
    assert "Registrera beslutet" not in page.text
    assert "Väntar på kommunfullmäktige" in page.text


# --- The Excel export ---------------------------------------------------------------------------------


def number(value) -> Decimal:
    """A cell's number as written (openpyxl reads it back as int or float)."""
    return Decimal(0) if value is None else Decimal(str(value))


def evaluate(wb, sheet, ref) -> Decimal:
    """The value of a cell of the export, computing the few formula shapes it writes:
    =F5+G5, =H5-J5, =SUM(E5:E9) and =SUMIF('Projekt'!$A$5:$A$9,$A5,'Projekt'!$F$5:$F$9)/1000."""
    value = wb[sheet][ref.replace("$", "")].value
    if not (isinstance(value, str) and value.startswith("=")):
        return number(value)
    formula = value[1:]
    if match := re.fullmatch(r"([A-Z]+\d+)([+-])([A-Z]+\d+)", formula):
        left, right = evaluate(wb, sheet, match[1]), evaluate(wb, sheet, match[3])
        return left + right if match[2] == "+" else left - right
    if match := re.fullmatch(r"SUM\(([A-Z]+)(\d+):\1(\d+)\)", formula):
        column, first, last = match[1], int(match[2]), int(match[3])
        return sum(
            (evaluate(wb, sheet, f"{column}{row}") for row in range(first, last + 1)), Decimal(0)
        )
    sumif = re.fullmatch(
        r"SUMIF\('(.+)'!\$([A-Z]+)\$(\d+):\$\2\$(\d+),\$A(\d+),'\1'!\$([A-Z]+)\$\3:\$\6\$\4\)/1000",
        formula,
    )
    assert sumif, formula
    other, names, first, last, row, values = sumif.groups()
    wanted = wb[sheet][f"A{row}"].value
    return (
        sum(
            (
                evaluate(wb, other, f"{values}{r}")
                for r in range(int(first), int(last) + 1)
                if wb[other][f"{names}{r}"].value == wanted
            ),
            Decimal(0),
        )
        / TKR
    )


def export(client, **params):
    response = client.get(url("investments_export"), params)
    assert response.status_code == 200
    return response


def summary_rows(wb):
    """{committee name or "Summa investeringar": {header: value}} of the summary sheet."""
    ws = wb["Nämnder"]
    headers = [c.value for c in ws[4]]
    rows = {}
    for row in range(5, ws.max_row + 1):
        name = ws.cell(row=row, column=1).value
        if name and not name.startswith("Nämndernas"):
            rows[name] = {
                header: evaluate(
                    wb, "Nämnder", f"{ws.cell(row=row, column=col).column_letter}{row}"
                )
                for col, header in enumerate(headers, start=1)
                if col > 1
            }
    return rows


FIGURES = {
    "Budget 2026": "budget",
    "Överflyttade medel": "carried",
    "Budget inkl. överflyttade medel": "budget_incl",
    "Utfall hittills": "outcome",
    "Prognos": "forecast",
    "Avvikelse": "deviation",
}


def test_the_export_opens_in_excel_with_the_pages_figures(client, demo, finance_officer):
    client.force_login(finance_officer)
    page = client.get(url("investments"))

    response = export(client)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="investeringsuppfoljning-2026.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Nämnder", "Projekt"]
    rows = summary_rows(wb)
    data = page.context["data"]
    assert list(rows) == [c.committee.name for c in data.committees] + ["Summa investeringar"]
    for figures in [*data.committees, data.total]:
        name = figures.committee.name if figures.committee else "Summa investeringar"
        for header, attribute in FIGURES.items():
            assert rows[name][header] == kronor_to_mkr(getattr(figures, attribute) or 0), (
                name,
                header,
            )
    total = rows["Summa investeringar"]
    assert total["Budget 2026"] == total["Antagen investeringsbudget 2026"]
    assert total["Antagen investeringsbudget 2026"] == SUMMA_INVESTERINGAR_2026
    assert (total["Plan 2027"], total["Plan 2028"]) == (Decimal("66.9"), Decimal("99.3"))
    assert format_mkr(total["Budget 2026"] * MKR) == total_row(page)[0]


def test_the_exports_totals_are_the_sums_of_its_rows(client, demo, finance_officer):
    client.force_login(finance_officer)

    wb = load_workbook(BytesIO(export(client).content))

    rows = summary_rows(wb)
    total = rows.pop("Summa investeringar")
    for header, value in total.items():
        assert value == sum((row[header] for row in rows.values()), Decimal(0)), header
    ws = wb["Projekt"]
    project_rows = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=2).value]
    assert len(project_rows) == InvestmentProject.objects.count()
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "Summa investeringsprojekt"
    for column in "EFGHIJL":
        assert evaluate(wb, "Projekt", f"{column}{last}") == sum(
            (evaluate(wb, "Projekt", f"{column}{r}") for r in project_rows), Decimal(0)
        ), column
    assert evaluate(wb, "Projekt", f"F{last}") / TKR == SUMMA_INVESTERINGAR_2026


def test_each_project_of_the_export_has_its_drill_down_figures(client, demo, finance_officer):
    client.force_login(finance_officer)
    page = client.get(url("investment_project", code="MSB-2602"))

    wb = load_workbook(BytesIO(export(client).content))

    ws = wb["Projekt"]
    (row,) = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=2).value == "MSB-2602"]
    figures = page.context["figures"]
    assert [evaluate(wb, "Projekt", f"{c}{row}") * TKR for c in "FGHIJL"] == [
        figures.budget,
        figures.carried,
        figures.budget_incl,
        figures.outcome,
        figures.forecast,
        figures.deviation,
    ]
    assert ws.cell(row=row, column=11).value == "oktober 2026"


def test_the_export_follows_the_chosen_period(client, demo, finance_officer):
    client.force_login(finance_officer)
    march = client.get(url("investments"), {"period": "3"}).context["data"].total

    wb = load_workbook(BytesIO(export(client, period="3").content))

    total = summary_rows(wb)["Summa investeringar"]
    assert total["Prognos"] == kronor_to_mkr(march.forecast)
    assert total["Utfall hittills"] == kronor_to_mkr(march.outcome)
    assert "mars 2026" in wb["Nämnder"]["A2"].value


def circular(wb):
    """Cells whose formula sums a range that holds the cell itself."""
    found = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):\1(\d+)\)", str(cell.value))
                if match and match[1] == cell.column_letter:
                    if int(match[2]) <= cell.row <= int(match[3]):
                        found.append(f"{ws.title}!{cell.coordinate}")
    return found


def test_the_export_without_projects_has_the_adopted_budget_and_no_circular_sums(
    client, plan, councillor
):
    client.force_login(councillor)

    wb = load_workbook(BytesIO(export(client).content))

    assert circular(wb) == []
    assert wb["Projekt"]["A5"].value == "Summa investeringsprojekt"
    assert evaluate(wb, "Projekt", "F5") == 0
    total = summary_rows(wb)["Summa investeringar"]
    assert total["Antagen investeringsbudget 2026"] == SUMMA_INVESTERINGAR_2026
    assert total["Budget 2026"] == 0
    assert total["Projekt − antagen budget"] == -SUMMA_INVESTERINGAR_2026


def test_the_export_with_projects_has_no_circular_sums(client, demo, councillor):
    client.force_login(councillor)

    wb = load_workbook(BytesIO(export(client).content))

    assert circular(wb) == []


def recomputed(content: bytes, tmp_path) -> dict:
    """Every sheet of the export as LibreOffice computes it: {sheet name: rows of cells}."""
    return recomputed_sheets(content, tmp_path, "investeringar")


@pytest.mark.libreoffice
def test_a_spreadsheet_program_computes_the_pages_figures_from_the_export(
    client, demo, finance_officer, tmp_path
):
    client.force_login(finance_officer)
    data = client.get(url("investments")).context["data"]

    sheets = recomputed(export(client).content, tmp_path)

    rows = {row[0]: row for row in sheets["Nämnder"] if row}
    for figures in [*data.committees, data.total]:
        name = figures.committee.name if figures.committee else "Summa investeringar"
        shown = [round_half_up(Decimal(text), 1) for text in rows[name][1:7]]
        expected = [
            round_half_up(kronor_to_mkr(getattr(figures, attribute) or 0), 1)
            for attribute in FIGURES.values()
        ]
        assert shown == expected, name
    assert Decimal(rows["Summa investeringar"][1]) == SUMMA_INVESTERINGAR_2026


# --- Query counts --------------------------------------------------------------------------------------


def queries(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def more_projects(finance_officer, march, controllers, numbers):
    """Projects of each committee in ``controllers``, followed up in March and each with a
    proposed carry-over."""
    for n in numbers:
        for code, user in controllers.items():
            project = new_project(
                finance_officer, code=f"{code[:2].upper()}-X{n}", committee_code=code
            )
            record_follow_up(
                project, march, user, outcome=Decimal(100) * TKR, forecast=Decimal(600) * TKR
            )
            propose_carry_over(
                project=project,
                from_year=2025,
                amount=Decimal(100) * TKR,
                reason="Försenat",
                actor=actor(finance_officer),
            )


# A bound for every list page, whatever the number of projects: the session, the user and
# their roles, the plan, the periods, the projects with their budgets, follow-ups and
# carry-overs, the adopted amounts and the menu.
MAX_QUERIES = 20


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("investments", {}),
        ("investment_committee", {"code": "bildningsnamnden"}),
        ("investments_export", {}),
        ("investment_follow_up", {"month": 3, "code": "bildningsnamnden"}),
    ],
)
def test_the_list_pages_cost_the_same_bounded_number_of_queries_for_few_or_many_projects(
    client,
    finance_officer,
    march,
    bildning_controller,
    omsorg_controller,
    django_assert_max_num_queries,
    name,
    kwargs,
):
    controllers = {"bildningsnamnden": bildning_controller, "omsorgsnamnden": omsorg_controller}
    more_projects(finance_officer, march, controllers, range(2))
    client.force_login(finance_officer)
    path = url(name, **kwargs)
    few = queries(client, path)

    more_projects(finance_officer, march, controllers, range(2, 14))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)

    assert response.status_code == 200
    assert queries(client, path) == few
    assert InvestmentProject.objects.count() == 2 * 14
