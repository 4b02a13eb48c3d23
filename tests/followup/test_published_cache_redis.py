"""With REDIS_URL, published periods' figures and papers are cached in Redis, shared by
every process (docs/decisions/0025). Skipped without REDIS_URL; CI sets REDIS_URL and
REQUIRE_REDIS=1 on its PostgreSQL pass, and then a missing REDIS_URL fails instead."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from followup.periods import cache, shown
from tests.cache import clear_own_keys, own_keys
from tests.followup.periods import period_of
from tests.pages import page_as

AUGUST = 8


def _required() -> bool:
    return os.environ.get("REQUIRE_REDIS", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(autouse=True)
def redis_cache(monkeypatch):
    """The settings' Redis cache, with none of this process's keys."""
    if not os.environ.get("REDIS_URL"):
        message = "REDIS_URL not set: the tests against a Redis server are skipped"
        if _required():
            pytest.fail(f"{message} (REQUIRE_REDIS=1 makes this a failure)", pytrace=False)
        pytest.skip(message)
    monkeypatch.setattr(cache, "_paused_until", 0.0)
    clear_own_keys()
    yield caches["default"]
    clear_own_keys()


def test_with_redis_url_the_cache_is_redis_under_the_workers_prefix(redis_cache):
    assert isinstance(redis_cache, RedisCache)
    assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert redis_cache.make_key("x").startswith(f"test-{worker}:")


def test_another_process_reads_what_one_process_cached(client, demo_year, councillor):
    url = reverse("followup:month_report", kwargs={"year": 2026, "month": AUGUST})
    paper = page_as(client, councillor, url).content
    page_as(client, councillor, reverse("followup:dashboard", kwargs={"year": 2026}))
    kept = shown.record_of(period_of(demo_year, AUGUST))

    other_worker = caches.create_connection("default")  # its own connections, as a worker's

    assert other_worker.get(cache.key(kept, "paper")) == paper
    rows = other_worker.get(cache.key(kept, "rows"))
    assert [r["committee"]["pk"] for r in rows["rows"]] == [
        r["committee"]["pk"] for r in kept.figures["rows"]
    ]


def test_entries_expire_so_that_redis_gives_the_memory_back(client, demo_year, councillor):
    page_as(client, councillor, reverse("followup:dashboard", kwargs={"year": 2026}))
    keys = own_keys()
    assert keys

    client_ = caches["default"]._cache.get_client(write=False)
    ttls = [client_.ttl(caches["default"].make_key(name)) for name in keys]
    assert all(0 < ttl <= cache.TIMEOUT for ttl in ttls)
