"""What a period page says while the period is not published (followup.periods.preliminary),
and why a period's paper cannot be downloaded yet (followup.papers.paper.refusal)."""

from django import template

from followup.papers import paper
from followup.periods import preliminary
from followup.periods.preliminary import preliminary_state

register = template.Library()


@register.simple_tag
def preliminary_of(period):
    """The period's PreliminaryState; None once it is published."""
    return preliminary_state(period)


@register.simple_tag
def paper_refusal(period) -> str:
    """Why the period's paper cannot be downloaded now; "" when it can."""
    return paper.refusal(period)


@register.filter
def is_preliminary(period) -> bool:
    """Whether the period's figures may still change (not published)."""
    return preliminary.is_preliminary(period)
