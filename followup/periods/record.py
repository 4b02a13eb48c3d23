"""What a published period shows, today and in five years (docs/decisions/0020).

Publishing a period writes its record in the same transaction (``write_record``): every
committee's row as the dashboard, the review page and the committee page show it (its
name then, its report's status and times, budget, outcome and forecast, the open action
plan with each measure as followed up by then, each activity's line and comment), the
surplus target share, and the period's paper as the workbook sent. Pages and downloads
of a published period read the record (``shown_rows``, ``shown_committee``,
``recorded_paper``: followup.periods.shown), never the live tables, so a measure added in October, a later
report, a reallocation, a new frame, a renamed committee or user change nothing in it.

A correction after publication is a visible document (``correct_record``): a new version
of the record with who, when, why and what changed against the version before; the
period's pages say it, its paper lists it, and every earlier version stays readable.
"""

import hashlib
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.models import AuditEntry, Committee
from budget.money import format_mkr
from followup.models import PeriodRecord, Report, ReportingPeriod
from followup.papers import paper
from followup.periods.shown import (
    AMOUNTS,
    LINE_AMOUNTS,
    TAX_BASE,
    corrections,
    keep_in_cache,
)
from followup.reports.as_of import PlanAsOf
from followup.reports.figures import (
    CommitteeRow,
    ReportFigures,
    period_overview,
    reports_figures,
    surplus_target_share,
)

SCHEMA = 1
# What a correction compares, committee by committee, with the labels it shows.
COMPARED = (
    ("name", "namn"),
    ("report", "rapport"),
    ("budget", "budget"),
    ("outcome", "utfall"),
    ("forecast", "prognos"),
    ("plan", "åtgärdsplan"),
)


class RecordError(Exception):
    """A correction the period's state does not allow (Swedish message)."""


# Writing ---------------------------------------------------------------------------------


def _text(value):
    """Decimals and times as exact text (the JSON keeps every digit)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _report(report) -> dict | None:
    if report is None:
        return None
    return {
        "pk": report.pk,
        "version": report.version,
        "status": report.status,
        "status_label": report.status_label,
        "submitted_at": _text(report.submitted_at),
        "first_submitted_at": _text(getattr(report, "first_submitted_at", None)),
        "approved_at": _text(report.approved_at),
    }


def _plan(plan: PlanAsOf | None) -> dict | None:
    if plan is None:
        return None
    return {
        "pk": plan.pk,
        "drawn_up_month": plan.drawn_up_month,
        "summary": plan.summary,
        "measures": [
            {
                "description": m.description,
                "expected_effect": _text(m.expected_effect),
                "responsible": m.responsible,
                "due_date": m.due_date.isoformat(),
                "status": m.status,
                "realised_effect": _text(m.realised_effect),
                "comment": m.comment,
            }
            for m in plan.measures
        ],
    }


def _row(row: CommitteeRow, figures: ReportFigures | None) -> dict:
    committee = row.committee
    return {
        "committee": {"pk": committee.pk, "code": committee.code, "name": committee.name},
        "report": _report(row.report),
        **{name: _text(getattr(row, name)) for name in AMOUNTS + TAX_BASE},
        "plan": _plan(row.action_plan),
        "lines": [
            {
                "activity": {
                    "pk": line.activity.pk,
                    "code": line.activity.code,
                    "name": line.activity.name,
                },
                **{name: _text(getattr(line, name)) for name in LINE_AMOUNTS},
                "comment": line.comment,
            }
            for line in (figures.lines if figures else [])
        ],
    }


def figures_of(period) -> dict:
    """The period's figures as the live tables give them now, in the record's form."""
    committees = list(Committee.objects.of_plan(period.plan).with_activities())
    rows = period_overview(period, committees)
    by_report = reports_figures(period, [r.report for r in rows if r.report is not None])
    return {
        "schema": SCHEMA,
        "target_share": _text(surplus_target_share(period.plan)),
        "rows": [_row(r, by_report.get(r.report.pk) if r.report else None) for r in rows],
    }


def _paper_correction(record) -> dict:
    """A correction as the paper's sheet "Rättelser" lists it."""
    by = record.made_by
    return {
        "version": record.version,
        "made_at": timezone.localdate(record.made_at),
        "made_by": (by.get_full_name() or by.get_username()) if by else "",
        "reason": record.reason,
        "changes": record.changes,
    }


def _new_record(period, *, actor: Actor, version: int, reason="", changes=()) -> PeriodRecord:
    """The record's next version: the figures and the paper as the tables give them now
    (a correction's paper lists every correction so far, this one last)."""
    now = timezone.now()
    kept = PeriodRecord(
        period=period,
        version=version,
        made_at=now,
        made_by=actor.person,
        reason=reason,
        changes=list(changes),
        figures=figures_of(period),
    )
    listed = [_paper_correction(c) for c in corrections(period)]
    if kept.is_correction:
        listed.append(_paper_correction(kept))
    content = paper.workbook_bytes(period, today=timezone.localdate(now), corrections=listed)
    kept.paper_name = paper.filename(period)
    kept.paper = content
    kept.paper_sha256 = hashlib.sha256(content).hexdigest()
    kept.save(force_insert=True)
    # Its pages' figures and its paper in the cache once it is there for good.
    transaction.on_commit(partial(keep_in_cache, kept))
    return kept


def write_record(period, *, actor: Actor) -> PeriodRecord:
    """The record of a period being published: called in the publishing transaction,
    with the period already saved as published (its paper says so)."""
    return _new_record(period, actor=actor, version=1)


RECORDED_LATER = (
    "Sparad i efterhand: perioden publicerades innan publicerade uppgifter sparades; "
    "uppgifterna är de som gällde när de sparades."
)


@transaction.atomic
def record_earlier_publications(*, actor: Actor) -> list[PeriodRecord]:
    """Records for the periods published before records were kept (run once at deployment,
    ``manage.py record_published_periods``): each gets a first version of what it shows
    now, saying that it was recorded afterwards, so that nothing changes it from now on."""
    periods = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .filter(status=ReportingPeriod.Status.PUBLISHED)
        .filter(~Exists(PeriodRecord.objects.filter(period=OuterRef("pk"))))
        .select_related("plan__municipality")
        .order_by("plan_id", "month", "id")
    )
    written = []
    for period in periods:
        kept = _new_record(period, actor=actor, version=1, reason=RECORDED_LATER)
        _in_history(
            period,
            actor=actor,
            reason=RECORDED_LATER,
            action=AuditEntry.Action.CREATED,
            label="publicerade uppgifter",
            new="version 1 (sparad i efterhand)",
        )
        written.append(kept)
    return written


@transaction.atomic
def correct_record(*, period, reason: str, actor: Actor) -> PeriodRecord:
    """A correction of a published period: a new version of its record, from the live
    tables as they stand now (e.g. after an approved correction of a report), with the
    reason and what changed. Refused when nothing has changed."""
    reason = (reason or "").strip()
    if not reason:
        raise RecordError("Skriv varför den publicerade perioden rättas.")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != ReportingPeriod.Status.PUBLISHED:
        raise RecordError("Bara en publicerad period rättas; en annan period ändras direkt.")
    previous = PeriodRecord.objects.latest_of(period)
    if previous is None:
        raise RecordError("Perioden publicerades innan publicerade uppgifter sparades.")
    changes = differences(previous.figures, figures_of(period))
    if not changes:
        raise RecordError("Inget har ändrats sedan den publicerade versionen; ingen rättelse.")
    record = _new_record(
        period, actor=actor, version=previous.version + 1, reason=reason, changes=changes
    )
    _in_history(
        period,
        actor=actor,
        reason=reason,
        action=AuditEntry.Action.CHANGED,
        label="rättelse",
        old=f"version {previous.version}",
        new=f"version {record.version}: " + "; ".join(_change_text(c) for c in changes),
    )
    return record


def _in_history(period, *, actor, reason, action, label, new, old=None) -> None:
    """A new version of ``period``'s record, written to the history with its reason."""
    history = History(actor=actor, reason=reason)
    history.add(
        obj=period,
        action=action,
        scope=Scope(area=Area.CALENDAR, plan=period.plan),
        field_label=label,
        old=old,
        new=new,
    )
    history.write()


def _shown(key, row) -> str:
    """A compared value as a reader reads it."""
    if key == "name":
        return row["committee"]["name"]
    if key == "report":
        report = row["report"]
        if report is None:
            return "ingen"
        return f"version {report['version']}, {Report.Status(report['status']).label.lower()}"
    if key == "plan":
        plan = row["plan"]
        if plan is None:
            return "ingen"
        effect = sum((Decimal(m["expected_effect"]) for m in plan["measures"]), Decimal(0))
        return f"{len(plan['measures'])} åtgärder, {format_mkr(effect)} mkr"
    value = row[key]
    return "–" if value is None else f"{format_mkr(Decimal(value))} mkr"


def differences(before: dict, after: dict) -> list[dict]:
    """What changed between two versions' figures, committee by committee: a list of
    {"committee", "what", "old", "new"} in the rows' order."""
    old_rows = {r["committee"]["pk"]: r for r in before["rows"]}
    new_rows = {r["committee"]["pk"]: r for r in after["rows"]}
    changes = []
    for pk in list(old_rows) + [pk for pk in new_rows if pk not in old_rows]:
        old, new = old_rows.get(pk), new_rows.get(pk)
        name = (new or old)["committee"]["name"]
        if old is None or new is None:
            changes.append(
                {
                    "committee": name,
                    "what": "nämnd",
                    "old": "saknades" if old is None else name,
                    "new": "saknas" if new is None else name,
                }
            )
            continue
        for key, label in COMPARED:
            before_text, after_text = _shown(key, old), _shown(key, new)
            if key in ("budget", "outcome", "forecast"):
                differs = old[key] != new[key]
            else:
                differs = before_text != after_text or (key == "plan" and old[key] != new[key])
            if key == "report" and old["lines"] != new["lines"]:
                differs = True
                after_text = after_text + " (ändrade rader)"
            if differs:
                changes.append(
                    {"committee": name, "what": label, "old": before_text, "new": after_text}
                )
    return changes


def _change_text(change) -> str:
    return f"{change['committee']}, {change['what']}: {change['old']} → {change['new']}"
