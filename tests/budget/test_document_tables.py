"""Every table of the source document, computed from stored rows.

Each test compares the application's rows with the document (the data file is
a transcription, so these tests catch a mistyped figure) and its computed sums
with the totals the document states: equal when shown with one decimal, or
listed as a difference, which the pages and the Kontroll page then show.
"""

from decimal import Decimal

from budget.money import round_mkr
from budget.reports import document


def shown(table, row, column):
    return round_mkr(table.row(row).values[column])


def differing_cells(table):
    return {(row.code, key) for row, key, *_ in table.differences()}


def test_budget_comparison_holds_every_committee_row_of_the_document(snapshot):
    table = document.comparison(snapshot)

    assert [c.key for c in table.columns] == [
        "bokslut-2024",
        "budget-2025",
        "budget-2026",
        "plan-2027",
        "plan-2028",
    ]
    assert shown(table, "bildningsnamnden", "budget-2026") == Decimal("-523.3")
    assert shown(table, "omsorgsnamnden", "plan-2028") == Decimal("-570.7")
    assert shown(table, "politisk-utfordelning", "plan-2028") == Decimal("9.4")
    assert table.row("politisk-utfordelning").values["bokslut-2024"] is None


def test_budget_comparison_totals_agree_with_the_document_or_are_flagged(snapshot):
    table = document.comparison(snapshot)

    assert shown(table, "summa-namnder", "bokslut-2024") == Decimal("-1160.9")
    assert shown(table, "summa-namnder", "plan-2027") == Decimal("-1240.3")
    assert shown(table, "summa-finansforvaltningen", "budget-2026") == Decimal("1213.5")
    assert shown(table, "resultat", "bokslut-2024") == Decimal("-18.9")
    # The document's rows are rounded: their sums differ by 0,1 mkr here.
    assert shown(table, "summa-namnder", "budget-2026") == Decimal("-1207.6")
    assert shown(table, "resultat", "budget-2026") == Decimal("5.9")
    assert differing_cells(table) == {
        ("summa-namnder", "budget-2025"),
        ("summa-namnder", "budget-2026"),
        ("summa-namnder", "plan-2028"),
        ("summa-finansforvaltningen", "budget-2025"),
        ("summa-finansforvaltningen", "plan-2027"),
        ("summa-finansforvaltningen", "plan-2028"),
        ("resultat", "budget-2025"),
        ("resultat", "budget-2026"),
        ("resultat", "plan-2027"),
    }


def test_the_reserve_line_counts_in_summa_namnder_but_is_not_a_committee(snapshot):
    table = document.comparison(snapshot)
    committees = table.row("summa-namnder").values["plan-2028"]
    without_reserve = committees - table.row("politisk-utfordelning").values["plan-2028"]

    assert round_mkr(without_reserve) == Decimal("-1283.4")
    assert "politisk-utfordelning" not in {r.code for r in document.change(snapshot).rows}


def test_budget_change_shows_mkr_and_percent_against_last_year(snapshot):
    table = document.change(snapshot)

    assert shown(table, "kommunstyrelsen", "forandring-mkr") == Decimal("2.1")
    assert shown(table, "omsorgsnamnden", "forandring-mkr") == Decimal("-13.7")
    ks = table.row("kommunstyrelsen").values["forandring-procent"]
    assert round(ks * 100, 1) == Decimal("-1.7")
    # Valnämnden had no budget in 2025: no percentage can be computed.
    assert table.row("valnamnden").values["forandring-procent"] is None
    assert differing_cells(table) == {
        ("bildningsnamnden", "forandring-procent"),
        ("miljo-och-samhallsbyggnadsnamnden", "forandring-procent"),
    }


def test_change_in_funds_flags_the_documents_other_summa_namnder(snapshot):
    table = document.funds(snapshot)

    assert shown(table, "skatter-och-bidrag", "plan-2028") == Decimal("1290.3")
    growth = table.row("skatter-och-bidrag-procent").values
    assert round(growth["budget-2026"] * 100, 1) == Decimal("1.9")
    assert round(growth["plan-2028"] * 100, 1) == Decimal("2.7")
    # The document states Summa nämnder Plan 2027 as −1 240,3 in one table and −1 239,0 here.
    stated = table.row("summa-namnder").stated["plan-2027"]
    assert round_mkr(stated) == Decimal("-1239.0")
    assert shown(table, "summa-namnder", "plan-2027") == Decimal("-1240.3")
    assert ("summa-namnder", "plan-2027") in differing_cells(table)


def test_result_budget_sums_to_the_documents_result(snapshot):
    table = document.statement(snapshot, "resultatbudget")

    assert shown(table, "summa-verksamhetens-nettokostnader", "budget-2026") == Decimal("-1219.2")
    assert shown(table, "arets-resultat", "budget-2026") == Decimal("6.0")
    assert shown(table, "arets-resultat", "plan-2027") == Decimal("12.6")
    assert shown(table, "arets-resultat", "plan-2028") == Decimal("12.9")
    assert differing_cells(table) == set()


def test_balance_budget_balances(snapshot):
    table = document.statement(snapshot, "balansbudget")

    for column in ("budget-2026", "plan-2027", "plan-2028"):
        assert (
            table.row("summa-tillgangar").values[column]
            == table.row("summa-eget-kapital-avsattningar-och-skulder").values[column]
        )
    assert shown(table, "summa-eget-kapital", "plan-2028") == Decimal("409.1")
    assert differing_cells(table) == set()


def test_cash_flow_budget_ends_with_the_documents_closing_cash(snapshot):
    table = document.statement(snapshot, "kassaflodesbudget")

    assert shown(table, "medel-fore-forandring-rorelsekapital", "budget-2026") == Decimal("27.6")
    assert shown(table, "arets-kassaflode", "plan-2027") == Decimal("-63.4")
    assert shown(table, "likvida-medel-periodens-slut", "plan-2028") == Decimal("66.4")
    assert table.row("justering-realisationsvinst-forlust").values["budget-2026"] is None
    assert differing_cells(table) == set()


def test_investment_budget_sums_per_year_and_marks_the_carry_over_note(snapshot):
    table = document.investments(snapshot)

    assert [c.label for c in table.columns] == [
        "Budget 2025",
        "Prognos 2025",
        "Budget 2026*",
        "Plan 2027",
        "Plan 2028",
    ]
    assert shown(table, "summa-investeringar", "budget-2025") == Decimal("74.1")
    assert shown(table, "summa-investeringar", "budget-2026") == Decimal("45.2")
    assert shown(table, "kommunstyrelsen", "prognos-2025") == Decimal("42.8")
    assert table.notes and "överflyttade medel" in table.notes[0]
    assert differing_cells(table) == set()


def test_totals_carry_formulas_built_from_their_rows(snapshot):
    table = document.comparison(snapshot)
    formula = table.row("summa-namnder").formulas["budget-2026"]

    committee_rows = {ref.row for ref, sign in formula.terms}
    assert "bildningsnamnden" in committee_rows
    assert "skatteintakter" not in committee_rows
