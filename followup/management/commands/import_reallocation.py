from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.money import THOUSAND, format_number
from followup.management.files import cannot_read, not_read
from followup.management.lookups import add_municipality_argument, find_plan
from followup.reallocations.workbook import (
    BudgetWorkbookError,
    budget_year_of,
    import_reallocation_workbook,
)
from followup.reallocations.workflow import ReallocationError


class Command(BaseCommand):
    help = (
        "Läser in en budgetomfördelning från en ifylld omfördelningsmall (.xlsx, laddas ned "
        "under Omfördelningar) och sparar den som utkast, med samma kontroller som på "
        "sidorna: raderna ska summera till 0 och användaren ska få föreslå omfördelningen. "
        "Allt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Den ifyllda mallen (.xlsx).")
        parser.add_argument(
            "--year", type=int, required=True, help="Mål och budget-året, till exempel 2026."
        )
        parser.add_argument(
            "--budget-year",
            type=int,
            help="Budgetåret som ändras; utan det budgetens eget år.",
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Användarnamnet på den som föreslår omfördelningen (dess behörighet gäller).",
        )
        add_municipality_argument(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kontrollera filen och visa vad som skulle sparas, men spara ingenting.",
        )

    def handle(self, *args, file, year, budget_year, user, municipality, dry_run, **options):
        plan = find_plan(year, municipality)
        account = find_user(user)
        path = Path(file)
        try:
            changed_year = budget_year_of(plan, budget_year)
            with path.open("rb") as fh:
                result = import_reallocation_workbook(
                    plan=plan,
                    fileobj=fh,
                    budget_year=changed_year,
                    actor=Actor(user=account, source=Source.COMMAND, name="import_reallocation"),
                    dry_run=dry_run,
                )
        except OSError as exc:
            raise cannot_read(path, exc) from exc
        except BudgetWorkbookError as exc:
            nothing = "Ingenting har sparats."
            raise not_read(self.stderr, path, exc.problems, nothing=nothing) from exc
        except ReallocationError as exc:
            raise CommandError(f"{path} lästes inte in: {exc} Ingenting har sparats.") from exc
        reallocation = result.reallocation
        for line in result.lines:
            self.stdout.write(
                f"  {line.activity.committee.name}, {line.activity.name}: "
                f"{format_number(line.amount / THOUSAND, 1)} tkr"
            )
        body = (
            reallocation.deciding_committee.name
            if reallocation.deciding_committee
            else "kommunfullmäktige"
        )
        what = f"{reallocation.get_kind_display()} {reallocation.reference} ”{reallocation.title}”"
        if dry_run:
            self.stdout.write(
                f"Provkörning (--dry-run): {what} kan sparas som utkast och beslutas av {body}. "
                "Ingenting har sparats."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{what} är sparad som utkast. Den beslutas av {body}.")
            )


def find_user(username: str):
    """An active user who may draw up reallocations."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Det finns ingen aktiv användare ”{username}”.")
    if not user.has_perm("followup.draw_up_reallocation"):
        raise CommandError(
            f"{username} får inte föreslå budgetomfördelningar (bara ekonomiavdelningen och "
            "nämndernas controllers)."
        )
    return user
