"""The demo's interim report: finance's own figures for August (the outcome so far, the
forecast, notes, last year's outcome, the assessment), invented and marked as demo data,
so that the demo's August paper shows every column, its balance sheet balances and its
result is the summary's."""

from datetime import date

import pytest

from budget.loader import read_toml
from budget.models import Company
from budget.money import ratio
from followup.models import CompanyPeriodForecast, ReportingPeriod, StatementFigure
from followup.models.statements import PreviousYearFigure
from followup.papers.interim_report import interim_report
from followup.statements.assessment import assessment_of
from followup.statements.demo import load_demo_accounts
from followup.statements.figures import subtotal_value
from followup.statements.previous_year import committee_outcomes
from tests.conftest import FIXTURES
from tests.followup.periods import municipality_result, overview

DEMO_ACCOUNTS = FIXTURES / "demo-bokslut-2026.toml"
COLUMNS = ("to_date", "figure", "previous_to_date", "previous_year")


@pytest.fixture
def demo_august(demo_as_run):
    """The demo as make run loads it (setup_demo: the reallocations and the investments,
    finance's figures for August, then the follow-up, which publishes August)."""
    return ReportingPeriod.objects.get(plan=demo_as_run, month=8)


def test_the_demo_august_is_published_with_finances_figures_marked_as_demo(demo_august):
    assert demo_august.status == ReportingPeriod.Status.PUBLISHED
    assert demo_august.demo
    assert StatementFigure.objects.filter(period=demo_august).count() > 20
    assert set(PreviousYearFigure.objects.values_list("demo", flat=True)) == {True}
    assert "Demodata" in assessment_of(demo_august).text


def test_every_statement_line_has_a_figure_in_every_column(demo_august):
    report = interim_report(demo_august, today=date(2026, 11, 20))

    for kind, sheet in report.statements.items():
        for row in sheet.rows:
            if not row.has_figures:
                continue
            for column in COLUMNS:
                assert subtotal_value(sheet, row.code, column) is not None, (kind, row, column)


def test_the_demo_balance_sheet_balances_in_every_column(demo_august):
    sheet = interim_report(demo_august, today=date(2026, 11, 20)).statements["balansbudget"]

    for column in COLUMNS:
        assets = subtotal_value(sheet, "summa-tillgangar", column)
        claims = subtotal_value(sheet, "summa-eget-kapital-avsattningar-och-skulder", column)
        assert assets == claims, column


def test_the_demo_result_statement_is_the_summarys_result(demo_august):
    sheet = interim_report(demo_august, today=date(2026, 11, 20)).statements["resultatbudget"]
    result = municipality_result(demo_august, overview(demo_august))

    assert subtotal_value(sheet, "arets-resultat") == result.adopted_forecast
    assert subtotal_value(sheet, "arets-resultat", "to_date") == result.outcome


def test_the_demo_has_last_years_outcome_for_every_committee_with_a_frame_then(demo_august):
    outcomes = committee_outcomes(demo_august)
    rows = overview(demo_august)

    committees_2025 = [r.committee for r in rows if r.committee.code != "politisk-utfordelning"]
    assert {c.pk for c in committees_2025} == set(outcomes)
    assert all(o.to_date is not None and o.year is not None for o in outcomes.values())
    # Last year's result, January–August and the whole year, as the file states it.
    assert sum(o.year for o in outcomes.values()) == -1_500_000
    assert sum(o.to_date for o in outcomes.values()) == 21_700_000


def test_loading_the_demo_accounts_twice_adds_nothing(demo_august):
    count = PreviousYearFigure.objects.count()

    again = load_demo_accounts(read_toml(DEMO_ACCOUNTS), plan=demo_august.plan)

    assert (again.figures, again.previous, again.companies) == (0, 0, 0)
    assert PreviousYearFigure.objects.count() == count


def test_every_company_has_a_forecast_for_august_with_finances_comment(demo_august):
    forecasts = CompanyPeriodForecast.objects.filter(period=demo_august)

    assert forecasts.count() == Company.objects.count() == 3
    assert all(f.result is not None and "Demodata" in f.comment for f in forecasts)


def test_the_financial_goals_soliditet_is_the_papers_balance_sheet(demo_august):
    """The goals read the balance sheet the paper prints: Årets resultat, which finance
    does not enter, taken from the result statement as on the sheet."""
    report = interim_report(demo_august, today=date(2026, 11, 20))
    sheet = report.statements["balansbudget"]
    equity = subtotal_value(sheet, "summa-eget-kapital")
    assets = subtotal_value(sheet, "summa-tillgangar")

    soliditet = next(f for f in report.financial if f.indicator.method == "soliditet")

    assert not StatementFigure.objects.filter(period=demo_august, line__code="arets-resultat")
    assert soliditet.figure == ratio(equity, assets)
