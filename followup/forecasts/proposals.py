"""Forecast proposals for a report: one per activity, for the report form to show beside
the forecast field (never filled in by itself).

A proposal for a month reads three things of an activity. Its year's frames, profile
and the report's own figures are read afresh on each request (``history.
report_figures``). The rest is the costly part and the same for every request of a
committee and month until one of the committee's earlier reports changes: each
activity's track record (how each method did in the earlier years,
``choice.track_record``: six years of lines, every method on every month), last year's
outcomes by month (``methods.last_year``) and this year's outcomes and forecasts before
the month (``methods.last_forecast``). That is computed once and kept in Django's cache
(followup.periods.cache: plain data, a failing cache passed by) under a key made of the
committee, the year, the month and the (id, row version, moment of creation) of each
report it rests on, which each request reads with its own figures: a correction, an
approved December report, any save or change of status there is a new key, and nothing
is ever invalidated. A process also keeps the few entries it read last, converted
(``MEMO``): a key always stands for the same figures.

Queries (besides ``report.period``): three when the earlier figures are kept (the lines
with the reports' versions, the profiles, the frames); six when they are not (and all
the years' lines, profiles and frames), whatever the number of activities.
"""

import dataclasses
import hashlib
from collections import OrderedDict
from contextlib import suppress
from decimal import Decimal

from followup.forecasts.choice import Choice, TrackRecord, choice, propose, track_record
from followup.forecasts.history import activity_years, report_figures
from followup.forecasts.methods import ActivityYear
from followup.periods import cache

# How many earlier years a proposal learns from (and one more: last year's pattern of
# the earliest of them).
HISTORY_YEARS = 5
# The form of what is kept (``plain``): raised when it changes, so that a new release
# never reads an entry an older one wrote.
SHAPE = 1
# How many entries a process keeps converted (one per committee and month reported).
MEMO = 64
_memo: OrderedDict = OrderedDict()


def history_years(year: int) -> range:
    return range(year - HISTORY_YEARS - 1, year + 1)


def earlier_years(year: int) -> range:
    """The years a proposal for ``year`` learns from: ``history_years`` before it."""
    return range(year - HISTORY_YEARS - 1, year)


@dataclasses.dataclass(frozen=True)
class Earlier:
    """What an activity's proposal for a month takes from before the month."""

    chosen: Choice  # the method its track record in the earlier years chooses
    last_year: ActivityYear | None = None  # its outcomes by month and for the year
    outcomes: dict = dataclasses.field(default_factory=dict)  # this year's, by month
    forecasts: dict = dataclasses.field(default_factory=dict)


NOTHING = Earlier(chosen=choice(TrackRecord()))


def proposals_for(report) -> dict:
    """activity id → Proposal for each of the report's activities that has anything to go
    on: its outcome to date as saved in ``report``, the year's earlier reports, the
    activity's earlier years (kept between requests: the module's doc). The same
    proposals as ``propose`` on ``activity_years(history_years(year), report=report)``."""
    year, month = report.period.year, report.period.month
    now, versions = report_figures(report, earlier_years(year))
    earlier = earlier_figures(report, versions)
    proposals = {}
    for activity_id, this_year in now.items():
        before = earlier.get(activity_id, NOTHING)
        years = {
            year: ActivityYear(
                year=year,
                budgets=this_year.budgets,
                shares=this_year.shares,
                profiled=this_year.profiled,
                outcomes=before.outcomes | this_year.outcomes,
                forecasts=before.forecasts | this_year.forecasts,
            )
        }
        if before.last_year is not None:
            years[year - 1] = before.last_year
        proposal = propose(years, year, month, chosen=before.chosen)
        if proposal is not None:
            proposals[activity_id] = proposal
    return proposals


def earlier_figures(report, versions: list) -> dict:
    """activity id → Earlier for ``report``'s committee and month: from this process's
    memo or the cache under a key made of ``versions`` (``history.report_figures``),
    else computed from all the years (three queries) and kept. Empty without an earlier
    report: nothing is known before the month."""
    if not versions:
        return {}
    name = key(report, versions)
    remembered = _memo.get(name)
    if remembered is not None:
        with suppress(KeyError):  # another thread may have let it go meanwhile
            _memo.move_to_end(name)
        return remembered
    kept = cache.kept(name, lambda: plain(report))
    converted = {int(pk): _converted(report.period.year, *figures) for pk, figures in kept.items()}
    _memo[name] = converted
    if len(_memo) > MEMO:
        _memo.popitem(last=False)
    return converted


def plain(report) -> dict:
    """What ``earlier_figures`` keeps for ``report``'s committee and month, as plain data:
    activity id as text → [its ``TrackRecord.plain`` or None, last year's [{month:
    outcome to date}, the year's outcome] or None, this year's [{month: outcome to
    date}, {month: forecast}] before the month], months and amounts as text; the
    activities without any of them left out."""
    year, month = report.period.year, report.period.month
    years = activity_years([report.committee_id], history_years(year), report=report)
    kept = {}
    for activity_id, by_year in years.items():
        record, before, now = track_record(by_year, year), by_year.get(year - 1), by_year.get(year)
        last_year = None
        if before is not None and before.final is not None:
            last_year = [_text(before.outcomes), str(before.final)]
        this_year = [{}, {}]
        if now is not None:
            this_year = [_text(now.outcomes, before=month), _text(now.forecasts, before=month)]
        if record.years or last_year or any(this_year):
            kept[str(activity_id)] = [
                record.plain() if record.years else None,
                last_year,
                this_year,
            ]
    return kept


def _text(by_month: dict, before: int = 13) -> dict:
    return {str(m): str(amount) for m, amount in by_month.items() if m < before}


def _amounts(by_month: dict) -> dict:
    return {int(m): Decimal(amount) for m, amount in by_month.items()}


def _converted(year: int, record, last_year, this_year) -> Earlier:
    before = None
    if last_year is not None:
        outcomes, final = last_year
        before = ActivityYear(year=year - 1, outcomes=_amounts(outcomes), final=Decimal(final))
    outcomes, forecasts = this_year
    return Earlier(
        chosen=choice(TrackRecord.from_plain(record) if record else TrackRecord()),
        last_year=before,
        outcomes=_amounts(outcomes),
        forecasts=_amounts(forecasts),
    )


def key(report, versions: list) -> str:
    """``forecasts:1:committee:3:2026-10:<digest of the versions of the reports before>``."""
    digest = hashlib.blake2b(repr(sorted(versions)).encode(), digest_size=16).hexdigest()
    period = report.period
    return (
        f"forecasts:{SHAPE}:committee:{report.committee_id}:{period.year}-{period.month}:{digest}"
    )
