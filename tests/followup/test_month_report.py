"""The month report (Månadsrapport) as an Excel paper: a summary with the municipality's
result, a part per committee (sheet "Nämnderna"), the action plans and the month's
reallocations.

Expected figures come from the domain functions (period_overview, MunicipalityResult,
report_figures) or from the data the test creates, never from the workbook itself.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor, Source
from budget.models import Activity, BudgetYear, Committee
from budget.money import round_half_up
from followup.models import Measure, MeasureFollowUp, Report, ReportingPeriod
from followup.papers.month_report_workbook import (
    ACTIONS_SHEET,
    COMMITTEES_SHEET,
    FIRST_ROW,
    NO_REPORT,
    REALLOCATIONS_SHEET,
    SUMMARY_SHEET,
    TOTAL_LABEL,
    sheet_titles,
    workbook_bytes,
)
from followup.reallocations.workflow import (
    SIGN_CONVENTION,
    Line,
    apply_reallocation,
    effect,
    prepare_reallocation,
    record_decision,
    save_draft,
)
from followup.reports import actions
from followup.reports.actions import save_measures
from followup.reports.figures import report_figures
from followup.reports.workflow import open_report, save_report
from tests.followup.actions import new_measure
from tests.followup.committees import extra_committees
from tests.followup.paper_parts import (
    page_starts,
    part_labels,
    part_rows,
    part_starts,
    part_status,
    too_low,
)
from tests.followup.periods import municipality_result, overview
from tests.followup.reallocations import colleague
from tests.pages import assert_sent_to_login
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

TODAY = date(2026, 11, 20)
COMMAND = Actor(source=Source.COMMAND, name="test")


def url(month=10):
    return reverse("followup:month_report", kwargs={"year": 2026, "month": month})


@pytest.fixture
def october(demo_year):
    """The demo year: reports through October, October open with two drafts; action
    plans for Bildningsnämnden and Omsorgsnämnden followed up in August and October."""
    return ReportingPeriod.objects.get(plan=demo_year, month=10)


def workbook(period, **kwargs):
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY, **kwargs)))


def stored(period):
    """The paper as a reader that does not recalculate shows it: each formula's value."""
    return load_workbook(BytesIO(workbook_bytes(period, today=TODAY)), data_only=True)


# --- the sheets ---------------------------------------------------------------------------


def test_the_workbook_has_a_summary_the_committees_parts_and_the_plans(october):
    committees = [r.committee.name for r in overview(october)]

    wb = workbook(october)

    # No reallocation was decided in October: no sheet of one line, the summary says so.
    assert wb.sheetnames == [SUMMARY_SHEET, COMMITTEES_SHEET, ACTIONS_SHEET]
    summary = wb[SUMMARY_SHEET]
    assert summary["A1"].value == f"{october.plan.municipality.name} – Månadsrapport oktober 2026"
    assert october.plan.title in summary["A2"].value
    assert TODAY.isoformat() in summary["A2"].value
    assert "Inga budgetomfördelningar beslutades i oktober 2026." in rows_by_label(summary)
    assert list(part_starts(wb[COMMITTEES_SHEET])) == committees


def test_a_committee_sheet_is_named_by_the_committee_within_excels_rules():
    names = [
        "Miljö- och samhällsbyggnadsnämnden",
        "Miljö- och samhällsbyggnadsnämnden, arbetsutskottet",
        "Bygg/teknik: [plan]?*\\",
        "sammanfattning",
    ]

    titles = sheet_titles(names, taken=[SUMMARY_SHEET])

    assert all(len(t) <= 31 for t in titles)
    assert not any(set(t) & set("[]:*?/\\") for t in titles)
    assert len({t.casefold() for t in titles} | {SUMMARY_SHEET.casefold()}) == len(names) + 1
    assert titles[0].startswith("Miljö- och samhällsbyggnads")


def test_every_committee_row_shows_the_overview_figures(october):
    rows = overview(october)

    ws = workbook(october)[SUMMARY_SHEET]
    values = stored(october)[SUMMARY_SHEET]

    assert len(rows) > 5
    for index, row in enumerate(rows):
        r = FIRST_ROW + index
        assert ws.cell(row=r, column=1).value == row.committee.name
        shown = [exact(values.cell(row=r, column=c).value) for c in (2, 3, 4, 6)]
        assert shown == [
            expected_mkr(row.budget),
            expected_mkr(row.outcome),
            expected_mkr(row.forecast),
            expected_mkr(row.forecast_change),
        ], row.committee.name
        assert ws.cell(row=r, column=5).value == f'=IF(OR(D{r}="",B{r}=""),"",D{r}-B{r})'
        # October is open: a report finance has not approved is marked preliminary.
        assert ws.cell(row=r, column=7).value.startswith(
            f"PRELIMINÄR: {row.report.get_status_display()}"
        )


def test_the_summary_refers_to_each_committees_sum_on_the_committees_sheet(october):
    """A figure the summary takes from a committee's part is a reference to its sum there,
    so that a correction on the committee's sheet reaches the summary."""
    wb = workbook(october)
    ws, parts = wb[SUMMARY_SHEET], wb[COMMITTEES_SHEET]
    sums = {cell.value: cell.row for cell in parts["A"] if str(cell.value).startswith("Summa ")}
    for index, row in enumerate(overview(october)):
        r = FIRST_ROW + index
        total = sums[f"Summa {row.committee.name}"]
        for column, letter in ((2, "B"), (3, "D")):
            cell = f"'{COMMITTEES_SHEET}'!{letter}{total}"
            assert ws.cell(row=r, column=column).value == f'=IF({cell}="","",{cell})'


def test_a_committee_row_shows_its_action_plan_and_how_much_it_covers(october):
    row = next(r for r in overview(october) if r.committee.code == "omsorgsnamnden")
    coverage = actions.coverage(row.action_plan, row.deviation)

    ws = workbook(october)[SUMMARY_SHEET]
    r = rows_by_label(ws)[row.committee.name]

    assert ws.cell(row=r, column=8).value == f"{len(row.action_plan.measures)} åtgärder"
    assert coverage is not None
    assert round_half_up(Decimal(repr(ws.cell(row=r, column=9).value)), 12) == round_half_up(
        coverage, 12
    )


def test_the_totals_are_sums_over_the_rows_not_figures(october):
    rows = overview(october)
    last = FIRST_ROW + len(rows) - 1

    wb = workbook(october)
    ws = wb[SUMMARY_SHEET]
    total = rows_by_label(ws)[TOTAL_LABEL]

    assert total == last + 1
    for letter in "BCEF":
        assert ws[f"{letter}{total}"].value == (
            f'=IF(COUNT({letter}{FIRST_ROW}:{letter}{last})=0,"",'
            f"SUM({letter}{FIRST_ROW}:{letter}{last}))"
        )
    assert f"SUM(B{FIRST_ROW}:B{last})+SUM(E{FIRST_ROW}:E{last})" in ws[f"D{total}"].value
    parts = wb[COMMITTEES_SHEET]
    for row in rows:
        committee_total = part_labels(parts, row.committee.name)[f"Summa {row.committee.name}"]
        first = part_starts(parts)[row.committee.name] + 2  # under the name and the status
        end = committee_total - 1
        totals = [c for c in parts[committee_total] if c.data_type == "f"]
        assert {c.column_letter for c in totals} == set("BCDEFG"), row.committee.name
        assert parts[f"B{committee_total}"].value == (
            f'=IF(COUNT(B{first}:B{end})=0,"",SUM(B{first}:B{end}))'
        )


def test_no_formula_refers_to_its_own_cell(october):
    formulas, circular = formulas_and_self_references(workbook(october))

    assert circular == []
    assert formulas > 50


def test_a_committees_part_shows_its_report_figures_and_comments_per_activity(october):
    rows = overview(october)

    wb = workbook(october)
    ws = wb[COMMITTEES_SHEET]

    assert all(row.report is not None for row in rows)
    for row in rows:
        figures = report_figures(row.report)
        first = part_starts(ws)[row.committee.name] + 2
        for offset, line in enumerate(figures.lines):
            r = first + offset
            assert ws.cell(row=r, column=1).value == line.activity.name
            assert [exact(ws.cell(row=r, column=c).value) for c in (2, 3, 4, 6)] == [
                expected_mkr(line.budget),
                expected_mkr(line.budget_to_date),
                expected_mkr(line.outcome),
                expected_mkr(line.forecast),
            ], (row.committee.name, line.activity.name)
            assert (ws.cell(row=r, column=8).value or "") == line.comment
        assert ws.cell(row=first + len(figures.lines), column=1).value == (
            f"Summa {row.committee.name}"
        )
    assert part_status(wb, "Bildningsnämnden").startswith("Rapportens status: PRELIMINÄR: Utkast")
    # The month report lists the plans on their own sheet; the part points there.
    assert part_status(wb, "Bildningsnämnden").endswith(
        "Åtgärdsplan: 3 åtgärder, se bladet Åtgärdsplaner"
    )


def test_a_committee_without_a_report_has_a_part_that_says_so(plan, march, bildning):
    report = open_report(committee=bildning, period=march, actor=COMMAND)
    names = {r.committee.name: r.report for r in overview(march)}

    ws = workbook(march)[COMMITTEES_SHEET]

    assert report in names.values()
    for name, current in names.items():
        said = [r for r in part_rows(ws, name) if ws.cell(r, 1).value == NO_REPORT]
        assert bool(said) == (current is None), name


def test_small_committees_share_a_page_and_a_part_starts_a_page_when_it_does_not_fit(october):
    committees = [r.committee.name for r in overview(october)]

    ws = workbook(october)[COMMITTEES_SHEET]
    starts = part_starts(ws)

    pages = page_starts(ws)
    assert 0 < len(pages) < len(committees) - 1  # not a page per committee
    # Each page starts with a committee's part, and holds more than one or two rows.
    assert set(pages) <= set(starts.values())
    bounds = [FIRST_ROW, *pages, ws.max_row + 1]
    for first, following in zip(bounds, bounds[1:], strict=False):
        filled = [r for r in range(first, following) if ws.cell(r, 1).value]
        assert len(filled) > 2, (first, following)


def test_every_wrapped_text_has_the_height_it_needs(october):
    bildning = Committee.objects.get(code="bildningsnamnden")
    draft = Report.objects.current().get(committee=bildning, period=october)
    line = draft.lines.select_related("activity").first()
    comment = "Prognosen bygger på elevantalet i september och på lönerevisionen. " * 12
    save_report(
        report=draft,
        row_version=draft.row_version,
        values={line.activity_id: (line.outcome, line.forecast, comment.strip())},
        actor=COMMAND,
    )

    wb = workbook(october)

    for ws in wb.worksheets:
        assert too_low(ws) == [], ws.title
    ws = wb[COMMITTEES_SHEET]
    r = part_labels(ws, "Bildningsnämnden")[line.activity.name]
    assert ws.row_dimensions[r].height >= 15 * 9  # 800 characters in a 60 wide column


def test_a_comment_too_long_for_one_row_continues_in_the_rows_below(october):
    row = next(r for r in overview(october) if r.committee.code == "bildningsnamnden")
    line = row.report.lines.select_related("activity").get()
    comment = " ".join(f"Mening {n} om prognosen för grundskolan och gymnasiet." for n in range(60))
    save_report(
        report=row.report,
        row_version=row.report.row_version,
        values={line.activity_id: (line.outcome, line.forecast, comment)},
        actor=COMMAND,
    )

    content = workbook_bytes(october, today=TODAY)
    ws = load_workbook(BytesIO(content))[COMMITTEES_SHEET]
    stored = load_workbook(BytesIO(content), data_only=True)[COMMITTEES_SHEET]
    labels = part_labels(ws, "Bildningsnämnden")

    first, total = labels[line.activity.name], labels["Summa Bildningsnämnden"]
    assert total - first > 1  # the comment takes more than the activity's own row
    texts = [ws.cell(r, 8).value for r in range(first, total)]
    assert " ".join(texts) == comment
    assert all(ws.row_dimensions[r].height <= 409.5 for r in range(first, total))
    assert (
        ws.cell(total, 2).value
        == f'=IF(COUNT(B{first}:B{total - 1})=0,"",SUM(B{first}:B{total - 1}))'
    )
    assert exact(stored.cell(total, 2).value) == expected_mkr(report_figures(row.report).budget)


# --- text typed by users ------------------------------------------------------------------


def test_text_that_users_typed_stays_text_even_when_it_looks_like_a_formula(
    october, finance_officer
):
    bildning = Committee.objects.get(code="bildningsnamnden")
    draft = Report.objects.current().get(committee=bildning, period=october)
    line = draft.lines.select_related("activity").first()
    comment = '=HYPERLINK("http://example.com","Klicka")'
    save_report(
        report=draft,
        row_version=draft.row_version,
        values={line.activity_id: (line.outcome, line.forecast, comment)},
        actor=COMMAND,
    )
    save_measures(
        committee=bildning,
        period=october,
        measures=[
            new_measure(
                description="=1+1",
                expected_effect=Decimal("100000"),
                responsible="=A1",
                due_date=date(2026, 12, 31),
                comment="=SUM(A1:A9)",
            )
        ],
        actor=COMMAND,
    )

    wb = workbook(october)
    texts = {
        c.value: c.data_type
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in (comment, "=1+1", "=A1", "=SUM(A1:A9)")
    }

    assert texts == {comment: "s", "=1+1": "s", "=A1": "s", "=SUM(A1:A9)": "s"}


# --- action plans and reallocations -------------------------------------------------------


@pytest.mark.parametrize("month", [8, 10])
def test_the_action_plans_show_each_measure_as_last_followed_up_by_the_period(october, month):
    period = ReportingPeriod.objects.get(plan=october.plan, month=month)
    measure = Measure.objects.get(description__startswith="Vakanta tjänster")
    follow_up = (
        MeasureFollowUp.objects.filter(measure=measure, period__month__lte=month)
        .order_by("-period__month")
        .first()
    )

    ws = workbook(period)[ACTIONS_SHEET]
    r = next(
        r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 2).value == measure.description
    )

    assert ws.cell(r, 1).value == measure.plan.committee.name
    assert exact(ws.cell(r, 3).value) == expected_mkr(measure.expected_effect)
    assert ws.cell(r, 4).value == measure.responsible
    assert ws.cell(r, 5).value.date() == measure.due_date
    assert ws.cell(r, 6).value == follow_up.get_status_display()
    assert exact(ws.cell(r, 7).value) == expected_mkr(follow_up.realised_effect)
    assert (ws.cell(r, 8).value or "") == follow_up.comment
    assert ws.cell(r, 9).value == f"{follow_up.period.month_name} 2026"


def reallocate(plan, finance_officer, *, decided_on, note=""):
    budget_year = BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    actor = Actor(user=finance_officer, source=Source.PAGE)
    lines = [
        Line(Activity.objects.get(code="kommunstyrelsen"), Decimal("1500000.50"), note),
        Line(Activity.objects.get(code="omsorgsnamnden"), Decimal("-1500000.50"), ""),
    ]
    reallocation = save_draft(
        plan=plan,
        budget_year=budget_year,
        kind="omfordelning",
        title=f"Beslutad {decided_on}",
        purpose="Syfte",
        funding="Finansiering",
        lines=lines,
        actor=actor,
    )
    reallocation = prepare_reallocation(reallocation=reallocation, actor=actor)
    return record_decision(
        reallocation=reallocation,
        actor=Actor(user=colleague(), source=Source.PAGE),  # four eyes
        decided_on=decided_on,
        paragraph="§ 101",
        today=date(2026, 11, 30),
    )


def test_the_reallocations_decided_in_the_month_are_listed_with_their_lines(
    october, finance_officer
):
    in_october = reallocate(
        october.plan, finance_officer, decided_on=date(2026, 10, 26), note="=HYPERLINK(1)"
    )
    apply_reallocation(reallocation=in_october, actor=Actor(user=colleague()))
    reallocate(october.plan, finance_officer, decided_on=date(2026, 9, 28))

    ws = workbook(october)[REALLOCATIONS_SHEET]
    lines = [
        r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == in_october.reference
    ]

    assert ws.title == REALLOCATIONS_SHEET
    assert ws["A3"].value.startswith(f"Belopp i tkr. {SIGN_CONVENTION}")
    titles = [ws.cell(r, 3).value or "" for r in range(FIRST_ROW, ws.max_row + 1)]
    assert any("Beslutad 2026-10-26" in t for t in titles)
    assert not any("Beslutad 2026-09-28" in t for t in titles)
    shown = [
        (ws.cell(r, 4).value, exact(ws.cell(r, 5).value), ws.cell(r, 6).value) for r in lines[1:]
    ]
    assert shown == [
        (line.activity.name, (line.amount / 1000).quantize(EIGHT_DECIMALS), effect(line))
        for line in in_october.lines.order_by("id")
    ]
    assert ws.cell(lines[1], 7).data_type == "s"
    assert ws.cell(lines[1], 2).value == in_october.decision
    assert ws.cell(lines[-1] + 1, 5).value == f"=ROUND(SUM(E{lines[1]}:E{lines[-1]}),5)"


# --- printing -----------------------------------------------------------------------------


def test_every_sheet_prints_on_a4_landscape_with_titles_footer_and_frozen_panes(october):
    for ws in workbook(october).worksheets:
        assert printing(ws) == REPORT_SHEET_PRINTING, ws.title


# --- the command --------------------------------------------------------------------------


def test_the_command_writes_the_periods_month_report(october, tmp_path, capsys):
    output = tmp_path / "manadsrapport-2026-10.xlsx"

    call_command("export_report", "--period", "2026-10", "--output", str(output))

    assert load_workbook(output).sheetnames[0] == SUMMARY_SHEET
    assert "Månadsrapport oktober 2026" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("oktober", "ska skrivas ÅÅÅÅ-MM"),
        ("2026-13", "ska skrivas ÅÅÅÅ-MM"),
        ("2031-10", "Det finns ingen fastställd budget för 2031"),
        ("2026-01", "finns inte i uppföljningskalendern"),
    ],
)
def test_the_command_refuses_an_unknown_period_in_swedish(plan, tmp_path, key, message):
    output = tmp_path / "rapport.xlsx"

    with pytest.raises(CommandError, match=message):
        call_command("export_report", "--period", key, "--output", str(output))

    assert not output.exists()


# --- the download -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["finance_officer", "councillor", "council_secretary"])
def test_finance_councillors_and_the_secretary_download_a_published_period(
    client, october, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url(month=9))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="manadsrapport-2026-09.xlsx"'
    assert load_workbook(BytesIO(response.content)).sheetnames[0] == SUMMARY_SHEET


def test_finance_downloads_an_open_period_while_it_is_reviewed(client, october, finance_officer):
    client.force_login(finance_officer)

    assert client.get(url()).status_code == 200


@pytest.mark.parametrize("persona", ["councillor", "council_secretary"])
def test_councillors_and_the_secretary_get_no_paper_of_an_unpublished_period(
    client, october, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url()).status_code == 404


def test_a_controller_may_not_download_it(client, october, bildning_controller):
    client.force_login(bildning_controller)

    assert client.get(url()).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, october):
    response = client.get(url())

    assert_sent_to_login(response)


def test_it_is_read_only(client, october, finance_officer):
    client.force_login(finance_officer)

    assert client.post(url()).status_code == 405


def test_the_review_and_period_pages_link_to_it_for_those_who_may(
    client, october, finance_officer, councillor, bildning_controller
):
    link = f'href="{url()}"'
    client.force_login(finance_officer)
    assert link in client.get(reverse("followup:review", kwargs={"year": 2026, "month": 10})).text
    assert link in client.get(reverse("followup:periods", kwargs={"year": 2026})).text
    client.force_login(councillor)
    periods = client.get(reverse("followup:periods", kwargs={"year": 2026})).text
    assert link not in periods  # October is not published: councillors get no paper of it
    assert f'href="{url(month=9)}"' in periods
    assert "Ladda ned månadsrapporten (Excel)" in periods
    client.force_login(bildning_controller)
    assert link not in client.get(reverse("followup:periods", kwargs={"year": 2026})).text


# --- queries ------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_committees(
    october, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as base:
        workbook_bytes(october, today=TODAY)
    for committee in extra_committees(october.plan.municipality):
        report = open_report(committee=committee, period=october, actor=COMMAND)
        assert report.lines.count() == 2

    with django_assert_max_num_queries(len(base.captured_queries)):
        content = workbook_bytes(october, today=TODAY)

    parts = load_workbook(BytesIO(content))[COMMITTEES_SHEET]
    assert "Extranämnd 2" in part_starts(parts)
    assert part_labels(parts, "Extranämnd 2")["V 1"]


# --- what a spreadsheet program computes --------------------------------------------------


def recomputed(content: bytes, tmp_path) -> dict:
    """Every sheet as LibreOffice computes it: {sheet name: rows of cell texts}."""
    return recomputed_sheets(content, tmp_path, "manadsrapport")


@pytest.mark.libreoffice
def test_a_spreadsheet_program_computes_the_applications_figures(october, tmp_path):
    rows = overview(october)
    result = municipality_result(october, rows)
    content = workbook_bytes(october, today=TODAY)

    sheets = recomputed(content, tmp_path)

    summary = {r[0]: r for r in sheets[SUMMARY_SHEET] if r}
    for row in rows:
        cells = summary[row.committee.name]
        assert shown_mkr(cells[4]) == rounded_mkr(row.deviation), row.committee.name
    total = summary[TOTAL_LABEL]
    assert [shown_mkr(total[c]) for c in (1, 2, 3, 4, 5)] == [
        rounded_mkr(result.budget),
        rounded_mkr(result.outcome),
        rounded_mkr(result.forecast),
        rounded_mkr(result.deviation),
        rounded_mkr(result.forecast_change),
    ]
    # On the adopted result: the document's 6,0 where its rows sum to 5,9.
    budget_line = summary["Budget (antagen, som i dokumentet)"]
    forecast_line = summary["Prognos (på antagen budget)"]
    assert shown_mkr(budget_line[1]) == rounded_mkr(result.adopted_budget)
    assert shown_mkr(forecast_line[1]) == rounded_mkr(result.adopted_forecast)
    assert shown_mkr(forecast_line[4]) == rounded_mkr(result.forecast_target)
    assert shown_mkr(budget_line[4]) == rounded_mkr(result.budget_target)
    assert forecast_line[5] == ("Ja" if result.forecast_meets_target else "Nej")
    assert budget_line[5] == ("Ja" if result.budget_meets_target else "Nej")
    assert round_half_up(Decimal(forecast_line[3].removesuffix("%")), 2) == round_half_up(
        result.forecast_share * 100, 2
    )
    assert shown_mkr(summary["Avvikelse mot budget"][1]) == rounded_mkr(result.deviation)

    for row in rows:
        title = row.committee.name
        assert row.report is not None, title
        figures = report_figures(row.report)
        totals = next(
            r for r in sheets[COMMITTEES_SHEET] if r and r[0] == f"Summa {row.committee.name}"
        )
        assert [shown_mkr(totals[c]) for c in range(1, 7)] == [
            rounded_mkr(figures.budget),
            rounded_mkr(figures.budget_to_date),
            rounded_mkr(figures.outcome),
            rounded_mkr(figures.outcome_deviation),
            rounded_mkr(figures.forecast),
            rounded_mkr(figures.deviation),
        ], title
        # The committee's sheet and its summary row agree.
        assert shown_mkr(totals[6]) == shown_mkr(summary[row.committee.name][4])
