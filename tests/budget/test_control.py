"""Kontroll: the document's own contradictions are shown, never hidden."""

from decimal import Decimal

from budget.money import round_mkr
from budget.reports import control


def find(checks, table_code, row_code, column_key, expected_label_part=""):
    return next(
        c
        for c in checks
        if c.table_code == table_code
        and c.row_code == row_code
        and c.column_key == column_key
        and expected_label_part in c.expected_label
    )


def test_investments_in_the_cash_flow_budget_are_checked_against_the_investment_budget(snapshot):
    checks = control.checks(snapshot)

    check = find(checks, "kassaflodesbudget", "investering-materiella", "budget-2026")
    assert not check.agrees
    assert round_mkr(check.shown) == Decimal("-53.2")
    assert round_mkr(check.expected) == Decimal("-45.2")
    assert round_mkr(check.difference) == Decimal("-8.0")
    assert find(checks, "kassaflodesbudget", "investering-materiella", "plan-2028").agrees


def test_result_budget_result_is_checked_against_the_frames_result(snapshot):
    checks = control.checks(snapshot)

    check = find(checks, "resultatbudget", "arets-resultat", "budget-2026", "Budgetjämförelse")
    assert not check.agrees
    assert round_mkr(check.expected) == Decimal("5.9")


def test_opening_cash_is_checked_against_last_years_closing_cash(snapshot):
    checks = control.checks(snapshot)

    check = find(checks, "kassaflodesbudget", "likvida-medel-periodens-borjan", "plan-2027")
    assert check.agrees
    assert round_mkr(check.expected) == Decimal("194.8")


def test_the_documents_two_summa_namnder_for_plan_2027_are_flagged(snapshot):
    checks = control.checks(snapshot)

    check = find(checks, "forandring-av-medel", "summa-namnder", "plan-2027")
    assert not check.agrees
    assert round_mkr(check.difference) == Decimal("-1.3")


def test_every_differing_check_is_counted(snapshot):
    checks = control.checks(snapshot)

    assert len(control.differing(checks)) == sum(1 for c in checks if not c.agrees)
    assert len(control.differing(checks)) == 20
