from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.imports import signs
from followup.setup import SetupError, budget_files, load_municipality


class Command(BaseCommand):
    help = (
        "Läser in en kommuns uppsättning från dess egna filer i en katalog: budgeten "
        "(mal-och-budget-<år>.xlsx från export_budget, eller mal-och-budget-<år>.toml) med "
        "uppföljningskalendern, och om de finns kopplingarna till ekonomisystemet "
        "(ekonomisystem-kopplingar.toml) och till Kolada (kolada-kopplingar.toml). Allt eller "
        "ingenting; kan köras igen: inget dubbleras och inget tas bort. Fungerar i "
        "produktionsläge; skapar inga användare och inga demouppgifter."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Katalogen med kommunens filer.")
        signs.add_command_option(parser)

    def handle(self, *args, folder, flip_cost_signs=False, **options):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{path} är ingen katalog.")
        try:
            files = budget_files(path)
        except SetupError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        if not files:
            raise CommandError(
                f"Ingen budget i {path}: lägg dit mal-och-budget-<år>.xlsx (i den form "
                "export_budget skriver; export_budget --blank ger en tom att fylla i) eller "
                "mal-och-budget-<år>.toml."
            )
        for file in files:
            actor = Actor(source=Source.COMMAND, name=f"load_municipality {file.name}")
            try:
                loaded = load_municipality(file, actor=actor, flip_cost_signs=flip_cost_signs)
            except SetupError as exc:
                for error in exc.errors:
                    self.stderr.write(error)
                raise CommandError(
                    f"{file} lästes inte in: {len(exc.errors)} fel. Ingenting har ändrats."
                ) from exc
            for sentence in loaded.sentences:
                self.stdout.write(sentence)
