"""What pages derive from a published period, kept in Django's cache (docs/decisions/0025).

A published period shows its record (followup.periods.shown, docs/decisions/0020), and a
record never changes: a correction is a new version. So what is read from a record is
kept under a key made of the record's identity, the period's published state: the
period, the record's id and version and the moment it was written
(``published:1:period:7:record:31:v2:1790000000123456:rows``). A correction is a new key
and the next request reads it; nothing is ever invalidated, and no figure can be stale.
Entries expire after ``TIMEOUT`` only to give the memory back.

What is kept is plain data (``PLAIN``: dicts, lists and tuples of text, whole numbers,
Decimals, bytes, booleans and None), never model instances: a cache shared between
processes and releases holds no pickled objects whose class may change. ``remembered``
refuses anything else. A period that is not published has no record and is never
cached: its figures change with every save.

The cache helps and is never needed: when it fails (Redis down or slow) the failure is
logged, the value is computed as without a cache, and the cache is left alone for
``PAUSE`` seconds so that each request does not wait for it again.
"""

import logging
import time
from collections.abc import Callable
from decimal import Decimal

from django.core.cache import cache

logger = logging.getLogger(__name__)

# The form of what is kept: raised when it changes, so that a new release never reads
# an entry an older one wrote.
SHAPE = 1
TIMEOUT = 7 * 24 * 60 * 60  # seconds
PAUSE = 30.0  # seconds without the cache after it failed
PLAIN = (str, int, bool, Decimal, bytes, type(None))

_MISSING = object()
_paused_until = 0.0


def key(record, part: str) -> str:
    """The key of ``part`` ("rows", "committee:12", "paper") of ``record`` (a
    PeriodRecord): the period's published state, so a correction is a new key."""
    written = int(record.made_at.timestamp() * 1_000_000)
    return (
        f"published:{SHAPE}:period:{record.period_id}:record:{record.pk}:"
        f"v{record.version}:{written}:{part}"
    )


def is_plain(value) -> bool:
    """True when ``value`` is made of plain data only (``PLAIN``, in dicts with text
    keys, lists and tuples), nothing of any other class."""
    kind = type(value)  # exactly: a str or int subclass (an enum of a model) is not plain
    if kind in PLAIN:
        return True
    if kind is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    if kind in (list, tuple):
        return all(is_plain(v) for v in value)
    return False


def remembered(record, part: str, parts: Callable[[], dict]):
    """``part`` of ``record``, from the cache; on a miss ``parts()`` computes it with
    its siblings (part name → plain value), all of which are kept at once."""
    found = _get(key(record, part))
    if found is not _MISSING:
        return found
    computed = parts()
    keep(record, computed)
    return computed.get(part)


def keep(record, parts: dict) -> None:
    """Keeps ``parts`` (part name → plain value) of ``record``; refuses anything but
    plain data (a programming error, raised whether or not the cache works)."""
    for name, value in parts.items():
        _refuse_unless_plain(name, value)
    _set_many({key(record, name): value for name, value in parts.items()})


def kept(name: str, compute: Callable[[], object]):
    """The plain value kept under ``name``, else ``compute()``'s, kept for the next
    request. ``name`` is made of everything the value rests on, as ``key`` is of a
    record (followup.forecasts.proposals: the track records of a committee's earlier
    years), so that a change is a new key and nothing is ever invalidated."""
    found = _get(name)
    if found is not _MISSING:
        return found
    value = compute()
    _refuse_unless_plain(name, value)
    _set_many({name: value})
    return value


def _refuse_unless_plain(name: str, value) -> None:
    if not is_plain(value):
        raise TypeError(f"Only plain data is cached, not {name}: {type(value).__name__}")


def _available() -> bool:
    return time.monotonic() >= _paused_until


def _failed(action: str) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE
    logger.warning(
        "The cache failed (%s); published figures are computed without it for %d s.",
        action,
        PAUSE,
        exc_info=True,
    )


def _get(name: str):
    if not _available():
        return _MISSING
    try:
        return cache.get(name, _MISSING)
    except Exception:  # any failure of the cache: compute instead
        _failed("get")
        return _MISSING


def _set_many(values: dict) -> None:
    if not _available():
        return
    try:
        cache.set_many(values, timeout=TIMEOUT)
    except Exception:  # any failure of the cache: the value is computed anyway
        _failed("set")
