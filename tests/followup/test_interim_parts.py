"""What the interim report (Delårsrapport) and the annual accounts (Årsbokslut) hold beyond
the statements: a part per committee with its activities, comments, thread and action plan;
the Driftredovisning; the investments per project; the companies and kommunkoncernen;
prognossäkerhet; the financial goals; the summary's verdicts; and how the paper prints.

Expected figures come from the domain functions (period_overview, report_figures,
financial_follow_up, balance_of_period, the period records) or from the data the test
creates, never from the workbook itself. Formulas are read as the application stores their
values (budget.xlsx_values) and, where marked, as LibreOffice computes them.
"""

import datetime
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from budget.audit import Actor, Source
from budget.models import Committee, Company
from budget.money import format_mkr, format_percent, to_kronor
from budget.reports.snapshot import PlanSnapshot
from followup.investments.figures import follow_up
from followup.investments.projects import propose_carry_over, record_follow_ups
from followup.models import (
    CompanyPeriodForecast,
    InvestmentProject,
    Measure,
    MeasureFollowUp,
    Report,
    ReportingPeriod,
    ReportLine,
    ReportNote,
)
from followup.papers import month_report_workbook
from followup.papers.committee_sheets import (
    MEASURES_TOTAL,
    OUTCOME_HEADERS,
    THREAD_HEADING,
)
from followup.papers.common import (
    FIRST_ROW,
    HEADER_ROW,
    ROUNDING_NOTE,
    SUMMARY_SHEET,
    TOTAL_LABEL,
)
from followup.papers.interim_report import financial
from followup.papers.interim_report_workbook import (
    ACCURACY_SHEET,
    ASSESSMENT_HEADING,
    BALANCE_HEADING,
    COMMITTEES_SHEET,
    COMPANIES_SHEET,
    GOALS_SHEET,
    INVESTMENTS_SHEET,
    NO_ASSESSMENT,
    OPERATIONS_SHEET,
    REALLOCATIONS_SHEET,
    workbook_bytes,
)
from followup.papers.interim_sheets import GROUP_LINE, MUNICIPALITY_LINE
from followup.periods import shown
from followup.reports.actions import save_measures
from followup.reports.figures import report_figures
from followup.reports.workflow import open_report, save_report
from followup.statements.assessment import save_assessment
from followup.statements.previous_year import save_previous_year
from followup.statements.result import balance_of_period
from tests.followup.actions import new_measure
from tests.followup.committees import extra_committees
from tests.followup.conftest import INTERIM_REPORT_DAY
from tests.followup.paper_parts import (
    page_starts,
    part_labels,
    part_starts,
    part_status,
    too_low,
)
from tests.followup.periods import municipality_result, overview, period_of
from tests.followup.test_month_report import reallocate
from tests.tooling import printed_pages
from tests.workbooks import exact, expected_mkr, rows_by_label

pytestmark = pytest.mark.usefixtures("demo_investments")

TODAY = INTERIM_REPORT_DAY  # the day august_interim_report is made on
COMMAND = Actor(source=Source.COMMAND, name="test")


def workbook(period):
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY)))


def opened(content: bytes):
    return load_workbook(BytesIO(content))


def both(period):
    """(the workbook's formulas, the values the application stored for them)."""
    content = workbook_bytes(period, today=TODAY)
    return load_workbook(BytesIO(content)), load_workbook(BytesIO(content), data_only=True)


def shares(value) -> Decimal:
    """A share as a cell holds it (a double: 15 significant digits), to twelve decimals."""
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(Decimal("1e-12"))


def headers(ws, row=HEADER_ROW) -> list:
    return [ws.cell(row, c).value for c in range(1, ws.max_column + 1) if ws.cell(row, c).value]


@pytest.fixture
def december_with_outcome(published_august):
    """The annual accounts' period, open, every committee's report with the year's outcome
    (October's forecast, where there was one) and a comment on each activity."""
    plan = published_august.plan
    december = period_of(plan, 12, ReportingPeriod.Status.OPEN)
    october = dict(
        ReportLine.objects.filter(
            report__in=Report.objects.current().filter(period__plan=plan, period__month=10),
            forecast__isnull=False,
        ).values_list("activity_id", "forecast")
    )
    for committee in Committee.objects.of_plan(plan).with_activities():
        report = open_report(committee=committee, period=december, actor=COMMAND)
        values = {
            a.pk: (october.get(a.pk, Decimal("-1000000")), None, f"Utfall för {a.name}.")
            for a in committee.activities.all()
        }
        save_report(report=report, row_version=report.row_version, values=values, actor=COMMAND)
    return december


def last_year(period, amounts):
    """Finance enters last year's outcome: ``amounts`` committee code → (to date, year) mkr."""
    committees = {c.code: c for c in Committee.objects.of_plan(period.plan)}
    values = {}
    for code, (to_date, year) in amounts.items():
        values[(committees[code].pk, 8)] = to_kronor(to_date, "mkr")
        values[(committees[code].pk, 12)] = to_kronor(year, "mkr")
    save_previous_year(plan=period.plan, lines={}, committees=values, actor=COMMAND)


# --- Nämnderna: a part per committee ------------------------------------------------------


def test_each_committee_has_a_part_with_its_activities_comments_and_status(
    published_august, august_interim_report
):
    rows = overview(published_august)

    wb = opened(august_interim_report)
    ws = wb[COMMITTEES_SHEET]

    assert list(part_starts(ws)) == [row.committee.name for row in rows]
    for row in rows:
        name = row.committee.name
        assert part_status(wb, name) == "Rapportens status: Godkänd"
        figures = report_figures(row.report)
        labels = part_labels(ws, name)
        for line in figures.lines:
            r = labels[line.activity.name]  # the activity's row (below a same-named heading)
            assert [exact(ws.cell(r, c).value) for c in (2, 3, 4, 6)] == [
                expected_mkr(line.budget),
                expected_mkr(line.budget_to_date),
                expected_mkr(line.outcome),
                expected_mkr(line.forecast),
            ], (name, line.activity.name)
            assert ws.cell(r, 5).value == f'=IF(OR(D{r}="",C{r}=""),"",D{r}-C{r})'
            assert ws.cell(r, 7).value == f'=IF(OR(F{r}="",B{r}=""),"",F{r}-B{r})'
            assert (ws.cell(r, 8).value or "") == line.comment
        total = labels[f"Summa {name}"]
        assert ws.cell(total, 6).value.startswith("=IF(COUNT(F")


def test_a_committees_part_holds_its_reports_thread(published_august):
    report = Report.objects.current().get(
        period=published_august, committee__code="bildningsnamnden"
    )
    ReportNote.objects.create(
        report=report,
        kind=ReportNote.Kind.NOTE,
        text="=Varför ökar kostnaderna för skolskjutsar?",
        written_at=datetime.datetime(2026, 9, 2, 9, tzinfo=datetime.UTC),
        author="Eva",
        report_version=report.version,
    )

    ws = workbook(published_august)[COMMITTEES_SHEET]
    labels = part_labels(ws, "Bildningsnämnden")

    heading = labels[THREAD_HEADING]
    assert ws.cell(heading + 1, 1).value == (
        f"Anteckning 2026-09-02 av Eva (version {report.version})"
    )
    note = ws.cell(heading + 1, 8)
    assert (note.value, note.data_type) == ("=Varför ökar kostnaderna för skolskjutsar?", "s")
    assert THREAD_HEADING not in part_labels(ws, "Omsorgsnämnden")


def test_a_committees_part_lists_every_measure_of_its_plan_as_of_the_period(
    published_august, august_interim_report
):
    row = next(r for r in overview(published_august) if r.committee.code == "bildningsnamnden")
    measures = list(Measure.objects.filter(plan__committee__code="bildningsnamnden"))
    as_of = {
        m.pk: MeasureFollowUp.objects.filter(measure=m, period__month__lte=8)
        .select_related("period")
        .order_by("-period__month")
        .first()
        for m in measures
    }
    # October followed the plan up again: August's paper shows August's follow-up.
    assert MeasureFollowUp.objects.filter(measure__in=measures, period__month=10).exists()

    wb = opened(august_interim_report)
    ws = wb[COMMITTEES_SHEET]
    labels = part_labels(ws, "Bildningsnämnden")

    # The summary's "3 åtgärder" are the measures listed in the part.
    summary = wb[SUMMARY_SHEET]
    assert summary.cell(rows_by_label(summary)["Bildningsnämnden"], 8).value == "3 åtgärder"
    assert len(measures) == len(row.action_plan.measures) == 3
    total = labels[MEASURES_TOTAL]
    first = min(labels[m.description] for m in measures)
    assert total == first + len(measures)
    for measure in measures:
        r = labels[measure.description]
        latest = as_of[measure.pk]
        assert exact(ws.cell(r, 2).value) == expected_mkr(measure.expected_effect)
        assert ws.cell(r, 3).value == measure.responsible
        assert ws.cell(r, 5).value.date() == measure.due_date
        assert ws.cell(r, 6).value == latest.get_status_display()
        assert exact(ws.cell(r, 7).value) == expected_mkr(latest.realised_effect)
        followed = f"{latest.period.month_name} 2026"
        assert ws.cell(r, 8).value == (
            f"{followed}: {latest.comment}" if latest.comment else followed
        )
    assert ws.cell(total, 2).value == (
        f'=SUMIF(F{first}:F{total - 1},"<>Avbruten",B{first}:B{total - 1})'
    )


# --- Driftredovisning and the summary's comparison with last year -------------------------


def test_the_operations_account_has_each_committees_figures_and_last_years(published_august):
    last_year(published_august, {"bildningsnamnden": ("-340.2", "-512.4")})
    rows = overview(published_august)

    ws, stored = (wb[OPERATIONS_SHEET] for wb in both(published_august))

    assert headers(ws) == [
        "Nämnd",
        "Budget",
        "Budget jan–aug",
        "Utfall jan–aug",
        "Avvikelse utfall (utfall − budget jan–aug)",
        "Utfall jan–aug 2025",
        "Prognos",
        "Avvikelse (prognos − budget)",
        "Föregående prognos",
        "Förändring sedan föregående prognos",
        "Utfall 2025",
    ]
    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert ws.cell(r, 1).value == row.committee.name
        to_date = report_figures(row.report).budget_to_date
        assert [exact(ws.cell(r, c).value) for c in (2, 3, 4, 7, 9)] == [
            expected_mkr(row.budget),
            expected_mkr(to_date),
            expected_mkr(row.outcome),
            expected_mkr(row.forecast),
            expected_mkr(row.previous_forecast),
        ], row.committee.name
        assert ws.cell(r, 5).value == f'=IF(OR(D{r}="",C{r}=""),"",D{r}-C{r})'
        assert ws.cell(r, 8).value == f'=IF(OR(G{r}="",B{r}=""),"",G{r}-B{r})'
        assert ws.cell(r, 10).value == f'=IF(OR(G{r}="",I{r}=""),"",G{r}-I{r})'
        assert exact(stored.cell(r, 8).value) == expected_mkr(row.deviation)
    bildning = rows_by_label(ws)["Bildningsnämnden"]
    assert [exact(ws.cell(bildning, c).value) for c in (6, 11)] == [
        Decimal("-340.2"),
        Decimal("-512.4"),
    ]
    assert ws.cell(rows_by_label(ws)["Valnämnden"], 11).value is None
    total = rows_by_label(ws)[TOTAL_LABEL]
    assert total == FIRST_ROW + len(rows)
    assert ws.cell(total, 11).value == (
        f'=IF(COUNT(K{FIRST_ROW}:K{total - 1})=0,"",SUM(K{FIRST_ROW}:K{total - 1}))'
    )
    result = municipality_result(published_august, rows)
    assert exact(stored.cell(total, 7).value) == expected_mkr(result.forecast)


def test_the_summary_sets_the_result_beside_last_years(published_august):
    last_year(
        published_august,
        {
            row.committee.code: (
                "-1.0",
                "10.5" if row.committee.code == "finansforvaltningen" else "-1.0",
            )
            for row in overview(published_august)
        },
    )
    rows = overview(published_august)
    result = municipality_result(published_august, rows)

    wb, values = both(published_august)
    ws, stored = wb[SUMMARY_SHEET], values[SUMMARY_SHEET]
    labels = rows_by_label(ws)

    previous = labels["Utfall 2025"]
    drift_total = rows_by_label(wb[OPERATIONS_SHEET])[TOTAL_LABEL]
    assert ws.cell(previous, 2).value == f"='{OPERATIONS_SHEET}'!K{drift_total}"
    assert exact(stored.cell(previous, 2).value) == Decimal("2.5")  # 8 × −1,0 + 10,5
    change = labels["Förändring mot 2025 (prognos − utfall 2025)"]
    assert exact(stored.cell(change, 2).value) == expected_mkr(
        result.adopted_forecast - to_kronor("2.5", "mkr")
    )


def test_without_last_years_figures_the_summary_says_the_comparison_is_missing(
    august_interim_report,
):
    ws = opened(august_interim_report)[SUMMARY_SHEET]
    texts = [ws.cell(r, 1).value or "" for r in range(1, ws.max_row + 1)]

    assert "Utfall 2025" not in texts
    assert any("Utfallet 2025 är inte registrerat av ekonomiavdelningen" in t for t in texts)


# --- The summary's verdicts ---------------------------------------------------------------


def test_the_summary_gives_the_balance_requirement_the_goals_and_finances_assessment(
    published_august, finance_officer
):
    open_august = period_of(published_august.plan, 8, ReportingPeriod.Status.OPEN)
    save_assessment(
        period=open_august,
        text="Kommunen har inte en god ekonomisk hushållning 2026.\n\nResultatet är negativt.",
        actor=Actor(user=finance_officer),
        row_version=0,
    )
    august = period_of(published_august.plan, 8, ReportingPeriod.Status.PUBLISHED)
    balance = balance_of_period(august)
    by_method = {f.indicator.method: f for f in financial(august, PlanSnapshot(august.plan))}

    ws = workbook(august)[SUMMARY_SHEET]
    labels = rows_by_label(ws)

    assert labels[BALANCE_HEADING]
    verdict = labels["Balanskravsresultat enligt prognos"]
    assert exact(ws.cell(verdict, 2).value) == expected_mkr(balance.statement.balance_result)
    assert balance.statement.balance_result < 0
    assert ws.cell(verdict + 1, 1).value.startswith(
        f"Balanskravet uppfylls inte enligt prognos: balanskravsresultatet är "
        f"{format_mkr(balance.statement.balance_result)} mkr och ska återställas senast 2029"
    )
    for goal in august.plan.goals.all():
        assert f"{goal.number}. {goal.title}" in labels
    share = by_method["resultatandel"]
    goal = labels[f"3. {share.indicator.goal.title}"]
    assert (
        f"{share.indicator.name}: {format_percent(share.figure)} enligt prognos "
        f"(budget {format_percent(share.budget)})."
    ) in ws.cell(goal, 2).value
    assessment = labels[ASSESSMENT_HEADING]
    assert [ws.cell(assessment + i, 1).value for i in (1, 2)] == [
        "Kommunen har inte en god ekonomisk hushållning 2026.",
        "Resultatet är negativt.",
    ]
    day = timezone.localdate().isoformat()
    assert ws.cell(assessment + 3, 1).value == (
        f"Ekonomiavdelningen, registrerad {day} av {finance_officer.get_username()}."
    )


def test_without_an_assessment_the_summary_says_none_is_entered(august_interim_report):
    labels = rows_by_label(opened(august_interim_report)[SUMMARY_SHEET])

    assert labels[NO_ASSESSMENT] == labels[ASSESSMENT_HEADING] + 1


# --- Bolag and kommunkoncernen ------------------------------------------------------------


def test_the_companies_stand_beside_the_municipalitys_result_as_kommunkoncernen(
    published_august,
):
    for code, result in (("hedemora-energi", "14.2"), ("hedemorabostader", "3.0")):
        CompanyPeriodForecast.objects.create(
            company=Company.objects.get(code=code),
            period=published_august,
            result=to_kronor(result, "mkr"),
            recorded_at=timezone.now(),
        )
    result = municipality_result(published_august, overview(published_august))

    wb, values = both(published_august)
    ws, stored = wb[COMPANIES_SHEET], values[COMPANIES_SHEET]
    labels = rows_by_label(ws)

    municipality = labels[f"{MUNICIPALITY_LINE} (prognos)"]
    summary = rows_by_label(wb[SUMMARY_SHEET])["Prognos (på antagen budget)"]
    assert ws.cell(municipality, 4).value == f"='{SUMMARY_SHEET}'!B{summary}"
    assert exact(stored.cell(municipality, 4).value) == expected_mkr(result.adopted_forecast)
    group = labels[GROUP_LINE]
    companies = labels["Summa bolagen"]
    assert ws.cell(group, 4).value == (
        f'=IF(OR(D{companies}="",D{municipality}=""),"",D{companies}+D{municipality})'
    )
    assert exact(stored.cell(group, 4).value) == Decimal("17.2") + expected_mkr(
        result.adopted_forecast
    )
    assert ws.cell(group, 5).value.startswith("Ofullständig")  # one company has no figure


# --- Prognossäkerhet ----------------------------------------------------------------------


def test_forecast_accuracy_shows_each_committees_forecast_per_period_as_published(
    published_august,
):
    plan = published_august.plan
    march = period_of(plan, 3)
    committees = list(Committee.objects.of_plan(plan).with_activities())
    published = {r.committee.pk: r.forecast for r in shown.shown_rows(march, committees)}
    # A change to March's figures after publication does not change what March published.
    ReportLine.objects.filter(report__period=march, activity__code="bildningsnamnden").update(
        forecast=Decimal("-600000000")
    )
    rows = overview(published_august)

    ws, stored = (wb[ACCURACY_SHEET] for wb in both(published_august))

    assert headers(ws) == [
        "Nämnd",
        "Budget",
        "Prognos mars",
        "Prognos augusti",
        "Förändring mars–augusti",
    ]
    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert ws.cell(r, 1).value == row.committee.name
        assert exact(ws.cell(r, 3).value) == expected_mkr(published[row.committee.pk])
        assert exact(ws.cell(r, 4).value) == expected_mkr(row.forecast)
        assert ws.cell(r, 5).value == f'=IF(OR(D{r}="",C{r}=""),"",D{r}-C{r})'
    bildning = rows_by_label(ws)["Bildningsnämnden"]
    assert exact(ws.cell(bildning, 3).value) != Decimal("-600")
    total = rows_by_label(ws)[TOTAL_LABEL]
    assert exact(stored.cell(total, 4).value) == expected_mkr(
        sum((r.forecast for r in rows), Decimal(0))
    )


def test_the_annual_accounts_measure_each_forecast_against_the_years_outcome(
    december_with_outcome,
):
    rows = overview(december_with_outcome)
    october = {r.committee.pk: r.forecast for r in overview(period_of(rows[0].period.plan, 10))}

    ws, stored = (wb[ACCURACY_SHEET] for wb in both(december_with_outcome))

    assert headers(ws) == [
        "Nämnd",
        "Budget",
        "Prognos mars",
        "Prognos augusti",
        "Prognos oktober",
        "Utfall 2026",
        "Prognos mars − utfall",
        "Prognos augusti − utfall",
        "Prognos oktober − utfall",
    ]
    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert exact(ws.cell(r, 6).value) == expected_mkr(row.outcome)
        assert ws.cell(r, 9).value == f'=IF(OR(E{r}="",F{r}=""),"",E{r}-F{r})'
        miss = october[row.committee.pk] - row.outcome
        assert exact(stored.cell(r, 9).value) == expected_mkr(miss), row.committee.name


# --- The financial goals ------------------------------------------------------------------


def test_the_financial_goals_stand_with_their_values_under_their_goal(
    published_august, august_interim_report
):
    plan = published_august.plan
    items = financial(published_august, PlanSnapshot(plan))

    ws = opened(august_interim_report)[GOALS_SHEET]
    labels = rows_by_label(ws)

    assert {f.indicator.method for f in items} >= {"resultatandel", "soliditet"}
    for f in items:
        r = labels[f.indicator.name]
        goal = labels[f"{f.indicator.goal.number}. {f.indicator.goal.title}"]
        following = [labels[f"{g.number}. {g.title}"] for g in plan.goals.all()]
        assert goal < r < min((g for g in following if g > goal), default=ws.max_row + 1)
        if f.budget is not None:
            assert shares(ws.cell(r, 2).value) == shares(f.budget)
        assert (ws.cell(r, 3).value is None) == (f.figure is None)
        assert ws.cell(r, 4).value == f'=IF(OR(C{r}="",B{r}=""),"",C{r}-B{r})'
        assert f.note in ws.cell(r, 5).value
    share = next(f for f in items if f.indicator.method == "resultatandel")
    r = labels[share.indicator.name]
    assert shares(ws.cell(r, 3).value) == shares(share.figure)
    heading = labels["Finansiella nyckeltal"]
    assert [ws.cell(heading, c).value for c in (2, 3)] == ["Budget 2026", "Prognos 2026"]


# --- The annual accounts: outcome in the forecast's place ---------------------------------


def test_the_annual_accounts_put_the_outcome_in_the_forecasts_place(december_with_outcome):
    plan = december_with_outcome.plan
    last_year(december_with_outcome, {"omsorgsnamnden": ("-350.0", "-530.0")})
    project = (
        InvestmentProject.objects.filter(plan=plan, committee__code="kommunstyrelsen")
        .order_by("code")
        .first()
    )
    record_follow_ups(
        committee=project.committee,
        period=december_with_outcome,
        values={project.pk: (to_kronor("7.9", "mkr"), None, "")},
        actor=COMMAND,
    )
    propose_carry_over(
        project=project,
        from_year=2026,
        amount=to_kronor("0.6", "mkr"),
        reason="Arbetet slutförs i vår.",
        actor=COMMAND,
    )
    rows = overview(december_with_outcome)

    wb, values = both(december_with_outcome)

    operations = wb[OPERATIONS_SHEET]
    assert headers(operations) == [
        "Nämnd",
        "Budget",
        "Utfall 2026",
        "Avvikelse (utfall − budget)",
        "Senaste prognos",
        "Utfall − senaste prognos",
        "Utfall 2025",
        "Förändring mot 2025 (utfall − utfall 2025)",
    ]
    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert [exact(operations.cell(r, c).value) for c in (2, 3, 5)] == [
            expected_mkr(row.budget),
            expected_mkr(row.outcome),
            expected_mkr(row.previous_forecast),
        ]
        assert operations.cell(r, 4).value == f'=IF(OR(C{r}="",B{r}=""),"",C{r}-B{r})'
    omsorg = rows_by_label(operations)["Omsorgsnämnden"]
    assert exact(operations.cell(omsorg, 7).value) == Decimal("-530.0")

    parts = wb[COMMITTEES_SHEET]
    assert headers(parts) == list(OUTCOME_HEADERS)
    bildning = report_figures(rows[4].report)
    assert rows[4].committee.code == "bildningsnamnden"
    r = part_starts(parts)["Bildningsnämnden"] + 2
    line = bildning.lines[0]
    assert [exact(parts.cell(r, c).value) for c in (2, 3, 5)] == [
        expected_mkr(line.budget),
        expected_mkr(line.outcome),
        expected_mkr(line.previous_forecast),
    ]
    assert parts.cell(r, 8).value == f"Utfall för {line.activity.name}."

    investments = wb[INVESTMENTS_SHEET]
    assert headers(investments)[4:7] == [
        "Utfall 2026",
        "Avvikelse (budget inkl. − utfall)",
        "Överflyttas till 2027",
    ]
    p = rows_by_label(investments)[f"{project.code} {project.name}"]
    assert exact(investments.cell(p, 5).value) == Decimal("7.9")
    assert investments.cell(p, 6).value == f'=IF(OR(D{p}="",E{p}=""),"",D{p}-E{p})'
    assert exact(investments.cell(p, 7).value) == Decimal("0.6")
    assert investments.cell(p, 8).value == "Överflyttning: förslag."
    figures = follow_up(plan=plan, period=december_with_outcome)
    stored = values[INVESTMENTS_SHEET]
    total = rows_by_label(investments)["Summa investeringar"]
    assert exact(stored.cell(total, 5).value) == expected_mkr(figures.total.outcome)

    summary = wb[SUMMARY_SHEET]
    assert "Utfall" in rows_by_label(summary)
    assert "Balanskravsresultat enligt utfall" in rows_by_label(summary)


# --- Omfördelningar -----------------------------------------------------------------------


def test_the_reallocations_decided_in_the_year_so_far_are_listed(published_august, finance_officer):
    plan = published_august.plan
    reallocate(plan, finance_officer, decided_on=date(2026, 5, 20))
    reallocate(plan, finance_officer, decided_on=date(2026, 9, 28))

    wb = workbook(published_august)

    assert wb.sheetnames[-2:] == [REALLOCATIONS_SHEET, COMMITTEES_SHEET]
    ws = wb[REALLOCATIONS_SHEET]
    assert ws["A1"].value == "Omfördelningar beslutade januari–augusti 2026"
    titles = [ws.cell(r, 3).value or "" for r in range(FIRST_ROW, ws.max_row + 1)]
    assert any("Beslutad 2026-05-20" in t for t in titles)
    assert not any("Beslutad 2026-09-28" in t for t in titles)
    summary = [c.value or "" for c in wb[SUMMARY_SHEET]["A"]]
    assert any(f"står på bladet {REALLOCATIONS_SHEET}" in t for t in summary)


# --- Printing -----------------------------------------------------------------------------


def test_the_committees_parts_share_pages_and_no_page_holds_one_or_two_rows(august_interim_report):
    wb = opened(august_interim_report)
    ws = wb[COMMITTEES_SHEET]
    starts = part_starts(ws)

    pages = page_starts(ws)
    assert set(pages) <= set(starts.values())  # a page starts with a committee
    assert len(pages) + 1 < len(starts)  # small committees share a page
    bounds = [FIRST_ROW, *pages, ws.max_row + 1]
    for first, following in zip(bounds, bounds[1:], strict=False):
        assert len([r for r in range(first, following) if ws.cell(r, 1).value]) > 2
    for sheet in wb.worksheets:
        assert too_low(sheet) == [], sheet.title


@pytest.mark.libreoffice
def test_printed_no_committees_part_is_split_and_no_page_is_nearly_empty(
    published_august, august_interim_report, tmp_path
):
    names = [r.committee.name for r in overview(published_august)]

    pages = printed_pages(august_interim_report, tmp_path)

    parts = [p for p in pages if f"{published_august} – {COMMITTEES_SHEET}" in p]
    assert 1 < len(parts) < len(names)
    for name in names:
        on = [p for p in parts if f"\n{name}\n" in f"\n{p}" or f"Summa {name}" in p]
        assert len(on) == 1, name  # its heading and its total on the same page
    for page in pages:
        body = [line for line in page.splitlines() if line.strip()]
        assert len(body) > 8, page  # the title lines, the header and more than a row or two


# --- Queries ------------------------------------------------------------------------------


def test_the_committees_parts_do_not_add_queries_per_committee(
    published_august, django_assert_max_num_queries
):
    august = period_of(published_august.plan, 8, ReportingPeriod.Status.OPEN)
    with CaptureQueriesContext(connection) as base:
        workbook_bytes(august, today=TODAY)
    for committee in extra_committees(august.plan.municipality):
        report = open_report(committee=committee, period=august, actor=COMMAND)
        ReportNote.objects.create(
            report=report,
            kind=ReportNote.Kind.NOTE,
            text="Fråga",
            written_at=timezone.now(),
            author="Eva",
            report_version=1,
        )
        save_measures(committee=committee, period=august, measures=[new_measure()], actor=COMMAND)
    last_year(august, {f"extra-{n}": ("-1", "-2") for n in range(3)})

    with django_assert_max_num_queries(len(base.captured_queries)):
        content = workbook_bytes(august, today=TODAY)

    ws = load_workbook(BytesIO(content))[COMMITTEES_SHEET]
    labels = part_labels(ws, "Extranämnd 2")
    assert labels["Vakanser tillsätts inte"] and labels[THREAD_HEADING]


def test_every_sheet_of_amounts_says_that_rounding_differences_may_occur(
    published_august, august_interim_report
):
    """Cells hold exact amounts and totals are sums of them: a total shown with one decimal
    may differ by 0,1 from the rounded figures above it, and the paper says so."""
    september = ReportingPeriod.objects.get(plan=published_august.plan, month=9)
    month = month_report_workbook.workbook_bytes(september, today=TODAY)
    for wb in (opened(august_interim_report), load_workbook(BytesIO(month))):
        for ws in wb.worksheets:
            note = ws["A3"].value or ""
            if "mkr" in note or "tkr" in note:
                assert ROUNDING_NOTE in note, ws.title
