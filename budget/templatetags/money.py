"""Template filters for amounts: every figure on a page is formatted here, via budget.money."""

from django import template

from budget import money

register = template.Library()


@register.filter
def mkr(kronor):
    """Kronor as mkr with one decimal in Swedish format: "−1 207,5"."""
    return money.format_mkr(kronor)


@register.filter
def tkr(kronor):
    """Kronor as tkr without decimals in Swedish format: "−130 825"."""
    return money.format_tkr(kronor)


@register.filter
def percent(fraction, places=1):
    return money.format_percent(fraction, int(places))


@register.filter
def number(value):
    return money.format_number(value)


@register.filter
def minus(a, b):
    """a − b, or None when either is missing (for a difference shown with |mkr)."""
    return None if a is None or b is None else a - b


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def cell(row, key):
    """A BudgetTable row's figure in a column, formatted for its unit."""
    value = row.values.get(key)
    return money.format_percent(value) if row.unit == "procent" else money.format_mkr(value)


@register.filter
def fact_value(fact):
    """A key fact with its unit: "22,16 %", "15 110 invånare", "74,0 mkr", "3 år"."""
    if fact.unit == "kr":
        return f"{money.format_mkr(fact.value)} mkr"
    if fact.unit == "procent":
        places = min(2, max(0, -fact.value.normalize().as_tuple().exponent))
        return f"{money.format_number(fact.value, places)}{money.NBSP}%"
    unit = fact.get_unit_display()
    return f"{money.format_number(fact.value)}{money.NBSP}{unit}"
