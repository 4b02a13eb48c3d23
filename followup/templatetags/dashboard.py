"""Look-ups the dashboard's tables need in a template."""

from django import template

register = template.Library()


@register.filter
def deviation_of(period_figures, committee):
    """The committee's deviation in one period's figures (followup.dashboard.overview.PeriodFigures)."""
    row = period_figures.row_of(committee)
    return None if row is None else row.deviation


@register.filter
def percent_number(fraction) -> str:
    """A share as the per-cent figure a form shows back: 0,2345 → "23,5" ("" for none)."""
    from budget import money

    if fraction is None:
        return ""
    return money.format_number(money.round_half_up(fraction * 100, 1), 1)
