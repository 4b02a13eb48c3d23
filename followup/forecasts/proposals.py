"""Forecast proposals for a report: one per activity, for the report form to show beside
the forecast field (never filled in by itself).

What the earlier years give a proposal is the costly part and the same for every request
of a committee and year: each activity's track record (how each method did in those
years, ``choice.track_record``: six years of lines, every method on every month) and
last year's outcomes by month (``methods.last_year``). Those years' outcomes are final,
so that is computed once and kept in Django's cache (followup.periods.cache: plain data,
a failing cache passed by) under a key made of the committee, the year and the (id, row
version, moment of creation) of each of the committee's reports in the earlier years,
which each request reads with its own figures: a correction, an approved December report
or any save there is a new key, and nothing is ever invalidated. A request reads only
what its month's estimates need of its own year (``history.recent_years``), the earlier
years only when the key is new.

Queries (besides ``report.period``): three when the earlier years are kept (the lines
with the earlier reports' versions, the profiles, the frames) or when the committee has
no earlier report; six when they are not (and the earlier years' lines, profiles and
frames), whatever the number of activities.
"""

import hashlib
from decimal import Decimal

from followup.forecasts.choice import TrackRecord, propose, track_record
from followup.forecasts.history import activity_years, recent_years
from followup.forecasts.methods import ActivityYear
from followup.periods import cache

# How many earlier years a proposal learns from (and one more: last year's pattern of
# the earliest of them).
HISTORY_YEARS = 5
# The form of what is kept (``plain``): raised when it changes, so that a new release
# never reads an entry an older one wrote.
SHAPE = 1


def history_years(year: int) -> range:
    return range(year - HISTORY_YEARS - 1, year + 1)


def earlier_years(year: int) -> range:
    """The years a proposal for ``year`` learns from: ``history_years`` before it."""
    return range(year - HISTORY_YEARS - 1, year)


def proposals_for(report) -> dict:
    """activity id → Proposal for each of the report's activities that has anything to go
    on: its outcome to date as saved in ``report``, the year's earlier reports, the
    activity's earlier years (kept between requests: the module's doc). The same
    proposals as ``propose`` on ``activity_years(history_years(year), report=report)``."""
    year, month = report.period.year, report.period.month
    years, versions = recent_years(report, earlier_years(year))
    earlier = earlier_figures(report.committee_id, year, versions)
    proposals = {}
    for activity_id, by_year in years.items():
        if year not in by_year:
            continue
        record, last_year = earlier.get(activity_id, (TrackRecord(), None))
        if last_year is not None:
            by_year = by_year | {year - 1: last_year}
        proposal = propose(by_year, year, month, record=record)
        if proposal is not None:
            proposals[activity_id] = proposal
    return proposals


def earlier_figures(committee_id: int, year: int, versions: list) -> dict:
    """activity id → (its TrackRecord before ``year``, last year as ``methods.last_year``
    reads it or None) for the committee's activities, from the cache under a key made of
    ``versions`` (``history.recent_years``), else computed from the earlier years (three
    queries) and kept. Empty without an earlier report: nothing is known of those years."""
    if not versions:
        return {}
    kept = cache.kept(key(committee_id, year, versions), lambda: plain(committee_id, year))
    return {int(pk): _figures(year, *figures) for pk, figures in kept.items()}


def plain(committee_id: int, year: int) -> dict:
    """What ``earlier_figures`` keeps, as plain data: activity id as text → [its
    ``TrackRecord.plain`` or None, last year's [{month: outcome to date}, the year's
    outcome] or None], amounts as text; the activities without either are left out."""
    kept = {}
    for activity_id, by_year in activity_years([committee_id], earlier_years(year)).items():
        record, before = track_record(by_year, year), by_year.get(year - 1)
        last_year = None
        if before is not None and before.final is not None:
            outcomes = {str(month): str(amount) for month, amount in before.outcomes.items()}
            last_year = [outcomes, str(before.final)]
        if record.years or last_year:
            kept[str(activity_id)] = [record.plain() if record.years else None, last_year]
    return kept


def _figures(year: int, record, last_year) -> tuple:
    record = TrackRecord.from_plain(record) if record else TrackRecord()
    if last_year is None:
        return record, None
    outcomes, final = last_year
    before = ActivityYear(
        year=year - 1,
        outcomes={int(month): Decimal(amount) for month, amount in outcomes.items()},
        final=Decimal(final),
    )
    return record, before


def key(committee_id: int, year: int, versions: list) -> str:
    """``forecasts:1:committee:3:year:2026:<digest of the earlier reports' versions>``."""
    digest = hashlib.blake2b(repr(sorted(versions)).encode(), digest_size=16).hexdigest()
    return f"forecasts:{SHAPE}:committee:{committee_id}:year:{year}:{digest}"
