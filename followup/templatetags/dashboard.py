"""Look-ups the dashboard's tables need in a template."""

from django import template

register = template.Library()


@register.filter
def deviation_of(period_figures, committee):
    """The committee's deviation in one period's figures (followup.dashboard.PeriodFigures)."""
    row = period_figures.row_of(committee)
    return None if row is None else row.deviation
