"""The councillor's dashboard in a real browser: the charts are drawn under the
Content-Security-Policy from the vendored Chart.js, beside tables with the same figures."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from budget.models import Role
from tests.e2e.conftest import give_role

CHARTS = ["chart-deviation", "chart-result", "chart-committees", "chart-investments"]


@pytest.fixture
def councillor(demo_year, e2e_user):
    """The demo year (Feb–Sep published); e2e_user a councillor."""
    return give_role(e2e_user, Role.COUNCILLOR)


def test_the_councillors_charts_are_drawn_beside_their_tables(
    councillor, live_server, logged_in_page, tmp_path
):
    page = logged_in_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + reverse("followup:dashboard", kwargs={"year": 2026}))

    expect(page.get_by_role("heading", level=1)).to_contain_text("delårsrapport augusti")
    for chart in CHARTS:
        canvas = page.locator(f'canvas[data-chart="{chart}"]')
        expect(canvas).to_have_attribute("data-drawn", "true")
        # Something is painted: the canvas is not one flat colour.
        colours = canvas.evaluate(
            """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      const seen = new Set();
                      for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2] + ',' + d[i+3]);
                      return seen.size; }"""
        )
        assert colours > 3, chart
    expect(
        page.get_by_role("table", name="Nämndernas budget, prognos och avvikelse")
    ).to_be_visible()
    shot = Path(tmp_path) / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]


def test_the_drill_down_is_reached_from_the_deviation_table(
    councillor, live_server, logged_in_page
):
    page = logged_in_page
    page.goto(live_server.url + reverse("followup:dashboard", kwargs={"year": 2026}))

    page.get_by_role("link", name="Omsorgsnämnden").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Omsorgsnämnden: delårsrapport augusti"
    )
    expect(page.get_by_role("heading", name="Åtgärdsplan")).to_be_visible()


def test_the_councillor_downloads_the_month_report_with_the_dashboards_figures(
    councillor, live_server, logged_in_page, tmp_path
):
    from openpyxl import load_workbook

    from budget.money import format_mkr
    from followup.papers.month_report_workbook import FIRST_ROW, SUMMARY_SHEET

    page = logged_in_page
    page.goto(live_server.url + reverse("followup:dashboard", kwargs={"year": 2026}))
    page.get_by_label("Period", exact=True).select_option(label="Maj (månadsrapport)")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("månadsrapport maj")
    table = page.get_by_role("table", name="Nämndernas budget, prognos och avvikelse")
    shown = {
        row.get_by_role("rowheader").inner_text(): row.get_by_role("cell").all_inner_texts()[:3]
        for row in table.locator("tbody").get_by_role("row").all()
    }

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned månadsrapporten (Excel)").click()
    expect(page.get_by_role("status").filter(has_text="är nedladdad")).to_have_text(
        " Klar: manadsrapport-2026-05.xlsx är nedladdad."
    )
    assert download.value.suggested_filename == "manadsrapport-2026-05.xlsx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    # What the file shows without recalculating: each formula's stored value.
    summary = load_workbook(path, data_only=True)[SUMMARY_SHEET]
    in_workbook = {}
    for row in summary.iter_rows(min_row=FIRST_ROW, max_col=4, values_only=True):
        if row[0] not in shown:
            break
        in_workbook[row[0]] = [
            format_mkr(Decimal(repr(v)) * 1_000_000) if v not in (None, "") else "–"
            for v in row[1:]
        ]
    assert len(shown) > 5
    assert in_workbook == shown
