"""A report's figures are written in bulk: the lines with one statement, their history with
another (COPY on PostgreSQL), whatever the number of lines, and the history is the one
saving each line on its own wrote: the same entries, field by field, in the same order.
"""

from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from budget import audit
from budget.audit import Actor, Area, History, Scope, Source, apply_changes
from budget.models import Activity, AuditEntry
from budget.models.audit import AppendOnlyError
from followup.reports.workbook import read_report_workbook
from followup.reports.workflow import open_report, save_report
from tests.followup.test_report_workbook import DOWNLOAD_URL, edited, set_cell, upload

NOW = datetime(2026, 4, 8, 9, 30, tzinfo=UTC)
ENTRY_FIELDS = [f.attname for f in AuditEntry._meta.concrete_fields if not f.primary_key]
LINE_VALUES = ("activity_id", "outcome", "forecast", "comment")


def with_activities(committee, count, first=10):
    Activity.objects.bulk_create(
        Activity(committee=committee, code=f"verksamhet-{n}", name=f"Verksamhet {n}", position=n)
        for n in range(first, first + count)
    )


@pytest.fixture
def report(march, bildning, bildning_controller):
    """Bildningsnämnden's March draft with four activities, three with figures saved."""
    with_activities(bildning, 3)
    actor = Actor(user=bildning_controller, source=Source.PAGE)
    report = open_report(committee=bildning, period=march, actor=actor)
    ids = dict(report.lines.values_list("activity__code", "activity_id"))
    return save_report(
        report=report,
        row_version=report.row_version,
        values={
            ids["bildningsnamnden"]: (Decimal("-130825500.25"), Decimal("-523300000"), "Plan"),
            ids["verksamhet-10"]: (Decimal("-1000.50"), None, ""),
            ids["verksamhet-11"]: (Decimal("-2000"), Decimal("-8000"), "Vikarier"),
        },
        actor=actor,
    )


def history_of(report):
    """The report lines' history, oldest first, every column but the id."""
    return list(
        AuditEntry.objects.filter(content_type__model="reportline", committee=report.committee)
        .order_by("id")
        .values_list(*ENTRY_FIELDS)
    )


def lines_of(report):
    return sorted(report.lines.values_list(*LINE_VALUES))


def saved_line_by_line(report, values, actor):
    """The change saved as before the bulk save: each line compared and saved on its own
    (``apply_changes``, ``save``), its entries written as model instances."""
    history = History(actor=actor)
    scope = Scope(area=Area.REPORTS, plan=report.period.plan, committee=report.committee)
    lines = {line.activity_id: line for line in report.lines.select_related("activity")}
    for activity_id, (outcome, forecast, comment) in values.items():
        line = lines[activity_id]
        figures = {"outcome": outcome, "forecast": forecast, "comment": comment}
        changed = apply_changes(line, figures, history=history, scope=scope)
        if changed:
            line.save(update_fields=changed)
    history.write()


def by_line_and_by_upload(client, report, controller, edits):
    """(history and lines) after saving the template's change line by line, and after
    uploading it: both from the same report, the first undone before the second."""
    client.force_login(controller)
    template = client.get(DOWNLOAD_URL).content
    for edit in edits:
        template = edited(template, edit)
    values = read_report_workbook(BytesIO(template), report=report).values
    before = len(history_of(report))
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        with transaction.atomic():
            saved_line_by_line(report, values, Actor(user=controller, source=Source.IMPORT))
            expected = (history_of(report)[before:], lines_of(report))
            transaction.set_rollback(True)
        response = upload(client, template)
    assert response.status_code == 302
    return expected, (history_of(report)[before:], lines_of(report))


EDITS = [
    set_cell("bildningsnamnden", "Utfall ackumulerat", -131207.5),  # changed
    set_cell("bildningsnamnden", "Kommentar", "Vikarier under våren"),  # changed comment
    set_cell("verksamhet-10", "Helårsprognos", "−4 000,25"),  # none → figure
    set_cell("verksamhet-11", "Utfall ackumulerat", None),  # figure → none
    set_cell("verksamhet-11", "Kommentar", None),  # comment removed
    set_cell("verksamhet-12", "Utfall ackumulerat", 12.3),  # a line never saved before
]


def test_the_upload_writes_the_history_saving_each_line_alone_wrote_field_by_field(
    client, report, bildning_controller
):
    expected, uploaded = by_line_and_by_upload(client, report, bildning_controller, EDITS)

    expected_history, expected_lines = expected
    history, lines = uploaded
    assert len(expected_history) == 6  # one entry per changed figure or comment
    assert [dict(zip(ENTRY_FIELDS, e, strict=True)) for e in history] == [
        dict(zip(ENTRY_FIELDS, e, strict=True)) for e in expected_history
    ]
    assert lines == expected_lines
    entry = dict(zip(ENTRY_FIELDS, history[0], strict=True))
    assert (entry["user_id"], entry["source"], entry["action"], entry["at"]) == (
        bildning_controller.pk,
        Source.IMPORT,
        AuditEntry.Action.CHANGED,
        NOW,
    )
    assert (entry["field"], entry["old_value"], entry["new_value"]) == (
        "utfall ackumulerat (kr)",
        "-130825500.25",
        "-131207500.00",
    )


def test_saving_a_report_costs_the_same_queries_for_three_lines_as_for_two_hundred(
    march, bildning, bildning_controller
):
    actor = Actor(user=bildning_controller, source=Source.PAGE)

    def queries_to_fill(report):
        values = {
            activity_id: (Decimal(-n), Decimal(-2 * n), f"kommentar {n}")
            for n, activity_id in enumerate(report.lines.values_list("activity_id", flat=True))
        }
        with CaptureQueriesContext(connection) as saved:
            save_report(report=report, row_version=report.row_version, values=values, actor=actor)
        return len(saved), len(values)

    with_activities(bildning, 2)
    few = queries_to_fill(open_report(committee=bildning, period=march, actor=actor))
    with_activities(bildning, 197, first=100)
    many = queries_to_fill(open_report(committee=bildning, period=march, actor=actor))

    assert (few[1], many[1]) == (3, 200)
    assert many[0] == few[0]
    # An entry per figure and comment: the three lines saved first are unchanged the second time.
    assert AuditEntry.objects.filter(content_type__model="reportline").count() == 200 * 3


def test_a_failure_while_writing_the_history_leaves_every_line_as_it_was(
    client, report, bildning_controller
):
    client.force_login(bildning_controller)
    template = edited(
        client.get(DOWNLOAD_URL).content,
        set_cell("bildningsnamnden", "Utfall ackumulerat", -1.5),
    )
    lines, history = lines_of(report), history_of(report)

    with mock.patch.object(audit, "insert_rows", side_effect=DatabaseError("borta")):
        with pytest.raises(DatabaseError):
            upload(client, template)

    assert lines_of(report) == lines
    assert history_of(report) == history


def test_history_written_in_bulk_stays_append_only(client, report, bildning_controller):
    client.force_login(bildning_controller)
    template = edited(
        client.get(DOWNLOAD_URL).content, set_cell("bildningsnamnden", "Kommentar", "Ny")
    )
    upload(client, template)
    written = AuditEntry.objects.filter(source=Source.IMPORT).get()

    with pytest.raises(AppendOnlyError):
        written.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=written.pk).update(new_value="ändrad")
    if connection.vendor == "postgresql":  # the table's own trigger, under the ORM
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE budget_auditentry SET new_value = 'ändrad' WHERE id = %s", [written.pk]
            )
