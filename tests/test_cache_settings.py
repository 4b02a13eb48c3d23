"""The cache's settings: per-process memory by default, Redis when REDIS_URL is set
(docs/decisions/0025-cache-of-published-periods.md)."""

from tests.test_settings import fresh_process

SHOW_CACHE = (
    "import django; django.setup(); from django.conf import settings; "
    "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION'))"
)


def cache_with(env):
    return fresh_process(
        ["-c", SHOW_CACHE],
        env | {"DJANGO_SETTINGS_MODULE": "hedemora.settings"},
        unset=("REDIS_URL",),
    )


def test_without_redis_url_each_process_caches_in_its_own_memory():
    result = cache_with({})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_with_redis_url_the_cache_is_djangos_redis_backend():
    result = cache_with({"REDIS_URL": "redis://127.0.0.1:6379/4"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/4",
    ]


def test_a_redis_url_that_is_not_one_is_refused():
    result = cache_with({"REDIS_URL": "127.0.0.1:6379"})

    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr
