"""A published period's figures and paper are read through the cache (docs/decisions/0025).

Keyed by the period's published state (its record's id, version and moment), so a
correction is read at once; plain data only, never model objects; a period that is not
published is never cached; figures equal the uncached ones; a failing cache is passed by.
These run on whatever cache the settings give: per-process memory, or Redis with
REDIS_URL (as in CI's PostgreSQL pass; tests/followup/test_published_cache_redis.py holds
what needs Redis itself).
"""

import logging
import pickle

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.audit import Actor
from budget.models import Committee
from followup.models import PeriodRecord, ReportingPeriod
from followup.periods import cache, record, shown
from followup.periods.calendar import set_period_status
from tests.cache import clear_own_keys, own_keys
from tests.followup.periods import period_of
from tests.pages import page_as

AUGUST, OCTOBER = 8, 10
DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
NONE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    """Each test starts with none of this process's keys, and the cache not paused."""
    monkeypatch.setattr(cache, "_paused_until", 0.0)
    clear_own_keys()
    yield
    clear_own_keys()


def pages(month=AUGUST):
    year = {"year": 2026}
    return {
        "dashboard": reverse("followup:dashboard", kwargs=year) + f"?period={month}",
        "review": reverse("followup:review", kwargs={**year, "month": month}),
        "committee": reverse(
            "followup:committee_overview",
            kwargs={**year, "month": month, "code": "bildningsnamnden"},
        ),
        "paper": reverse("followup:month_report", kwargs={**year, "month": month}),
    }


def shown_pages(client, user, month=AUGUST, *, review=True) -> dict:
    """Each page's content (the main part of an HTML page, the paper's bytes); finance's
    review only where ``review``."""
    shown_content = {}
    for name, url in pages(month).items():
        if name == "review" and not review:
            continue
        content = page_as(client, user, url).content
        if name != "paper":
            content = content.decode().split('<main id="innehall"')[1].split("</main>")[0]
        shown_content[name] = content
    return shown_content


def reads_the_record(queries) -> bool:
    """True when a query read a record's figures or paper from the database."""
    return any(
        "followup_periodrecord" in q["sql"] and ('"figures"' in q["sql"] or '"paper"' in q["sql"])
        for q in queries
    )


def committees(plan):
    return list(Committee.objects.of_plan(plan).with_activities())


def test_a_published_periods_pages_are_read_from_the_cache_after_the_first_request(
    client, demo_year, finance_officer
):
    with CaptureQueriesContext(connection) as first_queries:
        first = shown_pages(client, finance_officer)

    with CaptureQueriesContext(connection) as queries:
        again = shown_pages(client, finance_officer)

    assert again == first
    assert reads_the_record(first_queries)
    assert not reads_the_record(queries)
    august = period_of(demo_year, AUGUST)
    kept = shown.record_of(august)
    assert {cache.key(kept, "rows"), cache.key(kept, "paper")} <= set(own_keys())


def test_the_figures_from_the_cache_equal_those_without_a_cache(client, demo_year, finance_officer):
    with override_settings(CACHES=NONE):
        uncached = shown_pages(client, finance_officer)
        period = period_of(demo_year, AUGUST)
        rows = shown.shown_rows(period, committees(demo_year))
    shown_pages(client, finance_officer)  # fills the cache

    assert shown_pages(client, finance_officer) == uncached
    period = period_of(demo_year, AUGUST)
    assert shown.shown_rows(period, committees(demo_year)) == rows
    # What the rows were made from is the record's own figures.
    figures = PeriodRecord.objects.latest_of(period).figures
    assert [r.forecast for r in rows] == [
        None if r["forecast"] is None else shown._decimal(r["forecast"]) for r in figures["rows"]
    ]


def test_a_correction_is_shown_at_once(client, demo_year, councillor, finance_officer):
    before = shown_pages(client, councillor, review=False)  # the cache holds version 1 now
    Committee.objects.filter(code="bildningsnamnden").update(name="Barn- och utbildningsnämnden")

    record.correct_record(
        period=period_of(demo_year, AUGUST),
        reason="Nämnden har bytt namn",
        actor=Actor(user=finance_officer),
    )

    after = shown_pages(client, councillor, review=False)
    assert "Barn- och utbildningsnämnden" not in before["dashboard"]
    for name in ("dashboard", "committee"):
        assert "Barn- och utbildningsnämnden" in after[name]
        assert "Rättad efter publiceringen" in after[name]
    assert after["paper"] != before["paper"]
    # The first version is still read as it was (its own key).
    response = page_as(client, councillor, pages()["paper"] + "?version=1")
    assert response.content == before["paper"]


def test_an_open_period_is_never_cached(client, demo_year, finance_officer):
    october = period_of(demo_year, OCTOBER)
    assert october.status == ReportingPeriod.Status.OPEN

    shown_pages(client, finance_officer, month=OCTOBER)
    shown_pages(client, finance_officer, month=OCTOBER)

    assert not [k for k in own_keys() if f":period:{october.pk}:" in k]
    assert shown.record_of(october) is None


def test_a_closed_period_is_never_cached_either(client, demo_year, finance_officer):
    october = period_of(demo_year, OCTOBER)
    set_period_status(
        period=october, status=ReportingPeriod.Status.CLOSED, actor=Actor(user=finance_officer)
    )

    shown_pages(client, finance_officer, month=OCTOBER)

    assert not [k for k in own_keys() if f":period:{october.pk}:" in k]


def test_the_cache_holds_plain_data_and_no_model_objects(client, demo_year, councillor):
    shown_pages(client, councillor, review=False)
    shown_pages(client, councillor, month=9, review=False)

    from django.core.cache import cache as django_cache

    keys = own_keys()
    assert keys
    for name in keys:
        value = django_cache.get(name)
        assert value is not None, name
        assert cache.is_plain(value), name
        # Nothing in it names a class of the application when pickled.
        assert b"followup" not in pickle.dumps(value) and b"budget." not in pickle.dumps(value)


def test_only_plain_data_can_be_cached(demo_year):
    kept = shown.record_of(period_of(demo_year, AUGUST))

    with pytest.raises(TypeError):
        cache.keep(kept, {"rows": kept})
    with pytest.raises(TypeError):
        cache.keep(kept, {"rows": [ReportingPeriod.Status.OPEN]})  # an enum, not text
    assert cache.is_plain({"a": [None, "1.5", 2, True, b"x", (cache.Decimal("1"),)]})


def test_publishing_puts_the_figures_in_the_cache_when_it_commits(
    demo_year, finance_officer, django_capture_on_commit_callbacks
):
    october = period_of(demo_year, OCTOBER)
    actor = Actor(user=finance_officer)
    set_period_status(period=october, status=ReportingPeriod.Status.CLOSED, actor=actor)

    with django_capture_on_commit_callbacks(execute=True):
        set_period_status(period=october, status=ReportingPeriod.Status.PUBLISHED, actor=actor)

    october = period_of(demo_year, OCTOBER)
    with CaptureQueriesContext(connection) as queries:
        rows = shown.shown_rows(october, committees(demo_year))
        name, paper = shown.recorded_paper(october)
    assert not reads_the_record(queries)
    kept = PeriodRecord.objects.latest_of(october)
    assert paper == bytes(kept.paper)
    assert [r.committee.pk for r in rows] == [r["committee"]["pk"] for r in kept.figures["rows"]]


def test_a_cache_that_fails_is_passed_by_and_the_pages_still_work(
    client, demo_year, finance_officer, caplog
):
    expected = shown_pages(client, finance_officer)

    with override_settings(CACHES=DOWN), caplog.at_level(logging.WARNING):
        shown_content = shown_pages(client, finance_officer)

    assert shown_content == expected
    assert "The cache failed" in caplog.text
    # Paused after the failure: the next requests do not wait for the cache again.
    assert not cache._available()
