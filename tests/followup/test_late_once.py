"""Late once: a report is late when its first submission came after the deadline. A return by
finance and a new submission are shown as such ("Återskickad", "Inlämnad igen") and never make
a report that was on time late: not on the pages, in the month report or in the reminders."""

import datetime
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor
from followup.models import Report
from followup.papers.month_report_workbook import workbook_bytes
from followup.periods.reminders import send_reminders
from followup.reports.workflow import (
    correct_report,
    return_report,
    submit_report,
)
from tests.followup.paper_parts import part_status
from tests.followup.reports import submitted
from tests.pages import page_as

DEADLINE = datetime.date(2026, 4, 10)
BEFORE = datetime.datetime(2026, 4, 9, 12, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2026, 4, 20, 12, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 4, 22, 12, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 23)
REPORT = reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})


@pytest.fixture
def march(march):
    march.deadline = DEADLINE
    march.save()
    return march


def returned_and_resubmitted(report, controller, finance_officer):
    returned = return_report(
        report=report,
        comment="Förklara prognosen.",
        actor=Actor(user=finance_officer),
        now=AFTER,
    )
    return submit_report(report=returned, actor=Actor(user=controller), now=LATER)


def test_a_report_on_time_returned_and_submitted_again_after_the_deadline_is_not_late(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=BEFORE)

    again = returned_and_resubmitted(report, bildning_controller, finance_officer)

    assert (again.first_submitted_at, again.submitted_at) == (BEFORE, LATER)
    assert not march.is_late(again, today=TODAY)
    assert again.status_label == "Inlämnad igen"


def test_a_report_first_submitted_after_the_deadline_stays_late_whatever_follows(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=AFTER)

    again = returned_and_resubmitted(report, bildning_controller, finance_officer)

    assert again.first_submitted_at == AFTER
    assert march.is_late(again, today=TODAY)


def test_a_returned_report_that_was_on_time_is_not_late_while_it_waits_to_be_resubmitted(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=BEFORE)

    returned = return_report(
        report=report, comment="Förklara prognosen.", actor=Actor(user=finance_officer)
    )

    assert returned.status == Report.Status.RETURNED
    assert not march.is_late(returned, today=TODAY)


def test_a_correction_keeps_the_first_submission_of_the_report_it_corrects(
    march, bildning, bildning_controller, finance_officer
):
    from followup.reports.workflow import approve_report

    report = submitted(march, bildning, bildning_controller, at=BEFORE)
    approve_report(report=report, actor=Actor(user=finance_officer))

    correction = correct_report(
        report=report, actor=Actor(user=bildning_controller), reason="Fel periodisering"
    )

    assert correction.first_submitted_at == BEFORE
    assert not march.is_late(correction, today=TODAY)


def test_the_report_page_says_submitted_again_and_not_late(
    client, march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=BEFORE)
    returned_and_resubmitted(report, bildning_controller, finance_officer)

    response = page_as(client, finance_officer, REPORT)

    assert response.context["late"] is False
    assert "Inlämnad igen" in response.text
    assert ">Sen<" not in response.text


def test_the_review_page_says_submitted_again_and_not_late(
    client, march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=BEFORE)
    returned_and_resubmitted(report, bildning_controller, finance_officer)

    response = page_as(client, finance_officer, reverse("followup:review", args=[2026, 3]))

    [row] = [r for r in response.context["rows"] if r["row"].committee == bildning]
    assert row["late"] is False
    assert "Inlämnad igen" in response.text


def test_the_month_report_says_submitted_again_and_not_late(
    march, bildning, bildning_controller, finance_officer
):
    report = submitted(march, bildning, bildning_controller, at=BEFORE)
    returned_and_resubmitted(report, bildning_controller, finance_officer)

    wb = load_workbook(BytesIO(workbook_bytes(march, today=TODAY)))

    status = part_status(wb, "Bildningsnämnden")
    assert "Inlämnad igen" in status
    assert "sen" not in status.split("Inlämnad igen")[1]


# --- the reminders ----------------------------------------------------------------------


@pytest.fixture
def addresses(bildning_controller, finance_officer, settings):
    settings.SITE_URL = "https://budget.example.org"
    bildning_controller.email = "cecilia@example.org"
    bildning_controller.save()
    finance_officer.email = "eva@example.org"
    finance_officer.save()


@pytest.fixture
def returned_before_the_reminders(
    march,
    bildning,
    bildning_controller,
    finance_officer,
    addresses,
    django_capture_on_commit_callbacks,
):
    """Bildningsnämnden's March report submitted ``at``, returned by finance; then the day's
    reminders go out (TODAY, after the deadline), to the ``addresses``."""

    def submitted_returned_and_reminded(at):
        report = submitted(march, bildning, bildning_controller, at=at)
        return_report(
            report=report, comment="Förklara prognosen.", actor=Actor(user=finance_officer)
        )
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders(today=TODAY, days_before=3)

    return submitted_returned_and_reminded


def test_after_the_deadline_a_report_returned_on_time_reminds_its_controller_not_finance(
    returned_before_the_reminders,
):
    returned_before_the_reminders(at=BEFORE)

    to_controller = [m for m in mail.outbox if m.to == ["cecilia@example.org"]]
    to_finance = [m for m in mail.outbox if m.to == ["eva@example.org"]]
    assert [m.subject for m in to_controller] == [
        "Påminnelse: månadsrapport mars 2026 är återskickad och ska lämnas in igen"
    ]
    assert "Status: Återskickad, ska lämnas in igen" in to_controller[0].body
    assert "räknas inte som sen" in to_controller[0].body
    assert all("Bildningsnämnden" not in m.body for m in to_finance)


def test_after_the_deadline_a_report_first_submitted_late_and_returned_is_reported_late(
    returned_before_the_reminders,
):
    returned_before_the_reminders(at=AFTER)

    [to_finance] = [m for m in mail.outbox if m.to == ["eva@example.org"]]
    assert to_finance.subject.startswith("Försenade rapporter")
    assert "Bildningsnämnden\n  Status: Återskickad\n" in to_finance.body
    assert not [m for m in mail.outbox if m.to == ["cecilia@example.org"]]
