"""Reminders: controllers before the deadline, finance after it; once a day, after commit."""

import smtplib
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import transaction

from budget.models import Committee, Membership, Role
from followup.models import Reminder, Report, ReportingPeriod
from followup.periods import reminders
from followup.periods.reminders import due_reminders, send_reminders
from tests.followup.committees import extra_committees

DEADLINE = date(2026, 4, 10)  # Friday; March's report is due then
DAYS = 3
PROPER_COMMITTEES = 7  # kind "nämnd" in the 2026 plan; the reserve and finance lines are not


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://budget.example.org"


@pytest.fixture
def march(march):
    """The open March period, with its deadline on DEADLINE."""
    march.deadline = DEADLINE
    march.save()
    return march


@pytest.fixture
def cecilia(bildning_controller):
    bildning_controller.email = "cecilia@example.org"
    bildning_controller.save()
    return bildning_controller


@pytest.fixture
def eva(finance_officer):
    finance_officer.email = "eva@example.org"
    finance_officer.save()
    return finance_officer


def report(committee, period, status=Report.Status.DRAFT):
    return Report.objects.create(committee=committee, period=period, status=status)


def user_with_role(django_user_model, username, role, *, email, active=True, committee=None):
    user = django_user_model.objects.create_user(
        username=username, password="pw-for-tests-1", email=email, is_active=active
    )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if committee is not None:
        Membership.objects.create(user=user, committee=committee)
    return user


def run(capture, today, **kwargs):
    """send_reminders as cron runs it: the e-mails go when the transaction commits."""
    with capture(execute=True):
        outcome = send_reminders(today=today, days_before=DAYS, **kwargs)
    return outcome


# --- Before the deadline: the committee's controllers ---------------------------------


def test_a_controller_is_reminded_days_before_the_deadline_only_after_commit(
    march, bildning, cecilia, django_capture_on_commit_callbacks
):
    report(bildning, march)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_reminders(today=DEADLINE - timedelta(days=DAYS), days_before=DAYS)
        assert mail.outbox == []  # the transaction has not committed yet

    assert len(callbacks) == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.committee, reminder.period) == ("paminnelse", bildning, march)
    assert (reminder.recipient, reminder.sent_on) == ("cecilia@example.org", date(2026, 4, 7))
    [message] = mail.outbox
    assert message.to == ["cecilia@example.org"]
    assert message.subject == ("Påminnelse: månadsrapport mars 2026 ska lämnas in senast 10 april")
    assert "Bildningsnämnden" in message.body
    assert "Status: Utkast" in message.body
    assert "fredag 10 april 2026, om 3 dagar" in message.body
    assert "https://budget.example.org/uppfoljning/2026/3/bildningsnamnden/" in message.body


def test_a_controller_is_not_reminded_earlier_than_the_days_before(
    march, bildning, cecilia, django_capture_on_commit_callbacks
):
    report(bildning, march)

    run(django_capture_on_commit_callbacks, DEADLINE - timedelta(days=DAYS + 1))

    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_controller_is_reminded_on_the_deadline_itself(
    march, bildning, cecilia, django_capture_on_commit_callbacks
):
    report(bildning, march)

    run(django_capture_on_commit_callbacks, DEADLINE)

    [message] = mail.outbox
    assert "fredag 10 april 2026, alltså i dag" in message.body


def test_a_committee_without_any_report_yet_counts_as_not_submitted(
    march, cecilia, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks, DEADLINE - timedelta(days=1))

    [message] = mail.outbox
    assert "Status: Ingen rapport påbörjad" in message.body


def test_a_returned_report_counts_as_not_submitted(
    march, bildning, cecilia, django_capture_on_commit_callbacks
):
    report(bildning, march, Report.Status.RETURNED)

    run(django_capture_on_commit_callbacks, DEADLINE)

    [message] = mail.outbox
    assert "Status: Återskickad" in message.body


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.APPROVED])
def test_no_reminder_once_the_report_is_submitted(
    status, march, bildning, cecilia, django_capture_on_commit_callbacks
):
    report(bildning, march, status)

    run(django_capture_on_commit_callbacks, DEADLINE)

    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_an_approved_report_being_corrected_is_not_reminded_about(
    march, bildning, cecilia, django_capture_on_commit_callbacks
):
    approved = report(bildning, march, Report.Status.APPROVED)
    Report.objects.create(committee=bildning, period=march, version=2, corrects=approved)

    run(django_capture_on_commit_callbacks, DEADLINE)

    assert mail.outbox == []


@pytest.mark.parametrize("status", [ReportingPeriod.Status.CLOSED, ReportingPeriod.Status.PLANNED])
def test_no_reminder_for_a_period_that_is_not_open(
    status, march, cecilia, eva, django_capture_on_commit_callbacks
):
    march.status = status
    march.save()

    run(django_capture_on_commit_callbacks, DEADLINE)
    run(django_capture_on_commit_callbacks, DEADLINE + timedelta(days=1))

    assert mail.outbox == []


def test_no_reminder_for_a_period_without_a_deadline(
    march, cecilia, eva, django_capture_on_commit_callbacks
):
    march.deadline = None
    march.save()

    run(django_capture_on_commit_callbacks, DEADLINE)

    assert mail.outbox == []


def test_a_controller_hears_only_about_their_own_committees(
    march, cecilia, omsorg_controller, django_capture_on_commit_callbacks
):
    omsorg_controller.email = "oskar@example.org"
    omsorg_controller.save()

    run(django_capture_on_commit_callbacks, DEADLINE)

    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "Omsorgsnämnden" not in by_recipient["cecilia@example.org"]
    assert "Bildningsnämnden" not in by_recipient["oskar@example.org"]
    assert "Omsorgsnämnden" in by_recipient["oskar@example.org"]


def test_inactive_users_and_users_without_e_mail_are_skipped(
    march, bildning, bildning_controller, eva, django_user_model, django_capture_on_commit_callbacks
):
    assert bildning_controller.email == ""  # the persona has none
    user_with_role(
        django_user_model,
        "gone",
        Role.CONTROLLER,
        email="gone@example.org",
        active=False,
        committee=bildning,
    )
    user_with_role(
        django_user_model, "retired", Role.FINANCE, email="old@example.org", active=False
    )

    run(django_capture_on_commit_callbacks, DEADLINE)
    run(django_capture_on_commit_callbacks, DEADLINE + timedelta(days=1))

    assert [m.to for m in mail.outbox] == [["eva@example.org"]]  # the late notice only


def test_a_user_in_no_controller_role_is_not_reminded_for_a_membership(
    march, bildning, django_user_model, django_capture_on_commit_callbacks
):
    user_with_role(
        django_user_model, "pia", Role.COUNCILLOR, email="pia@example.org", committee=bildning
    )

    run(django_capture_on_commit_callbacks, DEADLINE)

    assert mail.outbox == []


# --- After the deadline: finance ---------------------------------------------------


def test_finance_gets_one_late_notice_listing_every_late_committee(
    march, bildning, cecilia, eva, django_capture_on_commit_callbacks
):
    report(bildning, march, Report.Status.SUBMITTED)
    report(Committee.objects.get(code="omsorgsnamnden"), march)

    run(django_capture_on_commit_callbacks, DEADLINE + timedelta(days=2))

    [message] = mail.outbox  # the controller is not reminded after the deadline
    assert message.to == ["eva@example.org"]
    assert message.subject == (
        f"Försenade rapporter: månadsrapport mars 2026 ({PROPER_COMMITTEES - 1} nämnder)"
    )
    assert "var fredag 10 april 2026 (2 dagar sedan)" in message.body
    assert "Omsorgsnämnden\n  Status: Utkast" in message.body
    assert "Valnämnden\n  Status: Ingen rapport påbörjad" in message.body
    assert "Bildningsnämnden" not in message.body
    assert "Politisk utfördelning" not in message.body  # finance enters it itself
    assert "Finansförvaltningen" not in message.body
    late = Reminder.objects.filter(kind=Reminder.Kind.LATE, recipient="eva@example.org")
    assert late.count() == PROPER_COMMITTEES - 1  # one row per committee's report


# --- Once a day -------------------------------------------------------------------


def test_running_twice_the_same_day_sends_nothing_new(
    march, cecilia, eva, django_capture_on_commit_callbacks
):
    today = DEADLINE + timedelta(days=1)
    run(django_capture_on_commit_callbacks, today)
    first = len(mail.outbox)

    outcome = run(django_capture_on_commit_callbacks, today)

    assert first == 1
    assert len(mail.outbox) == first
    assert outcome.new == []
    assert len(outcome.skipped) == PROPER_COMMITTEES
    assert Reminder.objects.count() == PROPER_COMMITTEES


def test_the_next_day_sends_again(march, cecilia, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, DEADLINE - timedelta(days=1))

    run(django_capture_on_commit_callbacks, DEADLINE)

    assert [m.to for m in mail.outbox] == [["cecilia@example.org"], ["cecilia@example.org"]]
    assert Reminder.objects.filter(recipient="cecilia@example.org").count() == 2


def test_a_reminder_written_by_a_concurrent_run_is_skipped_not_sent_again(
    march, bildning, cecilia, monkeypatch, django_capture_on_commit_callbacks
):
    today = DEADLINE
    [due] = due_reminders(today=today, days_before=DAYS)
    Reminder.objects.create(
        period=march,
        committee=bildning,
        kind=due.kind,
        recipient=due.recipient,
        sent_on=today,
        sent_at=datetime(2026, 4, 10, 6, 0, tzinfo=UTC),
    )
    # The other run commits between this run's look-up and its insert.
    monkeypatch.setattr(reminders, "_already_sent", lambda due, today: set())

    outcome = run(django_capture_on_commit_callbacks, today)

    assert outcome.new == []
    assert len(outcome.skipped) == 1
    assert mail.outbox == []
    assert Reminder.objects.count() == 1


def test_a_dry_run_sends_and_writes_nothing(march, cecilia, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = send_reminders(today=DEADLINE, days_before=DAYS, dry_run=True)

    assert callbacks == []
    assert mail.outbox == []
    assert not Reminder.objects.exists()
    [message] = outcome.messages  # what would have been sent
    assert message.recipient == "cecilia@example.org"


def test_nothing_is_sent_when_the_transaction_rolls_back(
    march, cecilia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_reminders(today=DEADLINE, days_before=DAYS)
            raise RuntimeError("something after the reminders failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_message_that_cannot_be_sent_is_reported_and_its_row_kept(
    march, cecilia, eva, monkeypatch, django_capture_on_commit_callbacks
):
    sent_to = []

    def refuse_eva(self, messages):
        if messages[0].to == ["eva@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"eva@example.org": (550, b"no such user")})
        sent_to.extend(m.to for m in messages)
        return len(messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse_eva)
    march.deadline = DEADLINE + timedelta(days=1)  # cecilia's reminder and…
    march.save()
    ReportingPeriod.objects.filter(plan=march.plan, month=2).update(
        status=ReportingPeriod.Status.OPEN, deadline=DEADLINE - timedelta(days=20)
    )  # …a late notice to eva about February

    outcome = run(django_capture_on_commit_callbacks, DEADLINE)

    assert sent_to == [["cecilia@example.org"]]
    [(failed, error)] = outcome.failed
    assert failed.recipient == "eva@example.org"
    assert "no such user" in error
    assert Reminder.objects.filter(recipient="eva@example.org").exists()


def test_due_reminders_needs_a_bounded_number_of_queries(
    march, plan, cecilia, eva, django_user_model, django_assert_max_num_queries
):
    for n, committee in enumerate(extra_committees(plan.municipality, 5, activities=0)):
        report(committee, march)
        user_with_role(
            django_user_model,
            f"controller-{n}",
            Role.CONTROLLER,
            email=f"c{n}@example.org",
            committee=committee,
        )

    with django_assert_max_num_queries(5):
        due = due_reminders(today=DEADLINE, days_before=DAYS)
    with django_assert_max_num_queries(5):
        late = due_reminders(today=DEADLINE + timedelta(days=1), days_before=DAYS)

    assert len(due) == 6  # cecilia and the five extra controllers
    assert len(late) == PROPER_COMMITTEES + 5


# --- The command --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_says_what_it_sent_and_to_whom_then_skips_it_the_same_day(march, cecilia, eva):
    first, second = StringIO(), StringIO()

    call_command("send_reminders", "--date", "2026-04-08", stdout=first)
    call_command("send_reminders", "--date", "2026-04-08", stdout=second)

    assert first.getvalue().splitlines() == [
        "Påminnelser för 2026-04-08: controller påminns 3 dagar före sista dag.",
        "Påminnelser skickade: 1 e-postmeddelande om 1 rapport.",
        "  cecilia@example.org: månadsrapport mars 2026 – Bildningsnämnden",
        "Meddelanden om försenade rapporter skickade: 0 e-postmeddelanden.",
        "Redan skickade i dag, hoppades över: 0 påminnelser.",
    ]
    assert "Påminnelser skickade: 0 e-postmeddelanden." in second.getvalue()
    assert "hoppades över: 1 påminnelse." in second.getvalue()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_command_reports_late_reports_with_the_configured_days(march, eva, settings):
    settings.REMINDER_DAYS_BEFORE = 1
    out = StringIO()

    call_command("send_reminders", "--date", "2026-04-13", stdout=out)

    assert "controller påminns 1 dag före sista dag." in out.getvalue()
    assert (
        f"Meddelanden om försenade rapporter skickade: 1 e-postmeddelande om "
        f"{PROPER_COMMITTEES} rapporter." in out.getvalue()
    )
    assert "  eva@example.org: månadsrapport mars 2026 – Kommunrevisionen, " in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_command_fails_loudly_for_cron_when_a_message_cannot_be_sent(
    march, cecilia, monkeypatch
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    err = StringIO()

    with pytest.raises(CommandError, match="1 e-postmeddelande kunde inte skickas"):
        call_command("send_reminders", "--date", "2026-04-08", stdout=StringIO(), stderr=err)

    assert "Kunde inte skicka till cecilia@example.org: Connection unexpectedly closed" in (
        err.getvalue()
    )
    assert Reminder.objects.filter(recipient="cecilia@example.org").exists()  # not retried today


def test_the_command_dry_run_lists_but_sends_nothing(
    march, cecilia, django_capture_on_commit_callbacks
):
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-04-08", "--dry-run", stdout=out)

    assert "Provkörning: inget sparas och inget skickas." in out.getvalue()
    assert "Påminnelser skulle skickas: 1 e-postmeddelande om 1 rapport." in out.getvalue()
    assert mail.outbox == []
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("value", ["8 april", "2026-04-31", "2026-13-01"])
def test_the_command_refuses_a_bad_date_in_swedish(value, march):
    with pytest.raises(CommandError, match="Ogiltigt datum för --date.*ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", "--date", value, stdout=StringIO())

    assert not Reminder.objects.exists()


def test_the_command_refuses_negative_days(march):
    with pytest.raises(CommandError, match="--days kan inte vara negativt"):
        call_command("send_reminders", "--days", "-1", stdout=StringIO())
