"""The budget tables show the adopted budget, as in the document, or the current one.

Adopted = the council's frames (the document's figures); current = adopted + the decided
changes applied during the year. The tables show the adopted budget unless the reader
asks for the current one, and the workbook export always writes the adopted budget, since
its frames sheet is read back as the adopted frames (the document sheets add the changes
to them, each listed in the workbook).
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.models import Activity, BudgetYear, FrameEntry
from budget.money import format_mkr
from budget.reports import document
from budget.reports.snapshot import ADOPTED, CURRENT, PlanSnapshot
from tests.pages import page_as

MKR = Decimal(1_000_000)


class _Cells(HTMLParser):
    """The rows of the first <table> whose class list holds ``css_class``, as cell texts."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.depth, self.rows, self.cell = css_class, 0, [], None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and not self.rows and self.depth == 0 and self.css_class in classes:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_table(text, css_class):
    parser = _Cells(css_class)
    parser.feed(text)
    return [row for row in parser.rows if row]


COMPARISON = reverse("budget:comparison", kwargs={"year": 2026})


@pytest.fixture
def applied_change(plan):
    """KF has moved 1,2 mkr from Kommunstyrelsen to Omsorgsnämnden, applied."""
    budget = BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    for code, amount in (("kommunstyrelsen", Decimal("1.2")), ("omsorgsnamnden", Decimal("-1.2"))):
        FrameEntry.objects.create(
            activity=Activity.objects.get(code=code),
            budget_year=budget,
            kind=FrameEntry.Kind.CHANGE,
            amount=amount * MKR,
            decision="KF 2026-04-27 § 45",
            decided_on=datetime.date(2026, 4, 27),
        )
    return budget


def omsorg_row(snapshot):
    return document.comparison(snapshot).row("omsorgsnamnden").values["budget-2026"]


def test_the_snapshot_gives_adopted_frames_unless_asked_for_current_ones(plan, applied_change):
    assert omsorg_row(PlanSnapshot(plan)) == Decimal("-534.1") * MKR
    assert omsorg_row(PlanSnapshot(plan, basis=ADOPTED)) == Decimal("-534.1") * MKR
    assert omsorg_row(PlanSnapshot(plan, basis=CURRENT)) == Decimal("-535.3") * MKR
    assert PlanSnapshot(plan).changed is True


def test_a_plan_without_changes_is_not_marked_changed(plan):
    assert PlanSnapshot(plan).changed is False


def test_an_unknown_basis_is_refused(plan):
    with pytest.raises(ValueError):
        PlanSnapshot(plan, basis="gissad")


def test_the_comparison_page_shows_the_adopted_budget_with_the_current_one_labelled_beside_it(
    client, councillor, applied_change
):
    response = page_as(client, councillor, COMPARISON)

    table = html_table(response.text, "budget-table")
    headers, omsorg = table[0], next(r for r in table if r[0] == "Omsorgsnämnden")
    adopted = headers.index("Budget 2026")
    assert headers[adopted + 1] == "Aktuell budget 2026 efter beslutade förändringar"
    assert omsorg[adopted] == format_mkr(Decimal("-534.1") * MKR)
    assert omsorg[adopted + 1] == format_mkr(Decimal("-535.3") * MKR)
    assert "Plan 2027" in headers and "Aktuell budget 2027 efter" not in response.text
    assert "Tabellen visar budgeten som den antogs" in response.text
    assert 'aria-current="page">Antagen budget' in response.text


def test_the_comparison_page_lists_the_decided_changes(client, councillor, applied_change):
    response = page_as(client, councillor, COMPARISON)

    rows = html_table(response.text.split('id="forandringar"')[1], "table")
    assert rows[0] == ["Beslut", "Beslutsdatum", "Nämnd", "Verksamhet", "Avser", "Belopp, mkr"]
    assert sorted(rows[1:]) == [
        [
            "KF 2026-04-27 § 45",
            "2026-04-27",
            "Kommunstyrelsen",
            "Kommunstyrelsens verksamhet",
            "Budget 2026",
            "1,2",
        ],
        [
            "KF 2026-04-27 § 45",
            "2026-04-27",
            "Omsorgsnämnden",
            "Omsorgsnämndens verksamhet",
            "Budget 2026",
            "−1,2",
        ],
    ]


def test_without_changes_the_comparison_page_has_no_current_column(client, councillor):
    response = page_as(client, councillor, COMPARISON)

    assert "Aktuell budget 2026" not in response.text
    assert "Beslutade förändringar under året" not in response.text


def test_the_committees_page_shows_the_current_frame_beside_the_adopted_one(
    client, councillor, applied_change
):
    response = page_as(client, councillor, reverse("budget:committees", kwargs={"year": 2026}))

    table = html_table(response.text, "table")
    headers = table[0]
    omsorg = next(r for r in table if r[0] == "Omsorgsnämnden")
    assert omsorg[headers.index("Ram Budget 2026")] == format_mkr(Decimal("-534.1") * MKR)
    current = headers.index("Aktuell ram 2026 efter beslutade förändringar")
    assert omsorg[current] == format_mkr(Decimal("-535.3") * MKR)


def test_the_comparison_page_shows_the_current_budget_when_asked(
    client, councillor, applied_change
):
    response = page_as(client, councillor, COMPARISON + "?budget=aktuell")

    assert format_mkr(Decimal("-535.3") * MKR) in response.text  # Omsorgsnämnden
    assert format_mkr(Decimal("-120.2") * MKR) in response.text  # Kommunstyrelsen
    assert 'aria-current="page">Aktuell budget' in response.text
    assert "skiljer sig därför från dokumentet" in response.text


def test_an_unknown_choice_in_the_address_shows_the_adopted_budget(
    client, councillor, applied_change
):
    response = page_as(client, councillor, COMPARISON + "?budget=<x>")

    assert format_mkr(Decimal("-534.1") * MKR) in response.text


def test_the_committee_page_frames_follow_the_choice(client, councillor, applied_change):
    client.force_login(councillor)
    page = reverse("budget:committee", kwargs={"year": 2026, "code": "omsorgsnamnden"})

    adopted = client.get(page)
    current = client.get(page + "?budget=aktuell")

    frames_table = adopted.text.split("Ramar över åren")[1].split("</table>")[0]
    assert format_mkr(Decimal("-534.1") * MKR) in frames_table
    assert format_mkr(Decimal("-535.3") * MKR) not in frames_table
    current_table = current.text.split("Ramar över åren")[1].split("</table>")[0]
    assert format_mkr(Decimal("-535.3") * MKR) in current_table


def test_the_workbook_export_keeps_the_adopted_frames_apart_from_the_changes(
    client, councillor, applied_change
):
    client.force_login(councillor)

    response = client.get(reverse("budget:export", kwargs={"year": 2026}))

    ws = load_workbook(BytesIO(response.content))["Ramar per verksamhet"]
    headers = [cell.value for cell in ws[2]]
    budget_2026 = headers.index("Budget 2026")
    entries = {}  # activity code -> its figures: the adopted frame first, then the changes
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[1] in ("omsorgsnamnden", "kommunstyrelsen"):
            entries.setdefault(row[1], []).append(Decimal(str(row[budget_2026])))
    assert entries == {
        "omsorgsnamnden": [Decimal("-534.1"), Decimal("-1.2")],
        "kommunstyrelsen": [Decimal("-121.4"), Decimal("1.2")],
    }
