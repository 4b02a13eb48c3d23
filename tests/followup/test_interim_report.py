"""The interim report (Delårsrapport) and the annual accounts (Årsbokslut) as Excel papers.

Expected figures come from the domain functions (period_overview, MunicipalityResult,
balance_of_period, investment follow_up, the plan snapshot) or from the data the test
creates, never from the workbook itself.
"""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget.audit import Actor, Source
from budget.models import Committee, Company, StatementLine
from budget.money import to_kronor
from budget.reports.snapshot import PlanSnapshot
from followup.goals.progress import goals_follow_up
from followup.investments.figures import follow_up
from followup.models import (
    BalanceInputs,
    CompanyPeriodForecast,
    GoalAnalysis,
    IndicatorValue,
    Report,
    ReportingPeriod,
    StatementFigure,
)
from followup.papers.common import FIRST_ROW, SUMMARY_SHEET, TOTAL_LABEL
from followup.papers.interim_report_workbook import (
    ACCURACY_SHEET,
    COMMITTEES_SHEET,
    COMPANIES_SHEET,
    GOALS_SHEET,
    INVESTMENTS_SHEET,
    NO_ANALYSIS,
    OPERATIONS_SHEET,
    SUMMARY_TITLE_ROWS,
    workbook_bytes,
)
from followup.papers.statement_sheets import (
    BALANCE_SHEET,
    CASHFLOW_SHEET,
    NOT_RECORDED,
    REQUIREMENT_SHEET,
    RESULT_SHEET,
)
from followup.reports.figures import report_figures
from followup.reports.workflow import open_report
from followup.statements.result import balance_of_period
from tests.followup.committees import extra_committees
from tests.followup.conftest import INTERIM_REPORT_DAY
from tests.followup.periods import municipality_result, overview
from tests.tooling import recomputed_sheets
from tests.workbooks import (
    EIGHT_DECIMALS,
    REPORT_SHEET_PRINTING,
    exact,
    expected_mkr,
    formulas_and_self_references,
    printing,
    rounded_mkr,
    rows_by_label,
    shown_mkr,
)

pytestmark = pytest.mark.usefixtures("demo_investments")

TODAY = INTERIM_REPORT_DAY  # the day august_interim_report is made on
COMMAND = Actor(source=Source.COMMAND, name="test")
# Without reallocations decided in the year the sheet "Omfördelningar" is left out (the
# summary says so): see test_interim_parts.py.
SHEETS = [
    SUMMARY_SHEET,
    OPERATIONS_SHEET,
    RESULT_SHEET,
    BALANCE_SHEET,
    CASHFLOW_SHEET,
    REQUIREMENT_SHEET,
    INVESTMENTS_SHEET,
    COMPANIES_SHEET,
    ACCURACY_SHEET,
    GOALS_SHEET,
    COMMITTEES_SHEET,
]


def url(month=8):
    return reverse("followup:month_report", kwargs={"year": 2026, "month": month})


@pytest.fixture
def december(published_august):
    """The annual accounts' period: no report yet."""
    return ReportingPeriod.objects.get(plan=published_august.plan, month=12)


def workbook(period):
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY)))


def opened(content: bytes, **kwargs):
    return load_workbook(BytesIO(content), **kwargs)


def stored(period):
    """The paper as a reader that does not recalculate shows it: each formula's value."""
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY)), data_only=True)


def result_lines(plan):
    snapshot = PlanSnapshot(plan)
    statement = snapshot.statement("resultatbudget")
    return snapshot, {line.code: line for line in snapshot.lines_by_statement[statement.pk]}


def enter(period, line, mkr):
    return StatementFigure.objects.create(
        period=period, line=line, amount=to_kronor(mkr, "mkr"), recorded_at=timezone.now()
    )


def finance_forecasts(period):
    row = next(r for r in overview(period) if r.committee.code == "finansforvaltningen")
    return {line.activity.code: line for line in report_figures(row.report).lines}


def value_of(ws, coordinate):
    """A cell's figure, following sums (=SUM(B6:B11), =B12+B13-B14) as Excel would."""
    value = ws[coordinate].value
    if not (isinstance(value, str) and value.startswith("=")):
        return None if value is None else Decimal(repr(value))
    text = value[1:]
    guarded = re.fullmatch(r'IF\(OR\((.*)\),"",(.*)\)', text)
    if guarded:  # empty where any part is empty
        cells = re.findall(r'([A-Z]+\d+)=""', guarded.group(1))
        if any(value_of(ws, cell) is None for cell in cells):
            return None
        text = guarded.group(2)
    match = re.fullmatch(r"SUM\(([A-Z]+)(\d+):\1(\d+)\)", text)
    if match:
        letter, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        values = [value_of(ws, f"{letter}{r}") for r in range(first, last + 1)]
        return sum((v for v in values if v is not None), Decimal(0))
    terms = re.findall(r"([+-]?)([A-Z]+\d+)", text)
    assert "".join(s + c for s, c in terms) == text, value
    return sum(
        ((-1 if sign == "-" else 1) * (value_of(ws, cell) or 0) for sign, cell in terms),
        Decimal(0),
    )


# --- the sheets ---------------------------------------------------------------------------


def test_the_interim_report_has_its_sheets(published_august, august_interim_report):
    wb = opened(august_interim_report)

    assert wb.sheetnames == SHEETS
    summary = wb[SUMMARY_SHEET]
    assert summary["A1"].value == "Hedemora kommun – Delårsrapport augusti 2026"
    assert published_august.plan.title in summary["A2"].value
    assert wb[RESULT_SHEET]["C5"].value == "Prognos 2026"


def test_the_annual_accounts_have_the_same_sheets_with_outcome(december):
    wb = workbook(december)

    assert wb.sheetnames == SHEETS
    assert wb[SUMMARY_SHEET]["A1"].value == "Hedemora kommun – Årsbokslut december 2026"
    assert wb[RESULT_SHEET]["B5"].value == "Utfall 2026"  # in the forecast's place
    assert wb[SUMMARY_SHEET]["D5"].value == "Avvikelse (utfall − budget)"


# --- Sammanfattning -----------------------------------------------------------------------


def test_the_summary_shows_the_overview_and_the_municipalitys_result(
    published_august, august_interim_report
):
    rows = overview(published_august)
    result = municipality_result(published_august, rows)

    ws = opened(august_interim_report)[SUMMARY_SHEET]
    values = opened(august_interim_report, data_only=True)[SUMMARY_SHEET]
    labels = rows_by_label(ws)

    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert ws.cell(r, 1).value == row.committee.name
        # The figures are the Driftredovisning's, referred to rather than copied.
        assert ws.cell(r, 2).value.startswith("=IF('Driftredovisning'!B")
        assert [exact(values.cell(r, c).value) for c in (2, 3, 4)] == [
            expected_mkr(row.budget),
            expected_mkr(row.outcome),
            expected_mkr(row.forecast),
        ]
        assert ws.cell(r, 5).value == f'=IF(OR(D{r}="",B{r}=""),"",D{r}-B{r})'
    total = labels[TOTAL_LABEL]
    assert total == FIRST_ROW + len(rows)
    # The document rounds its stated result (6,0; the rows sum to 5,9): the forecast is
    # checked on the adopted result, the rows' sum plus that rounding.
    assert result.stated_rounding == Decimal("100000")
    forecast = labels["Prognos (på antagen budget)"]
    assert ws.cell(forecast, 2).value == f'=IF(D{total}="","",D{total}+0.1)'
    assert exact(ws.cell(forecast, 3).value) == expected_mkr(result.tax_base_forecast)
    assert ws.cell(labels["Avvikelse mot budget"], 2).value == f"=E{total}"
    assert result.target_share == Decimal("0.005")


# --- Resultaträkning ----------------------------------------------------------------------

# The interim report's statement columns (followup.papers.statement_sheets.statement_columns):
# A label, B Utfall jan–aug, C Prognos, D Budget, E Avvikelse, F–G last year, H Anmärkning.
BUDGET, NOTE = 4, 8


def test_the_result_statements_budget_column_is_the_plans(published_august, august_interim_report):
    snapshot, lines = result_lines(published_august.plan)
    key = snapshot.main_year().key

    ws = opened(august_interim_report)[RESULT_SHEET]
    labels = rows_by_label(ws)

    for line in lines.values():
        if line.line_type != StatementLine.Type.AMOUNT:
            continue
        r = labels[line.label]
        assert exact(ws.cell(r, BUDGET).value) == expected_mkr(snapshot.line_value(line, key))
    for line in lines.values():
        if line.line_type == StatementLine.Type.SUBTOTAL:
            r = labels[line.label]
            assert ws.cell(r, BUDGET).data_type == "f"
            assert value_of(ws, f"D{r}").quantize(EIGHT_DECIMALS) == expected_mkr(
                snapshot.line_value(line, key)
            )


def test_the_derived_lines_follow_the_stated_derivation(published_august):
    snapshot, lines = result_lines(published_august.plan)
    key = snapshot.main_year().key
    rows = overview(published_august)
    finance = finance_forecasts(published_august)
    committee_deviations = sum(
        (r.deviation for r in rows if r.committee.kind != Committee.Kind.FINANCE),
        Decimal(0),
    )
    common = sum(
        (
            finance[code].deviation
            for code in ("gemensamma-kostnader", "avsatt-for-oforutsedda-kostnader")
        ),
        Decimal(0),
    )

    ws = workbook(published_august)[RESULT_SHEET]
    labels = rows_by_label(ws)

    net_cost = lines["verksamhetens-nettokostnad"]
    r = labels[net_cost.label]
    expected = snapshot.line_value(net_cost, key) + committee_deviations + common
    assert exact(ws.cell(r, 3).value) == expected_mkr(expected)
    assert ws.cell(r, NOTE).value.startswith("Härledd: budget")
    assert committee_deviations == to_kronor("-13.4", "mkr")
    for code in ("skatteintakter", "generella-bidrag-och-utjamning", "finansnetto"):
        line = lines[code]
        r = labels[line.label]
        assert line.reference == f"line:{code}"
        assert exact(ws.cell(r, 3).value) == expected_mkr(finance[code].forecast)
        assert "finansförvaltningens prognos" in ws.cell(r, NOTE).value
    assert exact(ws.cell(labels["Skatteintäkter"], 3).value) == Decimal("844.6")


def test_an_entered_figure_wins_over_the_derivation(published_august):
    _, lines = result_lines(published_august.plan)
    enter(published_august, lines["verksamhetens-nettokostnad"], "-1201.5")
    enter(published_august, lines["avskrivningar"], "-22.4")

    ws = workbook(published_august)[RESULT_SHEET]
    labels = rows_by_label(ws)

    net_cost = labels["Verksamhetens nettokostnad"]
    assert exact(ws.cell(net_cost, 3).value) == Decimal("-1201.5")
    assert ws.cell(net_cost, NOTE).value == "Registrerat av ekonomiavdelningen."
    assert exact(ws.cell(labels["Avskrivningar"], 3).value) == Decimal("-22.4")
    finance = finance_forecasts(published_august)
    result = labels["Årets resultat"]
    assert ws.cell(result, 3).data_type == "f"
    assert value_of(ws, f"C{result}").quantize(EIGHT_DECIMALS) == Decimal("-1201.5") + Decimal(
        "-22.4"
    ) + sum(
        expected_mkr(finance[code].forecast)
        for code in ("skatteintakter", "generella-bidrag-och-utjamning", "finansnetto")
    )


def test_lines_without_data_are_empty_and_marked(august_interim_report):
    wb = opened(august_interim_report)
    result = wb[RESULT_SHEET]
    depreciation = rows_by_label(result)["Avskrivningar"]

    assert result.cell(depreciation, 3).value is None
    assert result.cell(depreciation, NOTE).value == "Ej prognostiserad."
    subtotal = rows_by_label(result)["Summa verksamhetens nettokostnader"]
    assert result.cell(subtotal, NOTE).value.startswith("Summan saknas: Avskrivningar")
    for title in (BALANCE_SHEET, CASHFLOW_SHEET):
        ws = wb[title]
        amounts = [
            r
            for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, BUDGET).data_type == "n" and ws.cell(r, BUDGET).value is not None
        ]
        assert len(amounts) > 5, title
        for r in amounts:
            assert ws.cell(r, 3).value is None, (title, ws.cell(r, 1).value)
            assert ws.cell(r, NOTE).value == "Ej prognostiserad.", (title, ws.cell(r, 1).value)


def test_an_entered_balance_figure_is_shown_and_its_subtotal_needs_every_line(published_august):
    snapshot = PlanSnapshot(published_august.plan)
    balance = snapshot.statement("balansbudget")
    lines = {line.code: line for line in snapshot.lines_by_statement[balance.pk]}
    enter(published_august, lines["anlaggningstillgangar"], "330.4")

    ws = workbook(published_august)[BALANCE_SHEET]
    labels = rows_by_label(ws)

    r = labels["Anläggningstillgångar"]
    assert exact(ws.cell(r, 3).value) == Decimal("330.4")
    assert ws.cell(r, 5).value == f'=IF(OR(C{r}="",D{r}=""),"",C{r}-D{r})'
    total = labels["SUMMA TILLGÅNGAR"]
    first, second = labels["Anläggningstillgångar"], labels["Omsättningstillgångar"]
    assert ws.cell(total, 3).value == (f'=IF(OR(C{first}="",C{second}=""),"",C{first}+C{second})')
    assert ws.cell(total, NOTE).value == "Summan saknas: Omsättningstillgångar saknar belopp."


def test_a_subtotal_follows_its_components_signs(published_august):
    snapshot = PlanSnapshot(published_august.plan)
    cashflow = snapshot.statement("kassaflodesbudget")
    lines = snapshot.lines_by_statement[cashflow.pk]
    by_id = {line.pk: line for line in lines}

    ws = workbook(published_august)[CASHFLOW_SHEET]
    labels = rows_by_label(ws)

    for line in lines:
        if line.line_type != StatementLine.Type.SUBTOTAL:
            continue
        formula = ws.cell(labels[line.label], 3).value
        for component_id, sign in snapshot.components[line.pk]:
            cell = f"C{labels[by_id[component_id].label]}"
            assert (f"-{cell}" in formula) == (sign == -1), (line.label, cell)
            assert cell in formula


# --- Balanskravsutredning ------------------------------------------------------------------


def test_the_balance_requirement_lines_are_balance_of_periods(
    published_august, august_interim_report
):
    balance = balance_of_period(published_august)

    wb = opened(august_interim_report)
    ws = wb[REQUIREMENT_SHEET]
    values = stored(published_august)[REQUIREMENT_SHEET]

    assert balance.statement is not None and balance.inputs is None
    for offset, line in enumerate(balance.statement.lines):
        r = FIRST_ROW + offset
        assert ws.cell(r, 1).value == line.label
        assert exact(values.cell(r, 2).value) == expected_mkr(line.amount)
        assert ws.cell(r, 2).number_format == "#,##0.0;-#,##0.0"
    # The year's result is the summary's, referred to rather than copied.
    total = rows_by_label(wb[SUMMARY_SHEET])[TOTAL_LABEL]
    assert ws.cell(FIRST_ROW, 2).value == f"='{SUMMARY_SHEET}'!D{total}"
    assert balance.statement.lines[0].amount == balance.year_result.result
    texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert NOT_RECORDED in texts
    assert any(
        t and t.startswith("Balanskravsresultatet enligt prognos är negativt") for t in texts
    )


def test_recorded_inputs_and_messages_are_shown(published_august):
    BalanceInputs.objects.create(
        period=published_august,
        realisation_gains=to_kronor("1.5", "mkr"),
        reservation=to_kronor("50", "mkr"),
        comment='=HYPERLINK("http://example.com")',
        recorded_at=timezone.now(),
    )
    balance = balance_of_period(published_august)

    ws = workbook(published_august)[REQUIREMENT_SHEET]
    texts = {ws.cell(r, 1).value: ws.cell(r, 1).data_type for r in range(1, ws.max_row + 1)}

    assert balance.statement.messages
    assert NOT_RECORDED not in texts
    for message in balance.statement.messages:
        assert message in texts
    comment = 'Ekonomiavdelningens kommentar: =HYPERLINK("http://example.com")'
    assert texts[comment] == "s"


def test_without_a_result_the_balance_requirement_says_why(december):
    balance = balance_of_period(december)

    ws = workbook(december)[REQUIREMENT_SHEET]

    assert balance.statement is None
    assert ws.cell(FIRST_ROW, 1).value == balance.missing


# --- Investeringar, Bolag, Mål -------------------------------------------------------------


def test_the_investments_are_the_follow_up_per_committee_and_project(
    published_august, august_interim_report
):
    figures = follow_up(plan=published_august.plan, period=published_august)

    content = august_interim_report
    ws = load_workbook(BytesIO(content))[INVESTMENTS_SHEET]
    stored = load_workbook(BytesIO(content), data_only=True)[INVESTMENTS_SHEET]
    labels = rows_by_label(ws)

    assert figures.committees
    for row in figures.committees:
        r = labels[row.committee.name]
        # The committee's row is its projects' sum, further down the sheet.
        subtotal = labels[f"Summa {row.committee.name}"]
        assert [ws.cell(r, c).value for c in range(2, 8)] == [
            f"={letter}{subtotal}" for letter in "BCDEFG"
        ]
        projects = range(labels[f"{row.committee.name}: projekt"] + 1, subtotal)
        assert len(projects) == len(row.projects)
        assert ws.cell(subtotal, 2).value == (
            f'=IF(COUNT(B{projects[0]}:B{projects[-1]})=0,"",SUM(B{projects[0]}:B{projects[-1]}))'
        )
        for p, project in zip(projects, row.projects, strict=True):
            assert ws.cell(p, 1).value == f"{project.project.code} {project.project.name}"
            assert [exact(ws.cell(p, c).value) for c in (2, 3, 5, 6)] == [
                expected_mkr(project.budget),
                expected_mkr(project.carried),
                expected_mkr(project.outcome),
                expected_mkr(project.forecast),
            ]
            assert ws.cell(p, 4).value == f"=B{p}+C{p}"
            assert ws.cell(p, 7).value == f'=IF(OR(D{p}="",F{p}=""),"",D{p}-F{p})'
        assert exact(stored[f"B{subtotal}"].value) == expected_mkr(row.budget)
        assert exact(stored[f"F{subtotal}"].value) == expected_mkr(row.forecast)
    total = labels["Summa investeringar"]
    last = total - 1
    assert (
        ws.cell(total, 7).value
        == f'=IF(COUNT(G{FIRST_ROW}:G{last})=0,"",SUM(G{FIRST_ROW}:G{last}))'
    )
    assert last - FIRST_ROW + 1 == len(figures.committees)


def test_the_companies_forecasts_stand_beside_the_documents(published_august):
    energy = Company.objects.get(code="hedemora-energi")
    CompanyPeriodForecast.objects.create(
        company=energy,
        period=published_august,
        result=to_kronor("14.2", "mkr"),
        comment="=1+1",
        recorded_at=timezone.now(),
    )

    ws = workbook(published_august)[COMPANIES_SHEET]
    labels = rows_by_label(ws)

    r = labels["Hedemora Energi"]
    assert exact(ws.cell(r, 2).value) == Decimal("12.1")
    assert exact(ws.cell(r, 4).value) == Decimal("14.2")
    assert (ws.cell(r, 5).value, ws.cell(r, 5).data_type) == ("=1+1", "s")
    other = labels["Hedemorabostäder"]
    assert ws.cell(other, 4).value is None
    assert ws.cell(other, 5).value == "Ingen prognos registrerad för perioden."


def test_the_goals_and_indicators_are_listed(published_august, august_interim_report):
    goals = list(published_august.plan.goals.prefetch_related("indicators").order_by("number"))

    ws = opened(august_interim_report)[GOALS_SHEET]
    labels = rows_by_label(ws)

    for goal in goals:
        assert f"{goal.number}. {goal.title}" in labels
        for indicator in goal.indicators.all():
            r = labels[indicator.name]
            assert exact(ws.cell(r, 2).value) == indicator.baseline_value.quantize(EIGHT_DECIMALS)
            assert ws.cell(r, 3).value == indicator.baseline_year
            assert exact(ws.cell(r, 4).value) == indicator.target_value.quantize(EIGHT_DECIMALS)
    assert labels.get("Kommunindex Livskvalitet")


def test_the_goals_sheet_has_the_values_per_year_the_trend_and_finances_analysis(published_august):
    plan = published_august.plan
    indicator = plan.goals.get(number=1).indicators.get(code="livskvalitet")
    fetched = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    for year, value in ((2023, "52"), (2024, "50.5")):
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality_code=plan.municipality.kolada_id,
            year=year,
            value=Decimal(value),
            source="kolada",
            fetched_at=fetched,
        )
    GoalAnalysis.objects.create(
        goal=indicator.goal,
        period=published_august,
        text="Livskvaliteten har minskat.",
        recorded_at=fetched,
    )
    follow_up = {g.goal.number: g for g in goals_follow_up(plan, period=published_august)}
    expected = next(f for f in follow_up[1].indicators if f.indicator.pk == indicator.pk)

    ws = workbook(published_august)[GOALS_SHEET]
    labels = rows_by_label(ws)
    headers = [ws.cell(5, c).value for c in range(1, ws.max_column + 1)]

    assert headers[7:9] == ["2023", "2024"]
    r = labels[indicator.name]
    assert [exact(ws.cell(r, c).value) for c in (8, 9)] == [
        Decimal("52").quantize(EIGHT_DECIMALS),
        Decimal("50.5").quantize(EIGHT_DECIMALS),
    ]
    trend_column = headers.index("Trend mot föregående värde") + 1
    assert ws.cell(r, trend_column).value == expected.trend.label == "Sämre"
    assert ws.cell(r, trend_column + 1).value == expected.since_baseline.label
    assert ws.cell(r, trend_column + 2).value == expected.remaining_shown
    assert "Källa: Kolada (hämtad 2026-03-02)" in ws.cell(r, 7).value
    analysis_rows = [row for label, row in labels.items() if label == "Livskvaliteten har minskat."]
    assert analysis_rows
    assert ws.cell(analysis_rows[0], 1).data_type == "s"
    # Goals without an analysis say so.
    assert NO_ANALYSIS in labels


# --- safety and printing ------------------------------------------------------------------


def test_text_that_users_typed_stays_text(published_august):
    committee = Committee.objects.get(code="valnamnden")
    committee.name = '=HYPERLINK("http://example.com","Valnämnden")'
    committee.save()

    wb = workbook(published_august)
    cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == committee.name
    ]

    assert len(cells) >= 1
    assert {c.data_type for c in cells} == {"s"}


def test_no_formula_refers_to_its_own_cell(august_interim_report):
    formulas, circular = formulas_and_self_references(opened(august_interim_report))

    assert circular == []
    assert formulas > 50


def test_every_sheet_prints_on_a4_landscape_with_titles_footer_and_frozen_panes(
    august_interim_report,
):
    for ws in opened(august_interim_report).worksheets:
        expected = REPORT_SHEET_PRINTING
        if ws.title == SUMMARY_SHEET:  # its later pages are text: the title lines repeat
            expected = expected | {"rows repeated on every page": f"$1:${SUMMARY_TITLE_ROWS}"}
        assert printing(ws) == expected, ws.title


# --- the command and the download ----------------------------------------------------------


def test_the_command_writes_the_interim_report_for_august(published_august, tmp_path, capsys):
    output = tmp_path / "delarsrapport-2026.xlsx"

    call_command("export_report", "--period", "2026-08", "--output", str(output))

    assert load_workbook(output).sheetnames == SHEETS
    assert "Delårsrapport augusti 2026" in capsys.readouterr().out


def test_the_command_names_the_file_by_the_kind_of_paper(december, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, lines = result_lines(december.plan)
    enter(december, lines["avskrivningar"], "-22.4")  # without outcome it would be refused

    call_command("export_report", "--period", "2026-12")
    call_command("export_report", "--period", "2026-09")

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "arsbokslut-2026.xlsx",
        "manadsrapport-2026-09.xlsx",
    ]


def test_the_download_of_august_is_the_interim_report(client, published_august, councillor):
    client.force_login(councillor)

    response = client.get(url())
    periods = client.get(reverse("followup:periods", kwargs={"year": 2026})).text

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="delarsrapport-2026.xlsx"'
    assert load_workbook(BytesIO(response.content)).sheetnames == SHEETS
    assert "Ladda ned delårsrapporten (Excel)" in periods
    assert "Ladda ned månadsrapporten (Excel)" in periods  # September's


def test_the_review_page_offers_the_interim_report(client, published_august, finance_officer):
    client.force_login(finance_officer)

    page = client.get(reverse("followup:review", kwargs={"year": 2026, "month": 8})).text

    assert f'href="{url()}"' in page
    assert "Ladda ned delårsrapporten (Excel)" in page


# --- queries ------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_committees(
    published_august, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as base:
        workbook_bytes(published_august, today=TODAY)
    published_august.status = ReportingPeriod.Status.OPEN
    published_august.save()
    for committee in extra_committees(published_august.plan.municipality):
        open_report(committee=committee, period=published_august, actor=COMMAND)

    with django_assert_max_num_queries(len(base.captured_queries)):
        content = workbook_bytes(published_august, today=TODAY)

    assert Report.objects.filter(period=published_august, committee__code="extra-2").exists()
    summary = load_workbook(BytesIO(content))[SUMMARY_SHEET]
    assert "Extranämnd 2" in rows_by_label(summary)


# --- what a spreadsheet program computes --------------------------------------------------


def recomputed(content: bytes, tmp_path) -> dict:
    """Every sheet as LibreOffice computes it: {sheet name: {first cell: row}}."""
    sheets = recomputed_sheets(content, tmp_path, "delarsrapport")
    return {name: {r[0]: r for r in rows if r} for name, rows in sheets.items()}


@pytest.mark.libreoffice
def test_a_spreadsheet_program_computes_the_applications_figures(published_august, tmp_path):
    _, lines = result_lines(published_august.plan)
    enter(published_august, lines["avskrivningar"], "-22.4")
    rows = overview(published_august)
    result = municipality_result(published_august, rows)
    balance = balance_of_period(published_august)
    investments = follow_up(plan=published_august.plan, period=published_august)
    finance = finance_forecasts(published_august)

    sheets = recomputed(workbook_bytes(published_august, today=TODAY), tmp_path)

    summary = sheets[SUMMARY_SHEET]
    for row in rows:
        assert shown_mkr(summary[row.committee.name][4]) == rounded_mkr(row.deviation)
    total = summary[TOTAL_LABEL]
    assert [shown_mkr(total[c]) for c in (1, 2, 3, 4)] == [
        rounded_mkr(result.budget),
        rounded_mkr(result.outcome),
        rounded_mkr(result.forecast),
        rounded_mkr(result.deviation),
    ]
    forecast = summary["Prognos (på antagen budget)"]
    assert shown_mkr(forecast[1]) == rounded_mkr(result.adopted_forecast)
    assert shown_mkr(forecast[4]) == rounded_mkr(result.forecast_target)
    assert forecast[5] == ("Ja" if result.forecast_meets_target else "Nej")

    statement = sheets[RESULT_SHEET]
    net_cost = statement["Verksamhetens nettokostnad"]
    committee_deviations = sum(
        (r.deviation for r in rows if r.committee.kind != Committee.Kind.FINANCE), Decimal(0)
    )
    assert shown_mkr(net_cost[4]) == rounded_mkr(committee_deviations)
    derived_result = (
        to_kronor("-1196.2", "mkr")
        + committee_deviations
        + to_kronor("-22.4", "mkr")
        + finance["skatteintakter"].forecast
        + finance["generella-bidrag-och-utjamning"].forecast
        + finance["finansnetto"].forecast
    )
    assert shown_mkr(statement["Årets resultat"][2]) == rounded_mkr(derived_result)
    assert shown_mkr(statement["Årets resultat"][3]) == Decimal("6.0")
    assert statement["Summa verksamhetens nettokostnader"][2] != ""

    requirement = sheets[REQUIREMENT_SHEET]
    for line in balance.statement.lines:
        assert shown_mkr(requirement[line.label][1]) == rounded_mkr(line.amount), line.label
    # The statement's result rests on the same reports as the municipality's result.
    assert rounded_mkr(balance.year_result.result) == rounded_mkr(result.forecast)

    invest = sheets[INVESTMENTS_SHEET]["Summa investeringar"]
    assert [shown_mkr(invest[c]) for c in range(1, 7)] == [
        rounded_mkr(investments.total.budget),
        rounded_mkr(investments.total.carried),
        rounded_mkr(investments.total.budget_incl),
        rounded_mkr(investments.total.outcome),
        rounded_mkr(investments.total.forecast),
        rounded_mkr(investments.total.deviation),
    ]
    assert shown_mkr(sheets[COMPANIES_SHEET]["Summa bolagen"][1]) == Decimal("17.5")
