"""Inputs that once made the application answer 500 (issue 17): each is now refused with a
Swedish message (a form error, 400 or 404), and nothing reaches the database that it
cannot hold."""

import re
import time
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor
from budget.exports import workbook_bytes
from budget.forms import UserCreateForm, id_in_range
from budget.imports import BudgetWorkbookError, check_upload, read_budget_workbook, safety
from budget.imports.safety import read_named_sheets
from budget.loader import read_toml
from budget.models import Activity, AuditEntry, Committee
from followup.goals.kolada.client import KoladaError, parse_saved
from followup.goals.kolada.mappings import load_kolada_mappings
from followup.models import (
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    KoladaMapping,
    Reallocation,
    Report,
    ReportingPeriod,
)
from followup.models.reports import ReportQuerySet
from followup.reports import workflow
from followup.reports.workflow import open_report
from tests.followup.periods import period_of

# Integers no id column holds, and texts that are no integer at all.
ABSURD_IDS = ["-99999999999999999999", "99999999999999999999", "9223372036854775808"]
NO_IDS = ["NaN", "inf", "1e999", "-1", "0", "abc", "1.5", ""]


@pytest.fixture
def no_500(client):
    """The test client answers an exception with the 500 page instead of raising it."""
    client.raise_request_exception = False
    return client


# --- 1. Absurd integers in the multi-selects of the user form and the group form ----------


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_an_id_the_database_cannot_hold_is_no_id(value):
    assert id_in_range(value, Committee) is None


def test_an_id_in_range_is_read_as_an_integer():
    assert id_in_range(" 42 ", Committee) == 42
    assert id_in_range(str(2**63 - 1), Committee) == 2**63 - 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ABSURD_IDS)
def test_user_form_refuses_an_absurd_committee_id_before_any_query(
    value, django_assert_num_queries
):
    form = UserCreateForm(
        data={
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.se",
            "roles": ["controller"],
            "committees": [value],
            "reason": "Ärende KS 2026/1",
        }
    )

    # Only the username's look-up: the committees are refused before theirs.
    with django_assert_num_queries(1):
        assert not form.is_valid()
    assert form.errors["committees"] == [f"”{value}” är ingen nämnd."]


@pytest.mark.parametrize("value", ABSURD_IDS)
def test_user_page_shows_a_form_error_for_an_absurd_committee_id(no_500, administrator, value):
    no_500.force_login(administrator)
    real = Committee.objects.committees_total().first().pk

    response = no_500.post(
        reverse("budget:user_create"),
        {
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.se",
            "roles": ["controller"],
            "committees": [str(real), value],
            "reason": "Ärende KS 2026/1",
        },
    )

    assert response.status_code == 200
    assert "är ingen nämnd" in response.text
    assert not Group.objects.filter(user__username="ny").exists()


@pytest.mark.parametrize("value", ABSURD_IDS)
def test_admin_group_form_shows_a_form_error_for_an_absurd_permission_id(
    no_500, plan, django_user_model, value
):
    no_500.force_login(django_user_model.objects.create_superuser("su", password="pw-1-test"))
    real = Permission.objects.first().pk

    response = no_500.post(
        reverse("admin:auth_group_add"), {"name": "Ny grupp", "permissions": [str(real), value]}
    )

    assert response.status_code == 200
    assert "är inte ett giltigt värde" in response.text
    assert not Group.objects.filter(name="Ny grupp").exists()


# --- 2. The return address of a report's POST --------------------------------------------


def report_url(code="bildningsnamnden"):
    return reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": code})


@pytest.fixture
def march_open(plan):
    return period_of(plan, 3, ReportingPeriod.Status.OPEN)


@pytest.mark.parametrize(
    "target",
    [
        "x",
        "rapport",
        "javascript:alert(1)",
        "//example.org/",
        "/\\example.org",
        "https://example.org/",
    ],
)
def test_a_report_post_with_a_return_address_off_the_site_comes_back_to_the_report(
    no_500, march_open, bildning_controller, target
):
    no_500.force_login(bildning_controller)

    response = no_500.post(report_url(), {"action": "starta", "next": target})

    assert response.status_code == 302
    assert response.url == report_url()
    assert Report.objects.filter(committee__code="bildningsnamnden", period=march_open).exists()


def test_a_report_post_with_a_path_on_the_site_returns_there(
    no_500, march_open, bildning_controller
):
    no_500.force_login(bildning_controller)
    back = reverse("followup:review", kwargs={"year": 2026, "month": 3}) + "?visa=alla"

    response = no_500.post(report_url(), {"action": "starta", "next": back})

    assert response.status_code == 302
    assert response.url == back


# --- 3. Ids that are no ids on the Kolada page and the goal-analysis page -----------------


@pytest.fixture
def kolada_mappings(plan):
    load_kolada_mappings(
        plan=plan,
        data=read_toml(
            Path(settings.BASE_DIR) / "fixtures" / "hedemora" / "kolada-kopplingar.toml"
        ),
    )
    assert KoladaMapping.objects.filter(active=True).exists()


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_stopping_a_kolada_mapping_by_no_id_is_404_and_changes_nothing(
    no_500, kolada_mappings, finance_officer, value
):
    no_500.force_login(finance_officer)
    active = set(KoladaMapping.objects.filter(active=True))

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}),
        {"action": "sluta-anvanda", "mapping": value},
    )

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
    assert set(KoladaMapping.objects.filter(active=True)) == active


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_entering_an_indicator_by_no_id_on_the_goal_analysis_is_a_swedish_400(
    no_500, plan, finance_officer, value
):
    period_of(plan, 8, ReportingPeriod.Status.OPEN)
    no_500.force_login(finance_officer)

    response = no_500.post(
        reverse("followup:goal_analysis", kwargs={"year": 2026, "month": 8}),
        {"nyckeltal": value, "procent": "23,4"},
    )

    assert response.status_code == 400
    assert "Nyckeltalet finns inte" in response.text
    assert not FinancialIndicatorValue.objects.exists()


@pytest.mark.parametrize("value", [*ABSURD_IDS, "NaN", "inf", "1e999", "abc"])
def test_a_goal_analysis_for_no_goal_is_a_swedish_400(no_500, plan, finance_officer, value):
    period_of(plan, 8, ReportingPeriod.Status.OPEN)
    no_500.force_login(finance_officer)

    response = no_500.post(
        reverse("followup:goal_analysis", kwargs={"year": 2026, "month": 8}),
        {"goal": value, "text": "Analys", "row_version": value},
    )

    assert response.status_code == 400
    assert not GoalAnalysis.objects.exists()


# --- 4. A Kolada file nested deeper than the parser goes ---------------------------------


@pytest.mark.parametrize("content", ["[" * 100_000, b"[" * 100_000, '{"values": ' * 100_000])
def test_a_kolada_file_nested_thousands_deep_is_refused_in_swedish(content):
    with pytest.raises(KoladaError, match="Filen är för djupt nästlad"):
        parse_saved(content)


def test_kolada_page_refuses_a_deeply_nested_file_with_400(no_500, plan, finance_officer):
    no_500.force_login(finance_officer)
    upload = SimpleUploadedFile("kolada.json", b"[" * 100_000, content_type="application/json")

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}), {"action": "fil", "file": upload}
    )

    assert response.status_code == 400
    assert "Filen är för djupt nästlad" in response.text
    assert not IndicatorValue.objects.exists()


# --- 6. A workbook with a very wide row (and no dimension record) ------------------------

WIDE = "kolumn WQJ; mallen har högst 200 kolumner"


def without_dimensions(content: bytes) -> bytes:
    """The workbook with every sheet's dimension record left out (as some programs write
    it), so that openpyxl cannot tell a sheet's size without reading all its cells."""
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(item, data)
    return buffer.getvalue()


def with_wide_row(content: bytes, *, cells=16_000, rows=1) -> bytes:
    """The workbook with ``rows`` rows of ``cells`` numbers added below its first sheet's
    content, its dimension records left out."""
    wb = load_workbook(BytesIO(content))
    ws = wb.worksheets[0]
    for _ in range(rows):
        ws.append(list(range(cells)))
    buffer = BytesIO()
    wb.save(buffer)
    return without_dimensions(buffer.getvalue())


@pytest.fixture
def budget_workbook(plan):
    return workbook_bytes(plan)


def read_in_time(content: bytes):
    started = time.monotonic()
    with pytest.raises(BudgetWorkbookError) as caught:
        read_named_sheets(
            check_upload(BytesIO(content), max_bytes=10 * 1024 * 1024),
            [load_workbook(BytesIO(content), read_only=True).sheetnames[0]],
            missing=lambda names: "saknas",
        )
    return str(caught.value), time.monotonic() - started


def test_a_wide_row_without_a_dimension_record_is_refused_before_it_is_read(budget_workbook):
    message, seconds = read_in_time(with_wide_row(budget_workbook))

    assert WIDE in message
    assert seconds < 2  # reading it took 26–65 s


def test_cells_without_their_place_count_as_wide_as_their_row(budget_workbook):
    content = with_wide_row(budget_workbook)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        xml = re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", archive.read(sheet))
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, xml if item.filename == sheet else source.read(item.filename))

    message, _ = read_in_time(buffer.getvalue())

    assert WIDE in message


def test_a_workbook_with_more_cells_than_a_template_has_is_refused(budget_workbook):
    message, seconds = read_in_time(with_wide_row(budget_workbook, cells=150, rows=400))

    assert "Arbetsboken har för många celler (över 50\u00a0000" in message
    assert seconds < 2


def test_the_budget_workbook_is_far_below_the_limits(budget_workbook):
    with zipfile.ZipFile(BytesIO(budget_workbook)) as archive:
        cells = sum(
            len(safety.CELL_TAG.findall(archive.read(name)))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )

    assert 0 < cells < safety.MAX_CELLS / 10
    check_upload(BytesIO(budget_workbook), max_bytes=10 * 1024 * 1024)  # not refused


def test_reading_stops_when_it_takes_longer_than_its_time(budget_workbook, monkeypatch):
    monkeypatch.setattr(safety, "READ_SECONDS", -1)

    message, _ = read_in_time(budget_workbook)

    assert "Arbetsboken tar för lång tid att läsa" in message


def test_budget_import_page_refuses_a_wide_row(no_500, administrator, budget_workbook):
    no_500.force_login(administrator)

    response = no_500.post(
        reverse("budget:import"),
        {"file": SimpleUploadedFile("budget.xlsx", with_wide_row(budget_workbook))},
    )

    assert response.status_code == 200
    assert "Arbetsboken lästes inte in" in response.text
    assert WIDE in response.text


def test_report_upload_refuses_a_wide_row(no_500, march_open, bildning_controller):
    no_500.force_login(bildning_controller)
    draft = open_report(
        committee=Committee.objects.get(code="bildningsnamnden"),
        period=march_open,
        actor=Actor(user=bildning_controller),
    )
    kwargs = {"year": 2026, "month": 3, "code": "bildningsnamnden"}
    template = no_500.get(reverse("followup:report_workbook", kwargs=kwargs)).content

    response = no_500.post(
        reverse("followup:report_upload", kwargs=kwargs),
        {"file": SimpleUploadedFile("rapport.xlsx", with_wide_row(template))},
    )

    assert response.status_code == 400
    assert WIDE in response.text
    assert Report.objects.get(pk=draft.pk).row_version == draft.row_version


def test_reallocation_upload_refuses_a_wide_row(no_500, plan, finance_officer):
    no_500.force_login(finance_officer)
    template = no_500.get(reverse("followup:reallocation_template", kwargs={"year": 2026}))

    response = no_500.post(
        reverse("followup:reallocation_upload", kwargs={"year": 2026}),
        {"file": SimpleUploadedFile("omfordelning.xlsx", with_wide_row(template.content))},
    )

    assert response.status_code == 400
    assert WIDE in response.text
    assert not Reallocation.objects.exists()


def test_a_sheet_whose_packed_data_is_broken_is_refused_as_damaged(budget_workbook):
    buffer = BytesIO(budget_workbook)
    with zipfile.ZipFile(buffer) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        start = sheet.header_offset + 30 + len(sheet.filename.encode()) + len(sheet.extra)
    broken = bytearray(budget_workbook)
    broken[start : start + 64] = b"\xff" * 64  # the deflated data, not the directory

    with pytest.raises(BudgetWorkbookError, match="Filen är skadad"):
        check_upload(BytesIO(bytes(broken)), max_bytes=10 * 1024 * 1024)


# --- 5. Two first opens of a report at the same moment -----------------------------------


@pytest.fixture
def someone_opens_it_first(monkeypatch, march_open, omsorg_controller):
    """The report is created by another controller between open_report's look-up and its
    insert (what two simultaneous first saves do on PostgreSQL); returns their report."""
    look_up = workflow._working_report
    theirs = []

    def racing(committee, period):
        found = look_up(committee, period)
        if found is None and not theirs:
            theirs.append(
                workflow._create_report(
                    committee=committee, period=period, actor=Actor(user=omsorg_controller)
                )
            )
        return found

    monkeypatch.setattr(workflow, "_working_report", racing)
    return theirs


@pytest.mark.parametrize("insert_fails", [False, True], ids=["seen", "integrity-error"])
def test_a_report_opened_by_someone_else_in_the_meantime_is_the_one_returned(
    monkeypatch, march_open, bildning_controller, someone_opens_it_first, insert_fails
):
    if insert_fails:  # the existence check misses theirs too: the insert hits the constraint
        monkeypatch.setattr(ReportQuerySet, "exists", lambda self: False)
    committee = Committee.objects.get(code="bildningsnamnden")

    mine = open_report(
        committee=committee, period=march_open, actor=Actor(user=bildning_controller)
    )

    [theirs] = someone_opens_it_first
    assert mine.pk == theirs.pk
    assert Report.objects.filter(committee=committee, period=march_open).count() == 1
    assert (
        AuditEntry.objects.filter(area="rapporter", action="skapad", object_id=str(mine.pk)).count()
        == 1
    )


def test_the_first_save_on_the_page_while_someone_opens_the_report_saves_into_theirs(
    no_500, march_open, bildning_controller, someone_opens_it_first
):
    activity = Activity.objects.get(committee__code="bildningsnamnden").pk
    no_500.force_login(bildning_controller)

    response = no_500.post(
        report_url(),
        {
            "row_version": "1",
            f"outcome_{activity}": "-1",
            f"forecast_{activity}": "-2",
            f"comment_{activity}": "Samtidigt",
            "action": "spara",
        },
    )

    [theirs] = someone_opens_it_first
    assert response.status_code == 302  # theirs is untouched yet: the figures go into it
    report = Report.objects.get(committee__code="bildningsnamnden")
    assert report.pk == theirs.pk
    assert report.lines.get(activity_id=activity).comment == "Samtidigt"


# --- 7. Absurd numbers outside the amount parser -----------------------------------------


def kolada_file(period="2022", value="51"):
    """A saved Kolada answer with one value of a mapped KPI (Livskvalitet – Kommunindex)."""
    return (
        '{"count": 1, "values": [{"kpi": "N00310", "municipality": "2083", '
        f'"period": {period}, "values": [{{"gender": "T", "count": 1, "status": "", '
        f'"value": {value}}}]}}]}}'
    ).encode()


@pytest.mark.parametrize(
    ("period", "value", "message"),
    [
        ("2022", "1E+999999999", "orimligt stort tal"),
        ("1E+999999999", "51", "orimligt stort tal"),
        ("2022", "1" * 5000, "orimligt stort tal"),
        ("2022", "9.9E+20", "är för stort för ett nyckeltal"),
        ("2022", "NaN", "är inte ett tal"),
        ("2022", "Infinity", "är inte ett tal"),
    ],
)
def test_kolada_page_refuses_absurd_numbers_in_a_file_with_400(
    no_500, kolada_mappings, finance_officer, period, value, message
):
    no_500.force_login(finance_officer)
    upload = SimpleUploadedFile("kolada.json", kolada_file(period, value))

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}), {"action": "fil", "file": upload}
    )

    assert response.status_code == 400
    assert message in response.text
    assert not IndicatorValue.objects.exists()


def test_kolada_page_reads_a_plain_file(no_500, kolada_mappings, finance_officer):
    no_500.force_login(finance_officer)
    upload = SimpleUploadedFile("kolada.json", kolada_file(value="51.5"))

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}), {"action": "fil", "file": upload}
    )

    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("51.5")


def test_investment_pages_read_no_period_from_a_digit_that_is_no_number(
    no_500, plan, finance_officer
):
    no_500.force_login(finance_officer)
    url = reverse("followup:investments", kwargs={"year": 2026})

    assert no_500.get(url + "?period=²").status_code == 200  # as "?period=abc": none chosen
    assert no_500.get(url + "?period=99999999999999999999").status_code == 404


@pytest.mark.parametrize("version", ["²", "1e3", "0", "1000", "9" * 5000])
def test_a_month_report_version_that_is_no_number_is_404(no_500, plan, finance_officer, version):
    period_of(plan, 3, ReportingPeriod.Status.PUBLISHED)
    no_500.force_login(finance_officer)
    url = reverse("followup:month_report", kwargs={"year": 2026, "month": 3})

    assert no_500.get(url).status_code == 200
    assert no_500.get(url, {"version": version}).status_code == 404


def with_cell_text(content: bytes, sheet: str, label: str, text: str, column=2) -> bytes:
    """The workbook with ``text`` in ``column`` of the first row of ``sheet`` whose first
    cell follows the one labelled ``label`` (column 2: the label's own row's value)."""
    wb = load_workbook(BytesIO(content))
    ws = wb[sheet]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    if column == 1:
        row += 1  # the first row below the header
    ws.cell(row, column, text)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("sheet", "label", "column", "message"),
    [
        ("Organisation", "Budgetår", 2, "”Budgetår” ska vara ett årtal"),
        ("Uppföljningskalender", "Månad", 1, "Månaden ska vara ett heltal från 1 till 12."),
    ],
)
@pytest.mark.parametrize("text", ["²", "2⁰2⁶", "9" * 5000])
def test_a_budget_workbook_with_a_digit_that_is_no_number_lists_a_problem(
    budget_workbook, sheet, label, column, message, text
):
    content = with_cell_text(budget_workbook, sheet, label, text, column)

    with pytest.raises(BudgetWorkbookError) as caught:
        read_budget_workbook(BytesIO(content))

    assert any(message in str(problem) for problem in caught.value.problems), caught.value


@pytest.mark.parametrize("key", ["2026-²", "²-03", "2026-" + "9" * 5000])
def test_a_report_template_naming_a_period_with_no_number_names_it_as_written(key):
    from followup.reports.workbook.reader import _period_label

    assert _period_label(key) == f"perioden ”{key}”"
    assert _period_label("2026-03") == "mars 2026"


@pytest.mark.parametrize("year", ["99999999999999999999", "9223372036854775808", "0", "10000"])
@pytest.mark.parametrize(
    "page",
    [
        "budget:overview",
        "followup:dashboard",
        ("followup:report", {"month": 3, "code": "bildningsnamnden"}),
    ],
)
def test_a_year_no_plan_can_have_is_404_with_the_menu(no_500, plan, finance_officer, year, page):
    name, kwargs = page if isinstance(page, tuple) else (page, {})
    no_500.force_login(finance_officer)
    url = reverse(name, kwargs={"year": 2026, **kwargs}).replace("/2026/", f"/{year}/", 1)

    response = no_500.get(url)

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
