"""The council list: what awaits kommunfullmäktige's decision, on a page and as an Excel paper.

Only prepared reallocations that KF decides are on it; each shows why KF decides, its lines
and the sum moved; the paper's sums are formulas, and they are 0.
"""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor
from budget.demo import create_demo_users
from budget.loader import read_toml
from budget.models import Activity, BudgetYear, Role
from followup.models import Reallocation
from followup.reallocations.council_workbook import SUM_LABEL
from followup.reallocations.workflow import (
    Line,
    prepare_reallocation,
    reject_reallocation,
    save_draft,
)
from tests.conftest import PLAN_FILE
from tests.followup.reallocations import actor, split_bildning_in_two
from tests.pages import assert_sent_to_login, log_in_as, page_as
from tests.tooling import recomputed_sheets
from tests.workbooks import assert_stores_what_libreoffice_computes

PAGE = reverse("followup:council_list", kwargs={"year": 2026})
EXPORT = reverse("followup:council_list_export", kwargs={"year": 2026})


def activity(code, committee=None):
    activities = Activity.objects.select_related("committee")
    if committee:
        activities = activities.filter(committee__code=committee)
    return activities.get(code=code)


def draft(plan, user, lines, *, title, kind=Reallocation.Kind.REALLOCATION, **texts):
    return save_draft(
        plan=plan,
        budget_year=BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=kind,
        title=title,
        purpose=texts.get("purpose", f"Syfte: {title}"),
        funding=texts.get("funding", f"Finansiering: {title}"),
        lines=[Line(activity(code), Decimal(amount), note) for code, amount, note in lines],
        actor=actor(user),
    )


def prepared(plan, finance_officer, lines, **kwargs):
    reallocation = draft(plan, finance_officer, lines, **kwargs)
    return prepare_reallocation(reallocation=reallocation, actor=actor(finance_officer))


@pytest.fixture
def agenda(plan, finance_officer):
    """Two prepared items for KF, and three that are not for KF's agenda: a draft for KF,
    a rejected one, and a prepared one that Bildningsnämnden decides itself."""
    split_bildning_in_two(first_position=10)
    school = prepared(
        plan,
        finance_officer,
        [
            ("kommunstyrelsen", "2000000", "Utvecklingsmedel"),
            ("grundskola", "-1500000.50", "Fler elever"),
            ("forskola", "-499999.50", ""),
        ],
        title="Fler elever i grundskolan",
        purpose="Elevökningen hösten 2026.",
        funding="Kommunstyrelsens utvecklingsmedel.",
    )
    grant = prepared(
        plan,
        finance_officer,
        [("generella-bidrag-och-utjamning", "1200000", ""), ("omsorgsnamnden", "-1200000", "")],
        title="Statsbidrag för äldreomsorgen",
        kind=Reallocation.Kind.STATE_GRANT,
    )
    draft(
        plan,
        finance_officer,
        [("kommunstyrelsen", "-1000", ""), ("omsorgsnamnden", "1000", "")],
        title="Ett utkast som inte är berett",
    )
    rejected = draft(
        plan,
        finance_officer,
        [("kommunstyrelsen", "-3000", ""), ("omsorgsnamnden", "3000", "")],
        title="En avslagen omfördelning",
    )
    reject_reallocation(reallocation=rejected, actor=actor(finance_officer), reason="Nej")
    prepared(
        plan,
        finance_officer,
        [("grundskola", "-5000", ""), ("forskola", "5000", "")],
        title="Inom Bildningsnämnden",
    )
    return [school, grant]


# --- the page ---------------------------------------------------------------------------------


def test_the_secretary_sees_what_awaits_the_council(client, agenda, council_secretary):
    response = page_as(client, council_secretary, PAGE)

    page = response.text
    assert "Budgetomfördelning 2026:1: Fler elever i grundskolan" in page
    assert "Elevökningen hösten 2026." in page
    assert "Kommunstyrelsens utvecklingsmedel." in page
    assert "Riktat statsbidrag bokfört som generellt 2026:2: Statsbidrag för äldreomsorgen" in page
    assert "Pengar flyttas mellan nämnder (Kommunstyrelsen och Bildningsnämnden)" in page
    assert "Pengar tas från eller går till finansförvaltningen" in page
    assert "kommunfullmäktige" in page.lower()


def test_only_prepared_reallocations_for_the_council_are_listed(client, agenda, finance_officer):
    client.force_login(finance_officer)

    response = client.get(PAGE)

    items = response.context["items"]
    assert [item.reallocation.pk for item in items] == [r.pk for r in agenda]
    assert "Ett utkast som inte är berett" not in response.text
    assert "En avslagen omfördelning" not in response.text
    assert "Inom Bildningsnämnden" not in response.text


def test_each_item_shows_its_lines_the_sum_moved_and_a_zero_sum(client, agenda, councillor):
    client.force_login(councillor)

    response = client.get(PAGE)

    school = response.context["items"][0]
    assert [(line.activity.code, line.amount) for line in school.lines] == [
        ("kommunstyrelsen", Decimal("2000000.00")),
        ("grundskola", Decimal("-1500000.50")),
        ("forskola", Decimal("-499999.50")),
    ]
    assert school.moved == Decimal("2000000.00")
    assert school.total == 0
    assert "Fler elever" in response.text  # the line's note
    assert "2\u00a0000 tkr" in response.text  # the sum moved
    assert "Får 1\u00a0500\u00a0tkr" in response.text  # the school's line, in words
    assert "Lämnar 2\u00a0000\u00a0tkr" in response.text  # where the money comes from


def test_an_empty_list_says_so(client, plan, council_secretary):
    client.force_login(council_secretary)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "Inga budgetomfördelningar väntar på beslut av kommunfullmäktige." in response.text


def test_the_page_offers_the_excel_paper(client, agenda, council_secretary):
    client.force_login(council_secretary)

    response = client.get(PAGE)

    assert f'href="{EXPORT}"' in response.text


def test_finance_may_open_each_item_and_the_secretary_reads_it_here(
    client, agenda, finance_officer, council_secretary
):
    detail = reverse("followup:reallocation", kwargs={"year": 2026, "number": 1})
    client.force_login(finance_officer)
    for_finance = client.get(PAGE)
    client.force_login(council_secretary)
    for_secretary = client.get(PAGE)

    assert f'href="{detail}"' in for_finance.text
    assert f'href="{detail}"' not in for_secretary.text  # the reallocation pages are not theirs


def test_an_unknown_year_is_not_found(client, plan, council_secretary):
    client.force_login(council_secretary)

    response = client.get(reverse("followup:council_list", kwargs={"year": 1999}))

    assert response.status_code == 404


# --- the Excel paper --------------------------------------------------------------------------


def exported(client, user) -> bytes:
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    return response.content


def sum_rows(ws):
    return [r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == SUM_LABEL]


def evaluate_sum(ws, formula) -> Decimal:
    """The value of "=ROUND(SUM(C8:C10),5)", from the cells it sums."""
    match = re.fullmatch(r"=ROUND\(SUM\(C(\d+):C(\d+)\),5\)", formula)
    assert match, formula
    first, last = int(match[1]), int(match[2])
    return sum((Decimal(str(ws[f"C{r}"].value)) for r in range(first, last + 1)), Decimal(0))


def test_the_export_has_one_block_per_item_with_a_sum_formula_that_is_zero(
    client, agenda, council_secretary
):
    content = exported(client, council_secretary)

    wb = load_workbook(BytesIO(content))
    assert wb.sheetnames == ["KF-ärenden", "Alla rader"]
    ws = wb["KF-ärenden"]
    headings = [c.value for c in ws["A"] if isinstance(c.value, str) and " 2026:" in c.value]
    assert headings == [
        "Budgetomfördelning 2026:1: Fler elever i grundskolan",
        "Riktat statsbidrag bokfört som generellt 2026:2: Statsbidrag för äldreomsorgen",
    ]
    totals = sum_rows(ws)
    assert len(totals) == 2
    for row in totals:
        formula = ws.cell(row=row, column=3).value
        assert formula.startswith("=ROUND(SUM(")
        assert evaluate_sum(ws, formula) == 0


@pytest.mark.libreoffice
def test_the_export_stores_the_sums_libreoffice_computes(client, agenda, councillor, tmp_path):
    assert_stores_what_libreoffice_computes(exported(client, councillor), tmp_path)


def test_the_export_holds_exact_tkr_shown_as_whole_numbers(client, agenda, finance_officer):
    ws = load_workbook(BytesIO(exported(client, finance_officer)))["KF-ärenden"]

    row = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "Grundskola"
    )
    cell = ws.cell(row=row, column=3)
    assert Decimal(str(cell.value)) == Decimal("-1500.0005")
    assert cell.number_format == "#,##0;-#,##0"
    assert ws.cell(row=row, column=1).value == "Bildningsnämnden"
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    for label in ("Syfte", "Varifrån pengarna kommer", "Varför kommunfullmäktige beslutar"):
        assert label in labels
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Nämnd")
    assert [ws.cell(row=header, column=c).value for c in range(1, 5)] == [
        "Nämnd",
        "Verksamhet",
        "Förändring av nettoram, tkr",
        "Innebär · kommentar",
    ]
    assert ws.cell(row=row, column=4).value == "Får 1\xa0500\xa0tkr · Fler elever"


def test_the_export_prints_on_a4_portrait_with_titles_and_page_numbers(
    client, agenda, council_secretary
):
    ws = load_workbook(BytesIO(exported(client, council_secretary)))["KF-ärenden"]

    assert ws.page_setup.orientation == "portrait"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$1:$2"
    assert "Sida &P av &N" in ws.oddFooter.right.text
    assert ws.oddFooter.left.text == "Hedemora kommun"


def test_the_second_sheet_lists_every_line_for_filtering(client, agenda, councillor):
    ws = load_workbook(BytesIO(exported(client, councillor)))["Alla rader"]

    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Ärende",
        "Rubrik",
        "Slag",
        "Nämndkod",
        "Nämnd",
        "Verksamhetskod",
        "Verksamhet",
        "Förändring av nettoram, tkr",
        "Kommentar",
    )
    assert [(r[0], r[5], Decimal(str(r[7]))) for r in rows[1:]] == [
        ("2026:1", "kommunstyrelsen", Decimal("2000")),
        ("2026:1", "grundskola", Decimal("-1500.0005")),
        ("2026:1", "forskola", Decimal("-499.9995")),
        ("2026:2", "omsorgsnamnden", Decimal("-1200")),
        ("2026:2", "generella-bidrag-och-utjamning", Decimal("1200")),
    ]
    assert ws.auto_filter.ref == "A1:I6"
    assert ws.freeze_panes == "A2"


def test_an_empty_export_says_there_is_nothing(client, plan, council_secretary):
    ws = load_workbook(BytesIO(exported(client, council_secretary)))["KF-ärenden"]

    texts = [c.value for c in ws["A"]]
    assert "Inga budgetomfördelningar väntar på beslut av kommunfullmäktige." in texts
    assert sum_rows(ws) == []


def test_the_export_is_named_for_the_year(client, agenda, council_secretary):
    client.force_login(council_secretary)

    response = client.get(EXPORT)

    assert response["Content-Disposition"] == 'attachment; filename="kf-arenden-2026.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.libreoffice
def test_libreoffice_computes_every_sum_to_zero(client, agenda, council_secretary, tmp_path):
    sheets = recomputed_sheets(exported(client, council_secretary), tmp_path, "kf-arenden")

    rows = sheets["KF-ärenden"]
    totals = [r for r in rows if r and r[0] == SUM_LABEL]
    assert len(totals) == 2
    assert all(Decimal(r[2]) == 0 for r in totals)


# --- who may see it ---------------------------------------------------------------------------

EXPECTED = {
    "anonymous": "login",
    "outsider": 403,
    "controller": 403,
    "finance": 200,
    "councillor": 200,
    "secretary": 200,
    "administrator": 403,
}


@pytest.mark.parametrize("url", [PAGE, EXPORT], ids=["page", "export"])
@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_gets_its_outcome(client, request, agenda, role, url):
    log_in_as(client, request, role)

    response = client.get(url)

    if EXPECTED[role] == "login":
        assert_sent_to_login(response)
    else:
        assert response.status_code == EXPECTED[role]
    if response.status_code != 200:
        assert b"Statsbidrag" not in response.content


@pytest.mark.parametrize("url", [PAGE, EXPORT], ids=["page", "export"])
def test_the_list_is_read_only(client, agenda, council_secretary, url):
    client.force_login(council_secretary)

    response = client.post(url)

    assert response.status_code == 405


def test_the_demo_secretary_may_open_the_list(client, plan, django_user_model):
    data = read_toml(PLAN_FILE.parent / "demo-users.toml")

    users = create_demo_users(data, municipality=plan.municipality, actor=Actor())

    secretary = next(u for u in users if u.username == "sekreterare")
    assert secretary.role == Role.SECRETARY.label
    client.force_login(django_user_model.objects.get(username="sekreterare"))
    assert client.get(PAGE).status_code == 200
    assert client.get(reverse("budget:overview", kwargs={"year": 2026})).status_code == 200


# --- bounded queries --------------------------------------------------------------------------


def many_items(plan, finance_officer, count):
    for n in range(count):
        prepared(
            plan,
            finance_officer,
            [
                ("kommunstyrelsen", f"-{n + 1}000", ""),
                ("bildningsnamnden", f"{n + 1}000", ""),
                ("omsorgsnamnden", "500", ""),
                ("valnamnden", "-500", ""),
            ],
            title=f"Ärende {n + 1}",
        )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [PAGE, EXPORT], ids=["page", "export"])
def test_the_number_of_queries_does_not_grow_with_the_items(
    client, plan, finance_officer, council_secretary, url
):
    client.force_login(council_secretary)
    many_items(plan, finance_officer, 2)
    few = queries(client, url)

    many_items(plan, finance_officer, 15)
    many = queries(client, url)

    assert many == few
