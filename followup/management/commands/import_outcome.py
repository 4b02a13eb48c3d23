import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.money import format_tkr
from followup.management.files import cannot_read, not_read
from followup.management.lookups import add_municipality_argument, find_plan
from followup.models import ReportingPeriod
from followup.outcome import OutcomeFileError, import_outcome, summary


class Command(BaseCommand):
    help = (
        "Läser in utfall (ackumulerat, nettobelopp i kronor) för en period från "
        "ekonomisystemet: en CSV-fil (nämnd;verksamhet;belopp) eller en SIE 4-fil "
        "(periodsaldon per objekt, kopplade till verksamheter under Kopplingar till "
        "ekonomisystemet). Filen är hela utfallet för de nämnder den tar upp: en verksamhet "
        "hos en sådan nämnd som saknas i filen får utfallet 0; andra nämnder ändras inte. "
        "Prognoser och kommentarer behålls. Allt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen med utfall (CSV eller SIE).")
        parser.add_argument(
            "--period", required=True, help="Perioden som ÅÅÅÅ-MM, till exempel 2026-03."
        )
        parser.add_argument(
            "--format",
            choices=["csv", "sie"],
            dest="file_format",
            help="Filens format; utan det känns det igen (en SIE-fil börjar med #FLAGGA).",
        )
        add_municipality_argument(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kontrollera filen och visa vad som skulle läsas in, men spara ingenting.",
        )

    def handle(self, *args, file, period, file_format, municipality, dry_run, **options):
        target = find_period(period, municipality)
        path = Path(file)
        try:
            with path.open("rb") as fh:
                record = import_outcome(
                    period=target,
                    fileobj=fh,
                    file_name=path.name,
                    file_format=file_format,
                    actor=Actor(source=Source.COMMAND, name=f"import_outcome {path.name}"),
                    dry_run=dry_run,
                )
        except OSError as exc:
            raise cannot_read(path, exc) from exc
        except OutcomeFileError as exc:
            nothing = "Ingenting har ändrats."
            raise not_read(self.stderr, path, exc.problems, nothing=nothing) from exc
        for item in record.committees:
            noun = "verksamhet" if item.activities == 1 else "verksamheter"
            self.stdout.write(
                f"  {item.committee.name}: {item.activities} {noun}, "
                f"utfall {format_tkr(item.total)} tkr"
            )
        if dry_run:
            self.stdout.write(summary(record) + " Provkörning (--dry-run): ingenting har sparats.")
        else:
            self.stdout.write(self.style.SUCCESS(summary(record)))
            self.stdout.write(f"Kontrollsumma (SHA-256): {record.sha256}")


def find_period(key: str, municipality: str | None) -> ReportingPeriod:
    """The period "2026-03" of the year's adopted plan."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", key.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise CommandError(f"Perioden ”{key}” ska skrivas ÅÅÅÅ-MM, till exempel 2026-03.")
    year, month = int(match[1]), int(match[2])
    plan = find_plan(year, municipality)
    period = ReportingPeriod.objects.filter(plan=plan, month=month).first()
    if period is None:
        raise CommandError(f"Perioden {year}-{month:02d} finns inte i uppföljningskalendern.")
    return period
