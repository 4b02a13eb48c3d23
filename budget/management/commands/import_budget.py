from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.imports import BudgetWorkbookError, import_budget_workbook, signs, summary


class Command(BaseCommand):
    help = (
        "Läser in en budget (”Mål och budget”) från en Excel-arbetsbok i samma form som "
        "export_budget skriver. Allt eller ingenting; inget dubbleras och inget tas bort."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Arbetsboken (.xlsx).")
        signs.add_command_option(parser)

    def handle(self, *args, file, flip_cost_signs=False, **options):
        path = Path(file)
        try:
            with path.open("rb") as fh:
                result = import_budget_workbook(
                    fh,
                    actor=Actor(source=Source.COMMAND, name=f"import_budget {path}"),
                    flip_cost_signs=flip_cost_signs,
                )
        except OSError as exc:
            raise CommandError(f"Kunde inte läsa {path}: {exc.strerror}.") from exc
        except BudgetWorkbookError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                f"{path} lästes inte in: {count} fel. Ingenting har ändrats."
            ) from exc
        self.stdout.write(summary(result))
        for change in result.changes:
            self.stdout.write(f"  Ändrat: {change}")
