"""The dashboard's and the review's committee tables sort by any column (a GET parameter,
nothing written), amounts as numbers; the municipality's sum stays the last row. Beside the
year's figures they show last year's outcome where finance has entered it, and the page's
download link says which paper it downloads."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.audit import Actor
from budget.models import Committee
from budget.money import format_mkr
from followup.dashboard.tables import previous_labels
from followup.models import Report, ReportingPeriod
from followup.statements.previous_year import PreviousOutcome, save_previous_year
from tests.followup.periods import municipality_result, overview, period_of
from tests.followup.reports import submitted
from tests.pages import page_as

MKR = Decimal(1_000_000)


def dashboard(month=8, sort=None):
    url = reverse("followup:dashboard", kwargs={"year": 2026}) + f"?period={month}"
    return url + (f"&sort={sort}" if sort else "")


def review(month=8, sort=None):
    url = reverse("followup:review", kwargs={"year": 2026, "month": month})
    return url + (f"?sort={sort}" if sort else "")


def table_of(text, table_id):
    """(headers, body rows, footer) of the page's table ``table_id``, as the cells' texts."""
    table = text.split(f'id="{table_id}"')[1].split("</table>")[0]

    def cells(part):
        return [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", c))).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", part, re.S)
        ]

    head = table.split("<thead>")[1].split("</thead>")[0]
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    foot = table.split("<tfoot>")[1].split("</tfoot>")[0]
    rows = [cells(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    assert table.index("<tbody>") < table.index("<tfoot>")
    return cells(head), rows, cells(foot)


def names(rows):
    return [r[0] for r in rows]


def numeric_order(rows, key, *, descending=False):
    """The committees' names ordered by ``key`` of their row, missing amounts last; ties
    keep the document's order."""
    present = [r for r in rows if key(r) is not None]
    ordered = sorted(present, key=lambda r: -key(r) if descending else key(r))
    return [r.committee.name for r in ordered] + [r.committee.name for r in rows if key(r) is None]


# --- Sorting the dashboard ----------------------------------------------------------------


def test_without_a_sort_the_committees_keep_the_documents_order(client, demo_year, councillor):
    rows = overview(period_of(demo_year, 8))

    _, body, _ = table_of(page_as(client, councillor, dashboard()).text, "tabell-avvikelser")

    assert names(body) == [r.committee.name for r in rows]
    assert names(body) != sorted(names(body))  # the document's order, not the alphabet's


@pytest.mark.parametrize("column", ["budget", "outcome", "forecast", "deviation"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_amount_column_sorts_the_committees_as_numbers(
    client, demo_year, councillor, column, descending
):
    rows = overview(period_of(demo_year, 8))
    sort = f"-{column}" if descending else column

    _, body, _ = table_of(
        page_as(client, councillor, dashboard(sort=sort)).text, "tabell-avvikelser"
    )

    expected = numeric_order(rows, lambda r: getattr(r, column), descending=descending)
    assert names(body) == expected


def test_amounts_sort_as_numbers_not_as_the_text_they_are_shown_as(client, demo_year, councillor):
    headers, body, _ = table_of(
        page_as(client, councillor, dashboard(sort="budget")).text, "tabell-avvikelser"
    )
    shown = [r[headers.index("Budget")] for r in body]

    as_numbers = [Decimal(s.replace("−", "-").replace(" ", "").replace(",", ".")) for s in shown]
    assert as_numbers == sorted(as_numbers)
    assert shown != sorted(shown)  # "1 213,5" would sort before "−1,0" as text


def test_the_committee_column_sorts_in_the_documents_order_and_back(client, demo_year, councillor):
    rows = overview(period_of(demo_year, 8))
    document = [r.committee.name for r in rows]

    _, ascending, _ = table_of(
        page_as(client, councillor, dashboard(sort="committee")).text, "tabell-avvikelser"
    )
    _, descending, _ = table_of(
        page_as(client, councillor, dashboard(sort="-committee")).text, "tabell-avvikelser"
    )

    assert names(ascending) == document
    assert names(descending) == document[::-1]


@pytest.mark.parametrize("sort", [None, "deviation", "-deviation", "-committee", "forecast"])
def test_the_municipalitys_sum_stays_the_last_row_whatever_the_sort(
    client, demo_year, councillor, sort
):
    period = period_of(demo_year, 8)
    result = municipality_result(period, overview(period))

    _, body, footer = table_of(
        page_as(client, councillor, dashboard(sort=sort)).text, "tabell-avvikelser"
    )

    assert footer[0] == result.label
    assert footer[1:5] == [
        format_mkr(v) for v in (result.budget, result.outcome, result.forecast, result.deviation)
    ]
    assert result.label not in names(body)


def test_a_deviation_column_sorted_descending_puts_the_largest_deficit_last(
    client, demo_year, councillor
):
    _, body, _ = table_of(
        page_as(client, councillor, dashboard(sort="-deviation")).text, "tabell-avvikelser"
    )

    assert names(body)[-1] == "Omsorgsnämnden"  # −11,2 mkr, the demo's largest deficit


def test_the_sort_links_keep_the_chosen_period_and_turn_the_order(client, demo_year, councillor):
    text = page_as(client, councillor, dashboard(month=9, sort="deviation")).text
    table = text.split('id="tabell-avvikelser"')[1].split("</thead>")[0]
    links = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', table)}

    assert "?period=9&sort=-deviation" in links  # the sorted column: the other way
    assert "?period=9&sort=budget" in links
    sorted_header = re.search(
        r'<th scope="col" class="([^"]*)">\s*<a href="\?period=9&amp;sort=-deviation"', table
    )
    assert set(sorted_header[1].split()) == {"num", "orderable", "asc"}  # shown as sorted


def test_an_unknown_sort_is_ignored(client, demo_year, councillor):
    rows = overview(period_of(demo_year, 8))

    _, body, _ = table_of(
        page_as(client, councillor, dashboard(sort="password")).text, "tabell-avvikelser"
    )

    assert names(body) == [r.committee.name for r in rows]


def test_sorting_reads_only_and_costs_no_query_more(
    client, demo_year, finance_officer, django_assert_max_num_queries
):
    # October is open: finance's figures come from the tables, committee by committee.
    client.force_login(finance_officer)
    with django_assert_max_num_queries(60) as unsorted:
        client.get(dashboard(month=10))

    with django_assert_max_num_queries(len(unsorted.captured_queries)) as sorted_:
        response = client.get(dashboard(month=10, sort="-deviation"))

    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in sorted_.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert client.post(dashboard(sort="deviation")).status_code == 405


# --- Sorting the review ---------------------------------------------------------------------


@pytest.mark.parametrize("descending", [False, True])
def test_the_review_sorts_by_deviation_and_keeps_the_sum_last(
    client, demo_year, finance_officer, descending
):
    period = period_of(demo_year, 8)
    rows = overview(period)
    result = municipality_result(period, rows)

    response = page_as(
        client, finance_officer, review(sort="-deviation" if descending else "deviation")
    )
    _, body, footer = table_of(response.text, "tabell-namnder")

    assert names(body) == numeric_order(rows, lambda r: r.deviation, descending=descending)
    assert footer[0] in (result.label, "Kommunen (resultat)")
    assert format_mkr(result.forecast) in footer


def test_the_review_sorts_by_status(client, demo_year, finance_officer):
    # October is open: drafts and a handed-in report.
    rows = overview(period_of(demo_year, 10))
    statuses = [value for value, _ in Report.Status.choices]

    response = page_as(client, finance_officer, review(month=10, sort="status"))
    _, body, _ = table_of(response.text, "tabell-namnder")

    def order(row):
        return -1 if row.report is None else statuses.index(row.report.status)

    assert len({order(r) for r in rows}) > 1  # something to sort
    assert names(body) == [r.committee.name for r in sorted(rows, key=order)]


def test_the_review_has_its_approval_column_only_where_a_report_is_handed_in(
    client, demo_year, finance_officer
):
    open_headers, _, _ = table_of(
        page_as(client, finance_officer, review(month=10)).text, "tabell-namnder"
    )
    published_headers, _, _ = table_of(
        page_as(client, finance_officer, review(month=8)).text, "tabell-namnder"
    )

    assert "Granska" in open_headers  # October has a handed-in report
    assert "Granska" not in published_headers  # August's reports are all approved


def test_approving_from_a_sorted_review_comes_back_to_it_sorted(client, demo_year, finance_officer):
    response = page_as(client, finance_officer, review(month=10, sort="-deviation"))

    assert 'name="next" value="/uppfoljning/2026/10/granskning/?sort=-deviation"' in response.text


def test_sorting_the_review_costs_no_query_more(
    client, demo_year, finance_officer, django_assert_max_num_queries
):
    client.force_login(finance_officer)
    with django_assert_max_num_queries(60) as unsorted:
        client.get(review(month=10))

    with django_assert_max_num_queries(len(unsorted.captured_queries)):
        response = client.get(review(month=10, sort="-forecast"))

    assert response.status_code == 200


# --- Last year's outcome --------------------------------------------------------------------


@pytest.fixture
def last_year(demo_year, finance_officer):
    """Finance's figures for 2025: Bildningsnämnden January–August and the whole year,
    Kommunstyrelsen the whole year only."""
    bildning = Committee.objects.get(code="bildningsnamnden")
    kommunstyrelsen = Committee.objects.get(code="kommunstyrelsen")
    save_previous_year(
        plan=demo_year,
        lines={},
        committees={
            (bildning.pk, 8): Decimal("-340.2") * MKR,
            (bildning.pk, 12): Decimal("-522.4") * MKR,
            (kommunstyrelsen.pk, 12): Decimal("-121.8") * MKR,
        },
        actor=Actor(user=finance_officer),
    )
    return {"Bildningsnämnden": ("−340,2", "−522,4"), "Kommunstyrelsen": ("–", "−121,8")}


def previous_cells(text, table_id):
    headers, body, footer = table_of(text, table_id)
    columns = [i for i, h in enumerate(headers) if h.startswith("Utfall") and "2025" in h]
    return (
        [headers[i] for i in columns],
        {r[0]: tuple(r[i] for i in columns) for r in body},
        [footer[i] for i in columns],
    )


def test_the_dashboard_shows_last_years_outcome_beside_this_years_forecast(
    client, demo_year, councillor, last_year
):
    text = page_as(client, councillor, dashboard(month=8)).text

    headers, cells, footer = previous_cells(text, "tabell-avvikelser")

    assert headers == ["Utfall jan–aug 2025", "Utfall 2025"]
    for name, shown in last_year.items():
        assert cells[name] == shown
    assert cells["Omsorgsnämnden"] == ("–", "–")
    assert footer == ["–", "–"]  # not every committee has one: no sum that misleads
    assert "föregående års utfall som ekonomiavdelningen har registrerat" in text


def test_the_review_shows_last_years_outcome_too(client, demo_year, finance_officer, last_year):
    text = page_as(client, finance_officer, review(month=8)).text

    headers, cells, _ = previous_cells(text, "tabell-namnder")

    assert len(headers) == 2
    assert cells["Bildningsnämnden"] == last_year["Bildningsnämnden"]
    assert reverse("followup:previous_year_figures", kwargs={"year": 2026}) in text  # the source


def test_last_years_outcome_sorts_as_numbers_with_the_missing_last(
    client, demo_year, councillor, last_year
):
    _, body, _ = table_of(
        page_as(client, councillor, dashboard(month=8, sort="previous_year")).text,
        "tabell-avvikelser",
    )

    assert names(body)[:2] == ["Bildningsnämnden", "Kommunstyrelsen"]


def test_a_month_without_last_years_same_months_shows_the_whole_year_only(
    client, demo_year, councillor, last_year
):
    headers, cells, _ = previous_cells(
        page_as(client, councillor, dashboard(month=9)).text, "tabell-avvikelser"
    )

    assert headers == ["Utfall 2025"]
    assert cells["Kommunstyrelsen"] == ("−121,8",)


def test_without_last_years_figures_there_is_no_such_column(client, demo_year, councillor):
    text = page_as(client, councillor, dashboard(month=8)).text

    headers, _, _ = previous_cells(text, "tabell-avvikelser")

    assert headers == []
    assert "föregående års utfall" not in text


def test_the_annual_accounts_compare_with_last_whole_year_once(demo_year):
    december = ReportingPeriod.objects.get(plan=demo_year, month=12)
    figure = {1: PreviousOutcome(to_date=Decimal(5), year=Decimal(5))}

    assert previous_labels(december, figure) == (None, "Utfall 2025")
    assert previous_labels(december, {}) == (None, None)


# --- The paper the page downloads -----------------------------------------------------------


def test_the_august_dashboard_downloads_the_interim_report_by_its_name(
    client, demo_year, councillor
):
    text = page_as(client, councillor, dashboard(month=8)).text

    assert "Ladda ned delårsrapporten (Excel)" in text
    assert "månadsrapporten" not in text


def test_a_months_dashboard_downloads_the_month_report(client, demo_year, councillor):
    text = page_as(client, councillor, dashboard(month=9)).text

    assert "Ladda ned månadsrapporten (Excel)" in text


def test_the_annual_accounts_dashboard_downloads_the_annual_accounts(
    client, demo_year, finance_officer, bildning_controller
):
    december = period_of(demo_year, 12, ReportingPeriod.Status.OPEN)
    assert december.kind == ReportingPeriod.Kind.ANNUAL
    submitted(december, Committee.objects.get(code="bildningsnamnden"), bildning_controller)

    text = page_as(client, finance_officer, dashboard(month=12)).text

    assert "Ladda ned årsbokslutet (Excel, preliminär)" in text
    assert "månadsrapporten" not in text
