"""What a published period shows (docs/decisions/0020): its record, read by the pages and
downloads of a published period instead of the live tables (``shown_rows``,
``shown_target_share``, ``shown_committee``, ``recorded_paper``), and its corrections.
The records are written by followup.periods.record.

What is read from a record (its committees' rows, each committee's part with its
activities, its paper) is kept in Django's cache under the record's identity
(followup.periods.cache, docs/decisions/0025): a page of a published period reads one
small row of the record's table and then the cache, not the record's figures.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

from followup.models import PeriodRecord, Report, ReportingPeriod
from followup.periods import cache
from followup.reports.as_of import MeasureAsOf, PlanAsOf, open_plans_as_of
from followup.reports.figures import (
    CommitteeRow,
    LineFigures,
    ReportFigures,
    period_overview,
    reports_figures,
)

AMOUNTS = ("budget", "outcome", "forecast", "previous_forecast")
TAX_BASE = ("tax_base_budget", "tax_base_forecast")
LINE_AMOUNTS = ("budget", "budget_to_date", "outcome", "forecast", "previous_forecast")


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


def record_of(period, version: int | None = None) -> PeriodRecord | None:
    """The record a published period shows (its latest version, or ``version``); None for
    a period not published, or published before records were kept."""
    if period.status != ReportingPeriod.Status.PUBLISHED:
        return None
    # The figures and the paper are read through the cache (``_part``), not with the record.
    records = PeriodRecord.objects.filter(period=period).defer("figures", "paper")
    if version is not None:
        return records.filter(version=version).first()
    # A page asks several times (rows, target share, accuracy): read once per period object.
    if not hasattr(period, "_shown_record"):
        period._shown_record = records.order_by("-version").first()
    return period._shown_record


def read_records(periods) -> None:
    """Reads the records the published ones of ``periods`` show, in one query, for
    ``record_of`` (a page of many periods, the dashboard, then reads no record per period)."""
    published = {p.pk: p for p in periods if p.status == ReportingPeriod.Status.PUBLISHED}
    latest = {}
    # Only what the cache's key and the page read: on SQLite a column stored after the
    # figures (paper_name, made_by, …) is reached through the figures' overflow pages.
    for record in (
        PeriodRecord.objects.filter(period_id__in=published)
        .only("id", "period_id", "version", "made_at", "reason", "changes")
        .order_by("period_id", "version")
    ):
        latest[record.period_id] = record
    for pk, period in published.items():
        period._shown_record = latest.get(pk)


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


ROWS = "rows"
PAPER = "paper"


def committee_part(pk) -> str:
    return f"committee:{pk}"


def _parts(record) -> dict:
    figures = PeriodRecord.objects.filter(pk=record.pk).values_list("figures", flat=True).get()
    return _parts_of(figures)


def _parts_of(figures) -> dict:
    """What pages read of a record's figures, part by part (plain JSON data, as
    recorded): "rows", the committees' rows without their activities, and the surplus
    target share; "committee:<id>", a committee's row with its activities' lines."""
    rows = figures["rows"]
    return {
        ROWS: {
            "target_share": figures["target_share"],
            "rows": [{k: v for k, v in row.items() if k != "lines"} for row in rows],
        },
        **{committee_part(row["committee"]["pk"]): row for row in rows},
    }


def keep_in_cache(record) -> None:
    """Puts what the pages read of ``record``, just written, in the cache: the first
    reader after publication finds it there (called when the publishing transaction
    has committed)."""
    # As the database gives them back: JSON's own types (a status is text, not an enum).
    figures = json.loads(json.dumps(record.figures, cls=DjangoJSONEncoder))
    cache.keep(record, {**_parts_of(figures), PAPER: bytes(record.paper)})


def _part(record, part):
    """``part`` of ``record``'s figures (``_parts``), through the cache; read once per
    record object (a page asks for the rows several times)."""
    read = record.__dict__.setdefault("_read_parts", {})
    if part not in read:
        read[part] = cache.remembered(record, part, lambda: _parts(record))
    return read[part]


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
        for data in _part(record, ROWS)["rows"]
        if data["committee"]["pk"] in wanted
    ]


def shown_target_share(period, *, live):
    """The surplus target share ``period``'s result is held to: the recorded one for a
    published period (key facts may change later), else ``live``."""
    record = record_of(period)
    return live if record is None else _decimal(_part(record, ROWS)["target_share"])


def shown_committee(*, period, committee, user) -> CommitteePeriod:
    """``committee`` in ``period`` as its page shows ``user``: the record of a published
    period (its report only where ``user`` may read it: finance every report, others an
    approved one), else the live report, figures and open plan."""
    record = record_of(period)
    if record is not None:
        data = _part(record, committee_part(committee.pk))
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
    content = cache.remembered(record, PAPER, lambda: {PAPER: _paper(record)})
    name = record.paper_name
    if record.is_correction:
        stem, _, suffix = name.rpartition(".")
        name = f"{stem}-rattelse-{record.version - 1}.{suffix}"
    return name, content


def _paper(record) -> bytes:
    return bytes(PeriodRecord.objects.filter(pk=record.pk).values_list("paper", flat=True).get())
