"""What a published period shows, today and in five years (docs/decisions/0020).

Publishing a period writes its record in the same transaction (``write_record``): every
committee's row as the dashboard, the review page and the committee page show it (its
name then, its report's status and times, budget, outcome and forecast, the open action
plan with each measure as followed up by then, each activity's line and comment), the
surplus target share, and the period's paper as the workbook sent. Pages and downloads
of a published period read the record (``shown_rows``, ``shown_committee``,
``recorded_paper``), never the live tables, so a measure added in October, a later
report, a reallocation, a new frame, a renamed committee or user change nothing in it.

A correction after publication is a visible document (``correct_record``): a new version
of the record with who, when, why and what changed against the version before; the
period's pages say it, its paper lists it, and every earlier version stays readable.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.models import AuditEntry, Committee
from budget.money import format_mkr
from followup.models import PeriodRecord, Report, ReportingPeriod
from followup.papers import paper
from followup.reports.as_of import MeasureAsOf, PlanAsOf, open_plans_as_of
from followup.reports.figures import (
    CommitteeRow,
    LineFigures,
    ReportFigures,
    period_overview,
    reports_figures,
    surplus_target_share,
)

SCHEMA = 1
AMOUNTS = ("budget", "outcome", "forecast", "previous_forecast")
TAX_BASE = ("tax_base_budget", "tax_base_forecast")
LINE_AMOUNTS = ("budget", "budget_to_date", "outcome", "forecast", "previous_forecast")
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


@dataclass(frozen=True)
class Named:
    """A committee or activity as it was named when the record was written."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class RecordedReport:
    """A report as it stood when the record was written."""

    pk: int
    version: int
    status: str
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    approved_at: datetime | None
    status_label: str  # as pages said it then, e.g. "Inlämnad igen"

    def get_status_display(self) -> str:
        return Report.Status(self.status).label

    @property
    def is_approved(self) -> bool:
        return self.status == Report.Status.APPROVED


@dataclass
class CommitteePeriod:
    """A committee in a period as its page shows it."""

    name: str  # the committee's name then
    report: object  # Report or RecordedReport; None: none the viewer may see
    figures: ReportFigures | None
    plan: PlanAsOf | None


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


# Reading ---------------------------------------------------------------------------------


def record_of(period, version: int | None = None) -> PeriodRecord | None:
    """The record a published period shows (its latest version, or ``version``); None for
    a period not published, or published before records were kept."""
    if period.status != ReportingPeriod.Status.PUBLISHED:
        return None
    records = PeriodRecord.objects.filter(period=period).defer("paper")
    if version is not None:
        return records.filter(version=version).first()
    # A page asks several times (rows, target share, accuracy): read once per period object.
    if not hasattr(period, "_shown_record"):
        period._shown_record = records.order_by("-version").first()
    return period._shown_record


def corrections(period) -> list[PeriodRecord]:
    """The corrections of a published period, oldest first (none: as published)."""
    if period.status != ReportingPeriod.Status.PUBLISHED:
        return []
    return list(
        PeriodRecord.objects.filter(period=period, version__gt=1)
        .defer("paper", "figures")
        .select_related("made_by")
        .order_by("version")
    )


def corrected_periods(plan) -> set:
    """The ids of ``plan``'s periods corrected after publication."""
    return set(
        PeriodRecord.objects.filter(period__plan=plan, version__gt=1).values_list(
            "period_id", flat=True
        )
    )


def _decimal(text):
    return None if text is None else Decimal(text)


def _time(text):
    return None if text is None else datetime.fromisoformat(text)


def _recorded_report(data) -> RecordedReport | None:
    if data is None:
        return None
    return RecordedReport(
        pk=data["pk"],
        version=data["version"],
        status=data["status"],
        submitted_at=_time(data["submitted_at"]),
        first_submitted_at=_time(data.get("first_submitted_at")),
        approved_at=_time(data["approved_at"]),
        status_label=data.get("status_label") or Report.Status(data["status"]).label,
    )


def _recorded_plan(data) -> PlanAsOf | None:
    if data is None:
        return None
    return PlanAsOf(
        pk=data["pk"],
        drawn_up_month=data["drawn_up_month"],
        summary=data["summary"],
        measures=[
            MeasureAsOf(
                description=m["description"],
                expected_effect=Decimal(m["expected_effect"]),
                responsible=m["responsible"],
                due_date=datetime.fromisoformat(m["due_date"]).date(),
                status=m["status"],
                realised_effect=_decimal(m["realised_effect"]),
                comment=m["comment"],
            )
            for m in data["measures"]
        ],
    )


def _recorded_row(data, period) -> CommitteeRow:
    return CommitteeRow(
        committee=Named(**data["committee"]),
        period=period,
        report=_recorded_report(data["report"]),
        action_plan=_recorded_plan(data["plan"]),
        **{name: _decimal(data[name]) for name in AMOUNTS + TAX_BASE},
    )


def shown_rows(period, committees) -> list[CommitteeRow]:
    """The committees' rows of ``period`` as its pages show them: a published period's
    record (the committees of ``committees`` that it holds, in its order), else the live
    tables (``figures.period_overview``)."""
    record = record_of(period)
    if record is None:
        return period_overview(period, committees)
    wanted = {c.pk for c in committees}
    return [
        _recorded_row(data, period)
        for data in record.figures["rows"]
        if data["committee"]["pk"] in wanted
    ]


def shown_target_share(period, *, live):
    """The surplus target share ``period``'s result is held to: the recorded one for a
    published period (key facts may change later), else ``live``."""
    record = record_of(period)
    return live if record is None else _decimal(record.figures["target_share"])


def shown_committee(*, period, committee, user) -> CommitteePeriod:
    """``committee`` in ``period`` as its page shows ``user``: the record of a published
    period (its report only where ``user`` may read it: finance every report, others an
    approved one), else the live report, figures and open plan."""
    record = record_of(period)
    if record is not None:
        data = next(
            (r for r in record.figures["rows"] if r["committee"]["pk"] == committee.pk), None
        )
        if data is None:
            return CommitteePeriod(name=committee.name, report=None, figures=None, plan=None)
        report = _recorded_report(data["report"])
        if report is not None and not _may_read(user, report):
            report = None
        figures = None
        if report is not None:
            figures = ReportFigures(
                report=report,
                lines=[
                    LineFigures(
                        activity=Named(**line["activity"]),
                        comment=line["comment"],
                        **{name: _decimal(line[name]) for name in LINE_AMOUNTS},
                    )
                    for line in data["lines"]
                ],
            )
        return CommitteePeriod(
            name=data["committee"]["name"],
            report=report,
            figures=figures,
            plan=_recorded_plan(data["plan"]),
        )
    report = (
        Report.objects.current()
        .visible_to(user)
        .filter(period=period, committee=committee)
        .select_related("period", "committee")
        .first()
    )
    figures = reports_figures(period, [report])[report.pk] if report else None
    plan = open_plans_as_of(period, [committee]).get(committee.pk)
    return CommitteePeriod(name=committee.name, report=report, figures=figures, plan=plan)


def _may_read(user, report: RecordedReport) -> bool:
    """A recorded report is read by whoever may read it in a published period
    (``Report.objects.visible_to``): an approved one by every role, any by finance and
    the committee's controllers. Recorded approval counts, since a later correction
    supersedes the report in the tables but not in the record."""
    return report.is_approved or Report.objects.visible_to(user).filter(pk=report.pk).exists()


def recorded_paper(period, version: int | None = None):
    """(filename, bytes) of a published period's paper as sent, or None (not published,
    or published before records were kept: the paper is made from the tables)."""
    record = record_of(period, version)
    if record is None:
        return None
    content = PeriodRecord.objects.filter(pk=record.pk).values_list("paper", flat=True).get()
    name = record.paper_name
    if record.is_correction:
        stem, _, suffix = name.rpartition(".")
        name = f"{stem}-rattelse-{record.version - 1}.{suffix}"
    return name, bytes(content)
