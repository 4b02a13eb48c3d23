"""Stated figures win over rounding.

The document states totals (Årets resultat 6,0 for 2026) whose rows, each rounded to 0,1 mkr,
sum to something slightly different (5,9). Where rounding alone explains the difference
(budget.money.differs_only_by_rounding: 0,05 mkr per rounded figure, the rows and the total),
headlines, target checks and the balanskravsutredning use the stated, adopted figure; the
tables keep the sum of the rows and Kontroll shows the difference.
"""

import datetime
from decimal import Decimal

from django.urls import reverse

from budget.models import Activity, BudgetYear, FrameEntry, StatedFigure
from budget.money import differs_only_by_rounding, rounding_tolerance
from budget.reports import control, document, indicators
from budget.reports.snapshot import CURRENT, PlanSnapshot
from budget.reports.stated import result_rounding
from followup.goals.progress import budget_balance
from tests.pages import page_as

MKR = Decimal(1_000_000)


def mkr(text):
    return Decimal(text) * MKR


def state_result(plan, value_mkr, key="budget-2026"):
    kind, year = key.split("-")
    StatedFigure.objects.filter(
        plan=plan, table="budgetjamforelse", row="resultat", budget_year__year=int(year)
    ).filter(budget_year__kind=kind).update(value=mkr(value_mkr))


# --- the rule ---------------------------------------------------------------------------------


def test_rounding_explains_half_a_tenth_for_each_rounded_row_and_for_the_total():
    assert rounding_tolerance(13) == mkr("0.7")
    assert differs_only_by_rounding(mkr("6.0"), mkr("5.9"), terms=13)
    assert differs_only_by_rounding(mkr("6.0"), mkr("5.3"), terms=13)
    assert not differs_only_by_rounding(mkr("6.0"), mkr("5.29"), terms=13)


def test_a_difference_larger_than_rounding_explains_is_not_rounding():
    # Summa nämnder Plan 2027 in "Förändring av medel": 8 rows allow 0,45 mkr.
    assert not differs_only_by_rounding(mkr("-1239.0"), mkr("-1240.3"), terms=8)


def test_equal_or_missing_figures_are_not_a_rounding_difference():
    assert not differs_only_by_rounding(mkr("6.0"), mkr("6.0"), terms=13)
    assert not differs_only_by_rounding(None, mkr("6.0"), terms=13)
    assert not differs_only_by_rounding(mkr("6.0"), None, terms=13)


# --- the tables' figures ----------------------------------------------------------------------


def test_the_result_headline_is_the_stated_result_where_the_rows_differ_by_rounding(snapshot):
    figure = document.comparison(snapshot).figure("resultat", "budget-2026")

    assert figure.value == mkr("6.0")
    assert figure.computed == mkr("5.9")
    assert figure.from_document
    assert figure.rounding == mkr("0.1")


def test_a_stated_total_that_rounding_does_not_explain_leaves_the_sum_of_the_rows(snapshot):
    funds = document.funds(snapshot)

    figure = funds.figure("summa-namnder", "plan-2027")

    assert figure.stated == mkr("-1239.0")
    assert figure.value == figure.computed == mkr("-1240.3")
    assert not figure.from_document


def test_the_tables_still_show_the_sum_of_the_rows(snapshot):
    assert document.comparison(snapshot).row("resultat").values["budget-2026"] == mkr("5.9")


def test_on_the_current_budget_the_stated_result_carries_the_decided_changes(plan):
    # 1,0 mkr of the reserve for unforeseen costs is spent: the result falls by 1,0.
    FrameEntry.objects.create(
        activity=Activity.objects.get(code="avsatt-for-oforutsedda-kostnader"),
        budget_year=BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=FrameEntry.Kind.CHANGE,
        amount=mkr("-1.0"),
        decision="KF 2026-04-27 § 46",
        decided_on=datetime.date(2026, 4, 27),
    )

    current = document.comparison(PlanSnapshot(plan, basis=CURRENT))

    assert current.figure("resultat", "budget-2026").value == mkr("5.0")  # 6,0 − 1,0
    assert current.row("resultat").values["budget-2026"] == mkr("4.9")


# --- target checks never flip on the source's rounding ----------------------------------------


def test_the_surplus_target_uses_the_stated_result(snapshot):
    target = indicators.surplus_targets(snapshot)[0]

    assert target.result == mkr("6.0")
    assert target.computed_result == mkr("5.9")
    # 0,50 % of 1 215,2 mkr is 6,08 mkr: 6,0 is still short, as in the document.
    assert target.met is False


def test_a_target_the_stated_result_meets_is_met_although_the_rows_fall_short(plan):
    state_result(plan, "6.1")  # rows 5,9: a difference of 0,2, rounding alone

    target = indicators.surplus_targets(PlanSnapshot(plan))[0]

    assert target.result == mkr("6.1")
    assert target.met is True


def test_a_stated_result_far_from_the_rows_is_not_used(plan):
    state_result(plan, "9.0")

    target = indicators.surplus_targets(PlanSnapshot(plan))[0]

    assert target.result == mkr("5.9")
    assert target.met is False


def test_the_result_share_indicator_uses_the_stated_result(snapshot):
    _, rows = indicators.financial_indicators(snapshot)
    share = next(r for r in rows if r.method == "resultatandel")

    assert share.values["budget-2026"] == mkr("6.0") / snapshot.tax_base("budget-2026")


def test_the_budgets_balance_requirement_uses_the_stated_result(snapshot):
    balance = budget_balance(snapshot, document.comparison(snapshot))

    assert balance.result == mkr("6.0")
    assert balance.statement.balance_result == mkr("6.0")


# --- the follow-up's budgeted result ------------------------------------------------------------


def test_the_follow_up_adds_the_documents_rounding_for_the_whole_municipality(plan):
    committees = set(
        Activity.objects.filter(committee__municipality=plan.municipality).values_list(
            "committee_id", flat=True
        )
    )

    assert result_rounding(plan.pk, committee_ids=committees) == mkr("0.1")


def test_the_follow_up_adds_nothing_for_part_of_the_municipality(plan):
    bildning = Activity.objects.get(code="bildningsnamnden").committee_id

    assert result_rounding(plan.pk, committee_ids={bildning}) == 0


# --- Kontroll says which figure is used ---------------------------------------------------------


def test_control_says_the_stated_figure_is_used_where_the_difference_is_rounding(snapshot):
    checks = {
        (c.table_code, c.row_code, c.column_key): c
        for c in control.checks(snapshot)
        if c.expected_label == "Angivet i dokumentet"
    }

    result = checks[("budgetjamforelse", "resultat", "budget-2026")]
    assert (result.agrees, result.stated_used) == (False, True)
    assert result.used == "Angiven uppgift (skillnaden är avrundning)"
    funds = checks[("forandring-av-medel", "summa-namnder", "plan-2027")]
    assert (funds.agrees, funds.stated_used, funds.used) == (False, False, "Beräknad uppgift")


def test_the_control_page_shows_which_figure_is_used(client, councillor):
    response = page_as(client, councillor, reverse("budget:control", kwargs={"year": 2026}))

    assert "Används" in response.text
    assert "Angiven uppgift (skillnaden är avrundning)" in response.text
    assert "den angivna, antagna summan som används" in response.text


def test_the_overview_headline_is_the_stated_result_and_says_so(client, councillor):
    response = page_as(client, councillor, reverse("budget:overview", kwargs={"year": 2026}))

    cards = response.text.split('class="cards"')[1]
    result_card = cards.split("<h3>Resultat</h3>")[1].split("</div>")[0]
    assert "6,0" in result_card
    assert "summan av raderna är 5,9" in result_card
    assert "Resultatet 6,0 mkr" in cards
