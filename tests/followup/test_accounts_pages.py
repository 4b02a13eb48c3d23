"""The pages of the interim report's and the annual accounts' own figures: finance enters
the statements beside the year's budget (tkr, subtotals computed, never typed) and the
balanskravsutredning's inputs; the utredning is read by finance always and by councillors,
the council secretary and controllers once the period is published."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.audit import Actor, Source
from budget.models import AuditEntry, StatementLine
from budget.money import format_mkr, format_tkr
from followup.models import BalanceInputs, EarlierDeficit, StatementFigure
from followup.statements.entry import save_earlier_deficit, save_statement_figures
from followup.statements.result import balance_of_period
from tests.followup.statements import history, line
from tests.pages import page_as

pytestmark = pytest.mark.usefixtures("demo_year")

DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-uppfoljning-2026.toml"
MINUS = "\u2212"
READERS = ["councillor", "council_secretary", "bildning_controller"]


def statements_url(month=8, year=2026):
    return reverse("followup:statement_figures", kwargs={"year": year, "month": month})


def balance_url(month=8, year=2026):
    return reverse("followup:balance", kwargs={"year": year, "month": month})


def value_of(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page.text).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def row_cells(page, label):
    """The cell texts of the row headed ``label`` (the first such row)."""
    row = re.search(
        rf"<th scope=\"row\">(?:<label[^>]*>)?{re.escape(label)}(?:</label>)?</th>(.*?)</tr>",
        page.text,
        re.S,
    ).group(1)
    return [
        re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def inputs_data(**typed):
    """What the balance inputs form posts: all zero unless typed (tkr as typed)."""
    data = {
        "form": "underlag",
        "underlag-realisation_gains": "0",
        "underlag-exempt_realisation_gains": "0",
        "underlag-exempt_realisation_losses": "0",
        "underlag-unrealised_securities": "0",
        "underlag-reversed_unrealised_securities": "0",
        "underlag-reserve": "RUR",
        "underlag-reserve_balance": "74 000",
        "underlag-reservation": "0",
        "underlag-disposition": "0",
        "underlag-comment": "",
    }
    return data | {f"underlag-{k}": v for k, v in typed.items()}


# --- The statements: finance enters amount lines beside the budget ---------------------------


def test_finance_sees_the_three_statements_with_the_budget_beside_each_amount_line(
    client, finance_officer, august
):
    plan = august.plan
    page = page_as(client, finance_officer, statements_url())

    for title in ("Resultatbudget", "Balansbudget", "Kassaflödesbudget"):
        assert f">{title}</h2>" in page.text
    tax = line(plan, "resultatbudget", "skatteintakter")
    assert row_cells(page, "Skatteintäkter")[0] == format_tkr(Decimal("839100000"))
    assert f'name="line_{tax.pk}"' in page.text
    for kind, code in (
        ("resultatbudget", "arets-resultat"),
        ("balansbudget", "summa-tillgangar"),
        ("balansbudget", "panter-och-ansvarsforbindelser"),
    ):
        assert f'name="line_{line(plan, kind, code).pk}"' not in page.text
    # A subtotal is computed from the budget lines: −1 196 200 − 23 000.
    assert row_cells(page, "Summa verksamhetens nettokostnader")[0] == f"{MINUS}1\xa0219\xa0200"


def test_finance_enters_figures_in_tkr_with_one_audit_entry_each(client, finance_officer, august):
    plan = august.plan
    cost = line(plan, "resultatbudget", "verksamhetens-nettokostnad")
    depreciation = line(plan, "resultatbudget", "avskrivningar")
    client.force_login(finance_officer)

    response = client.post(
        statements_url(),
        {f"line_{cost.pk}": f"{MINUS}1 207,5", f"line_{depreciation.pk}": "-23 000"},
    )

    assert response.status_code == 302
    assert response.url == statements_url()
    assert {f.line_id: f.amount for f in StatementFigure.objects.filter(period=august)} == {
        cost.pk: Decimal("-1207500"),
        depreciation.pk: Decimal("-23000000"),
    }
    entries = history()
    assert entries.count() == 2
    assert {(e.action, e.user, e.actor) for e in entries} == {
        (AuditEntry.Action.CREATED, finance_officer, "eva")
    }
    page = client.get(response.url)
    assert "Budgetställningarna för delårsrapporten är sparade." in page.text
    # The subtotal of what is entered: −1 207,5 − 23 000 tkr (after Budget and Utfall jan–aug).
    assert row_cells(page, "Summa verksamhetens nettokostnader")[2] == format_tkr(
        Decimal("-24207500")
    )
    assert value_of(page, f"line_{cost.pk}") == "-1\xa0207,5"


def test_changing_one_figure_writes_exactly_one_entry_with_its_author(
    client, finance_officer, august
):
    plan = august.plan
    tax = line(plan, "resultatbudget", "skatteintakter")
    grants = line(plan, "resultatbudget", "generella-bidrag-och-utjamning")
    save_statement_figures(
        period=august,
        values={tax.pk: Decimal("841200000"), grants.pk: Decimal("376100000")},
        actor=Actor(user=finance_officer, source=Source.PAGE),
    )
    before = history().count()
    client.force_login(finance_officer)
    page = client.get(statements_url())

    response = client.post(
        statements_url(),
        {
            "version": page.context["form"]["version"].value(),
            f"line_{tax.pk}": "842 000",
            f"line_{grants.pk}": value_of(page, f"line_{grants.pk}"),
        },
    )

    assert response.status_code == 302
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.object_id, change.old_value, change.new_value, change.user) == (
        str(StatementFigure.objects.get(line=tax).pk),
        "841200000.00",
        "842000000.00",
        finance_officer,
    )
    assert history().count() == before + 1


def test_text_in_an_amount_is_refused_in_swedish_and_nothing_is_saved(
    client, finance_officer, august
):
    plan = august.plan
    tax = line(plan, "resultatbudget", "skatteintakter")
    grants = line(plan, "resultatbudget", "generella-bidrag-och-utjamning")
    client.force_login(finance_officer)

    response = client.post(
        statements_url(), {f"line_{tax.pk}": "åttahundra", f"line_{grants.pk}": "376 100"}
    )

    assert response.status_code == 400
    assert "”åttahundra” är inte ett belopp." in response.text
    assert 'value="åttahundra"' in response.text
    assert not StatementFigure.objects.exists()
    assert not history().exists()


def test_a_recorded_figure_cannot_be_emptied_on_the_page(client, finance_officer, august):
    tax = line(august.plan, "resultatbudget", "skatteintakter")
    save_statement_figures(
        period=august,
        values={tax.pk: Decimal("841200000")},
        actor=Actor(user=finance_officer, source=Source.PAGE),
    )
    client.force_login(finance_officer)

    response = client.post(statements_url(), {f"line_{tax.pk}": ""})

    assert response.status_code == 400
    assert "ett registrerat belopp kan ändras men inte tas bort" in response.text
    assert StatementFigure.objects.get().amount == Decimal("841200000")
    assert history().count() == 1


def test_a_save_over_someone_elses_newer_save_is_refused_and_the_input_is_kept(
    client, finance_officer, august, django_user_model
):
    tax = line(august.plan, "resultatbudget", "skatteintakter")
    client.force_login(finance_officer)
    shown = client.get(statements_url()).context["form"]["version"].value()
    colleague = Client()
    colleague.force_login(finance_officer)
    colleague.post(statements_url(), {"version": shown, f"line_{tax.pk}": "841 200"})

    response = client.post(statements_url(), {"version": shown, f"line_{tax.pk}": "839 999"})

    assert response.status_code == 400
    assert "Någon annan har sparat budgetställningarna" in response.text
    assert 'value="839 999"' in response.text
    assert StatementFigure.objects.get().amount == Decimal("841200000")
    assert history().count() == 1


def test_a_published_period_shows_the_figures_but_takes_none(
    client, finance_officer, published_august
):
    tax = line(published_august.plan, "resultatbudget", "skatteintakter")
    client.force_login(finance_officer)

    page = client.get(statements_url())
    posted = client.post(statements_url(), {f"line_{tax.pk}": "1"})

    assert page.status_code == 200
    assert "Perioden är publicerad; uppföljningen kan inte längre ändras." in page.text
    assert "Spara budgetställningarna" not in page.text
    assert posted.status_code == 400
    assert not StatementFigure.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["bildning_controller", "councillor", "council_secretary", "administrator", "outsider"],
)
def test_only_finance_opens_or_posts_the_statements(client, request, persona, august):
    tax = line(august.plan, "resultatbudget", "skatteintakter")
    client.force_login(request.getfixturevalue(persona))

    opened = client.get(statements_url())
    posted = client.post(statements_url(), {f"line_{tax.pk}": "1"})

    assert (opened.status_code, posted.status_code) == (403, 403)
    assert not StatementFigure.objects.exists()


def test_anonymous_is_sent_to_the_login_page(client, august):
    for response in (client.get(statements_url()), client.get(balance_url())):
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_pages_answer_only_get_and_post(client, finance_officer, august, method):
    client.force_login(finance_officer)

    for url in (statements_url(), balance_url()):
        assert getattr(client, method)(url).status_code == 405
    assert not StatementFigure.objects.exists()
    assert not BalanceInputs.objects.exists()


@pytest.mark.parametrize(("year", "month"), [(2026, 3), (2026, 10), (2026, 6), (2030, 8)])
def test_a_period_that_is_not_the_interim_report_or_annual_accounts_is_not_found(
    client, finance_officer, demo_year, year, month
):
    client.force_login(finance_officer)

    responses = [
        client.get(statements_url(month, year)),
        client.post(statements_url(month, year), {}),
        client.get(balance_url(month, year)),
        client.post(balance_url(month, year), inputs_data()),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert not BalanceInputs.objects.exists()


def test_the_statements_page_takes_as_many_queries_however_many_figures(
    client, finance_officer, august, django_assert_max_num_queries
):
    amount_lines = list(
        StatementLine.objects.filter(
            statement__plan=august.plan, line_type=StatementLine.Type.AMOUNT
        ).order_by("id")
    )
    by_finance = Actor(user=finance_officer, source=Source.PAGE)
    save_statement_figures(period=august, values={amount_lines[0].pk: Decimal(1)}, actor=by_finance)
    client.force_login(finance_officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(statements_url()).status_code == 200
    save_statement_figures(
        period=august,
        values={x.pk: Decimal(1000 * n) for n, x in enumerate(amount_lines, start=1)},
        actor=by_finance,
    )

    with django_assert_max_num_queries(len(few)):
        page = client.get(statements_url())

    assert page.status_code == 200
    assert len(few) <= 25


# --- The balanskravsutredning -----------------------------------------------------------------


def test_the_page_shows_the_utredning_of_balance_of_period_line_by_line(
    client, finance_officer, august
):
    save_earlier_deficit(
        plan=august.plan,
        year=2025,
        amount=Decimal("-1250000"),
        actor=Actor(user=finance_officer, source=Source.PAGE),
    )
    expected = balance_of_period(august).statement
    page = page_as(client, finance_officer, balance_url())

    assert page.context["statement"] == expected
    shown = re.findall(
        r'<tr(?: class="subtotal")?><th scope="row">([^<]+)</th><td class="num">([^<]*)</td></tr>',
        page.text,
    )
    assert shown == [(x.label, format_mkr(x.amount)) for x in expected.lines]
    assert (
        f"Högsta tillåtna disposition av {expected.reserve.label}</dt><dd>"
        f"{format_mkr(expected.largest_disposition)} mkr" in page.text
    )
    for deficit in expected.deficits_to_restore:
        assert row_cells(page, str(deficit.year)) == [
            format_mkr(deficit.amount),
            str(deficit.restore_by),
        ]
    for message in expected.messages:
        assert message in page.text


def test_without_inputs_the_page_says_the_utredning_has_no_adjustments(
    client, finance_officer, august
):
    page = page_as(client, finance_officer, balance_url())

    assert "Utredningen är därför beräknad utan justeringar" in page.text
    assert value_of(page, "underlag-reserve_balance") == "74\xa0000"


def test_finance_records_inputs_in_tkr_and_the_page_computes_with_them(
    client, finance_officer, august
):
    client.force_login(finance_officer)

    response = client.post(
        balance_url(),
        inputs_data(
            realisation_gains="1 500", reserve="RER", reserve_balance="0", comment="Försäljning"
        )
        | {"underlag-row_version": "0"},
    )

    assert response.status_code == 302
    inputs = BalanceInputs.objects.get(period=august)
    assert (inputs.realisation_gains, inputs.reserve, inputs.comment) == (
        Decimal("1500000"),
        "RER",
        "Försäljning",
    )
    assert (inputs.recorded_by, inputs.row_version) == (finance_officer, 1)
    entry = history().get()
    assert (entry.action, entry.user) == (AuditEntry.Action.CREATED, finance_officer)
    page = client.get(balance_url())
    assert "Underlaget för balanskravsutredningen är sparat." in page.text
    assert "beräknad utan justeringar" not in page.text
    assert page.context["statement"] == balance_of_period(august).statement
    assert row_cells(page, "Samtliga realisationsvinster") == [format_mkr(Decimal("-1500000"))]


def test_changing_one_input_writes_exactly_one_entry(client, finance_officer, august):
    client.force_login(finance_officer)
    client.post(balance_url(), inputs_data(realisation_gains="1 500"))
    before = history().count()

    response = client.post(
        balance_url(),
        inputs_data(realisation_gains="1 750") | {"underlag-row_version": "1"},
    )

    assert response.status_code == 302
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.field, change.old_value, change.new_value, change.user) == (
        "samtliga realisationsvinster (kr)",
        "1500000.00",
        "1750000.00",
        finance_officer,
    )
    assert history().count() == before + 1
    assert BalanceInputs.objects.get().row_version == 2


def test_stale_inputs_are_refused_and_the_input_is_kept(client, finance_officer, august):
    client.force_login(finance_officer)
    client.post(balance_url(), inputs_data(realisation_gains="1 500"))
    colleague = Client()
    colleague.force_login(finance_officer)
    colleague.post(
        balance_url(), inputs_data(realisation_gains="1 600") | {"underlag-row_version": "1"}
    )

    response = client.post(
        balance_url(), inputs_data(realisation_gains="9 999") | {"underlag-row_version": "1"}
    )

    assert response.status_code == 400
    assert "Någon annan har sparat underlaget för balanskravsutredningen" in response.text
    assert 'value="9 999"' in response.text
    assert BalanceInputs.objects.get().realisation_gains == Decimal("1600000")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"realisation_gains": "mycket"}, "”mycket” är inte ett belopp."),
        ({"reservation": "-5"}, "Reservering till reserven anges med plustecken"),
        ({"reserve": "XYZ"}, "Välj ett giltigt alternativ"),
    ],
)
def test_bad_inputs_are_refused_in_swedish_and_change_nothing(
    client, finance_officer, august, typed, message
):
    client.force_login(finance_officer)

    response = client.post(balance_url(), inputs_data(**typed))

    assert response.status_code == 400
    assert message in response.text
    assert not BalanceInputs.objects.exists()
    assert not history().exists()


def test_finance_records_an_earlier_deficit_that_the_utredning_restores(
    client, finance_officer, august
):
    client.force_login(finance_officer)

    response = client.post(
        balance_url(),
        {"form": "underskott", "underskott-year": "2025", "underskott-amount": f"{MINUS}1 250"},
    )

    assert response.status_code == 302
    deficit = EarlierDeficit.objects.get()
    assert (deficit.year, deficit.amount, deficit.recorded_by) == (
        2025,
        Decimal("-1250000"),
        finance_officer,
    )
    assert history().get().action == AuditEntry.Action.CREATED
    page = client.get(balance_url())
    assert row_cells(page, "Balanskravsunderskott från tidigare år") == [
        format_mkr(Decimal("-1250000"))
    ]


def test_a_positive_deficit_is_refused_on_the_page(client, finance_officer, august):
    client.force_login(finance_officer)

    response = client.post(
        balance_url(), {"form": "underskott", "underskott-year": "2025", "underskott-amount": "500"}
    )

    assert response.status_code == 400
    assert "Ett underskott att återställa är negativt" in response.text
    assert not EarlierDeficit.objects.exists()


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_utredning_of_a_published_period_without_the_forms(
    client, request, persona, published_august
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(balance_url())

    assert page.status_code == 200
    assert page.context["statement"] == balance_of_period(published_august).statement
    assert 'name="form"' not in page.text


@pytest.mark.parametrize("persona", READERS)
def test_readers_do_not_see_an_unpublished_period_nor_post(client, request, persona, august):
    client.force_login(request.getfixturevalue(persona))

    opened = client.get(balance_url())
    posted = client.post(balance_url(), inputs_data())

    assert (opened.status_code, posted.status_code) == (404, 404)
    assert not BalanceInputs.objects.exists()


@pytest.mark.parametrize("persona", READERS)
def test_readers_cannot_post_to_a_published_period(client, request, persona, published_august):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(balance_url(), inputs_data())

    assert response.status_code == 403
    assert not BalanceInputs.objects.exists()


@pytest.mark.parametrize("persona", ["administrator", "outsider"])
def test_others_cannot_read_the_utredning(client, request, persona, published_august):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(balance_url()).status_code == 403


def test_the_balance_page_takes_as_many_queries_however_many_deficits(
    client, finance_officer, august, django_assert_max_num_queries
):
    client.force_login(finance_officer)
    client.post(balance_url(), inputs_data(realisation_gains="1 500"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(balance_url()).status_code == 200
    for year in (2021, 2022, 2023, 2024, 2025):
        save_earlier_deficit(
            plan=august.plan,
            year=year,
            amount=Decimal(-100_000 * year),
            actor=Actor(user=finance_officer, source=Source.PAGE),
        )

    with django_assert_max_num_queries(len(few)):
        page = client.get(balance_url())

    assert page.status_code == 200
    assert len(page.context["earlier_deficits"]) == 5
    assert len(few) <= 40
