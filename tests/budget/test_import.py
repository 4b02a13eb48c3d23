"""Loading a budget from a budget workbook: what the export writes, the import reads back."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from budget.exports import workbook_bytes
from budget.imports import BudgetWorkbookError, import_budget_workbook, read_budget_workbook
from budget.loader import load_plan
from budget.models import Activity, BudgetPlan, FrameEntry, Municipality
from tests.pages import assert_sent_to_login, page_as

GENERATED_ON = date(2026, 11, 27)
FRAMES = "Ramar per verksamhet"


def edited(content: bytes, edit) -> bytes:
    """The workbook after ``edit(wb)``, saved as a spreadsheet program would."""
    wb = load_workbook(BytesIO(content))
    edit(wb)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def frame_cell(wb, activity_code, header):
    """The coordinate of an activity's adopted frame in a year column on "Ramar per verksamhet"."""
    ws = wb[FRAMES]
    column = next(c.column_letter for c in ws[2] if c.value == header)
    row = next(r for r in range(3, ws.max_row + 1) if ws[f"B{r}"].value == activity_code)
    return f"{column}{row}"


def set_frame(activity_code, header, value):
    def edit(wb):
        wb[FRAMES][frame_cell(wb, activity_code, header)] = value

    return edit


def frames():
    return dict(FrameEntry.objects.values_list("id", "amount"))


def original_frame(activity_code, key):
    kind, year = key.split("-")
    return FrameEntry.objects.get(
        activity__code=activity_code,
        budget_year__kind=kind,
        budget_year__year=int(year),
        kind=FrameEntry.Kind.ORIGINAL,
    ).amount


def upload(content: bytes, name="budget-2026.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- reading back what was written --------------------------------------------------------


def test_reimporting_an_exported_workbook_changes_nothing(exported):
    before = frames()

    result = import_budget_workbook(BytesIO(exported))

    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged > 300
    assert frames() == before


def test_changes_decided_during_the_year_are_not_read_back(plan):
    from tests.budget.test_export import reallocate

    reallocate(plan, "2.5", to="bildningsnamnden", from_="kommunstyrelsen")
    before = frames()

    result = import_budget_workbook(BytesIO(workbook_bytes(plan, today=GENERATED_ON)))

    assert (result.created, result.updated) == (0, 0)
    assert frames() == before


def test_changing_one_frame_cell_changes_exactly_that_frame(exported):
    before = frames()
    content = edited(exported, set_frame("bildningsnamnden", "Budget 2026", -530.25))

    result = import_budget_workbook(BytesIO(content))

    assert (result.created, result.updated) == (0, 1)
    assert original_frame("bildningsnamnden", "budget-2026") == Decimal("-530250000.00")
    changed = {pk for pk, amount in frames().items() if before[pk] != amount}
    assert changed == {
        FrameEntry.objects.get(
            activity__code="bildningsnamnden", budget_year__year=2026, budget_year__kind="budget"
        ).pk
    }


def test_mkr_figures_become_exact_kronor(exported):
    content = edited(exported, set_frame("omsorgsnamnden", "Plan 2028", -570.123456789))

    data = read_budget_workbook(BytesIO(content))
    import_budget_workbook(BytesIO(content))

    bildning = next(c for c in data["committees"] if c["code"] == "bildningsnamnden")
    assert bildning["activities"][0]["frames"]["budget-2026"] == Decimal("-523.3")
    assert original_frame("bildningsnamnden", "budget-2026") == Decimal("-523300000.00")
    assert original_frame("omsorgsnamnden", "plan-2028") == Decimal("-570123456.79")


def test_amounts_written_as_swedish_text_are_read(exported):
    content = edited(exported, set_frame("kommunstyrelsen", "Plan 2027", "−1 207,5"))

    import_budget_workbook(BytesIO(content))

    assert original_frame("kommunstyrelsen", "plan-2027") == Decimal("-1207500000.00")


def test_nothing_is_saved_when_any_cell_is_wrong(exported):
    before = frames()

    def edit(wb):
        set_frame("bildningsnamnden", "Budget 2026", -600)(wb)
        set_frame("omsorgsnamnden", "Budget 2026", "tjugo")(wb)

    with pytest.raises(BudgetWorkbookError) as caught:
        import_budget_workbook(BytesIO(edited(exported, edit)))

    assert frames() == before
    [problem] = caught.value.problems
    assert str(problem).startswith("Blad ”Ramar per verksamhet”, rad ")
    assert str(problem).endswith("kolumn G: ”tjugo” är inte ett belopp.")


def test_a_formula_without_a_computed_value_is_not_read_as_empty(exported):
    content = edited(exported, set_frame("omsorgsnamnden", "Budget 2026", "=-534.1-1"))

    with pytest.raises(BudgetWorkbookError) as caught:
        read_budget_workbook(BytesIO(content))

    assert "formel utan beräknat värde" in str(caught.value)


def test_loader_errors_become_workbook_problems(monkeypatch, db):
    monkeypatch.setattr("budget.imports.service.read_budget_workbook", lambda *a, **k: {})

    with pytest.raises(BudgetWorkbookError) as caught:
        import_budget_workbook(BytesIO(b"ignored"))

    assert "Avsnittet ”municipality” saknas." in [p.message for p in caught.value.problems]


# --- round trip into an empty database ---------------------------------------------------------


@pytest.fixture(scope="module")
def workbook_of_a_database_that_is_gone(django_db_setup, django_db_blocker, plan_data):
    """An exported workbook of the plan, made in a transaction that is then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        content = workbook_bytes(load_plan(plan_data).plan, today=GENERATED_ON)
        transaction.set_rollback(True)
    return content


def cells(content: bytes) -> dict:
    wb = load_workbook(BytesIO(content))
    return {
        (ws.title, cell.coordinate): (cell.value, cell.data_type, cell.number_format, cell.font.b)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None or cell.number_format != "General"
    }


def test_exported_workbook_loads_into_an_empty_database_and_exports_identically(
    workbook_of_a_database_that_is_gone, db
):
    assert not BudgetPlan.objects.exists()

    result = import_budget_workbook(BytesIO(workbook_of_a_database_that_is_gone))

    assert result.created > 300
    plan = BudgetPlan.objects.get(municipality__name="Hedemora kommun", year=2026)
    assert Activity.objects.filter(committee__municipality=plan.municipality).count() == 13
    again = workbook_bytes(plan, today=GENERATED_ON)
    first, second = cells(workbook_of_a_database_that_is_gone), cells(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# --- the command --------------------------------------------------------------------------------


def test_import_command_prints_what_it_created_changed_and_left(exported, tmp_path):
    path = tmp_path / "budget-2026.xlsx"
    path.write_bytes(edited(exported, set_frame("valnamnden", "Plan 2028", -1.6)))
    out = StringIO()

    call_command("import_budget", str(path), stdout=out)

    assert "Mål och budget 2026 (Hedemora kommun): 0 nya, 1 ändrad och" in out.getvalue()
    assert "Ändrat: Allmänna val Plan 2028" in out.getvalue()


def test_import_command_lists_the_problems_and_fails(exported, tmp_path):
    path = tmp_path / "budget-2026.xlsx"
    path.write_bytes(edited(exported, set_frame("valnamnden", "Plan 2028", "tjugo")))
    err = StringIO()

    with pytest.raises(CommandError, match="lästes inte in: 1 fel"):
        call_command("import_budget", str(path), stderr=err)

    assert "”tjugo” är inte ett belopp." in err.getvalue()


# --- the page -------------------------------------------------------------------------------------


def test_administrator_sees_the_upload_form(client, administrator):
    response = page_as(client, administrator, reverse("budget:import"))

    assert 'type="file"' in response.text
    assert 'accept=".xlsx"' in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_administrator_uploads_a_workbook_and_sees_the_summary(client, administrator, exported):
    client.force_login(administrator)
    content = edited(exported, set_frame("bildningsnamnden", "Budget 2026", -525))

    response = client.post(reverse("budget:import"), {"file": upload(content)})

    assert response.status_code == 302
    assert response.url == reverse("budget:overview", kwargs={"year": 2026})
    assert original_frame("bildningsnamnden", "budget-2026") == Decimal("-525000000.00")
    [message] = get_messages(response.wsgi_request)
    assert str(message).startswith("Mål och budget 2026 (Hedemora kommun): 0 nya, 1 ändrad")


def test_a_new_municipalitys_budget_is_created_by_the_upload(client, administrator, exported):
    client.force_login(administrator)

    def rename(wb):
        ws = wb["Organisation"]
        row = next(r for r in range(1, 20) if ws[f"A{r}"].value == "Kommun")
        ws[f"B{row}"] = "Avesta kommun"

    response = client.post(reverse("budget:import"), {"file": upload(edited(exported, rename))})

    assert response.status_code == 302
    avesta = Municipality.objects.get(name="Avesta kommun")
    assert BudgetPlan.objects.filter(municipality=avesta, year=2026).exists()
    assert FrameEntry.objects.filter(activity__committee__municipality=avesta).exists()


def test_upload_without_a_file_shows_the_form_again(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("budget:import"), {})

    assert response.status_code == 200
    assert "Formuläret innehåller fel" in response.text


def test_anonymous_visitor_is_sent_to_login_instead_of_the_upload(client, plan):
    response = client.get(reverse("budget:import"))

    assert_sent_to_login(response)


@pytest.mark.parametrize(
    "persona", ["outsider", "councillor", "finance_officer", "bildning_controller"]
)
def test_only_administrators_may_import_a_budget(client, request, persona, exported):
    client.force_login(request.getfixturevalue(persona))
    before = frames()

    shown = client.get(reverse("budget:import"))
    posted = client.post(reverse("budget:import"), {"file": upload(exported)})

    assert shown.status_code == 403
    assert posted.status_code == 403
    assert frames() == before


def test_upload_needs_the_csrf_token(administrator, exported):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)

    response = client.post(reverse("budget:import"), {"file": upload(exported)})

    assert response.status_code == 403


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_upload_page_answers_only_get_and_post(client, administrator, method):
    client.force_login(administrator)

    response = getattr(client, method)(reverse("budget:import"))

    assert response.status_code == 405
