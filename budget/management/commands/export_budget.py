from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from budget.exports import filename, write_budget_workbook
from budget.exports.blank import blank_workbook_bytes
from budget.models import BudgetPlan
from budget.reports.snapshot import ADOPTED, CURRENT

FRAMES = {"adopted": ADOPTED, "current": CURRENT}


class Command(BaseCommand):
    help = (
        "Skriver en budget (”Mål och budget”) till en Excel-arbetsbok i form av ett budgetdokument."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Budgetåret, t.ex. 2026.")
        parser.add_argument(
            "--output", help="Filen att skriva (standard: budget-<år>.xlsx i aktuell katalog)."
        )
        parser.add_argument(
            "--municipality", help="Kommunens namn, när flera kommuner har en budget för året."
        )
        parser.add_argument(
            "--blank",
            action="store_true",
            help="En tom arbetsbok för en ny kommun (ange --municipality): bladen som läses "
            "in, tomma, med instruktioner på första bladet. Läser inget ur databasen.",
        )
        parser.add_argument(
            "--frames",
            default="adopted",
            help="Vilka ramar tabellerna visar: adopted = den antagna budgeten, som i "
            "dokumentet (standard); current = aktuell budget efter beslutade förändringar. "
            "Finns förändringar visas den andra budgeten på ett eget blad bredvid.",
        )

    def handle(self, *args, year, output, municipality, frames="adopted", blank=False, **options):
        if blank:
            return self._blank(year=year, output=output, municipality=municipality)
        if frames not in FRAMES:
            raise CommandError(
                f"Okänt värde för --frames: ”{frames}”. Ange adopted (antagen budget) "
                "eller current (aktuell budget efter beslutade förändringar)."
            )
        plans = BudgetPlan.objects.filter(year=year).select_related("municipality")
        if municipality:
            plans = plans.filter(municipality__name=municipality)
        plans = list(plans.order_by("municipality__name", "id"))
        if not plans:
            where = f" för {municipality}" if municipality else ""
            raise CommandError(f"Det finns ingen budget för {year}{where}.")
        if len(plans) > 1:
            names = ", ".join(p.municipality.name for p in plans)
            raise CommandError(
                f"Flera kommuner har en budget för {year} ({names}); ange --municipality."
            )
        plan = plans[0]
        path = Path(output or filename(plan))
        try:
            with path.open("wb") as fh:
                write_budget_workbook(plan, fh, frames=FRAMES[frames])
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva {path}: {exc.strerror}.") from exc
        which = (
            "aktuell budget efter beslutade förändringar"
            if frames == "current"
            else "antagen budget"
        )
        self.stdout.write(f"{plan.title} ({plan.municipality.name}, {which}) skriven till {path}.")

    def _blank(self, *, year, output, municipality):
        if not municipality:
            raise CommandError("Ange kommunens namn med --municipality för en tom arbetsbok.")
        path = Path(output or f"mal-och-budget-{year}.xlsx")
        content = blank_workbook_bytes(
            municipality=municipality, year=year, today=timezone.localdate()
        )
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva {path}: {exc.strerror}.") from exc
        self.stdout.write(
            f"En tom arbetsbok för {municipality}, Mål och budget {year}, skriven till {path}; "
            "fyll i den enligt bladet ”Så fyller du i”."
        )
