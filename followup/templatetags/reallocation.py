"""How a reallocation line reads on a page: its sign in words, and the convention itself."""

from django import template

from followup.reallocations import workflow as reallocations

register = template.Library()


@register.filter
def effect(line) -> str:
    """ "Får 1 200,0 tkr" or "Lämnar 1 200,0 tkr"."""
    return reallocations.effect(line)


@register.simple_tag
def sign_convention() -> str:
    return reallocations.SIGN_CONVENTION


@register.simple_tag
def sign_hint() -> str:
    return reallocations.SIGN_HINT
