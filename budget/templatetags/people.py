"""How the pages name the people behind a record.

``{{ user|person }}`` is the user's full name, or the username where none is set.

``{% stamp reallocation.created_at reallocation.created_by %}`` says when and by whom:
``2025-03-14 av Anna Berg``, or only the date where nobody is recorded. The date is the local
day, as ``{{ value|date:"Y-m-d" }}`` renders it; the text is escaped as ``{{ value }}`` is.
"""

from django import template
from django.template.defaultfilters import date
from django.utils.timezone import template_localtime

register = template.Library()


@register.filter
def person(user):
    """The user's full name, or the username where none is set."""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def stamp(at, by=None):
    """``<date> av <person>``: the day something was done and, when recorded, who did it."""
    day = date(template_localtime(at), "Y-m-d")
    return f"{day} av {person(by)}" if by else day
