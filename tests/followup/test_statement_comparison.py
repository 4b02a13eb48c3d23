"""The interim report's and the annual accounts' comparisons: finance enters, beside the
year's forecast (outcome), the outcome so far and a note per statement line; last year's
outcome per statement line and per committee, once per plan; and the assessment of god
ekonomisk hushållning per period. Everything is audited, a stale save is refused, nothing
is emptied. The papers' statement sheets carry it: Utfall jan–aug, Prognos, Budget,
Avvikelse, last year's Utfall jan–aug and Utfall, Anmärkning (the annual accounts: Utfall,
Budget, Avvikelse, last year's Utfall, Anmärkning)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budget.models import AuditEntry, Committee
from budget.money import format_mkr, to_kronor
from followup.models import ReportingPeriod, StatementFigure
from followup.models.statements import PreviousYearFigure, StewardshipAssessment
from followup.papers.interim_report import interim_report
from followup.papers.interim_report_workbook import workbook_bytes
from followup.papers.statement_sheets import BALANCE_SHEET, RESULT_SHEET
from followup.statements.assessment import assessment_of, save_assessment
from followup.statements.entry import (
    AccountsError,
    StaleAccounts,
    figures_version,
    save_statement_figures,
)
from followup.statements.figures import subtotal_value
from followup.statements.previous_year import (
    PreviousOutcome,
    committee_outcomes,
    comparison_months,
    line_outcomes,
    previous_year_version,
    save_previous_year,
)
from tests.followup.periods import municipality_result, overview, period_of
from tests.followup.statements import history, line
from tests.workbooks import exact, rows_by_label

TODAY = datetime.date(2026, 11, 20)
EARLIER = datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 9, 11, 9, 0, tzinfo=datetime.UTC)


def committee(code):
    return Committee.objects.get(code=code)


def mkr(text):
    return to_kronor(text, "mkr")


def enter_depreciation(period, actor, *, to_date="-15.2", now=None):
    """Finance enters depreciation for ``period``: as budgeted (-23.0 mkr), ``to_date`` mkr
    so far and the note "Enligt budget.". Returns the line."""
    depreciation = line(period.plan, "resultatbudget", "avskrivningar")
    save_statement_figures(
        period=period,
        values={depreciation.pk: mkr("-23.0")},
        to_date={depreciation.pk: mkr(to_date)},
        notes={depreciation.pk: "Enligt budget."},
        actor=actor,
        now=now,
    )
    return depreciation


def workbook(period):
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY)))


def headers(ws):
    return [c.value for c in ws[5] if c.value is not None]


def cells(ws, label):
    """{header: value} of the row headed ``label``."""
    r = rows_by_label(ws)[label]
    return {h: ws.cell(r, c).value for c, h in enumerate(headers(ws), start=1)}


# --- The outcome so far and the note, beside the year's figure ------------------------------


def test_finance_enters_the_outcome_so_far_and_a_note_beside_the_forecast(plan, august, by_finance):
    depreciation = line(plan, "resultatbudget", "avskrivningar")

    saved = save_statement_figures(
        period=august,
        values={depreciation.pk: mkr("-23.0")},
        to_date={depreciation.pk: mkr("-15.2")},
        notes={depreciation.pk: "  Enligt budget.  "},
        actor=by_finance,
        now=EARLIER,
    )

    assert len(saved) == 1
    figure = StatementFigure.objects.get(period=august, line=depreciation)
    assert (figure.amount, figure.outcome_to_date, figure.note) == (
        mkr("-23.0"),
        mkr("-15.2"),
        "Enligt budget.",
    )
    assert (figure.recorded_by, figure.recorded_at) == (by_finance.user, EARLIER)
    created = history().get()
    assert created.action == AuditEntry.Action.CREATED
    assert "utfall hittills i år (kr): -15200000" in created.new_value
    assert "anmärkning: Enligt budget." in created.new_value


def test_a_change_keeps_what_was_there_in_the_history(august, by_finance):
    depreciation = enter_depreciation(august, by_finance, to_date="-15.2", now=EARLIER)

    enter_depreciation(august, by_finance, to_date="-15.4", now=LATER)

    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.field, change.old_value, change.new_value) == (
        "utfall hittills i år (kr)",
        "-15200000.00",
        "-15400000.00",
    )
    assert StatementFigure.objects.get(line=depreciation).recorded_at == LATER


def test_the_outcome_so_far_and_a_note_need_the_lines_forecast(plan, august, by_finance):
    depreciation = line(plan, "resultatbudget", "avskrivningar")

    with pytest.raises(AccountsError, match="ange prognosen för raden också"):
        save_statement_figures(
            period=august, values={}, to_date={depreciation.pk: mkr("-15.2")}, actor=by_finance
        )
    with pytest.raises(AccountsError, match="ange prognosen för raden också"):
        save_statement_figures(
            period=august, values={}, notes={depreciation.pk: "Text"}, actor=by_finance
        )

    assert not StatementFigure.objects.exists()
    assert not history().exists()


def test_a_recorded_outcome_so_far_cannot_be_emptied_but_a_note_can(august, by_finance):
    depreciation = enter_depreciation(august, by_finance, to_date="-15.2")

    with pytest.raises(AccountsError, match="utfall hittills kan ändras men inte tas bort"):
        save_statement_figures(
            period=august, values={}, to_date={depreciation.pk: None}, actor=by_finance
        )
    save_statement_figures(period=august, values={}, notes={depreciation.pk: ""}, actor=by_finance)

    figure = StatementFigure.objects.get(line=depreciation)
    assert (figure.outcome_to_date, figure.note) == (mkr("-15.2"), "")
    removed = history().get(action=AuditEntry.Action.CHANGED)
    assert (removed.field, removed.old_value) == ("anmärkning", "Enligt budget.")


def test_the_annual_accounts_take_no_outcome_so_far(plan, by_finance):
    december = period_of(plan, 12, ReportingPeriod.Status.OPEN)
    depreciation = line(plan, "resultatbudget", "avskrivningar")

    with pytest.raises(AccountsError, match="årsbokslutet har utfallet för helåret"):
        save_statement_figures(
            period=december,
            values={depreciation.pk: mkr("-22.8")},
            to_date={depreciation.pk: mkr("-15.2")},
            actor=by_finance,
        )

    assert not StatementFigure.objects.exists()


def test_a_subtotal_takes_no_outcome_so_far(plan, august, by_finance):
    subtotal = line(plan, "resultatbudget", "summa-verksamhetens-nettokostnader")

    with pytest.raises(AccountsError, match="beräknas av raderna under den"):
        save_statement_figures(
            period=august, values={}, to_date={subtotal.pk: mkr("-800")}, actor=by_finance
        )

    assert not StatementFigure.objects.exists()


def test_an_outcome_so_far_saved_on_a_stale_form_is_refused(plan, august, by_finance):
    depreciation = line(plan, "resultatbudget", "avskrivningar")
    shown = figures_version(StatementFigure.objects.filter(period=august))
    save_statement_figures(
        period=august, values={depreciation.pk: mkr("-23.0")}, actor=by_finance, now=EARLIER
    )

    with pytest.raises(StaleAccounts):
        save_statement_figures(
            period=august,
            values={depreciation.pk: mkr("-23.0")},
            to_date={depreciation.pk: mkr("-15.2")},
            actor=by_finance,
            version=shown,
        )

    assert StatementFigure.objects.get().outcome_to_date is None
    assert history().count() == 1


# --- Last year's outcome ---------------------------------------------------------------------


def test_last_years_outcome_is_entered_for_the_interim_months_and_the_whole_year(plan):
    assert comparison_months(plan) == [8, 12]


def test_finance_enters_last_years_outcome_per_line_and_committee(plan, august, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    bildning = committee("bildningsnamnden")

    saved = save_previous_year(
        plan=plan,
        lines={(tax.pk, 8): mkr("550.7"), (tax.pk, 12): mkr("826.0")},
        committees={(bildning.pk, 8): mkr("-340.2"), (bildning.pk, 12): mkr("-522.4")},
        actor=by_finance,
        now=EARLIER,
    )

    assert len(saved) == 4
    assert line_outcomes(august) == {tax.pk: PreviousOutcome(mkr("550.7"), mkr("826.0"))}
    assert committee_outcomes(august) == {
        bildning.pk: PreviousOutcome(to_date=mkr("-340.2"), year=mkr("-522.4"))
    }
    assert {(f.recorded_by, f.recorded_at, f.demo) for f in PreviousYearFigure.objects.all()} == {
        (by_finance.user, EARLIER, False)
    }
    entries = history()
    assert entries.count() == 4
    assert {(e.action, e.plan) for e in entries} == {(AuditEntry.Action.CREATED, plan)}
    assert {e.committee for e in entries} == {None, bildning}


def test_for_the_annual_accounts_both_are_the_whole_year(plan, by_finance):
    december = period_of(plan, 12)
    kommunstyrelsen = committee("kommunstyrelsen")
    save_previous_year(
        plan=plan,
        lines={},
        committees={(kommunstyrelsen.pk, 8): mkr("-76.9"), (kommunstyrelsen.pk, 12): mkr("-121.8")},
        actor=by_finance,
    )

    assert committee_outcomes(december) == {
        kommunstyrelsen.pk: PreviousOutcome(to_date=mkr("-121.8"), year=mkr("-121.8"))
    }


def test_a_committee_without_figures_is_left_out_and_a_missing_half_is_none(
    plan, august, by_finance
):
    kommunstyrelsen = committee("kommunstyrelsen")
    save_previous_year(
        plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): mkr("-121.8")}, actor=by_finance
    )

    assert committee_outcomes(august) == {
        kommunstyrelsen.pk: PreviousOutcome(to_date=None, year=mkr("-121.8"))
    }


def test_changing_last_years_outcome_keeps_the_earlier_in_the_history(plan, by_finance):
    kommunstyrelsen = committee("kommunstyrelsen")
    save_previous_year(
        plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): mkr("-121.8")}, actor=by_finance
    )

    save_previous_year(
        plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): mkr("-122.0")}, actor=by_finance
    )

    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.old_value, change.new_value, change.committee) == (
        "-121800000.00",
        "-122000000.00",
        kommunstyrelsen,
    )
    assert PreviousYearFigure.objects.get().amount == mkr("-122.0")


def test_last_years_outcome_cannot_be_emptied(plan, by_finance):
    kommunstyrelsen = committee("kommunstyrelsen")
    save_previous_year(
        plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): mkr("-121.8")}, actor=by_finance
    )

    with pytest.raises(AccountsError, match="kan ändras men inte tas bort"):
        save_previous_year(
            plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): None}, actor=by_finance
        )

    assert PreviousYearFigure.objects.get().amount == mkr("-121.8")


def test_last_years_outcome_saved_on_a_stale_form_is_refused(plan, by_finance):
    kommunstyrelsen = committee("kommunstyrelsen")
    shown = previous_year_version(PreviousYearFigure.objects.filter(plan=plan))
    save_previous_year(
        plan=plan, lines={}, committees={(kommunstyrelsen.pk, 12): mkr("-121.8")}, actor=by_finance
    )

    with pytest.raises(StaleAccounts):
        save_previous_year(
            plan=plan,
            lines={},
            committees={(kommunstyrelsen.pk, 12): mkr("-125.0")},
            actor=by_finance,
            version=shown,
        )

    assert PreviousYearFigure.objects.get().amount == mkr("-121.8")


def test_last_years_outcome_is_refused_for_other_months_and_for_subtotals(plan, by_finance):
    tax = line(plan, "resultatbudget", "skatteintakter")
    result = line(plan, "resultatbudget", "arets-resultat")

    with pytest.raises(AccountsError, match="registreras för januari–augusti, helår"):
        save_previous_year(
            plan=plan, lines={(tax.pk, 5): mkr("1")}, committees={}, actor=by_finance
        )
    with pytest.raises(AccountsError, match="summa eller rubrik"):
        save_previous_year(
            plan=plan, lines={(result.pk, 12): mkr("1")}, committees={}, actor=by_finance
        )

    assert not PreviousYearFigure.objects.exists()


# --- The assessment of god ekonomisk hushållning ---------------------------------------------


def test_finance_writes_the_assessment_and_others_read_it(august, by_finance):
    assert assessment_of(august) is None

    save_assessment(period=august, text="  God hushållning.  ", actor=by_finance, now=EARLIER)

    assessment = assessment_of(august)
    assert (assessment.text, assessment.recorded_by, assessment.recorded_at) == (
        "God hushållning.",
        by_finance.user,
        EARLIER,
    )
    assert assessment.row_version == 1
    assert history().get().action == AuditEntry.Action.CREATED


def test_a_changed_assessment_raises_its_version_and_keeps_the_old_text(august, by_finance):
    save_assessment(period=august, text="Första.", actor=by_finance, row_version=0)

    save_assessment(period=august, text="Andra.", actor=by_finance, row_version=1)

    assert assessment_of(august).row_version == 2
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.old_value, change.new_value) == ("Första.", "Andra.")


def test_an_unchanged_assessment_writes_nothing(august, by_finance):
    save_assessment(period=august, text="Första.", actor=by_finance)

    save_assessment(period=august, text="Första.", actor=by_finance, row_version=1)

    assert assessment_of(august).row_version == 1
    assert history().count() == 1


def test_an_assessment_saved_on_a_stale_form_is_refused(august, by_finance):
    save_assessment(period=august, text="Första.", actor=by_finance, row_version=0)

    with pytest.raises(StaleAccounts):
        save_assessment(period=august, text="Min version.", actor=by_finance, row_version=0)

    assert assessment_of(august).text == "Första."
    assert StewardshipAssessment.objects.count() == 1


def test_an_assessment_cannot_be_emptied(august, by_finance):
    save_assessment(period=august, text="Första.", actor=by_finance)

    with pytest.raises(AccountsError, match="kan ändras men inte tas bort"):
        save_assessment(period=august, text="   ", actor=by_finance, row_version=1)

    assert assessment_of(august).text == "Första."


def test_no_assessment_for_a_month_report_or_a_published_period(plan, by_finance):
    with pytest.raises(AccountsError, match="bara för delårsrapporten och årsbokslutet"):
        save_assessment(period=period_of(plan, 4), text="Text.", actor=by_finance)
    published = period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)
    with pytest.raises(AccountsError, match="publicerad"):
        save_assessment(period=published, text="Text.", actor=by_finance)

    assert not StewardshipAssessment.objects.exists()


# --- The paper's columns ---------------------------------------------------------------------


@pytest.fixture
def entered_august(demo_investments, by_finance):
    """The demo's August with finance's figures: depreciation as budgeted with its outcome so
    far and a note, and last year's outcome of depreciation and Bildningsnämnden. Published
    once entered."""
    plan = demo_investments
    depreciation = enter_depreciation(
        period_of(plan, 8, ReportingPeriod.Status.OPEN), by_finance, to_date="-15.2"
    )
    save_previous_year(
        plan=plan,
        lines={(depreciation.pk, 8): mkr("-14.6"), (depreciation.pk, 12): mkr("-22.1")},
        committees={},
        actor=by_finance,
    )
    return period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)


def test_the_interim_reports_statements_have_the_comparison_columns(entered_august):
    ws = workbook(entered_august)[RESULT_SHEET]

    assert headers(ws) == [
        "Resultatbudget",
        "Utfall jan–aug 2026",
        "Prognos 2026",
        "Budget 2026",
        "Avvikelse (prognos − budget)",
        "Utfall jan–aug 2025",
        "Utfall 2025",
        "Anmärkning",
    ]
    assert headers(workbook(entered_august)[BALANCE_SHEET])[1:3] == [
        "Utfall 31 augusti 2026",
        "Prognos 31 december 2026",
    ]


def test_the_columns_carry_what_finance_entered(entered_august):
    ws = workbook(entered_august)[RESULT_SHEET]

    row = cells(ws, "Avskrivningar")
    assert [exact(row[h]) for h in ("Utfall jan–aug 2026", "Prognos 2026", "Budget 2026")] == [
        Decimal("-15.2"),
        Decimal("-23.0"),
        Decimal("-23.0"),
    ]
    assert [exact(row[h]) for h in ("Utfall jan–aug 2025", "Utfall 2025")] == [
        Decimal("-14.6"),
        Decimal("-22.1"),
    ]
    assert row["Anmärkning"] == "Enligt budget. Registrerat av ekonomiavdelningen."
    r = rows_by_label(ws)["Avskrivningar"]
    assert row["Avvikelse (prognos − budget)"] == f'=IF(OR(C{r}="",D{r}=""),"",C{r}-D{r})'


def test_subtotals_are_formulas_in_every_column(entered_august):
    ws = workbook(entered_august)[RESULT_SHEET]
    labels = rows_by_label(ws)
    first, second = labels["Verksamhetens nettokostnad"], labels["Avskrivningar"]

    row = cells(ws, "Summa verksamhetens nettokostnader")
    for header, letter in (("Utfall jan–aug 2026", "B"), ("Utfall jan–aug 2025", "F")):
        a, b = f"{letter}{first}", f"{letter}{second}"
        assert row[header] == f'=IF(OR({a}="",{b}=""),"",{a}+{b})'


def test_with_every_line_the_years_result_is_the_summarys(entered_august):
    report = interim_report(entered_august, today=TODAY)
    rows = overview(entered_august)
    result = municipality_result(entered_august, rows)
    sheet = report.statements["resultatbudget"]

    assert subtotal_value(sheet, "arets-resultat") == result.adopted_forecast
    assert subtotal_value(sheet, "arets-resultat", "to_date") == result.outcome
    note = sheet.row("arets-resultat").note
    assert "Samma som kommunens resultat enligt prognos på antagen budget" in note
    # The document's stated result misses its rows by rounding: the rows' sum is named.
    assert f"summan av nämndernas rader är {format_mkr(result.forecast)} mkr" in note


def test_the_outcome_so_far_is_derived_where_the_reports_have_it(entered_august):
    report = interim_report(entered_august, today=TODAY)
    sheet = report.statements["resultatbudget"]
    finance = next(r for r in overview(entered_august) if r.committee.code == "finansforvaltningen")

    tax = sheet.row("skatteintakter")
    assert tax.to_date is not None
    assert tax.to_date == sum(
        (
            line.outcome
            for line in finance.report.lines.all()
            if line.activity.code == "skatteintakter"
        ),
        Decimal(0),
    )
    net_cost = sheet.row("verksamhetens-nettokostnad")
    assert "Utfallet hittills härlett" in net_cost.note


def test_the_balance_sheets_result_follows_the_result_statement(entered_august):
    report = interim_report(entered_august, today=TODAY)
    result = report.statements["resultatbudget"]
    balance = report.statements["balansbudget"]

    row = balance.row("arets-resultat")
    assert row.figure == subtotal_value(result, "arets-resultat")
    assert row.to_date == subtotal_value(result, "arets-resultat", "to_date")
    assert row.note == "Härledd: resultaträkningens årets resultat."
    cashflow = report.statements["kassaflodesbudget"].row("justering-av-och-nedskrivningar")
    assert (cashflow.figure, cashflow.to_date, cashflow.previous_year) == (
        mkr("23.0"),
        mkr("15.2"),
        mkr("22.1"),
    )


def test_without_figures_the_comparison_columns_stay_empty(demo_investments):
    august = period_of(demo_investments, 8, ReportingPeriod.Status.PUBLISHED)
    ws = workbook(august)[RESULT_SHEET]

    row = cells(ws, "Avskrivningar")
    assert [row[h] for h in ("Utfall jan–aug 2026", "Utfall jan–aug 2025", "Utfall 2025")] == [
        None,
        None,
        None,
    ]
    assert row["Anmärkning"] == "Ej prognostiserad."


def test_the_annual_accounts_have_the_outcome_in_the_forecasts_place(demo_investments, by_finance):
    plan = demo_investments
    december = period_of(plan, 12, ReportingPeriod.Status.OPEN)
    depreciation = line(plan, "resultatbudget", "avskrivningar")
    save_statement_figures(
        period=december,
        values={depreciation.pk: mkr("-22.8")},
        notes={depreciation.pk: "Lägre än budget."},
        actor=by_finance,
    )
    save_previous_year(
        plan=plan, lines={(depreciation.pk, 12): mkr("-22.1")}, committees={}, actor=by_finance
    )

    ws = workbook(december)[RESULT_SHEET]

    assert headers(ws) == [
        "Resultatbudget",
        "Utfall 2026",
        "Budget 2026",
        "Avvikelse (utfall − budget)",
        "Utfall 2025",
        "Anmärkning",
    ]
    row = cells(ws, "Avskrivningar")
    assert [exact(row[h]) for h in ("Utfall 2026", "Budget 2026", "Utfall 2025")] == [
        Decimal("-22.8"),
        Decimal("-23.0"),
        Decimal("-22.1"),
    ]
    assert row["Anmärkning"].startswith("Lägre än budget.")
    r = rows_by_label(ws)["Avskrivningar"]
    assert row["Avvikelse (utfall − budget)"] == f'=IF(OR(B{r}="",C{r}=""),"",B{r}-C{r})'
