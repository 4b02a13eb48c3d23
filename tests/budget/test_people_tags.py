"""{{ user|person }} and {% stamp %}: the people behind a record, as the templates wrote them
by hand."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template

pytestmark = pytest.mark.django_db

BY_HAND = (
    '{{ at|date:"Y-m-d" }}{% if by %} av {{ by.get_full_name|default:by.get_username }}{% endif %}'
)


def render(source, **context):
    return Template("{% load people %}" + source).render(Context(context))


def test_a_person_is_named_by_full_name_or_else_username():
    anna = User.objects.create(username="anna", first_name="Anna", last_name="Berg")
    nameless = User.objects.create(username="controller7")

    assert render("{{ u|person }}", u=anna) == "Anna Berg"
    assert render("{{ u|person }}", u=nameless) == "controller7"


def test_the_stamp_is_the_local_day_and_who_as_written_by_hand():
    # 23:30 UTC on 14 March is already 15 March in Stockholm.
    at = datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)
    anna = User.objects.create(username="anna", first_name="Anna", last_name="Berg")

    stamped = render("{% stamp at by %}", at=at, by=anna)

    assert stamped == "2025-03-15 av Anna Berg"
    assert stamped == Template(BY_HAND).render(Context({"at": at, "by": anna}))


def test_without_anyone_recorded_the_stamp_is_only_the_day():
    at = datetime.datetime(2025, 3, 14, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))

    assert render("{% stamp at by %}", at=at, by=None) == "2025-03-14"
    assert render("{% stamp at %}", at=at) == "2025-03-14"


def test_the_stamp_escapes_the_name():
    at = datetime.date(2025, 3, 14)
    odd = User.objects.create(username="x", first_name="Bo & <Co>")

    stamped = render("{% stamp at by %}", at=at, by=odd)

    assert stamped == "2025-03-14 av Bo &amp; &lt;Co&gt;"
    assert stamped == Template(BY_HAND).render(Context({"at": at, "by": odd}))
