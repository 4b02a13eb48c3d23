"""Preliminary is said: a paper or page of a period that is not published says "PRELIMINÄR"
in every sheet's heading line and every printed page's header, and marks each committee whose
report finance has not approved with that report's status. A published period's paper says
nothing of the kind. The annual accounts without any outcome are refused with the reason.
"""

from datetime import date
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget.audit import Actor, Source
from budget.money import to_kronor
from budget.reports.snapshot import PlanSnapshot
from budget.xlsx import escape_header_footer
from followup.models import Report, ReportingPeriod, StatementFigure
from followup.papers import interim_report_workbook, month_report_workbook
from followup.papers.month_report_workbook import ACTIONS_SHEET, FIRST_ROW, SUMMARY_SHEET
from followup.papers.paper import PaperRefused, workbook_bytes
from followup.periods.preliminary import (
    PreliminaryState,
    preliminary_heading,
    preliminary_state,
)
from followup.reports.workflow import approve_report
from tests.followup.paper_parts import part_status
from tests.followup.periods import overview, period_of
from tests.pages import page_as

TODAY = date(2026, 11, 20)
COMMAND = Actor(source=Source.COMMAND, name="test")
OPEN_HEADING = "PRELIMINÄR – perioden är inte publicerad (öppen)"


@pytest.fixture
def october(demo_year):
    """Open; Bildningsnämnden's and finansförvaltningen's reports are drafts, the others
    submitted; Kommunrevisionen's approved here, so that both kinds of row are present."""
    period = ReportingPeriod.objects.get(plan=demo_year, month=10)
    audit = Report.objects.current().get(period=period, committee__code="kommunrevisionen")
    approve_report(report=audit, actor=COMMAND)
    return period


@pytest.fixture
def december(demo_year):
    """The annual accounts' period, planned: no report, no outcome."""
    return ReportingPeriod.objects.get(plan=demo_year, month=12)


def month_paper(period):
    return load_workbook(BytesIO(month_report_workbook.workbook_bytes(period, today=TODAY)))


def interim_paper(period):
    return load_workbook(BytesIO(interim_report_workbook.workbook_bytes(period, today=TODAY)))


def texts(wb) -> list[str]:
    """Every text cell and every header and footer of the workbook."""
    found = []
    for ws in wb.worksheets:
        found += [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for part in (ws.oddHeader, ws.oddFooter):
            found += [p.text or "" for p in (part.left, part.center, part.right)]
    return found


# --- the papers of a period that is not published -----------------------------------------


def test_every_sheet_of_an_open_periods_paper_says_preliminary_in_heading_and_page_header(
    october,
):
    wb = month_paper(october)

    assert month_report_workbook.COMMITTEES_SHEET in wb.sheetnames
    for ws in wb.worksheets:
        assert ws["A2"].value.startswith(f"{OPEN_HEADING}: siffrorna kan ändras"), ws.title
        assert ws.oddHeader.center.text == escape_header_footer(OPEN_HEADING), ws.title
    assert wb.properties.title.startswith("PRELIMINÄR: ")


def test_each_report_finance_has_not_approved_is_marked_with_its_status_on_its_row(october):
    rows = overview(october)

    summary = month_paper(october)[SUMMARY_SHEET]

    marked = {}
    for index, row in enumerate(rows):
        status = summary.cell(row=FIRST_ROW + index, column=7).value
        marked[row.committee.code] = status
        if row.report.status == Report.Status.APPROVED:
            assert status.startswith("Godkänd"), row.committee.name
        else:
            assert status.startswith(f"PRELIMINÄR: {row.report.get_status_display()}")
    assert marked["kommunrevisionen"].startswith("Godkänd")
    assert marked["bildningsnamnden"].startswith("PRELIMINÄR: Utkast")
    assert marked["finansforvaltningen"].startswith("PRELIMINÄR: Utkast")
    assert marked["omsorgsnamnden"].startswith("PRELIMINÄR: Inlämnad")
    assert summary.cell(row=FIRST_ROW - 1, column=7).value == "Rapportens status"
    assert "rapporten är inte godkänd för 8 av 9 nämnder" in summary["A2"].value


def test_a_committee_sheet_and_its_action_plan_say_the_report_is_not_approved(october):
    wb = month_paper(october)

    assert part_status(wb, "Bildningsnämnden").startswith("Rapportens status: PRELIMINÄR: Utkast")
    assert part_status(wb, "Kommunrevisionen").startswith("Rapportens status: Godkänd")
    plans = [
        ws_row[1]
        for ws_row in wb[ACTIONS_SHEET].iter_rows(values_only=True)
        if ws_row[0] == "Bildningsnämnden" and (ws_row[1] or "").startswith("Åtgärdsplan")
    ]
    assert plans
    assert all(
        "PRELIMINÄR: nämndens rapport för perioden är inte godkänd (utkast" in p for p in plans
    )


def test_a_committee_without_a_report_is_marked_not_started(plan):
    april = period_of(plan, 4, ReportingPeriod.Status.OPEN)

    wb = month_paper(april)

    summary = wb[SUMMARY_SHEET]
    statuses = {summary.cell(row=r, column=7).value for r in range(FIRST_ROW, FIRST_ROW + 9)}
    assert statuses == {"PRELIMINÄR: Ej påbörjad · sen"}  # April's deadline has passed
    assert part_status(wb, "Valnämnden") == "Rapportens status: PRELIMINÄR: Ej påbörjad · sen"


def test_a_closed_period_is_still_preliminary(plan):
    closed = period_of(plan, 4, ReportingPeriod.Status.CLOSED)

    wb = month_paper(closed)

    heading = "PRELIMINÄR – perioden är inte publicerad (stängd)"
    assert preliminary_heading(closed) == heading
    assert all(ws.oddHeader.center.text == heading for ws in wb.worksheets)


def test_every_sheet_of_an_open_interim_report_says_preliminary(demo_investments, plan):
    august = period_of(plan, 8, ReportingPeriod.Status.OPEN)

    wb = interim_paper(august)

    assert len(wb.worksheets) == 11
    for ws in wb.worksheets:
        assert ws["A2"].value.startswith(OPEN_HEADING), ws.title
        assert ws.oddHeader.center.text == escape_header_footer(OPEN_HEADING), ws.title


# --- a published period's papers ----------------------------------------------------------


def test_a_published_periods_papers_say_nothing_preliminary(demo_investments, plan):
    september = period_of(plan, 9)
    published_august = period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)

    for wb in (month_paper(september), interim_paper(published_august)):
        assert not any("PRELIMIN" in text for text in texts(wb))
        assert all(not ws.oddHeader.center.text for ws in wb.worksheets)
        assert not wb.properties.title.startswith("PRELIMINÄR")
    assert september.status == ReportingPeriod.Status.PUBLISHED


# --- the annual accounts without outcome --------------------------------------------------


def test_the_annual_accounts_without_outcome_are_refused_with_the_reason(december):
    with pytest.raises(PaperRefused) as refused:
        workbook_bytes(december, today=TODAY)

    assert str(refused.value).startswith("Årsbokslutet 2026 kan inte tas fram ännu")
    assert "perioden är planerad och inget utfall för året" in str(refused.value)


def test_the_download_of_annual_accounts_without_outcome_says_why(
    client, december, finance_officer
):
    client.force_login(finance_officer)

    response = client.get(reverse("followup:month_report", kwargs={"year": 2026, "month": 12}))

    assert response.status_code == 409
    assert "Årsbokslutet 2026 kan inte tas fram ännu" in response.text
    assert "Content-Disposition" not in response


def test_the_command_refuses_annual_accounts_without_outcome(december, tmp_path):
    output = tmp_path / "arsbokslut-2026.xlsx"

    with pytest.raises(CommandError, match="inget utfall för året"):
        call_command("export_report", "--period", "2026-12", "--output", str(output))

    assert not output.exists()


def test_annual_accounts_with_outcome_entered_are_made_and_marked_preliminary(december):
    snapshot = PlanSnapshot(december.plan)
    statement = snapshot.statement("resultatbudget")
    line = next(x for x in snapshot.lines_by_statement[statement.pk] if x.code == "avskrivningar")
    StatementFigure.objects.create(
        period=december, line=line, amount=to_kronor("-22.4", "mkr"), recorded_at=timezone.now()
    )

    wb = load_workbook(BytesIO(workbook_bytes(december, today=TODAY)))

    heading = "PRELIMINÄR – perioden är inte publicerad (planerad)"
    assert all(ws["A2"].value.startswith(heading) for ws in wb.worksheets)
    assert wb[SUMMARY_SHEET].cell(row=FIRST_ROW, column=5).value == "PRELIMINÄR: Ej påbörjad"


# --- the period pages ---------------------------------------------------------------------


def test_a_period_page_says_preliminary_and_names_the_reports_not_approved(
    client, october, finance_officer
):
    october.kind = ReportingPeriod.Kind.INTERIM  # the accounts pages are the papers' periods'
    october.save()

    page = page_as(
        client, finance_officer, reverse("followup:balance", kwargs={"year": 2026, "month": 10})
    ).text

    assert OPEN_HEADING in page
    assert "Rapporten är inte godkänd för 8 av 9 nämnder." in page
    assert "<li>Bildningsnämnden: Utkast</li>" in page
    assert "<li>Omsorgsnämnden: Inlämnad</li>" in page
    assert "<li>Kommunrevisionen:" not in page


@pytest.mark.parametrize("name", ["balance", "goal_analysis", "statement_figures"])
def test_the_accounts_pages_of_a_published_period_have_no_notice(
    client, demo_year, finance_officer, name
):
    period_of(demo_year, 8, ReportingPeriod.Status.PUBLISHED)

    page = page_as(
        client, finance_officer, reverse(f"followup:{name}", kwargs={"year": 2026, "month": 8})
    ).text

    assert "PRELIMINÄR" not in page


@pytest.mark.parametrize("name", ["balance", "goal_analysis", "statement_figures"])
def test_the_accounts_pages_of_an_open_period_have_the_notice(client, plan, finance_officer, name):
    period_of(plan, 8, ReportingPeriod.Status.OPEN)

    page = page_as(
        client, finance_officer, reverse(f"followup:{name}", kwargs={"year": 2026, "month": 8})
    ).text

    assert OPEN_HEADING in page
    assert "Ingen nämnd har börjat rapportera för perioden." in page


def test_a_planned_period_without_reports_is_said_to_have_none_started(december):
    state = preliminary_state(december)

    assert state.heading == "PRELIMINÄR – perioden är inte publicerad (planerad)"
    assert not state.started
    assert len(state.unapproved) == state.committees == 9


def test_the_periods_page_calls_an_open_periods_paper_preliminary_and_says_why_one_is_missing(
    client, october, december, finance_officer
):
    december.status = ReportingPeriod.Status.OPEN
    december.save()

    page = page_as(client, finance_officer, reverse("followup:periods", kwargs={"year": 2026})).text

    assert "Ladda ned månadsrapporten (Excel, preliminär)" in page  # October's
    assert "Ladda ned månadsrapporten (Excel)" in page  # September's, published
    assert "Årsbokslutet 2026 kan inte tas fram ännu" in page
    assert "Ladda ned årsbokslutet" not in page


def test_the_state_told_from_the_periods_rows_is_the_state_read_from_the_tables(october):
    from_tables = preliminary_state(ReportingPeriod.objects.get(pk=october.pk))
    rows = overview(october)

    from_rows = preliminary_state(ReportingPeriod.objects.get(pk=october.pk), rows=rows)

    assert isinstance(from_rows, PreliminaryState)
    assert from_rows == from_tables
    assert len(from_rows.unapproved) == 8


def test_the_dashboard_says_preliminary_and_names_the_reports_not_approved(
    client, october, finance_officer
):
    url = reverse("followup:dashboard", kwargs={"year": 2026}) + "?period=10"

    page = page_as(client, finance_officer, url).text

    assert OPEN_HEADING in page
    assert "Rapporten är inte godkänd för 8 av 9 nämnder." in page
    assert "<li>Bildningsnämnden: Utkast</li>" in page
    assert "<li>Kommunrevisionen:" not in page
