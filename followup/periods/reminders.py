"""Reminders about reports: controllers before the deadline, finance after it.

``due_reminders`` says who should hear about which committee's report on a given day;
``send_reminders`` writes one ``Reminder`` row per period, committee, kind and
recipient for that day and sends the e-mails only after the transaction has
committed. A row that already exists for the day is skipped, so nobody is reminded
twice about the same report on the same day. See docs/decisions/0008-reminders.md.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from budget.models import Committee, Membership
from budget.roles import Role
from followup.models import Reminder, Report, ReportingPeriod

logger = logging.getLogger(__name__)

Kind = Reminder.Kind

# A committee has reported when its current report is submitted or approved (an approved
# report with a correction in progress stays the current approved one).
REPORTED = {Report.Status.SUBMITTED, Report.Status.APPROVED}
NO_REPORT = "Ingen rapport påbörjad"
RETURNED_ON_TIME = "Återskickad, ska lämnas in igen"

TEMPLATES = {
    Kind.DUE: "followup/email/reminder_due.txt",
    Kind.LATE: "followup/email/reminder_late.txt",
}


@dataclass(frozen=True)
class Due:
    """One reminder to write: a committee's unsubmitted report, told to one address."""

    kind: str
    period: ReportingPeriod
    committee: Committee
    status: str  # the report's state in Swedish, "Ingen rapport påbörjad" when none exists
    recipient: str

    @property
    def key(self) -> tuple:
        """The fields of the reminder_once_a_day constraint, without the day."""
        return (self.period.pk, self.committee.pk, self.kind, self.recipient)

    @property
    def url(self) -> str:
        path = reverse(
            "followup:report",
            kwargs={
                "year": self.period.year,
                "month": self.period.month,
                "code": self.committee.code,
            },
        )
        return settings.SITE_URL + path


@dataclass
class Message:
    """One e-mail: every due reminder of one kind, period and recipient."""

    kind: str
    recipient: str
    period: ReportingPeriod
    committees: list
    subject: str
    body: str

    def email(self, connection=None) -> mail.EmailMessage:
        return mail.EmailMessage(
            subject=self.subject, body=self.body, to=[self.recipient], connection=connection
        )


@dataclass
class Outcome:
    """What a run did. ``delivered`` and ``failed`` are filled after the commit."""

    today: datetime.date
    dry_run: bool
    new: list = field(default_factory=list)  # Due written now (or that would be, in a dry run)
    skipped: list = field(default_factory=list)  # Due already sent today
    messages: list = field(default_factory=list)
    delivered: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (Message, error text)


def due_reminders(*, today: datetime.date, days_before: int) -> list[Due]:
    """Who is to be told today about which unsubmitted report.

    For every open period with a deadline, every committee of the period's municipality
    (kind "nämnd": the reserve and finansförvaltningen are reported by finance itself)
    whose current report is missing, a draft or returned:
    from ``days_before`` days before the deadline up to the deadline itself, a reminder
    to each active controller of the committee with an e-mail address; after the
    deadline, a late notice to each active finance user with an e-mail address when the
    report is late (``ReportingPeriod.is_late``: never submitted, or first submitted after
    the deadline). A report first submitted on time and returned by finance is not late:
    after the deadline its controllers are reminded to submit it again, finance is not told.
    A bounded number of queries, however many periods and committees there are.
    """
    if days_before < 0:
        raise ValueError("days_before must not be negative")
    periods = list(
        ReportingPeriod.objects.filter(
            status=ReportingPeriod.Status.OPEN,
            deadline__isnull=False,
            deadline__lte=today + datetime.timedelta(days=days_before),
        )
        .select_related("plan")
        .order_by("deadline", "plan_id", "month", "id")
    )
    if not periods:
        return []
    committees = defaultdict(list)
    for committee in (
        Committee.objects.proper_committees()
        .filter(municipality_id__in={p.plan.municipality_id for p in periods})
        .order_by("position", "id")
    ):
        committees[committee.municipality_id].append(committee)
    reports = defaultdict(list)
    for report in (
        Report.objects.current()
        .filter(period__in=periods)
        .only("period_id", "committee_id", "status", "first_submitted_at")
        .order_by("id")
    ):
        reports[report.period_id, report.committee_id].append(report)

    unsubmitted = []  # (kind, period, committee, status label)
    for period in periods:
        for committee in committees[period.plan.municipality_id]:
            found = reports[period.pk, committee.pk]
            if any(r.status in REPORTED for r in found):
                continue
            # At most one open report (draft or returned) per committee and period.
            report = found[0] if found else None
            late = period.is_late(report, today=today)
            kind = Kind.LATE if late else Kind.DUE
            label = NO_REPORT if report is None else report.get_status_display()
            if report is not None and report.status == Report.Status.RETURNED and not late:
                label = RETURNED_ON_TIME
            unsubmitted.append((kind, period, committee, label))

    controllers = _controller_addresses(
        {committee.pk for kind, _, committee, _ in unsubmitted if kind == Kind.DUE}
    )
    finance = _finance_addresses() if any(kind == Kind.LATE for kind, *_ in unsubmitted) else []
    return [
        Due(kind=kind, period=period, committee=committee, status=label, recipient=address)
        for kind, period, committee, label in unsubmitted
        for address in (controllers[committee.pk] if kind == Kind.DUE else finance)
    ]


def _controller_addresses(committee_ids) -> dict:
    """Committee id → e-mail addresses of its active controllers (one query)."""
    addresses = defaultdict(list)
    if not committee_ids:
        return addresses
    rows = (
        Membership.objects.filter(
            committee_id__in=committee_ids,
            user__is_active=True,
            user__groups__name=Role.CONTROLLER.value,
        )
        .exclude(user__email="")
        .order_by("committee_id", "user__email", "id")
        .values_list("committee_id", "user__email")
    )
    for committee_id, email in rows:
        if email not in addresses[committee_id]:
            addresses[committee_id].append(email)
    return addresses


def _finance_addresses() -> list:
    """E-mail addresses of the active finance users (one query)."""
    emails = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.FINANCE.value)
        .exclude(email="")
        .order_by("email", "id")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(emails))


def send_reminders(
    *, today: datetime.date, days_before: int, dry_run: bool = False, now=None
) -> Outcome:
    """Write today's reminders and send their e-mails after the commit.

    Reminders already written for ``today`` are skipped; so is one that a concurrent
    run writes first. A dry run writes nothing and sends nothing: its outcome says what
    would be sent. E-mails that cannot be sent after the commit are listed in
    ``Outcome.failed``; their rows stay, so they are not retried the same day.
    """
    outcome = Outcome(today=today, dry_run=dry_run)
    now = now or timezone.now()
    with transaction.atomic():
        due = due_reminders(today=today, days_before=days_before)
        sent = _already_sent(due, today)
        for item in due:
            if item.key in sent:
                outcome.skipped.append(item)
            elif dry_run:
                outcome.new.append(item)
            elif _write(item, today=today, now=now):
                outcome.new.append(item)
            else:
                outcome.skipped.append(item)
        outcome.messages = _compose(outcome.new, today)
        if not dry_run and outcome.messages:
            transaction.on_commit(partial(_deliver, outcome))
    return outcome


def _already_sent(due, today) -> set:
    if not due:
        return set()
    return set(
        Reminder.objects.filter(sent_on=today, period__in={d.period.pk for d in due})
        .order_by("id")
        .values_list("period_id", "committee_id", "kind", "recipient")
    )


def _write(item: Due, *, today, now) -> bool:
    """Write the reminder row; False when a concurrent run has written it already."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                period=item.period,
                committee=item.committee,
                kind=item.kind,
                recipient=item.recipient,
                sent_on=today,
                sent_at=now,
            )
    except IntegrityError:
        return False
    return True


def _compose(due, today) -> list[Message]:
    """One message per kind, period and recipient, listing that period's committees."""
    groups = defaultdict(list)
    for item in due:
        groups[item.kind, item.recipient, item.period.pk].append(item)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for (kind, recipient, _), items in groups.items():
            period = items[0].period
            text = render_to_string(
                TEMPLATES[kind],
                {
                    "period": period,
                    "period_name": str(period).lower(),
                    "deadline": period.deadline,
                    "days_left": (period.deadline - today).days,
                    "days_late": (today - period.deadline).days,
                    "items": items,
                },
            )
            subject, _, body = text.strip().partition("\n")
            messages.append(
                Message(
                    kind=kind,
                    recipient=recipient,
                    period=period,
                    committees=[item.committee for item in items],
                    subject=subject.strip(),
                    body=body.strip() + "\n",
                )
            )
    return messages


def _deliver(outcome: Outcome) -> None:
    """Send the run's messages (called after the commit), one at a time so that one
    refused address does not stop the others."""
    connection = mail.get_connection()
    try:
        connection.open()
    except OSError as exc:
        logger.error("Påminnelser: kunde inte ansluta till e-postservern: %s", exc)
        outcome.failed.extend((message, str(exc)) for message in outcome.messages)
        return
    try:
        for message in outcome.messages:
            try:
                message.email(connection).send()
            except OSError as exc:  # smtplib.SMTPException is an OSError
                logger.error("Påminnelse till %s skickades inte: %s", message.recipient, exc)
                outcome.failed.append((message, str(exc)))
            else:
                outcome.delivered.append(message)
    finally:
        connection.close()
