"""A conversation per report: return reasons, the controller's answers and the approver's
notes form a thread on the report (who, when, which version), append-only, shown on the report
page, on finance's review page and in the committee's sheet of the month report."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor
from budget.models import AppendOnlyError, AuditEntry
from followup.models import ReportingPeriod, ReportNote
from followup.papers.month_report_workbook import COMMITTEES_SHEET, THREAD_HEADING, workbook_bytes
from followup.reports.workflow import (
    WorkflowError,
    add_note,
    approve_report,
    return_report,
    submit_report,
)
from tests.database import assert_refused_by_the_database, require_postgresql
from tests.followup.reports import submitted
from tests.pages import page_as

REPORT = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})

REVIEW = reverse("followup:review", kwargs={"year": 2026, "month": 3})
RETURNED_AT = datetime.datetime(2026, 4, 12, 9, tzinfo=datetime.UTC)


@pytest.fixture
def conversation(march, bildning, bildning_controller, finance_officer):
    """Submitted, returned with a reason, submitted again with an answer, approved with a note."""
    report = submitted(march, bildning, bildning_controller)
    report = return_report(
        report=report,
        comment="Förklara prognosen för grundskolan.",
        actor=Actor(user=finance_officer),
        now=RETURNED_AT,
    )
    report = submit_report(
        report=report,
        actor=Actor(user=bildning_controller),
        comment="42 fler elever än budgeterat.",
    )
    return approve_report(
        report=report, actor=Actor(user=finance_officer), comment="Tack, tydligt."
    )


def test_the_thread_keeps_every_step_with_who_when_and_which_version(
    conversation, bildning_controller, finance_officer
):
    notes = list(conversation.notes.order_by("written_at", "id"))

    assert [(n.kind, n.text, n.written_by) for n in notes] == [
        ("aterskickning", "Förklara prognosen för grundskolan.", finance_officer),
        ("svar", "42 fler elever än budgeterat.", bildning_controller),
        ("godkannande", "Tack, tydligt.", finance_officer),
    ]
    assert notes[0].written_at == RETURNED_AT
    assert {n.report_version for n in notes} == {1}
    assert notes[0].row_version < notes[1].row_version < notes[2].row_version


def test_the_return_reason_stays_on_the_report_page_after_the_report_is_submitted_again(
    client, conversation, bildning_controller
):
    response = page_as(client, bildning_controller, REPORT)

    assert [n.text for n in response.context["thread"]] == [
        "Förklara prognosen för grundskolan.",
        "42 fler elever än budgeterat.",
        "Tack, tydligt.",
    ]
    assert "Förklara prognosen för grundskolan." in response.text
    assert "Rapportens tråd" in response.text


def test_a_return_without_a_reason_is_refused_and_writes_nothing(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller)

    with pytest.raises(WorkflowError, match="Skriv varför rapporten skickas tillbaka"):
        return_report(report=report, comment="  ", actor=Actor(user=finance_officer))

    assert not ReportNote.objects.exists()


def test_the_review_page_shows_each_committees_thread(client, conversation, finance_officer):
    response = page_as(client, finance_officer, REVIEW)

    [row] = [r for r in response.context["rows"] if r["row"].committee.code == "bildningsnamnden"]
    assert [n.kind for n in row["thread"]] == ["aterskickning", "svar", "godkannande"]
    assert "42 fler elever än budgeterat." in response.text


def test_the_month_reports_committee_sheet_holds_the_thread(march, conversation):
    wb = load_workbook(BytesIO(workbook_bytes(march, today=datetime.date(2026, 4, 30))))
    ws = wb[COMMITTEES_SHEET]

    cells = [(row[0], row[-1]) for row in ws.iter_rows(values_only=True)]
    heading = next(i for i, (first, _) in enumerate(cells) if first == THREAD_HEADING)
    thread = cells[heading + 1 : heading + 4]
    assert [text for _, text in thread] == [
        "Förklara prognosen för grundskolan.",
        "42 fler elever än budgeterat.",
        "Tack, tydligt.",
    ]
    assert thread[0][0].startswith("Skickad tillbaka 2026-04-12 av eva (version 1)")


# --- A note outside the steps ----------------------------------------------------------------


def test_the_controller_and_finance_add_notes_to_the_thread_from_the_report_page(
    client, march, bildning, bildning_controller, finance_officer
):
    submitted(march, bildning, bildning_controller)

    client.force_login(finance_officer)
    asked = client.post(REPORT, {"action": "anteckning", "note": "Gäller prognosen hela året?"})
    client.force_login(bildning_controller)
    answered = client.post(REPORT, {"action": "anteckning", "note": "Ja, hela året."})

    assert (asked.status_code, answered.status_code) == (302, 302)
    notes = ReportNote.objects.order_by("written_at", "id")
    assert [(n.kind, n.text, n.written_by) for n in notes] == [
        ("anteckning", "Gäller prognosen hela året?", finance_officer),
        ("anteckning", "Ja, hela året.", bildning_controller),
    ]
    assert AuditEntry.objects.filter(area="rapporter", new_value="Ja, hela året.").count() == 1


@pytest.mark.parametrize("persona", ["omsorg_controller", "councillor"])
def test_others_cannot_write_in_the_thread(
    client, request, persona, march, bildning, bildning_controller
):
    submitted(march, bildning, bildning_controller)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(REPORT, {"action": "anteckning", "note": "Hej"})

    assert response.status_code == 403
    assert not ReportNote.objects.exists()


def test_an_empty_note_is_refused_with_a_reason_and_nothing_is_written(
    client, march, bildning, bildning_controller
):
    submitted(march, bildning, bildning_controller)
    client.force_login(bildning_controller)

    response = client.post(REPORT, {"action": "anteckning", "note": "  "}, follow=True)

    assert "Skriv anteckningen innan du sparar den." in response.text
    assert not ReportNote.objects.exists()


def test_a_published_periods_thread_takes_no_new_notes(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller)
    ReportingPeriod.objects.filter(pk=march.pk).update(status=ReportingPeriod.Status.PUBLISHED)

    with pytest.raises(WorkflowError, match="Perioden är publicerad"):
        add_note(report=report, text="I efterhand", actor=Actor(user=finance_officer))

    assert not ReportNote.objects.exists()


def test_opening_the_report_page_writes_no_note(client, march, bildning, bildning_controller):
    submitted(march, bildning, bildning_controller)

    page_as(client, bildning_controller, REPORT)

    assert not ReportNote.objects.exists()


def test_a_note_can_be_neither_changed_nor_removed(conversation):
    note = conversation.notes.first()

    note.text = "Något annat"
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        note.delete()
    with pytest.raises(AppendOnlyError):
        ReportNote.objects.update(text="Något annat")
    with pytest.raises(AppendOnlyError):
        ReportNote.objects.all().delete()
    assert ReportNote.objects.get(pk=note.pk).text == "Förklara prognosen för grundskolan."


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE followup_reportnote SET text = 'ändrad' WHERE id = %s",
        "DELETE FROM followup_reportnote WHERE id = %s",
    ],
)
def test_on_postgresql_the_database_itself_refuses_to_change_a_note(conversation, statement):
    require_postgresql("the append-only trigger of followup migration 0017")
    note = ReportNote.objects.order_by("id").first()

    assert_refused_by_the_database(statement, [note.pk], "kan inte ändras eller raderas")

    assert ReportNote.objects.get(pk=note.pk).text == note.text
