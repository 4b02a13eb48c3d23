"""Daily reminders about reports (run by cron), see docs/decisions/0008-reminders.md."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.models import Reminder
from followup.periods.reminders import send_reminders


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


class Command(BaseCommand):
    help = (
        "Påminner controller om rapporter som inte är inlämnade när sista dag närmar sig, "
        "och meddelar ekonomiavdelningen om försenade rapporter. Körs dagligen; inget "
        "skickas två gånger samma dag om samma rapport."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Dagens datum som ÅÅÅÅ-MM-DD (standard: i dag i kommunens tidszon)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Påminn så här många dagar före sista dag "
            f"(standard: REMINDER_DAYS_BEFORE, nu {settings.REMINDER_DAYS_BEFORE}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle skickas; inget sparas och inget skickas.",
        )

    def handle(self, *args, date, days, dry_run, **options):
        today = self._date(date)
        days_before = settings.REMINDER_DAYS_BEFORE if days is None else days
        if days_before < 0:
            raise CommandError(f"--days kan inte vara negativt ({days_before}).")

        outcome = send_reminders(today=today, days_before=days_before, dry_run=dry_run)

        self.stdout.write(
            f"Påminnelser för {today.isoformat()}: controller påminns "
            f"{_count(days_before, 'dag', 'dagar')} före sista dag."
        )
        if dry_run:
            self.stdout.write("Provkörning: inget sparas och inget skickas.")
        done = outcome.messages if dry_run else outcome.delivered
        verb = "skulle skickas" if dry_run else "skickade"
        for kind, title in (
            (Reminder.Kind.DUE, f"Påminnelser {verb}"),
            (Reminder.Kind.LATE, f"Meddelanden om försenade rapporter {verb}"),
        ):
            messages = [m for m in done if m.kind == kind]
            reports = sum(len(m.committees) for m in messages)
            self.stdout.write(
                f"{title}: {_count(len(messages), 'e-postmeddelande', 'e-postmeddelanden')}"
                + (f" om {_count(reports, 'rapport', 'rapporter')}." if messages else ".")
            )
            for message in messages:
                committees = ", ".join(c.name for c in message.committees)
                self.stdout.write(
                    f"  {message.recipient}: {str(message.period).lower()} – {committees}"
                )
        self.stdout.write(
            f"Redan skickade i dag, hoppades över: "
            f"{_count(len(outcome.skipped), 'påminnelse', 'påminnelser')}."
        )
        for message, error in outcome.failed:
            self.stderr.write(f"Kunde inte skicka till {message.recipient}: {error}")
        if outcome.failed:
            raise CommandError(
                f"{_count(len(outcome.failed), 'e-postmeddelande', 'e-postmeddelanden')} "
                "kunde inte skickas. Påminnelserna är ändå registrerade som skickade i dag "
                "och skickas inte om förrän vid nästa dags körning."
            )

    def _date(self, value) -> datetime.date:
        if value is None:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"Ogiltigt datum för --date: {value!r}. Skriv det som ÅÅÅÅ-MM-DD, "
                "till exempel 2026-04-07."
            ) from None
