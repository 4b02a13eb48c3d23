"""Every budget table on screen can be downloaded as a workbook, exactly as shown: the same
columns, rows, order and rounded figures; figures as numbers, text as text."""

from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from budget.models import Activity, Committee
from budget.money import format_mkr
from budget.reports import document
from budget.reports.snapshot import PlanSnapshot
from tests.pages import assert_sent_to_login

FIRST_ROW = 5  # title, context, a blank row, the headers


def exported(client, name, query="", **kwargs):
    response = client.get(reverse(name, kwargs={"year": 2026, **kwargs}) + f"?export=xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def rows_of(ws):
    return [r for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]


def test_the_comparison_downloads_as_shown_with_figures_as_numbers(client, plan, councillor):
    client.force_login(councillor)
    table = document.comparison(PlanSnapshot(plan))

    ws = exported(client, "budget:comparison")

    assert ws["A1"].value == "Budgetjämförelse 2026"
    assert [c.value for c in ws[4]] == ["Nettobelopp, mkr"] + [c.label for c in table.columns]
    rows = rows_of(ws)
    assert [r[0] for r in rows] == [row.label for row in table.rows]
    for shown, row in zip(rows, table.rows, strict=True):
        for value, column in zip(shown[1:], table.columns, strict=True):
            expected = row.values.get(column.key)
            if expected is None:
                assert value is None
            else:
                assert format_mkr(Decimal(str(value)) * 1_000_000) == format_mkr(expected)


def test_a_sum_the_document_states_otherwise_carries_that_as_a_comment(client, plan, councillor):
    client.force_login(councillor)

    ws = exported(client, "budget:comparison")

    result = next(r for r in ws.iter_rows(min_row=FIRST_ROW) if r[0].value == "Resultat")
    budget_2026 = result[3]
    assert str(budget_2026.value) == "5.9"
    assert budget_2026.number_format == "#,##0.0;-#,##0.0"
    assert budget_2026.comment.text == "Dokumentet anger 6,0"


def test_the_current_budget_downloads_with_the_applied_changes(client, plan, councillor):
    from budget.models import BudgetYear, FrameEntry

    budget = BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    FrameEntry.objects.create(
        activity=Activity.objects.get(code="omsorgsnamnden"),
        budget_year=budget,
        kind=FrameEntry.Kind.CHANGE,
        amount=Decimal("-1200000"),
    )
    FrameEntry.objects.create(
        activity=Activity.objects.get(code="kommunstyrelsen"),
        budget_year=budget,
        kind=FrameEntry.Kind.CHANGE,
        amount=Decimal("1200000"),
    )
    client.force_login(councillor)

    adopted = {r[0]: r[3] for r in rows_of(exported(client, "budget:comparison"))}
    current = {
        r[0]: r[3] for r in rows_of(exported(client, "budget:comparison", "&budget=aktuell"))
    }

    assert str(adopted["Omsorgsnämnden"]) == "-534.1"
    assert str(current["Omsorgsnämnden"]) == "-535.3"


def test_the_committees_download_in_the_pages_order_without_hidden_columns(
    client, plan, councillor
):
    client.force_login(councillor)
    page = client.get(reverse("budget:committees", kwargs={"year": 2026}) + "?sort=-frame")
    shown_order = [row.record["name"] for row in page.context["table"].paginated_rows]

    ws = exported(client, "budget:committees", "&sort=-frame")

    assert [r[0] for r in rows_of(ws)] == shown_order
    assert "Position" not in [c.value for c in ws[4]]


def test_text_that_looks_like_a_formula_stays_text(client, plan, councillor):
    Committee.objects.create(
        municipality=plan.municipality,
        code="formel",
        name='=HYPERLINK("http://example.org")',
        kind=Committee.Kind.COMMITTEE,
        position=99,
    )
    client.force_login(councillor)

    ws = exported(client, "budget:committees")

    cell = next(c for c in ws["A"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_the_control_table_downloads_what_the_page_lists(client, plan, councillor):
    client.force_login(councillor)
    page = client.get(reverse("budget:control", kwargs={"year": 2026}) + "?visa=alla")

    ws = exported(client, "budget:control", "&visa=alla")

    assert len(rows_of(ws)) == len(page.context["table"].rows)


def test_the_download_is_refused_to_an_outsider(client, plan, outsider):
    client.force_login(outsider)

    response = client.get(reverse("budget:comparison", kwargs={"year": 2026}) + "?export=xlsx")

    assert response.status_code == 403


def test_the_download_sends_anonymous_visitors_to_the_login_page(client, plan):
    response = client.get(reverse("budget:comparison", kwargs={"year": 2026}) + "?export=xlsx")

    assert_sent_to_login(response)


# --- any table of any page, through the page itself (budget.middleware) -----------------


def test_a_hand_written_table_downloads_as_the_page_shows_it(client, plan, finance_officer):
    from followup.models import ReportingPeriod

    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    client.force_login(finance_officer)
    review = reverse("followup:review", kwargs={"year": 2026, "month": 3})
    page = client.get(review)

    response = client.get(review + "?export=xlsx&tabell=tabell-namnder")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "Nämndernas rapporter för perioden"
    rows = rows_of(ws)
    names = [r[0] for r in rows]
    for row in page.context["rows"]:
        assert row["row"].committee.name in names
    budget_column = [c.value for c in ws[4]].index("Budget")
    bildning = next(r for r in rows if r[0] == "Bildningsnämnden")
    assert str(bildning[budget_column]) == "-523.3"
    assert all("Godkänn" not in str(v) for r in rows for v in r)  # its buttons are not figures


def test_the_page_keeps_its_permissions_for_the_download(client, plan, councillor):
    client.force_login(councillor)

    response = client.get(
        reverse("followup:review", kwargs={"year": 2026, "month": 3})
        + "?export=xlsx&tabell=tabell-namnder"
    )

    assert response.status_code == 403


def test_a_table_the_page_does_not_have_is_not_found(client, plan, councillor):
    client.force_login(councillor)

    response = client.get(
        reverse("budget:goals", kwargs={"year": 2026}) + "?export=xlsx&tabell=ingen-sadan"
    )

    assert response.status_code == 404
