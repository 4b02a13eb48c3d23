"""The dashboard's charts tell every series apart (static/js/charts.js): each line of a chart
has a colour of its own from a colour-blind-safe palette, drawn at least 3:1 against white,
and its own dash pattern or marker, so the lines are told apart without colour too."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from budget.models import Role
from tests.e2e.conftest import give_role

LINE_CHARTS = ["chart-result", "chart-committees"]


@pytest.fixture
def councillor(demo_year, e2e_user):
    return give_role(e2e_user, Role.COUNCILLOR)


def contrast_on_white(hex_colour):
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("chart", LINE_CHARTS)
def test_every_line_of_a_chart_has_its_own_colour_and_its_own_look(
    councillor, live_server, logged_in_page, chart
):
    page = logged_in_page
    page.goto(live_server.url + reverse("followup:dashboard", kwargs={"year": 2026}))
    canvas = page.locator(f'canvas[data-chart="{chart}"]')
    expect(canvas).to_have_attribute("data-drawn", "true")

    series = canvas.evaluate(
        """c => Chart.getChart(c).data.datasets.map(d => ({
               label: d.label, colour: d.borderColor,
               look: JSON.stringify([d.borderDash || [], d.pointStyle]) }))"""
    )

    assert len(series) >= 3
    colours = [s["colour"].upper() for s in series]
    assert len(set(colours)) == len(series), colours
    looks = [s["look"] for s in series]
    assert len(set(looks)) == len(series), looks
    for s in series:
        assert contrast_on_white(s["colour"]) >= 3, s
