import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.money import format_tkr
from followup.management.files import cannot_read, not_read
from followup.management.lookups import add_municipality_argument, find_plan
from followup.models import ReportingPeriod
from followup.outcome import OutcomeFileError, files, import_data, preview_outcome, summary

NOTHING = "Ingenting har ändrats."


class Command(BaseCommand):
    help = (
        "Läser in utfall (ackumulerat, nettobelopp i kronor) för en period från "
        "ekonomisystemet: en CSV-fil (nämnd;verksamhet;belopp) eller en SIE 4-fil "
        "(periodsaldon per objekt, kopplade till verksamheter under Kopplingar till "
        "ekonomisystemet). Utan --confirm visas en förhandsgranskning och ingenting sparas: "
        "per nämnd vad som läses in och vad som inte läses in och varför. Med --confirm "
        "läses allt in som kan läsas in, allt eller ingenting per nämnd. Filen är hela "
        "utfallet för de nämnder den tar upp: en verksamhet hos en sådan nämnd som saknas i "
        "filen får utfallet 0; andra nämnder ändras inte. Prognoser och kommentarer behålls."
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
        steps = parser.add_mutually_exclusive_group()
        steps.add_argument(
            "--confirm",
            action="store_true",
            help="Läs in utfallet för de nämnder som förhandsgranskningen visar kan läsas in.",
        )
        steps.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa bara förhandsgranskningen och spara ingenting (det som görs utan "
            "--confirm).",
        )

    def handle(self, *args, file, period, file_format, municipality, confirm, **options):
        target = find_period(period, municipality)
        path = Path(file)
        try:
            with path.open("rb") as fh:
                data = files.read_upload(fh)
        except OSError as exc:
            raise cannot_read(path, exc) from exc
        except OutcomeFileError as exc:
            raise not_read(self.stderr, path, exc.problems, nothing=NOTHING) from exc
        try:
            preview = preview_outcome(
                period=target, data=data, file_name=path.name, file_format=file_format
            )
            self.show(preview)
            if not confirm:
                self.stdout.write(
                    preview.summary() + " Förhandsgranskning: ingenting har sparats. Kör "
                    "kommandot igen med --confirm för att läsa in utfallet."
                )
                return
            record = import_data(
                period=target,
                data=data,
                file_name=path.name,
                file_format=preview.file_format,
                actor=Actor(source=Source.COMMAND, name=f"import_outcome {path.name}"),
                expected=preview.fingerprint,
            )
        except OutcomeFileError as exc:
            raise not_read(self.stderr, path, exc.problems, nothing=NOTHING) from exc
        self.stdout.write(self.style.SUCCESS(summary(record)))
        self.stdout.write(f"Kontrollsumma (SHA-256): {record.sha256}")

    def show(self, preview):
        """Per committee what is loaded or why it is not; rows of no committee; what is
        not counted."""
        for item in preview.imported:
            noun = "verksamhet" if item.activities == 1 else "verksamheter"
            self.stdout.write(
                f"  {item.committee.name}: {item.activities} {noun}, "
                f"utfall {format_tkr(item.total)} tkr"
            )
        for item in preview.skipped:
            self.stdout.write(self.style.WARNING(f"  {item.committee.name}: läses inte in"))
            for reason in item.reasons:
                self.stdout.write(f"    {reason}")
        if preview.skipped_rows:
            self.stdout.write(self.style.WARNING("  Rader som inte hör till någon nämnd:"))
            for row in preview.skipped_rows:
                self.stdout.write(f"    {row}")
        for text in preview.ignored:
            self.stdout.write(f"  {text}")


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
