"""A reallocation from Excel: a blank template for the year, filled in and uploaded, or loaded
with ``manage.py import_reallocation``.

Both paths save a draft through save_draft: an unbalanced file, or one with lines outside a
controller's committee, is refused and nothing is saved; every problem in the file is named
with its sheet, row and column; hostile files are refused before they are opened.
"""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Source
from budget.models import Activity, AuditEntry
from followup.models import Reallocation, ReallocationLine
from followup.reallocations.workbook import (
    BudgetWorkbookError,
    read_reallocation_workbook,
    template_bytes,
)
from tests.budget.test_import_safety import (
    broken_sheet,
    external_links,
    macro_enabled_content_type,
    macros,
    not_a_workbook_inside,
    not_a_zip,
    xml_entities,
    zip_bomb,
)
from tests.followup.reallocations import split_bildning_in_two
from tests.pages import PERSONAS, assert_sent_to_login, log_in_as, page_as
from tests.tooling import saved_again_by_libreoffice

TEMPLATE_URL = reverse("followup:reallocation_template", kwargs={"year": 2026})
UPLOAD_URL = reverse("followup:reallocation_upload", kwargs={"year": 2026})
FORM = "Omfördelning"
BETWEEN_COMMITTEES = [
    ("kommunstyrelsen", "kommunstyrelsen", "−250,5", "Utvecklingsmedel"),
    ("bildningsnamnden", "bildningsnamnden", 250.5, "Fler elever"),
]
# Lines that sum to −50 tkr, not 0.
UNBALANCED = [
    ("kommunstyrelsen", "kommunstyrelsen", -250, ""),
    ("bildningsnamnden", "bildningsnamnden", 200, ""),
]


@pytest.fixture
def template(plan):
    return template_bytes(plan)


@pytest.fixture
def schools(plan):
    """Bildningsnämnden split into two activities, as a committee may be."""
    return split_bildning_in_two(first_position=10)


def row_of(ws, label, column=1) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=column).value == label)


def filled(
    content: bytes,
    lines=BETWEEN_COMMITTEES,
    *,
    kind="Budgetomfördelning",
    title="Fler elever i grundskolan",
    purpose="Elevökningen hösten 2026.",
    funding="Kommunstyrelsens utvecklingsmedel.",
    edit=None,
) -> bytes:
    """The template with the reallocation typed in (and any further ``edit(wb)``)."""
    wb = load_workbook(BytesIO(content))
    ws = wb[FORM]
    for label, value in [
        ("Slag", kind),
        ("Rubrik", title),
        ("Syfte", purpose),
        ("Varifrån pengarna kommer", funding),
    ]:
        ws.cell(row=row_of(ws, label), column=2, value=value)
    first = row_of(ws, "Nämndkod") + 1
    for offset, values in enumerate(lines):
        for column, value in enumerate(values, start=1):
            ws.cell(row=first + offset, column=column, value=value)
    if edit is not None:
        edit(wb)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile("omfordelning.xlsx", content)})


def nothing_saved():
    return (
        not Reallocation.objects.exists()
        and not AuditEntry.objects.filter(area="omfordelningar").exists()
    )


def assert_refused(response, message):
    """The upload is refused with ``message`` on the page, and nothing is saved."""
    assert response.status_code == 400
    assert message in response.text
    assert nothing_saved()


def problem_row(sheet, row, column):
    """How the problems table shows a place."""
    return f'<td>{sheet}</td>\n        <td class="num">{row}</td>\n        <td>{column}</td>'


# --- the template -----------------------------------------------------------------------------


def test_finance_downloads_a_blank_template_for_the_year(client, plan, finance_officer):
    response = page_as(client, finance_officer, TEMPLATE_URL)

    assert response["Content-Disposition"] == 'attachment; filename="omfordelning-mall-2026.xlsx"'
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Omfördelning", "Verksamheter", "Om mallen"]
    ws = wb[FORM]
    for label in ("Slag", "Rubrik", "Syfte", "Varifrån pengarna kommer"):
        row_of(ws, label)
    header = row_of(ws, "Nämndkod")
    assert [ws.cell(row=header, column=c).value for c in range(1, 5)] == [
        "Nämndkod",
        "Verksamhetskod",
        "Belopp, tkr",
        "Kommentar",
    ]
    total = row_of(ws, "Summa")
    assert ws.cell(row=total, column=3).value == f"=SUM(C{header + 1}:C{total - 1})"


def test_the_template_lists_the_plans_activities_and_offers_their_codes(
    client, plan, bildning_controller, schools
):
    client.force_login(bildning_controller)

    wb = load_workbook(BytesIO(client.get(TEMPLATE_URL).content))

    listed = wb["Verksamheter"]
    codes = [
        (listed.cell(row=r, column=1).value, listed.cell(row=r, column=3).value)
        for r in range(row_of(listed, "Verksamhetskod", column=3) + 1, listed.max_row + 1)
    ]
    assert ("bildningsnamnden", "grundskola") in codes
    assert ("finansforvaltningen", "skatteintakter") in codes
    assert len(codes) == Activity.objects.count()
    lists = {
        str(v.sqref): v.formula1
        for v in wb[FORM].data_validations.dataValidation
        if v.type == "list"
    }
    header = row_of(wb[FORM], "Nämndkod")
    activity_list = lists[f"B{header + 1}:B{header + 20}"]
    assert activity_list.startswith("'Verksamheter'!$C$")


# --- uploading it -----------------------------------------------------------------------------


def test_a_filled_template_becomes_a_draft_with_exact_amounts(client, template, finance_officer):
    client.force_login(finance_officer)

    response = upload(client, filled(template))

    assert response.status_code == 302
    assert response.url == reverse("followup:reallocations", kwargs={"year": 2026})
    reallocation = Reallocation.objects.get()
    assert reallocation.status == Reallocation.Status.DRAFT
    assert reallocation.title == "Fler elever i grundskolan"
    assert reallocation.kind == Reallocation.Kind.REALLOCATION
    assert reallocation.funding == "Kommunstyrelsens utvecklingsmedel."
    assert reallocation.deciding_body == Reallocation.Body.COUNCIL
    assert sorted(reallocation.lines.values_list("activity__code", "amount", "note")) == [
        ("bildningsnamnden", Decimal("250500.00"), "Fler elever"),
        ("kommunstyrelsen", Decimal("-250500.00"), "Utvecklingsmedel"),
    ]
    entries = AuditEntry.objects.filter(area="omfordelningar")
    assert entries.count() == 3  # the reallocation and its two lines
    assert set(entries.values_list("source", "user")) == {(Source.IMPORT, finance_officer.pk)}
    message = str(list(response.wsgi_request._messages)[0])
    assert "Omfördelning 2026:1" in message
    assert "kommunfullmäktige" in message


def test_amounts_are_read_to_the_ore(client, template, finance_officer):
    client.force_login(finance_officer)
    lines = [
        ("kommunstyrelsen", "kommunstyrelsen", "-1 000,00001", ""),
        ("omsorgsnamnden", "omsorgsnamnden", "1000,00001", ""),
    ]

    upload(client, filled(template, lines))

    assert sorted(ReallocationLine.objects.values_list("amount", flat=True)) == [
        Decimal("-1000000.01"),
        Decimal("1000000.01"),
    ]


def test_an_unbalanced_template_is_refused_with_the_reason_and_nothing_is_saved(
    client, template, finance_officer
):
    client.force_login(finance_officer)

    response = upload(client, filled(template, UNBALANCED))

    assert response.status_code == 400
    assert "Omfördelningen sparades inte" in response.text
    assert "Raderna summerar till −50 tkr, inte 0" in response.text
    assert nothing_saved()


def test_text_in_an_amount_is_named_with_its_sheet_row_and_column(
    client, template, finance_officer
):
    client.force_login(finance_officer)
    lines = [
        ("kommunstyrelsen", "kommunstyrelsen", "tvåhundra", ""),
        ("bildningsnamnden", "bildningsnamnden", 200, ""),
    ]
    content = filled(template, lines)
    row = row_of(load_workbook(BytesIO(content))[FORM], "kommunstyrelsen")

    response = upload(client, content)

    assert response.status_code == 400
    assert "”tvåhundra” är inte ett belopp." in response.text
    assert problem_row(FORM, row, "C") in response.text
    assert nothing_saved()


def test_every_problem_in_the_file_is_listed_with_its_place(template, plan):
    lines = [
        ("kommunstyrelsen", "kommunstyrelsen", -100, ""),
        ("bildningsnamnden", "grundskolan", 50, ""),
        ("finansnamnden", "skatteintakter", 50, ""),
        ("omsorgsnamnden", "omsorgsnamnden", 0, ""),
        ("kommunstyrelsen", "kommunstyrelsen", "", ""),
    ]
    content = filled(template, lines, title="", kind="Gåva")
    ws = load_workbook(BytesIO(content))[FORM]
    first = row_of(ws, "Nämndkod") + 1

    with pytest.raises(BudgetWorkbookError) as caught:
        read_reallocation_workbook(BytesIO(content), plan=plan)

    assert [(p.sheet, p.row, p.column_letter, p.message) for p in caught.value.problems] == [
        (
            FORM,
            row_of(ws, "Rubrik"),
            "B",
            "”Rubrik” saknas.",
        ),
        (
            FORM,
            row_of(ws, "Slag"),
            "B",
            "”Gåva” är inget slag av omfördelning; välj ”Budgetomfördelning”, ”Riktat "
            "statsbidrag bokfört som generellt”, ”Resultatöverföring”.",
        ),
        (
            FORM,
            first + 1,
            "B",
            "Bildningsnämnden har ingen verksamhet med koden ”grundskolan”; se bladet "
            "”Verksamheter”.",
        ),
        (
            FORM,
            first + 2,
            "A",
            "Det finns ingen nämnd med koden ”finansnamnden”; se bladet ”Verksamheter”.",
        ),
        (FORM, first + 3, "C", "Beloppet är 0; ta bort raden eller skriv ett belopp."),
        (FORM, first + 4, "C", "Beloppet saknas."),
    ]


def test_the_same_activity_twice_is_named_on_the_second_row(template, plan):
    lines = [
        ("kommunstyrelsen", "kommunstyrelsen", -100, ""),
        ("bildningsnamnden", "bildningsnamnden", 50, ""),
        ("bildningsnamnden", "bildningsnamnden", 50, ""),
    ]
    content = filled(template, lines)
    first = row_of(load_workbook(BytesIO(content))[FORM], "Nämndkod") + 1

    with pytest.raises(BudgetWorkbookError) as caught:
        read_reallocation_workbook(BytesIO(content), plan=plan)

    [problem] = caught.value.problems
    assert (problem.row, problem.column_letter) == (first + 2, "B")
    assert f"står redan på rad {first + 1}" in problem.message


def test_a_line_below_the_sum_row_is_not_silently_left_out(template, plan):
    def below(wb):
        ws = wb[FORM]
        total = row_of(ws, "Summa")
        ws.cell(row=total + 1, column=1, value="omsorgsnamnden")

    content = filled(template, edit=below)

    with pytest.raises(BudgetWorkbookError, match="står under summaraden"):
        read_reallocation_workbook(BytesIO(content), plan=plan)


def test_a_template_for_another_year_is_refused(template, plan):
    def other_year(wb):
        ws = wb["Om mallen"]
        ws.cell(row=row_of(ws, "Mål och budget"), column=2, value=2025)

    with pytest.raises(BudgetWorkbookError, match="gäller Mål och budget 2025"):
        read_reallocation_workbook(BytesIO(filled(template, edit=other_year)), plan=plan)


def test_a_workbook_that_is_not_the_template_is_refused(client, finance_officer, plan):
    from budget.exports import workbook_bytes

    client.force_login(finance_officer)

    response = upload(client, workbook_bytes(plan))

    assert_refused(response, "Filen är inte en omfördelningsmall från Budgetuppföljning.")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_a_zip, "Filen är inte en Excel-arbetsbok (.xlsx)."),
        (zip_bomb, "för stor uppackad"),
        (macros, "innehåller makron"),
        (macro_enabled_content_type, "innehåller makron (.xlsm)"),
        (external_links, "länkar till andra filer"),
        (not_a_workbook_inside, "arbetsbokens delar saknas"),
        (xml_entities, "kunde inte läsas som en Excel-arbetsbok"),
        (broken_sheet, "kunde inte läsas som en Excel-arbetsbok"),
    ],
    ids=lambda value: getattr(value, "__name__", "message"),
)
def test_a_hostile_file_is_refused_and_nothing_is_saved(
    client, template, finance_officer, make, message
):
    client.force_login(finance_officer)

    response = upload(client, make(filled(template)))

    assert_refused(response, message)


def test_a_too_large_file_is_refused_before_it_is_opened(
    client, template, finance_officer, settings
):
    settings.BUDGET_UPLOAD_MAX_BYTES = 1000
    client.force_login(finance_officer)

    response = upload(client, filled(template))

    assert_refused(response, "Filen är för stor")


# --- a controller, within their own committee -------------------------------------------------

WITHIN_BILDNING = [
    ("bildningsnamnden", "grundskola", 500, ""),
    ("bildningsnamnden", "forskola", -500, ""),
]


def test_a_controller_uploads_a_reallocation_within_their_committee(
    client, template, bildning_controller, schools
):
    client.force_login(bildning_controller)

    response = upload(client, filled(template, WITHIN_BILDNING))

    assert response.status_code == 302
    reallocation = Reallocation.objects.get()
    assert reallocation.deciding_body == Reallocation.Body.COMMITTEE
    assert reallocation.deciding_committee.code == "bildningsnamnden"
    assert reallocation.created_by == bildning_controller


def test_a_controller_cannot_upload_one_between_committees(client, template, bildning_controller):
    client.force_login(bildning_controller)

    response = upload(client, filled(template))

    assert_refused(response, "bara föreslå omfördelningar mellan verksamheter i din egen nämnd")


def test_a_controller_cannot_upload_one_in_another_committee(
    client, template, omsorg_controller, schools
):
    client.force_login(omsorg_controller)

    response = upload(client, filled(template, WITHIN_BILDNING))

    assert response.status_code == 400
    assert nothing_saved()


# --- who may use the pages --------------------------------------------------------------------

MAY_DRAW_UP = {"controller", "finance"}


@pytest.mark.parametrize("url", [TEMPLATE_URL, UPLOAD_URL], ids=["template", "upload"])
@pytest.mark.parametrize("role", ["anonymous", *PERSONAS])
def test_only_those_who_may_draw_up_reallocations_get_the_pages(client, request, plan, role, url):
    log_in_as(client, request, role)

    response = client.get(url)

    if role == "anonymous":
        assert_sent_to_login(response)
    else:
        assert response.status_code == (200 if role in MAY_DRAW_UP else 403)


@pytest.mark.parametrize("persona", ["councillor", "council_secretary", "administrator"])
def test_a_post_by_someone_who_may_not_draw_up_is_refused(client, request, template, persona):
    client.force_login(request.getfixturevalue(persona))

    response = upload(client, filled(template))

    assert response.status_code == 403
    assert nothing_saved()


@pytest.mark.parametrize(
    ("url", "method"), [(TEMPLATE_URL, "post"), (UPLOAD_URL, "put"), (UPLOAD_URL, "delete")]
)
def test_wrong_method_is_refused(client, plan, finance_officer, url, method):
    client.force_login(finance_officer)

    response = getattr(client, method)(url)

    assert response.status_code == 405


# --- the command ------------------------------------------------------------------------------


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_reallocation", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def written(folder, name, content: bytes):
    """``content`` saved as the file ``name`` in ``folder``, for the command to read."""
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.fixture
def file(tmp_path, template):
    return written(tmp_path, "omfordelning.xlsx", filled(template))


def test_the_command_saves_a_draft_as_the_user(file, finance_officer):
    out, _ = run(file, "--year", "2026", "--user", "eva")

    reallocation = Reallocation.objects.get()
    assert reallocation.created_by == finance_officer
    assert reallocation.budget_year.year == 2026
    assert sorted(reallocation.lines.values_list("amount", flat=True)) == [
        Decimal("-250500.00"),
        Decimal("250500.00"),
    ]
    entries = AuditEntry.objects.filter(area="omfordelningar")
    assert entries.count() == 3
    assert set(entries.values_list("source", "user")) == {(Source.COMMAND, finance_officer.pk)}
    assert "Budgetomfördelning 2026:1 ”Fler elever i grundskolan” är sparad som utkast" in out
    assert "Kommunstyrelsen, Kommunstyrelsens verksamhet: −250,5 tkr" in out


def test_the_command_takes_the_budget_year(file, finance_officer):
    run(file, "--year", "2026", "--budget-year", "2026", "--user", "eva")

    assert Reallocation.objects.get().budget_year.year == 2026


def test_a_dry_run_checks_everything_and_saves_nothing(file, finance_officer):
    out, _ = run(file, "--year", "2026", "--user", "eva", "--dry-run")

    assert "Provkörning (--dry-run)" in out
    assert "2026:1" in out
    assert "Ingenting har sparats." in out
    assert nothing_saved()


def test_a_dry_run_refuses_what_the_real_run_would_refuse(tmp_path, template, bildning_controller):
    path = written(tmp_path, "mellan-namnder.xlsx", filled(template))

    with pytest.raises(CommandError, match="din egen nämnd"):
        run(path, "--year", "2026", "--user", "cecilia", "--dry-run")

    assert nothing_saved()


def test_the_command_refuses_an_unbalanced_file(tmp_path, template, finance_officer):
    path = written(tmp_path, "obalanserad.xlsx", filled(template, UNBALANCED))

    with pytest.raises(CommandError, match="summerar till −50 tkr, inte 0") as caught:
        run(path, "--year", "2026", "--user", "eva")

    assert "Ingenting har sparats." in str(caught.value)
    assert nothing_saved()


def test_the_command_lists_every_problem_in_the_file(tmp_path, template, finance_officer):
    lines = [
        ("kommunstyrelsen", "kommunstyrelsen", "tvåhundra", ""),
        ("finansnamnden", "x", 200, ""),
    ]
    path = written(tmp_path, "fel.xlsx", filled(template, lines))
    err = StringIO()

    with pytest.raises(CommandError, match="2 fel. Ingenting har sparats."):
        call_command(
            "import_reallocation",
            str(path),
            "--year",
            "2026",
            "--user",
            "eva",
            stdout=StringIO(),
            stderr=err,
        )

    assert "kolumn C: ”tvåhundra” är inte ett belopp." in err.getvalue()
    assert "kolumn A: Det finns ingen nämnd med koden ”finansnamnden”" in err.getvalue()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--user", "pia"], "pia får inte föreslå budgetomfördelningar"),
        (["--year", "2026", "--user", "ingen"], "Det finns ingen aktiv användare ”ingen”"),
        (["--year", "2031", "--user", "eva"], "Det finns ingen fastställd budget för 2031"),
        (
            ["--year", "2026", "--budget-year", "2027", "--user", "eva"],
            "Mål och budget 2026 har inget budgetår 2027 att ändra.",
        ),
    ],
    ids=["no-permission", "unknown-user", "unknown-year", "plan-year"],
)
def test_the_command_refuses_a_user_or_year_it_cannot_use(
    file, finance_officer, councillor, args, message
):
    with pytest.raises(CommandError, match=message):
        run(file, *args)

    assert nothing_saved()


def test_the_command_refuses_a_missing_file(tmp_path, finance_officer):
    with pytest.raises(CommandError, match="Kunde inte läsa"):
        run(tmp_path / "finns-inte.xlsx", "--year", "2026", "--user", "eva")


# --- in a spreadsheet program -----------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_template_filled_and_saved_by_libreoffice_is_read_back(template, plan, tmp_path):
    saved = saved_again_by_libreoffice(filled(template), tmp_path, "omfordelning")

    result = read_reallocation_workbook(BytesIO(saved), plan=plan)

    assert result.title == "Fler elever i grundskolan"
    assert [(line.activity.code, line.amount) for line in result.lines] == [
        ("kommunstyrelsen", Decimal("-250500.00")),
        ("bildningsnamnden", Decimal("250500.00")),
    ]
