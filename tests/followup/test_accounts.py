"""The interim report's and the annual accounts' own figures, as services: finance enters
the statements' figures for the interim report and the annual accounts (amount lines only,
changed but never emptied, one audit entry per changed value, a stale save refused), the
balanskravsutredning's inputs and the deficits of earlier years; the year's result is the
review page's, and the utredning is computed from it, with or without recorded inputs."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from budget.models import AuditEntry, KeyFact
from followup.models import BalanceInputs, EarlierDeficit, ReportingPeriod, StatementFigure
from followup.statements import balance
from followup.statements.entry import (
    AccountsError,
    StaleAccounts,
    figures_version,
    save_balance_inputs,
    save_earlier_deficit,
    save_statement_figures,
)
from followup.statements.result import RESERVE_FACT, balance_of_period, year_result
from tests.followup.periods import period_of
from tests.followup.statements import history, line

DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-uppfoljning-2026.toml"
EARLIER = datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 9, 11, 9, 0, tzinfo=datetime.UTC)


def stated_reserve(plan):
    return KeyFact.objects.get(plan=plan, code=RESERVE_FACT).value


def expected_utredning(result, **figures):
    """The balanskravsutredning the balance module computes from 2026's ``result`` and the
    other ``figures``."""
    return balance.balance_statement(
        figures=balance.BalanceFigures(
            year=2026, result=result.result, tax_and_grants=result.tax_and_grants, **figures
        )
    )


# --- The year's result and its balanskravsutredning -----------------------------------------


def test_the_interim_reports_result_is_the_review_pages_municipality_result(
    client, demo_year, finance_officer
):
    client.force_login(finance_officer)
    review = client.get(reverse("followup:review", kwargs={"year": 2026, "month": 8}))
    shown = review.context["result"]

    result = year_result(period_of(demo_year, 8))

    assert review.status_code == 200
    assert not result.is_outcome
    assert result.label == "Prognos"
    assert result.result is not None
    assert result.result == shown.forecast
    assert result.tax_and_grants == shown.tax_base_forecast
    assert result.budget == shown.budget
    assert result.municipality == shown


def test_without_inputs_the_utredning_is_computed_without_adjustments_with_the_plans_reserve(
    demo_year,
):
    august = period_of(demo_year, 8)
    result = year_result(august)

    computed = balance_of_period(august)

    assert computed.inputs is None
    assert computed.missing == ""
    assert computed.statement == expected_utredning(
        result, reserve=balance.Reserve.RUR, reserve_balance=stated_reserve(demo_year)
    )
    assert computed.statement.lines[0] == balance.Line("Årets resultat", result.result)
    assert computed.statement.reserve_balance_after == Decimal("74000000")


def test_with_recorded_inputs_the_utredning_uses_them(demo_year, by_finance):
    august = period_of(demo_year, 8, ReportingPeriod.Status.OPEN)
    values = {
        "realisation_gains": Decimal("2500000"),
        "exempt_realisation_gains": Decimal("1000000"),
        "exempt_realisation_losses": Decimal("-300000"),
        "unrealised_securities": Decimal("-450000.50"),
        "reversed_unrealised_securities": Decimal("120000"),
        "reserve": "RER",
        "reserve_balance": Decimal(0),
        "reservation": Decimal("1000000"),
        "disposition": Decimal(0),
        "negative_equity_incl_pensions": True,
        "comment": "Enligt delårsbokslutet",
    }
    save_balance_inputs(period=august, values=values, actor=by_finance, now=EARLIER)
    result = year_result(august)

    computed = balance_of_period(august)

    assert computed.inputs == BalanceInputs.objects.get(period=august)
    assert computed.statement == expected_utredning(
        result, **{k: v for k, v in values.items() if k != "comment"}
    )
    after = computed.statement.result_after_adjustments
    assert after == (
        result.result
        - Decimal("2500000")
        + Decimal("1000000")
        + Decimal("300000")
        + Decimal("450000.50")
        + Decimal("120000")
    )
    assert computed.statement.balance_result == after - Decimal("1000000")
    assert computed.statement.threshold_share == Decimal("0.02")


def test_earlier_deficits_flow_into_the_utredning(demo_year, by_finance):
    save_earlier_deficit(plan=demo_year, year=2024, amount=Decimal("-3000000"), actor=by_finance)
    save_earlier_deficit(plan=demo_year, year=2025, amount=Decimal("-2000000"), actor=by_finance)
    august = period_of(demo_year, 8)
    result = year_result(august)

    statement = balance_of_period(august).statement

    assert statement == expected_utredning(
        result,
        reserve=balance.Reserve.RUR,
        reserve_balance=stated_reserve(demo_year),
        deficits=(
            balance.Deficit(year=2024, amount=Decimal("-3000000")),
            balance.Deficit(year=2025, amount=Decimal("-2000000")),
        ),
    )
    earlier = {x.label: x.amount for x in statement.lines}
    assert earlier["Balanskravsunderskott från tidigare år"] == Decimal("-5000000")


def test_without_a_result_there_is_no_utredning(plan):
    december = period_of(plan, 12)

    computed = balance_of_period(december)

    assert computed.statement is None
    assert computed.year_result.is_outcome
    assert (
        computed.missing
        == "Årets resultat finns inte ännu: inga rapporter med utfall för perioden."
    )


# --- The statements' figures ------------------------------------------------------------------


def test_finance_enters_amount_lines_with_one_audit_entry_each(plan, august, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    assets = line(plan, "balansbudget", "anlaggningstillgangar")

    saved = save_statement_figures(
        period=august,
        values={tax.pk: Decimal("841200000"), assets.pk: Decimal("325000000.50")},
        actor=by_finance,
        now=EARLIER,
    )

    assert len(saved) == 2
    figures = {f.line_id: f for f in StatementFigure.objects.filter(period=august)}
    assert figures[tax.pk].amount == Decimal("841200000")
    assert figures[assets.pk].amount == Decimal("325000000.50")
    assert {(f.recorded_by, f.recorded_at) for f in figures.values()} == {
        (by_finance.user, EARLIER)
    }
    entries = history()
    assert entries.count() == 2
    assert {(e.action, e.user, e.plan, e.area) for e in entries} == {
        (AuditEntry.Action.CREATED, by_finance.user, plan, "bokslut")
    }
    assert entries.get(object_id=str(figures[tax.pk].pk)).new_value == "belopp (kr): 841200000"


def test_changing_a_figure_writes_one_entry_and_an_unchanged_one_none(plan, august, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    grants = line(plan, "resultatbudget", "generella-bidrag-och-utjamning")
    save_statement_figures(
        period=august,
        values={tax.pk: Decimal("841200000"), grants.pk: Decimal("376100000")},
        actor=by_finance,
        now=EARLIER,
    )
    before = history().count()

    saved = save_statement_figures(
        period=august,
        values={tax.pk: Decimal("842000000"), grants.pk: Decimal("376100000")},
        actor=by_finance,
        now=LATER,
    )

    assert [f.line_id for f in saved] == [tax.pk]
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.field, change.old_value, change.new_value) == (
        "belopp (kr)",
        "841200000.00",
        "842000000",
    )
    assert history().count() == before + 1
    assert StatementFigure.objects.get(line=grants, period=august).recorded_at == EARLIER


def test_a_recorded_figure_cannot_be_emptied(plan, august, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    save_statement_figures(
        period=august, values={tax.pk: Decimal("841200000")}, actor=by_finance, now=EARLIER
    )

    with pytest.raises(AccountsError, match="kan ändras men inte tas bort"):
        save_statement_figures(period=august, values={tax.pk: None}, actor=by_finance)

    assert StatementFigure.objects.get(line=tax).amount == Decimal("841200000")
    assert history().count() == 1


@pytest.mark.parametrize(
    ("kind", "code"),
    [("resultatbudget", "arets-resultat"), ("balansbudget", "panter-och-ansvarsforbindelser")],
)
def test_a_subtotal_or_heading_is_never_entered(plan, august, by_finance, kind, code):
    computed = line(plan, kind, code)

    with pytest.raises(AccountsError, match="registreras inte"):
        save_statement_figures(period=august, values={computed.pk: Decimal(1)}, actor=by_finance)

    assert not StatementFigure.objects.exists()
    assert not history().exists()


def test_a_line_of_no_statement_of_the_plan_is_refused(august, by_finance):
    with pytest.raises(AccountsError, match="hör inte till periodens budgetställningar"):
        save_statement_figures(period=august, values={999_999: Decimal(1)}, actor=by_finance)

    assert not StatementFigure.objects.exists()


@pytest.mark.parametrize(
    ("month", "status", "message"),
    [
        (3, ReportingPeriod.Status.OPEN, "bara för delårsrapporten och årsbokslutet"),
        (8, ReportingPeriod.Status.PUBLISHED, "Perioden är publicerad"),
    ],
    ids=["a month report takes none", "a published period is not changed"],
)
def test_statement_figures_are_refused_where_the_period_takes_none(
    plan, by_finance, month, status, message
):
    period = period_of(plan, month, status)
    tax = line(plan, "resultatbudget", "skatteintakter")

    with pytest.raises(AccountsError, match=message):
        save_statement_figures(period=period, values={tax.pk: Decimal(1)}, actor=by_finance)

    assert not StatementFigure.objects.exists()


def test_the_annual_accounts_take_the_outcome_once_the_period_is_open(plan, by_finance):
    december = period_of(plan, 12, ReportingPeriod.Status.OPEN)
    tax = line(plan, "resultatbudget", "skatteintakter")

    save_statement_figures(period=december, values={tax.pk: Decimal("840000000")}, actor=by_finance)

    assert StatementFigure.objects.get(period=december).amount == Decimal("840000000")


def test_a_save_over_a_newer_one_is_refused(plan, august, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    shown = figures_version(StatementFigure.objects.filter(period=august))
    save_statement_figures(
        period=august, values={tax.pk: Decimal("841200000")}, actor=by_finance, version=shown
    )

    with pytest.raises(StaleAccounts, match="Någon annan har sparat budgetställningarna"):
        save_statement_figures(
            period=august, values={tax.pk: Decimal("1")}, actor=by_finance, version=shown
        )

    assert StatementFigure.objects.get(line=tax).amount == Decimal("841200000")
    assert history().count() == 1


# --- The balance requirement's inputs ---------------------------------------------------------


def test_recording_inputs_writes_one_entry_and_changing_them_one_per_value(august, by_finance):
    created = save_balance_inputs(
        period=august,
        values={"realisation_gains": Decimal("2500000"), "reserve": "RER"},
        actor=by_finance,
        now=EARLIER,
        row_version=0,
    )
    assert created.row_version == 1
    assert history().get().action == AuditEntry.Action.CREATED

    changed = save_balance_inputs(
        period=august,
        values={
            "realisation_gains": Decimal("2600000"),
            "reserve": "RER",
            "reservation": Decimal("500000"),
        },
        actor=by_finance,
        now=LATER,
        row_version=1,
    )

    assert (changed.row_version, changed.recorded_at) == (2, LATER)
    assert changed.realisation_gains == Decimal("2600000")
    changes = history().filter(action=AuditEntry.Action.CHANGED)
    assert sorted((e.field, e.old_value, e.new_value, e.user) for e in changes) == [
        ("reservering till reserven (kr)", "0.00", "500000", by_finance.user),
        ("samtliga realisationsvinster (kr)", "2500000.00", "2600000", by_finance.user),
    ]


def test_saving_inputs_unchanged_writes_nothing(august, by_finance):
    values = {"realisation_gains": Decimal("2500000"), "reserve": "RER"}
    save_balance_inputs(period=august, values=values, actor=by_finance, now=EARLIER)

    same = save_balance_inputs(period=august, values=values, actor=by_finance, row_version=1)

    assert (same.row_version, same.recorded_at) == (1, EARLIER)
    assert history().count() == 1


def test_inputs_shown_before_someone_else_saved_are_refused(august, by_finance):
    save_balance_inputs(
        period=august, values={"reservation": Decimal(1)}, actor=by_finance, row_version=0
    )

    with pytest.raises(StaleAccounts, match="underlaget för balanskravsutredningen"):
        save_balance_inputs(
            period=august, values={"reservation": Decimal(2)}, actor=by_finance, row_version=0
        )

    assert BalanceInputs.objects.get().reservation == Decimal(1)
    assert history().count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reservation": Decimal(-1)}, "Reservering till reserven anges med plustecken"),
        ({"disposition": Decimal(-1)}, "Disposition från reserven anges med plustecken"),
        ({"reserve": "XYZ"}, "Reserven är resultatutjämningsreserven"),
        ({"realisation_gains": None}, "ange ett belopp"),
    ],
)
def test_inputs_that_cannot_be_right_are_refused_in_swedish(august, by_finance, values, message):
    with pytest.raises(AccountsError, match=message):
        save_balance_inputs(period=august, values=values, actor=by_finance)

    assert not BalanceInputs.objects.exists()
    assert not history().exists()


def test_inputs_for_a_month_report_are_refused(march, by_finance):
    with pytest.raises(AccountsError, match="bara för delårsrapporten och årsbokslutet"):
        save_balance_inputs(period=march, values={}, actor=by_finance)

    assert not BalanceInputs.objects.exists()


# --- Deficits of earlier years ----------------------------------------------------------------


def test_a_deficit_is_recorded_once_per_year_and_a_change_audited(plan, by_finance):
    save_earlier_deficit(plan=plan, year=2025, amount=Decimal("-2000000"), actor=by_finance)

    changed = save_earlier_deficit(
        plan=plan, year=2025, amount=Decimal("-1500000"), actor=by_finance
    )

    assert list(EarlierDeficit.objects.values_list("year", "amount")) == [
        (2025, Decimal("-1500000"))
    ]
    assert changed.recorded_by == by_finance.user
    assert [e.action for e in history().order_by("id")] == [
        AuditEntry.Action.CREATED,
        AuditEntry.Action.CHANGED,
    ]
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.old_value, change.new_value) == ("-2000000.00", "-1500000")


@pytest.mark.parametrize(
    ("year", "amount", "message"),
    [
        (2025, Decimal("2000000"), "Ett underskott att återställa är negativt"),
        (2025, Decimal(0), "Ett underskott att återställa är negativt"),
        (2026, Decimal("-1"), "Underskottet ska vara från ett år före 2026."),
    ],
)
def test_a_deficit_that_cannot_be_one_is_refused(plan, by_finance, year, amount, message):
    with pytest.raises(AccountsError, match=message):
        save_earlier_deficit(plan=plan, year=year, amount=amount, actor=by_finance)

    assert not EarlierDeficit.objects.exists()
    assert not history().exists()
