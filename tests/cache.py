"""The cache as the tests see it: each test process keeps its keys under its own prefix
(tests/settings.py), so pytest-xdist's workers may share one Redis server; these helpers
read and empty only the calling process's keys."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


def _redis(backend):
    return backend._cache.get_client(write=True)


def own_keys() -> list[str]:
    """The keys this process has in the default cache, as the application names them
    (without the prefix and version Django adds)."""
    backend = caches["default"]
    start = backend.make_key("")
    if isinstance(backend, RedisCache):
        found = [k.decode() for k in _redis(backend).scan_iter(match=f"{start}*")]
    elif isinstance(backend, LocMemCache):
        found = list(backend._cache)
    else:
        return []
    return [k.removeprefix(start) for k in found if k.startswith(start)]


def clear_own_keys() -> None:
    """Empties this process's part of the default cache (on Redis, the other workers'
    keys stay: a FLUSHDB would empty theirs too)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = _redis(backend)
        keys = list(client.scan_iter(match=f"{backend.make_key('')}*"))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()
