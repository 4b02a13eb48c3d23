"""Write a period's council paper to an Excel workbook: the month report (Månadsrapport), or
the interim report (Delårsrapport) or annual accounts (Årsbokslut) for periods of those kinds."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.management.commands.import_outcome import find_period
from followup.management.files import write
from followup.management.lookups import add_municipality_argument
from followup.papers.paper import PaperRefused, filename, workbook_bytes


class Command(BaseCommand):
    help = (
        "Skriver en periods rapport till en Excel-arbetsbok. Månadsrapport: sammanfattning "
        "med kommunens resultat, ett blad per nämnd, åtgärdsplaner och periodens "
        "omfördelningar. Delårsrapport och årsbokslut: sammanfattning, resultaträkning, "
        "balansräkning, kassaflödesanalys, balanskravsutredning, investeringar, bolag samt "
        "mål och indikatorer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True, help="Perioden som ÅÅÅÅ-MM, till exempel 2026-10."
        )
        parser.add_argument(
            "--output",
            help=(
                "Filen att skriva (standard i aktuell katalog: manadsrapport-<ÅÅÅÅ-MM>.xlsx, "
                "delarsrapport-<ÅÅÅÅ>.xlsx eller arsbokslut-<ÅÅÅÅ>.xlsx)."
            ),
        )
        add_municipality_argument(parser)

    def handle(self, *args, period, output, municipality, **options):
        target = find_period(period, municipality)
        path = Path(output or filename(target))
        try:
            content = workbook_bytes(target)  # made first: a failure leaves no half-written file
        except PaperRefused as refused:
            raise CommandError(str(refused)) from refused
        write(path, content)
        self.stdout.write(f"{target} ({target.plan.municipality.name}) skriven till {path}.")
