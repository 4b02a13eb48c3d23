"""The report in Excel: a controller downloads a prefilled template, fills it in and uploads it.

Nothing is saved unless the whole file is right; every problem is named with its sheet,
row and column; a template that is stale, or for another report, is refused.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budget.audit import Actor, Source
from budget.imports import BudgetWorkbookError
from budget.models import Activity, AuditEntry, Committee
from budget.money import round_half_up
from followup.models import Report, ReportingPeriod
from followup.reports.workbook import read_report_workbook, workbook_bytes
from followup.reports.workflow import (
    approve_report,
    correct_report,
    open_report,
    save_report,
    submit_report,
)
from tests.budget.test_import_safety import macros, not_a_zip, zip_bomb
from tests.followup.periods import period_of
from tests.pages import page_as
from tests.tooling import recomputed_sheets, saved_again_by_libreoffice

URL_KWARGS = {"year": 2026, "month": 3, "code": "bildningsnamnden"}
DOWNLOAD_URL = reverse("followup:report_workbook", kwargs=URL_KWARGS)
UPLOAD_URL = reverse("followup:report_upload", kwargs=URL_KWARGS)
REPORT_URL = reverse("followup:report", kwargs=URL_KWARGS)


def page_actor(user):
    return Actor(user=user, source=Source.PAGE)


def fill(report, user, **figures):
    """Save figures (kronor) for activities by code: code=(outcome, forecast, comment)."""
    lines = {
        line.activity.code: line.activity_id for line in report.lines.select_related("activity")
    }
    return save_report(
        report=report,
        row_version=report.row_version,
        values={
            lines[code]: (
                None if outcome is None else Decimal(outcome),
                None if forecast is None else Decimal(forecast),
                comment,
            )
            for code, (outcome, forecast, comment) in figures.items()
        },
        actor=page_actor(user),
    )


@pytest.fixture
def draft(march, bildning, bildning_controller):
    """Bildningsnämnden's March draft, with figures saved from the report page."""
    report = open_report(committee=bildning, period=march, actor=page_actor(bildning_controller))
    return fill(
        report,
        bildning_controller,
        bildningsnamnden=("-130825500.25", "-523300000", "Enligt plan"),
    )


@pytest.fixture
def school_draft(march, bildning, bildning_controller):
    """Bildningsnämnden with two more activities, so that the template has several rows."""
    for position, (code, name) in enumerate(
        [("grundskola", "Grundskola"), ("gymnasieskola", "Gymnasieskola")], start=10
    ):
        Activity.objects.create(committee=bildning, code=code, name=name, position=position)
    report = open_report(committee=bildning, period=march, actor=page_actor(bildning_controller))
    return fill(
        report,
        bildning_controller,
        bildningsnamnden=("-130825500.25", "-523300000", "Enligt plan"),
        grundskola=("-1000.5", None, ""),
        gymnasieskola=("-2000.25", None, ""),
    )


def sheet(content: bytes, name="Rapport"):
    return load_workbook(BytesIO(content))[name]


def edited(content: bytes, edit) -> bytes:
    wb = load_workbook(BytesIO(content))
    edit(wb["Rapport"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(ws, code) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)


def column_of(ws, header) -> str:
    """The letter of the report table's column with this header."""
    header_row = row_of(ws, "Kod")
    for cell in ws[header_row]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header!r}")


def set_cell(code, header, value):
    def edit(ws):
        ws[f"{column_of(ws, header)}{row_of(ws, code)}"] = value

    return edit


def upload(client, content: bytes, url=UPLOAD_URL):
    return client.post(url, {"file": SimpleUploadedFile("rapport.xlsx", content)})


def imported_entries():
    return AuditEntry.objects.filter(area="rapporter", source=Source.IMPORT)


def snapshot_of(report):
    report.refresh_from_db()
    return (
        report.row_version,
        sorted(report.lines.values_list("activity_id", "outcome", "forecast", "comment")),
    )


def problem_rows(response):
    """The (sheet, row, column, message) rows of the problem table on the page."""
    return [(p.sheet, p.row, p.column_letter, p.message) for p in response.context["problems"]]


# --- the download -----------------------------------------------------------------------------


def test_the_template_carries_the_reports_figures_and_budget_in_tkr(
    client, draft, bildning_controller
):
    response = page_as(client, bildning_controller, DOWNLOAD_URL)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-bildningsnamnden-2026-03.xlsx"'
    )
    ws = sheet(response.content)
    titles = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert titles[0] == "Bildningsnämnden: Månadsrapport mars 2026"
    assert titles[1] == "Hedemora kommun"
    assert titles[2] == "Rapportversion 1 · Status: Utkast · Sista dag: 2026-04-10"
    assert "Belopp i tkr, netto: kostnader negativa." in titles
    row = row_of(ws, "bildningsnamnden")
    figures = {
        header: ws[f"{column_of(ws, header)}{row}"].value
        for header in (
            "Verksamhet",
            "Budget",
            "Budget t.o.m. mars",
            "Föregående prognos",
            "Utfall ackumulerat",
            "Helårsprognos",
            "Kommentar",
        )
    }
    assert figures["Verksamhet"] == "Bildningsnämndens verksamhet"
    assert Decimal(repr(figures["Budget"])) == Decimal("-523300")
    assert Decimal(repr(figures["Budget t.o.m. mars"])) == Decimal("-130825")
    assert figures["Föregående prognos"] is None
    assert Decimal(repr(figures["Utfall ackumulerat"])) == Decimal("-130825.50025")  # to the öre
    assert Decimal(repr(figures["Helårsprognos"])) == Decimal("-523300")
    assert figures["Kommentar"] == "Enligt plan"
    total = ws[f"{column_of(ws, 'Utfall ackumulerat')}{row + 1}"].value
    assert "SUM(F9:F9)" in total


def test_only_the_input_cells_are_unlocked_shaded_and_validated_on_a_protected_sheet(
    client, draft, bildning_controller
):
    client.force_login(bildning_controller)

    ws = sheet(client.get(DOWNLOAD_URL).content)

    row = row_of(ws, "bildningsnamnden")
    inputs = {column_of(ws, h) for h in ("Utfall ackumulerat", "Helårsprognos", "Kommentar")}
    assert ws.protection.sheet
    assert ws.protection.password is None
    for cell in ws[row]:
        assert cell.protection.locked is (cell.column_letter not in inputs), cell.coordinate
        assert (cell.fill.fgColor.rgb == "00FFF2CC") is (cell.column_letter in inputs)
    assert ws[f"F{row}"].number_format == "#,##0.0;-#,##0.0"
    [validation] = ws.data_validations.dataValidation
    assert validation.type == "decimal"
    assert [f"{c}{row}" in validation for c in "EFGH"] == [False, True, True, False]
    assert ws.freeze_panes == f"C{row}"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.print_title_rows == f"${row - 1}:${row - 1}"


def test_the_template_names_the_report_it_belongs_to(client, draft, bildning_controller):
    client.force_login(bildning_controller)

    ws = sheet(client.get(DOWNLOAD_URL).content, "Om mallen")

    identity = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
        for r in range(row_of(ws, "Mall"), ws.max_row + 1)
    }
    assert identity == {
        "Mall": "Rapportmall från Budgetuppföljning",
        "Mallformat": 1,
        "Kommun": "Hedemora kommun",
        "Nämndkod": "bildningsnamnden",
        "Nämnd": "Bildningsnämnden",
        "Period": "2026-03",
        "Rapport-id": draft.pk,
        "Rapportversion": 1,
        "Radversion": draft.row_version,
    }


def test_a_period_without_a_forecast_has_no_forecast_column_and_keeps_the_forecast(
    client, plan, bildning, bildning_controller
):
    february = ReportingPeriod.objects.get(plan=plan, month=2)
    february.status = ReportingPeriod.Status.OPEN
    february.save()
    report = open_report(committee=bildning, period=february, actor=page_actor(bildning_controller))
    report = fill(report, bildning_controller, bildningsnamnden=(None, "-520000000", ""))
    client.force_login(bildning_controller)
    url = reverse("followup:report_upload", kwargs={**URL_KWARGS, "month": 2})

    template = workbook_bytes(report)
    response = upload(
        client, edited(template, set_cell("bildningsnamnden", "Utfall ackumulerat", -87000)), url
    )

    headers = [c.value for c in sheet(template)[row_of(sheet(template), "Kod")]]
    assert headers == [
        "Kod",
        "Verksamhet",
        "Budget",
        "Budget t.o.m. februari",
        "Föregående prognos",
        "Utfall ackumulerat",
        "Kommentar",
    ]
    assert response.status_code == 302
    line = report.lines.get()
    assert line.outcome == Decimal("-87000000.00")
    assert line.forecast == Decimal("-520000000.00")


def test_the_download_needs_a_bounded_number_of_queries_whatever_the_number_of_rows(
    client, draft, bildning, bildning_controller, django_assert_max_num_queries
):
    client.force_login(bildning_controller)
    with CaptureQueriesContext(connection) as one_row:
        client.get(DOWNLOAD_URL)
    for position, code in enumerate(["grundskola", "gymnasieskola", "fritid"], start=10):
        activity = Activity.objects.create(
            committee=bildning, code=code, name=code.title(), position=position
        )
        draft.lines.create(activity=activity, outcome=Decimal("-1000"))

    with django_assert_max_num_queries(len(one_row)) as four_rows:
        response = client.get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert len(four_rows) <= 25  # session, user, permissions, report, budget, figures


def test_a_councillor_cannot_download_a_draft(client, draft, councillor):
    client.force_login(councillor)

    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 403


def test_finance_may_download_any_committees_report(client, draft, finance_officer):
    client.force_login(finance_officer)

    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 200


def test_there_is_nothing_to_download_before_the_report_is_opened(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 404
    assert not Report.objects.exists()


# --- the upload -------------------------------------------------------------------------------


def test_a_filled_template_updates_the_report_with_exact_amounts_and_import_history(
    client, draft, bildning_controller
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    filled = edited(template, set_cell("bildningsnamnden", "Utfall ackumulerat", -131207.5))
    filled = edited(filled, set_cell("bildningsnamnden", "Helårsprognos", "−525 000,25"))
    filled = edited(filled, set_cell("bildningsnamnden", "Kommentar", "Vikarier under våren"))

    response = upload(client, filled)

    assert response.status_code == 302
    assert response.url == REPORT_URL
    line = draft.lines.get()
    assert line.outcome == Decimal("-131207500.00")
    assert line.forecast == Decimal("-525000250.00")
    assert line.comment == "Vikarier under våren"
    assert imported_entries().count() == 3
    assert set(imported_entries().values_list("user__username", flat=True)) == {"cecilia"}
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT  # saved, not submitted
    page = client.get(REPORT_URL)
    assert "Rapporten är uppdaterad från Excel: 3 ändrade uppgifter." in page.text


def test_an_empty_amount_cell_means_no_figure(client, draft, bildning_controller):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content

    response = upload(client, edited(template, set_cell("bildningsnamnden", "Helårsprognos", None)))

    assert response.status_code == 302
    assert draft.lines.get().forecast is None
    assert draft.lines.get().outcome == Decimal("-130825500.25")  # unchanged, to the öre


def test_an_unchanged_template_saves_nothing(client, draft, bildning_controller):
    client.force_login(bildning_controller)
    before = snapshot_of(draft)

    response = upload(client, client.get(DOWNLOAD_URL).content)

    assert response.status_code == 302
    assert snapshot_of(draft) == before
    assert not imported_entries().exists()


def test_text_in_an_amount_cell_is_refused_with_its_place_and_nothing_is_saved(
    client, draft, bildning_controller
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    filled = edited(template, set_cell("bildningsnamnden", "Utfall ackumulerat", "ca 300"))
    filled = edited(filled, set_cell("bildningsnamnden", "Kommentar", "Ny kommentar"))
    before = snapshot_of(draft)

    response = upload(client, filled)

    assert response.status_code == 400
    assert problem_rows(response) == [("Rapport", 9, "F", "”ca 300” är inte ett belopp.")]
    assert "<td>Rapport</td>" in response.text
    assert "”ca 300” är inte ett belopp." in response.text
    assert snapshot_of(draft) == before
    assert not imported_entries().exists()


def test_every_problem_is_listed_not_only_the_first(school_draft):
    def edit(ws):
        ws[f"A{row_of(ws, 'bildningsnamnden')}"] = "fritid"
        ws[f"F{row_of(ws, 'grundskola')}"] = "tjugo"
        ws[f"G{row_of(ws, 'grundskola')}"] = "ca 300"
        ws[f"A{row_of(ws, 'gymnasieskola')}"] = "grundskola"

    with pytest.raises(BudgetWorkbookError) as caught:
        read_report_workbook(
            BytesIO(edited(workbook_bytes(school_draft), edit)), report=school_draft
        )

    assert [(p.sheet, p.row, p.column_letter, p.message) for p in caught.value.problems] == [
        (
            "Rapport",
            9,
            "A",
            "Verksamheten med koden ”fritid” hör inte till rapporten för Bildningsnämnden.",
        ),
        ("Rapport", 10, "F", "”tjugo” är inte ett belopp."),
        ("Rapport", 10, "G", "”ca 300” är inte ett belopp."),
        ("Rapport", 11, "A", "Verksamheten ”Grundskola” finns redan på rad 10."),
        (
            "Rapport",
            None,
            "",
            "Verksamheten ”Bildningsnämndens verksamhet” (kod ”bildningsnamnden”) saknas i mallen.",
        ),
        (
            "Rapport",
            None,
            "",
            "Verksamheten ”Gymnasieskola” (kod ”gymnasieskola”) saknas i mallen.",
        ),
    ]


@pytest.mark.parametrize(
    ("code", "month", "opened_by", "message"),
    [
        pytest.param(
            "omsorgsnamnden",
            3,
            "omsorg_controller",
            "Mallen gäller Omsorgsnämnden, inte Bildningsnämnden.",
            id="another-committee",
        ),
        pytest.param(
            "bildningsnamnden",
            2,
            "bildning_controller",
            "Mallen gäller februari 2026, inte mars 2026.",
            id="another-period",
        ),
    ],
)
def test_a_template_for_another_report_is_refused(
    client, request, draft, bildning_controller, code, month, opened_by, message
):
    """Bildningsnämnden's March report refuses the template of another committee's report or
    of another period's."""
    period = period_of(draft.period.plan, month, ReportingPeriod.Status.OPEN)
    other = open_report(
        committee=Committee.objects.get(code=code),
        period=period,
        actor=page_actor(request.getfixturevalue(opened_by)),
    )
    client.force_login(bildning_controller)
    before = snapshot_of(draft)

    response = upload(client, workbook_bytes(other))

    assert response.status_code == 400
    assert [p[3] for p in problem_rows(response)] == [message]
    assert snapshot_of(draft) == before


def other_workbook(_valid):
    wb = Workbook()
    wb.active["A1"] = "Utfall mars"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (other_workbook, "Filen är inte en rapportmall från Budgetuppföljning."),
        (not_a_zip, "Filen är inte en Excel-arbetsbok (.xlsx)."),
        (zip_bomb, "Arbetsboken är för stor uppackad"),
        (macros, "Arbetsboken innehåller makron."),
    ],
    ids=["another-workbook", "not-a-workbook", "zip-bomb", "macros"],
)
def test_a_file_that_is_not_our_template_is_refused_and_nothing_is_saved(
    client, draft, bildning_controller, make, message
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    before = snapshot_of(draft)

    response = upload(client, make(template))

    assert response.status_code == 400
    assert message in response.text
    assert snapshot_of(draft) == before


def test_a_too_large_file_is_refused_before_it_is_opened(
    client, draft, bildning_controller, settings
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    settings.BUDGET_UPLOAD_MAX_BYTES = 1000

    response = upload(client, template)

    assert response.status_code == 400
    assert "Filen är för stor" in response.text


def test_a_template_downloaded_before_the_report_was_saved_again_is_refused(
    client, draft, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    fill(draft, finance_officer, bildningsnamnden=("-1", "-2", "sparat efter nedladdningen"))
    before = snapshot_of(draft)

    response = upload(client, edited(template, set_cell("bildningsnamnden", "Kommentar", "min")))

    assert response.status_code == 409
    assert "Rapporten har ändrats efter att mallen laddades ned (senast sparad av eva)." in (
        response.text
    )
    assert "ladda ned en ny mall" in response.text
    assert snapshot_of(draft) == before
    assert draft.lines.get().comment == "sparat efter nedladdningen"


def test_a_submitted_report_cannot_be_changed_from_excel_and_its_template_is_locked(
    client, draft, bildning_controller
):
    submit_report(report=draft, actor=page_actor(bildning_controller))
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    before = snapshot_of(draft)

    page = client.get(UPLOAD_URL)
    response = upload(client, edited(template, set_cell("bildningsnamnden", "Kommentar", "x")))

    assert page.status_code == 302
    assert page.url == REPORT_URL
    assert response.status_code == 409
    assert "Rapporten är inlämnad och kan inte ändras; ingenting har sparats." in response.text
    assert snapshot_of(draft) == before
    ws = sheet(template)
    assert all(cell.protection.locked for cell in ws[row_of(ws, "bildningsnamnden")])


def test_a_template_of_an_approved_report_is_refused_by_its_correction(
    client, draft, bildning_controller
):
    """After approval a correction is a new report: the old template names the old one."""
    submit_report(report=draft, actor=page_actor(bildning_controller))
    client.force_login(bildning_controller)
    old_template = client.get(DOWNLOAD_URL).content
    approve_report(report=draft, actor=Actor(source=Source.SYSTEM))
    correction = correct_report(report=draft, actor=page_actor(bildning_controller), reason="fel")

    response = upload(client, old_template)

    assert response.status_code == 400
    assert "Mallen gäller en annan version av rapporten" in response.text
    assert correction.lines.get().comment == "Enligt plan"


# --- who may upload ---------------------------------------------------------------------------


def test_the_controller_gets_an_accessible_upload_form(client, draft, bildning_controller):
    client.force_login(bildning_controller)

    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    assert '<label for="id_file">Ifylld rapportmall (.xlsx)</label>' in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_another_committees_controller_cannot_upload(
    client, draft, bildning_controller, omsorg_controller
):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    client.force_login(omsorg_controller)
    before = snapshot_of(draft)

    page = client.get(UPLOAD_URL)
    response = upload(client, edited(template, set_cell("bildningsnamnden", "Kommentar", "x")))

    assert page.status_code == 403
    assert response.status_code == 403
    assert snapshot_of(draft) == before


def test_finance_cannot_upload_a_committees_report(client, draft, finance_officer):
    client.force_login(finance_officer)

    response = upload(client, workbook_bytes(draft))

    assert response.status_code == 403


def test_a_closed_period_takes_no_upload(client, draft, bildning_controller):
    client.force_login(bildning_controller)
    template = client.get(DOWNLOAD_URL).content
    ReportingPeriod.objects.filter(pk=draft.period_id).update(status=ReportingPeriod.Status.CLOSED)
    before = snapshot_of(draft)

    page = client.get(UPLOAD_URL)
    response = upload(client, edited(template, set_cell("bildningsnamnden", "Kommentar", "x")))

    assert page.status_code == 302
    assert response.status_code == 409
    assert "Perioden är inte öppen för rapportering" in response.text
    assert snapshot_of(draft) == before


@pytest.mark.parametrize(
    ("url", "method"),
    [(DOWNLOAD_URL, "post"), (UPLOAD_URL, "put"), (UPLOAD_URL, "delete")],
)
def test_wrong_method_is_refused(client, draft, bildning_controller, url, method):
    client.force_login(bildning_controller)

    response = getattr(client, method)(url)

    assert response.status_code == 405


# --- the report page --------------------------------------------------------------------------


def test_the_report_page_offers_the_template_and_the_upload_to_its_controller(
    client, draft, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.get(REPORT_URL)

    assert f'href="{DOWNLOAD_URL}"' in response.text
    assert f'href="{UPLOAD_URL}"' in response.text


def test_finance_is_offered_the_download_only(client, draft, finance_officer):
    client.force_login(finance_officer)

    response = client.get(REPORT_URL)

    assert f'href="{DOWNLOAD_URL}"' in response.text
    assert f'href="{UPLOAD_URL}"' not in response.text


# --- in a spreadsheet program -----------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template_and_computes_its_sums(school_draft, tmp_path):
    rows = recomputed_sheets(workbook_bytes(school_draft), tmp_path, "rapport")["Rapport"]

    total = next(r for r in rows if r[1] == "Summa Bildningsnämnden")
    # −130 825,50025 − 1,0005 − 2,00025, as LibreOffice writes a computed number (ten digits)
    assert round_half_up(Decimal(total[5]), 2) == Decimal("-130828.50")
    assert total[4] == ""  # no previous forecast on any row: the sum stays empty


@pytest.mark.libreoffice
def test_a_template_saved_again_by_libreoffice_is_read_back_unchanged(school_draft, tmp_path):
    saved = saved_again_by_libreoffice(workbook_bytes(school_draft), tmp_path, "rapport")

    filled = read_report_workbook(BytesIO(saved), report=school_draft)

    lines = school_draft.lines.all()
    assert filled.values == {
        line.activity_id: (line.outcome, line.forecast, line.comment) for line in lines
    }
    assert filled.row_version == school_draft.row_version


def test_a_councillor_reading_a_published_report_is_not_offered_the_template(
    client, demo_year, councillor, bildning_controller
):
    """The template is the controllers' way of reporting (and finance's copy of it): a
    councillor reads the published report on the page."""
    kwargs = {"year": demo_year.year, "month": 2, "code": "bildningsnamnden"}
    page = reverse("followup:report", kwargs=kwargs)
    download = reverse("followup:report_workbook", kwargs=kwargs)

    as_councillor = page_as(client, councillor, page).text
    as_controller = page_as(client, bildning_controller, page).text

    assert f'href="{download}"' not in as_councillor
    assert "Rapportera i Excel" not in as_councillor
    assert f'href="{download}"' in as_controller
