import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from budget.audit import Actor, Source
from budget.models import BudgetPlan
from followup.goals.kolada.client import KoladaClient, KoladaError, SavedAnswers, parse_saved
from followup.goals.kolada.importer import (
    default_municipalities,
    default_years,
    fetch_values,
    import_answers,
    refresh_group,
)
from followup.management import lookups
from followup.management.files import read_at_most

MAX_FILE_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Hämtar nyckeltalens värden från Kolada (eller läser in sparade svarsfiler från "
        "Koladas API, v3) för kommunen, övriga kommuner i länet och jämförelsegruppen och sparar dem för budgetens "
        "nyckeltal enligt kopplingarna till Kolada. Ett ändrat värde uppdateras och "
        "ändringen loggas. Allt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, help="Budgetåret (standard: den senaste fastställda budgeten)."
        )
        parser.add_argument(
            "--years",
            help="Åren att hämta: 2020-2026 eller 2022,2024 (standard: från nyckeltalens "
            "tidigaste utgångsår till budgetåret).",
        )
        parser.add_argument(
            "--from-file",
            nargs="+",
            dest="files",
            metavar="SVAR.json",
            help="Läs in sparade svar från Kolada i stället för att hämta dem.",
        )
        parser.add_argument(
            "--municipality",
            action="append",
            dest="municipalities",
            metavar="KOMMUN-ID",
            help="Bara den här kommunen (Kolada-id, till exempel 2083); kan anges flera "
            "gånger (standard: kommunen, övriga kommuner i länet enligt fixtures/kolada-kommuner-<län>.toml "
            "och kommunerna i jämförelsegruppen).",
        )

    def handle(self, *args, year, years, files, municipalities, **options):
        plan = find_plan(year)
        actor = Actor(source=Source.COMMAND, name="import_kolada")
        now = timezone.now()
        saved = SavedAnswers(values=[], groups=[])
        if files:
            for name in files:
                answers = read_file(Path(name))
                saved.values.extend(answers.values)
                saved.groups.extend(answers.groups)
        else:
            chosen = parse_years(years) if years else default_years(plan)
            try:
                if not municipalities:
                    refresh_group(plan=plan, client=KoladaClient(), actor=actor, fetched_at=now)
                wanted = municipalities or default_municipalities(plan)
                self.stdout.write(
                    f"Hämtar {chosen[0]}–{chosen[-1]} för {len(wanted)} kommuner från Kolada …"
                )
                saved.values.extend(
                    fetch_values(
                        plan=plan, client=KoladaClient(), years=chosen, municipalities=wanted
                    )
                )
            except KoladaError as exc:
                raise CommandError(str(exc)) from exc
        try:
            summary = import_answers(
                plan=plan, saved=saved, actor=actor, fetched_at=now, municipalities=municipalities
            )
        except KoladaError as exc:
            raise CommandError(f"{exc} Ingenting har ändrats.") from exc
        self.stdout.write(self.style.SUCCESS(f"{plan}: {summary}"))


def read_file(path: Path) -> SavedAnswers:
    content = read_at_most(path, MAX_FILE_BYTES, too_large="ett svar från Kolada")
    try:
        return parse_saved(content)
    except KoladaError as exc:
        raise CommandError(f"{path} lästes inte in: {exc} Ingenting har ändrats.") from exc


def parse_years(text: str) -> list[int]:
    """ "2020-2026" (or with an en dash), "2022,2024" or "2026"."""
    text = text.strip().replace("–", "-")
    span = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", text)
    if span:
        first, last = int(span[1]), int(span[2])
        if first > last:
            raise CommandError(f"Åren ”{text}”: det första året kommer efter det sista.")
        return list(range(first, last + 1))
    parts = [p.strip() for p in text.split(",")]
    if not all(re.fullmatch(r"\d{4}", p) for p in parts):
        raise CommandError(f"Åren ”{text}” ska skrivas 2020-2026 eller 2022,2024.")
    return sorted({int(p) for p in parts})


def find_plan(year: int | None) -> BudgetPlan:
    """The year's adopted plan; without a year, that of the latest adopted plan."""
    if year is None:
        adopted = BudgetPlan.objects.filter(status=BudgetPlan.Status.ADOPTED)
        latest = adopted.order_by("-year", "id").first()
        if latest is None:
            raise CommandError("Det finns ingen fastställd budget.")
        year = latest.year
    # --municipality names the Kolada municipalities to fetch here, not the plan's.
    return lookups.find_plan(year, None, choose="")
