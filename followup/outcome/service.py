"""Loading a file of outcome into a period's reports: every committee of the preview that
can be loaded gets all of its rows, the others none."""

import logging
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.models import Activity, AuditEntry
from budget.money import format_tkr
from followup.models import OutcomeImport, ReportingPeriod
from followup.outcome import files
from followup.outcome.preview import (
    Preview,
    StalePreview,
    check_period,
    left_out,
    preview_outcome,
    report_state,
    working_report,
)
from followup.outcome.problems import OutcomeFileError, OutcomeProblem, Problems
from followup.reports import workflow

logger = logging.getLogger(__name__)


def import_outcome(
    *,
    period,
    fileobj,
    file_name: str,
    file_format: str | None = None,
    actor: Actor,
    expected: str | None = None,
    max_bytes: int = files.MAX_BYTES,
    now=None,
) -> OutcomeImport:
    """Read the file and load what its preview says can be loaded (``import_data``)."""
    data = files.read_upload(fileobj, max_bytes=max_bytes)
    return import_data(
        period=period,
        data=data,
        file_name=file_name,
        file_format=file_format,
        actor=actor,
        expected=expected,
        now=now,
    )


def import_data(
    *, period, data: bytes, file_name: str, file_format=None, actor: Actor, expected=None, now=None
) -> OutcomeImport:
    """Save the file's outcome in the reports of the committees its preview loads, in one
    transaction.

    For each such committee, its working report is opened (created as a draft if there is
    none) and saved with the new outcome of every activity; forecasts and comments stay as
    they are. The file is the committee's whole outcome: an activity of that committee
    without rows gets 0. Committees left out by the preview, and committees without rows,
    are not touched.

    ``expected``: the fingerprint of the preview that was confirmed; when the preview of the
    file is not that one now, StalePreview is raised and nothing is saved.

    Returns the saved OutcomeImport; its ``committees`` and ``skipped`` attributes (not
    stored) are the preview's loaded and left-out committees. Raises OutcomeFileError
    listing every problem (in Swedish) when nothing can be loaded; then nothing is saved.
    """
    try:
        preview = preview_outcome(
            period=period, data=data, file_name=file_name, file_format=file_format
        )
    except OutcomeFileError as exc:
        if expected is None:
            raise
        raise StalePreview(exc.problems) from exc
    if expected is not None and preview.fingerprint != expected:
        raise StalePreview()
    try:
        with transaction.atomic():
            return _save(preview, actor=actor, now=now or timezone.now())
    except DatabaseError as exc:
        # The checks above cover what the database would refuse; this is the last line.
        logger.exception("Outcome file passed the checks but could not be saved")
        raise OutcomeFileError(
            [OutcomeProblem("Utfallet kunde inte sparas; ingenting har ändrats.")]
        ) from exc


def _save(preview: Preview, *, actor, now) -> OutcomeImport:
    outcome = preview.outcome
    period = (
        ReportingPeriod.objects.select_for_update().select_related("plan").get(pk=preview.period.pk)
    )
    problems = Problems()
    check_period(period, problems)
    problems.raise_if_any()
    for entry in preview.imported:
        committee = entry.committee
        if report_state(working_report(committee, period)) != entry.report:
            raise StalePreview()
        try:
            report = workflow.open_report(committee=committee, period=period, actor=actor)
            if entry.report is None and report.saved_at is not None:
                raise StalePreview()  # created and saved by someone else in the meantime
            lines = list(report.lines.all())
            ids = {line.activity_id for line in lines}
            in_file = Activity.objects.filter(committee=committee, pk__in=outcome.amounts)
            if set(in_file.values_list("pk", flat=True)) - ids or len(ids) != entry.activities:
                raise StalePreview()  # an activity added or removed since the preview
            values = {
                line.activity_id: (
                    outcome.amounts.get(line.activity_id, Decimal(0)),
                    line.forecast,
                    line.comment,
                )
                for line in lines
            }
            workflow.save_report(
                report=report,
                row_version=entry.report[2] if entry.report else report.row_version,
                values=values,
                actor=actor,
                now=now,
            )
        except workflow.WorkflowError as exc:
            raise StalePreview([OutcomeProblem(f"{committee.name}: {exc}")]) from exc
    record = OutcomeImport.objects.create(
        period=period,
        file_name=preview.file_name,
        file_format=preview.file_format,
        sha256=preview.sha256,
        rows=preview.rows,
        activities=preview.activities,
        total=preview.total,
        imported_at=now,
        imported_by=actor.person,
    )
    listed = left_out(preview.skipped, preview.skipped_rows)
    history = History(actor=actor, at=now)
    history.add(
        obj=record,
        action=AuditEntry.Action.CREATED,
        scope=Scope(area=Area.OUTCOME, plan=period.plan),
        new=(
            f"{record.get_file_format_display()}, {record.rows} rader, {record.activities} "
            f"verksamheter, summa {record.total} kr, SHA-256 {preview.sha256}"
            + (f"; lästes inte in: {listed}" if listed else "")
        ),
    )
    history.write()
    record.committees = preview.imported
    record.skipped = preview.skipped
    record.skipped_rows = preview.skipped_rows
    return record


def summary(record: OutcomeImport) -> str:
    """ "Utfallet för mars 2026 är inläst från ”utfall.csv” (CSV): 12 rader, …" and what
    was left out."""
    period = record.period
    committees = getattr(record, "committees", [])
    text = (
        f"Utfallet för {period.month_name} {period.year} är inläst från ”{record.file_name}” "
        f"({record.get_file_format_display()}): {record.rows} rader, {record.activities} "
        f"verksamheter i {len(committees)} nämnder, summa {format_tkr(record.total)} tkr."
    )
    listed = left_out(getattr(record, "skipped", []), getattr(record, "skipped_rows", []))
    return f"{text} Lästes inte in: {listed}." if listed else text
