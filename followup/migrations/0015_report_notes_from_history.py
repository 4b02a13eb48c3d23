"""Backfill the first submission of every report, and turn return comments into the thread.

- ``first_submitted_at``: the earliest history entry that moved the report to "Inlämnad";
  without one, ``submitted_at``. A correction keeps the first submission of the report it
  corrects (the committee reported then; a correction is never late).
- Every return recorded in the history (status → "Återskickad", with its reason) becomes a
  note in the report's thread, by whom and when it was written; a ``return_comment`` that no
  history entry holds (data entered before the history) becomes a note too.
"""

from django.db import migrations


def _entries(apps, report_type):
    AuditEntry = apps.get_model("budget", "AuditEntry")
    if report_type is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(content_type=report_type, field="status").order_by("at", "id")


def forwards(apps, schema_editor):
    Report = apps.get_model("followup", "Report")
    ReportNote = apps.get_model("followup", "ReportNote")
    ContentType = apps.get_model("contenttypes", "ContentType")
    report_type = ContentType.objects.filter(app_label="followup", model="report").first()
    submitted, returns = {}, {}
    for entry in _entries(apps, report_type):
        if entry.new_value == "Inlämnad":
            submitted.setdefault(entry.object_id, entry.at)
        elif entry.new_value == "Återskickad":
            returns.setdefault(entry.object_id, []).append(entry)
    first = {}
    for report in Report.objects.order_by("version", "id"):
        at = submitted.get(str(report.pk)) or report.submitted_at
        if report.corrects_id is not None and first.get(report.corrects_id) is not None:
            at = first[report.corrects_id]
        first[report.pk] = at
        if at is not None:
            report.first_submitted_at = at
            report.save(update_fields=["first_submitted_at"])
        texts = set()
        for entry in returns.get(str(report.pk), []):
            text = entry.reason.strip()
            if not text:
                continue
            texts.add(text)
            ReportNote.objects.create(
                report=report,
                kind="aterskickning",
                text=text,
                written_at=entry.at,
                written_by_id=entry.user_id,
                author=entry.actor,
                report_version=report.version,
            )
        comment = report.return_comment.strip()
        if comment and comment not in texts:
            ReportNote.objects.create(
                report=report,
                kind="aterskickning",
                text=comment,
                written_at=report.saved_at or report.submitted_at or report.created_at,
                author="Okänd (före rapportens tråd)",
                report_version=report.version,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0014_report_first_submission_and_notes"),
        ("budget", "0003_audit_trail"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
