"""The report workflow: draft → submitted → approved, or returned → draft again.

Each action is a keyword-only function: it locks the report row, checks the
transition, changes the report, writes its history in the same transaction and
raises ``WorkflowError`` (a Swedish message) when the step is not allowed.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.concurrency import check_version
from budget.models import AuditEntry
from followup import four_eyes
from followup.models import Measure, Report, ReportingPeriod, ReportLine, ReportNote
from followup.reports.figures import report_figures

Action = AuditEntry.Action
# What a save changes on a report line, in the order of its values (outcome, forecast, comment).
LINE_FIELDS = ("outcome", "forecast", "comment")


class WorkflowError(Exception):
    """A step the report's state or the user's rights do not allow."""


class StaleReport(WorkflowError):
    """Someone else saved the report after this user opened it."""


def _saved_since(report) -> StaleReport:
    who = report.saved_by.get_username() if report.saved_by else "någon annan"
    return StaleReport(
        f"Rapporten har sparats av {who} efter att du öppnade den. Dina uppgifter har inte "
        "sparats; de står kvar i formuläret så att du kan jämföra och spara igen."
    )


def _scope(report) -> Scope:
    return Scope(area=Area.REPORTS, plan=report.period.plan, committee=report.committee)


def _lock(report) -> Report:
    return (
        Report.objects.select_for_update().select_related("period", "committee").get(pk=report.pk)
    )


def _status_change(history, report, old, new):
    history.add(
        obj=report,
        action=Action.CHANGED,
        scope=_scope(report),
        field_label="status",
        old=old,
        new=new,
    )


def _set_status(report, status, **fields) -> None:
    """Move the locked ``report`` to ``status`` with ``fields``: one write, a new row version."""
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)
    report.row_version += 1
    report.save(update_fields=["status", *fields, "row_version"])


def _working_report(committee, period) -> Report | None:
    return (
        Report.objects.select_for_update()
        .filter(
            committee=committee,
            period=period,
            status__in=Report.EDITABLE + (Report.Status.SUBMITTED,),
        )
        .order_by("-version", "id")
        .first()
    )


def _activities(committee):
    return committee.activities.order_by("position", "id")


@transaction.atomic
def open_report(*, committee, period, actor: Actor) -> Report:
    """The committee's working report for the period, created as a draft if there is none.

    Called by what saves figures (the first save on the page, the outcome import, the demo),
    never by a page's GET. Two people opening the report at the same moment get the same
    report: the unique constraint lets one of them create it and the other reads it back
    (on PostgreSQL the second insert waits for the first transaction and then fails).
    """
    if period.status != ReportingPeriod.Status.OPEN:
        raise WorkflowError("Perioden är inte öppen för rapportering.")
    existing = _working_report(committee, period)
    if existing is None:
        try:
            with transaction.atomic():
                if not Report.objects.filter(committee=committee, period=period).exists():
                    return _create_report(committee=committee, period=period, actor=actor)
        except IntegrityError:
            pass  # created by someone else in the meantime: read theirs
        # Either a report was created since the look-up above (read it), or every report
        # of the period is approved.
        existing = _working_report(committee, period)
        if existing is None:
            raise WorkflowError("Rapporten är redan godkänd; gör en rättelse för att ändra den.")
    add_missing_lines(existing)
    return existing


def _create_report(*, committee, period, actor) -> Report:
    report = Report.objects.create(committee=committee, period=period)
    ReportLine.objects.bulk_create(
        ReportLine(report=report, activity=a) for a in _activities(committee)
    )
    history = History(actor=actor)
    history.add(obj=report, action=Action.CREATED, scope=_scope(report), new="Utkast")
    history.write()
    return report


def add_missing_lines(report) -> int:
    """Give an editable report a line for each activity added to the committee since the
    report was opened (part of a save, never of a GET). Returns how many were added."""
    if not report.is_editable:
        return 0
    present = set(report.lines.values_list("activity_id", flat=True))
    missing = [a for a in _activities(report.committee) if a.pk not in present]
    ReportLine.objects.bulk_create(ReportLine(report=report, activity=a) for a in missing)
    return len(missing)


def form_lines(*, committee, report) -> list[ReportLine]:
    """The lines a report's form shows, read only: the report's own lines and, while the
    report can be edited (or is not started: ``report`` unsaved), an empty unsaved line for
    each of the committee's activities that has none yet. The next save creates them."""
    lines = list(report.lines.select_related("activity")) if report.pk is not None else []
    if report.pk is not None and not report.is_editable:
        return lines
    present = {line.activity_id for line in lines}
    lines += [ReportLine(activity=a) for a in _activities(committee) if a.pk not in present]
    return sorted(lines, key=lambda line: (line.activity.position, line.pk is None, line.pk or 0))


@transaction.atomic
def save_report(*, report, row_version: int, values: dict, actor: Actor, now=None) -> Report:
    """Save the lines of a draft. ``values``: activity id → (outcome, forecast, comment).

    ``report`` unsaved (``Report(committee=…, period=…)``, as the page shows a report nobody
    has started) is the first save: the report is opened now, in this transaction. Refused
    with StaleReport when the report was saved by someone else since ``row_version`` was
    read (a report not started yet has the version a new report gets): nothing is
    overwritten silently.
    """
    if report.pk is None:
        report = open_report(committee=report.committee, period=report.period, actor=actor)
    report = _lock(report)
    check_version(shown=row_version, current=report.row_version, stale=lambda: _saved_since(report))
    if not report.is_editable:
        raise WorkflowError(
            f"Rapporten är {report.get_status_display().lower()} och kan inte ändras."
        )
    add_missing_lines(report)
    history = History(actor=actor)
    lines = {line.activity_id: line for line in report.lines.select_related("activity")}
    if any(activity_id not in lines for activity_id in values):
        raise WorkflowError("Verksamheten hör inte till nämndens rapport.")
    changed = history.add_changes(
        (
            (lines[activity_id], dict(zip(LINE_FIELDS, figures, strict=True)))
            for activity_id, figures in values.items()
        ),
        scope=_scope(report),
    )
    _write_lines(changed)  # an unchanged line is not written again (an upload has thousands)
    report.row_version += 1
    report.saved_at = now or timezone.now()
    report.saved_by = actor.user
    report.save(update_fields=["row_version", "saved_at", "saved_by"])
    history.write()
    return report


def _write_lines(lines) -> None:
    """Write the figures of changed report lines as each line's ``save(update_fields=…)``
    would, without a round trip per line: on PostgreSQL one UPDATE from the lines' values
    as arrays (``unnest``), elsewhere one UPDATE executed for every line (``executemany``)."""
    if not lines:
        return
    meta = ReportLine._meta
    fields = [meta.get_field(name) for name in LINE_FIELDS]
    quote = connection.ops.quote_name
    # Names from the model's own metadata, quoted; every value a parameter.
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    rows = [
        [*(f.get_db_prep_save(getattr(line, f.attname), connection) for f in fields), line.pk]
        for line in lines
    ]
    if connection.vendor == "postgresql":
        columns = [*fields, meta.pk]
        arrays = ", ".join(f"%s::{c.db_type(connection)}[]" for c in columns)
        names = ", ".join(quote(c.column) for c in columns)
        assignments = ", ".join(f"{quote(f.column)} = new.{quote(f.column)}" for f in fields)
        sql = (
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS new ({names}) "  # noqa: S608
            f"WHERE {table}.{pk} = new.{pk}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def missing_figures(report) -> list[str]:
    """What must be filled in before the report can be submitted, in Swedish."""
    problems = []
    for line in report.lines.select_related("activity"):
        if line.outcome is None and report.period.asks_outcome:
            problems.append(f"{line.activity.name}: utfall saknas.")
        if line.forecast is None and report.period.asks_forecast:
            problems.append(f"{line.activity.name}: helårsprognos saknas.")
    return problems


def _note(report, *, kind, text, actor: Actor, at) -> ReportNote:
    """Add a note to the report's thread (``report`` saved, at its new row version)."""
    return ReportNote.objects.create(
        report=report,
        kind=kind,
        text=text,
        written_at=at,
        written_by=actor.person,
        author=actor.label[:150],
        report_version=report.version,
        row_version=report.row_version,
    )


def _text(value) -> str:
    return (value or "").strip()


def _late_correction(report) -> bool:
    """A correction of an approved report in a closed or published period: it is handed in
    and approved as any report; a published period shows it once finance corrects the
    period (followup.periods.record.correct_record)."""
    return report.corrects_id is not None and report.period.status in (
        ReportingPeriod.Status.CLOSED,
        ReportingPeriod.Status.PUBLISHED,
    )


@transaction.atomic
def submit_report(
    *, report, actor: Actor, now=None, comment: str = "", shortfall_reason: str = ""
) -> Report:
    """Hand the report in. Its first submission is kept (``first_submitted_at``, set once):
    that is what decides whether the report was late, however often it is returned and
    submitted again. ``comment``: an optional answer to finance, added to the thread.

    An action plan that covers less than the deviation, or has measures past their date,
    is handed in only with ``shortfall_reason``: why, kept in the history with what fell
    short."""
    comment = _text(comment)
    shortfall_reason = _text(shortfall_reason)
    report = _lock(report)
    if not report.is_editable:
        raise WorkflowError(
            f"Rapporten är {report.get_status_display().lower()}; den kan inte lämnas in."
        )
    if report.period.status != ReportingPeriod.Status.OPEN and not _late_correction(report):
        raise WorkflowError("Perioden är stängd; rapporten kan inte lämnas in.")
    problems = missing_figures(report)
    if problems:
        raise WorkflowError("Rapporten är inte komplett: " + " ".join(problems))
    figures = report_figures(report)
    if figures.needs_action_plan and not _has_action_plan(report):
        raise WorkflowError(
            "Nämnden prognostiserar en negativ avvikelse mot budget och ska upprätta en "
            "åtgärdsplan med minst en åtgärd innan rapporten lämnas in."
        )
    now = now or timezone.now()
    short = plan_shortfalls(report, figures, today=timezone.localdate(now))
    if short and not shortfall_reason:
        raise WorkflowError(
            f"Åtgärdsplanen räcker inte: {' och '.join(short)}. Skriv varför rapporten "
            "lämnas in ändå."
        )
    reason = comment
    if short:
        reason = f"Inlämnad trots att {' och '.join(short)}: {shortfall_reason}" + (
            f" {comment}" if comment else ""
        )
    history = History(actor=actor, reason=reason)
    _status_change(history, report, report.get_status_display(), "Inlämnad")
    first = {} if report.first_submitted_at is not None else {"first_submitted_at": now}
    _set_status(report, Report.Status.SUBMITTED, submitted_at=now, submitted_by=actor.user, **first)
    if comment:
        _note(report, kind=ReportNote.Kind.ANSWER, text=comment, actor=actor, at=now)
    history.write()
    return report


def plan_shortfalls(report, figures=None, *, today) -> list[str]:
    """How the committee's action plan falls short of the report's negative deviation
    (followup.reports.actions.shortfalls); [] when no plan is needed or it suffices."""
    from followup.reports.actions import plan_for, shortfalls

    figures = figures or report_figures(report)
    if not figures.needs_action_plan:
        return []
    plan = plan_for(committee=report.committee, period=report.period)
    return shortfalls(plan, figures.deviation, today=today)


def _has_action_plan(report) -> bool:
    from followup.reports.actions import plan_for

    plan = plan_for(committee=report.committee, period=report.period)
    return plan is not None and plan.measures.exclude(status=Measure.Status.CANCELLED).exists()


def approval_check(*, report, user, municipality=None) -> four_eyes.Check:
    """Four eyes for approving ``report``: not by whoever submitted it or last changed it
    (unless the municipality's single-officer exception is on). ``municipality``: the
    report's, when the caller has it at hand."""
    return four_eyes.check(
        user=user,
        hands=[
            (report.submitted_by_id, "lämnade in rapporten"),
            (report.saved_by_id, "ändrade rapporten senast"),
        ],
        municipality=municipality or report.committee.municipality,
        step="godkänna rapporten",
        who_else="en annan person på ekonomiavdelningen godkänner den",
    )


@transaction.atomic
def approve_report(*, report, actor: Actor, now=None, comment: str = "") -> Report:
    """Approve a submitted report, with an optional note to the thread. Never by the person
    who submitted or last changed it (four eyes), unless the municipality's single-officer
    exception is on: then its use is written in the history."""
    comment = _text(comment)
    report = _lock(report)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError("Bara en inlämnad rapport kan godkännas.")
    check = approval_check(report=report, user=actor.person)
    if not check.allowed:
        raise WorkflowError(check.refusal)
    now = now or timezone.now()
    history = History(actor=actor, reason=comment)
    four_eyes.record_use(history, obj=report, scope=_scope(report), check=check)
    if report.corrects_id is not None:
        previous = Report.objects.select_for_update().get(pk=report.corrects_id)
        _status_change(history, previous, previous.get_status_display(), "Ersatt av rättelse")
        previous.status = Report.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    _status_change(history, report, "Inlämnad", "Godkänd")
    _set_status(report, Report.Status.APPROVED, approved_at=now, approved_by=actor.user)
    if comment:
        _note(report, kind=ReportNote.Kind.APPROVAL, text=comment, actor=actor, at=now)
    history.write()
    return report


@transaction.atomic
def return_report(*, report, comment: str, actor: Actor, now=None) -> Report:
    """Send a submitted report back to the committee; the reason opens or continues the
    report's thread. The report keeps its first submission: a return never makes it late."""
    comment = _text(comment)
    if not comment:
        raise WorkflowError("Skriv varför rapporten skickas tillbaka.")
    report = _lock(report)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError("Bara en inlämnad rapport kan skickas tillbaka.")
    now = now or timezone.now()
    history = History(actor=actor, reason=comment)
    _status_change(history, report, "Inlämnad", "Återskickad")
    _set_status(report, Report.Status.RETURNED)
    _note(report, kind=ReportNote.Kind.RETURN, text=comment, actor=actor, at=now)
    history.write()
    return report


@transaction.atomic
def add_note(*, report, text: str, actor: Actor, now=None) -> ReportNote:
    """A note in the report's thread (a question, an answer) outside the workflow's steps.
    Who may write one is the page's check (the committee's controllers and finance); a
    published period's reports are a record and take no new notes."""
    text = _text(text)
    if not text:
        raise WorkflowError("Skriv anteckningen innan du sparar den.")
    if report.pk is None:
        raise WorkflowError("Rapporten är inte påbörjad; spara den först.")
    report = _lock(report)
    if report.period.status == ReportingPeriod.Status.PUBLISHED:
        raise WorkflowError(
            "Perioden är publicerad; rapportens tråd ändras inte i efterhand. En rättelse görs "
            "med en ny version av rapporten."
        )
    now = now or timezone.now()
    note = _note(report, kind=ReportNote.Kind.NOTE, text=text, actor=actor, at=now)
    history = History(actor=actor, at=now)
    history.add(obj=note, action=Action.CREATED, scope=_scope(report), new=text)
    history.write()
    return note


@transaction.atomic
def correct_report(*, report, actor: Actor, reason: str) -> Report:
    """A new draft version of an approved report; the approved one stays until the
    correction is approved."""
    report = _lock(report)
    if report.status != Report.Status.APPROVED:
        raise WorkflowError("Bara en godkänd rapport rättas med en ny version.")
    if Report.objects.filter(corrects=report).exists():
        raise WorkflowError("Det finns redan en rättelse av rapporten.")
    correction = Report.objects.create(
        committee=report.committee,
        period=report.period,
        version=report.version + 1,
        corrects=report,
        # The committee reported when the corrected version was first submitted: a
        # correction is shown as a new version, never as a late report.
        first_submitted_at=report.first_submitted_at,
    )
    ReportLine.objects.bulk_create(
        ReportLine(
            report=correction,
            activity_id=line.activity_id,
            outcome=line.outcome,
            forecast=line.forecast,
            comment=line.comment,
        )
        for line in report.lines.all()
    )
    history = History(actor=actor, reason=reason)
    history.add(
        obj=correction,
        action=Action.CREATED,
        scope=_scope(report),
        new=f"Rättelse (version {correction.version}) av godkänd rapport",
    )
    history.write()
    return correction
