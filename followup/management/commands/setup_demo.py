from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from budget.audit import Actor, Source
from budget.demo import create_demo_users
from budget.loader import read_toml
from followup.investments.demo import load_demo_investments
from followup.reallocations.demo import load_demo_reallocations
from followup.reports.demo import load_demo_followup
from followup.setup import SetupError, load_municipality
from followup.statements.demo import load_demo_accounts


class Command(BaseCommand):
    help = (
        "Läser in kommunens budget från fixtures/<kommun>/*.toml och skapar demoanvändare. "
        "Kan köras flera gånger: inget dubbleras och inget skrivs över i onödan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help="Katalog med en underkatalog per kommun.",
        )
        parser.add_argument("--no-users", action="store_true", help="Skapa inga demoanvändare.")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Adressen som skrivs ut för att nå applikationen (make run anger sin port).",
        )

    def handle(self, *args, fixtures, no_users, url, **options):
        if settings.PRODUCTION and not no_users:
            raise CommandError(
                "Demoanvändare skapas aldrig i produktionsläge (DJANGO_ENV=production)."
            )
        plans = sorted(Path(fixtures).glob("*/mal-och-budget-*.toml"))
        if not plans:
            raise CommandError(f"Inga budgetfiler (mal-och-budget-*.toml) i {fixtures}.")
        actor = Actor(source=Source.COMMAND, name="setup_demo")
        for path in plans:
            # The municipality's own files, as load_municipality loads them in production.
            try:
                loaded = load_municipality(path, actor=actor)
            except SetupError as exc:
                raise CommandError("\n".join(exc.errors)) from exc
            for sentence in loaded.sentences:
                self.stdout.write(sentence)
            # Users first: the demo reallocations are drawn up by the demo finance user.
            users_file = path.parent / "demo-users.toml"
            if not no_users and users_file.exists():
                users_data = read_toml(users_file)
                users = create_demo_users(
                    users_data, municipality=loaded.plan.municipality, actor=actor
                )
            # Before the demo follow-up: the periods it then closes are still open here.
            investments_file = path.parent / f"demo-investeringar-{loaded.plan.year}.toml"
            if not no_users and investments_file.exists():
                demo = load_demo_investments(read_toml(investments_file), plan=loaded.plan)
                self.stdout.write(
                    f"Demoinvesteringar {loaded.plan.year}: {demo.projects} nya projekt, "
                    f"{demo.follow_ups} uppföljningar"
                    + ("." if demo.projects else " (redan inlästa).")
                )
            # Before the demo follow-up too: its reports are measured against the frames.
            changes_file = path.parent / f"demo-omfordelningar-{loaded.plan.year}.toml"
            if not no_users and changes_file.exists():
                made = load_demo_reallocations(read_toml(changes_file), plan=loaded.plan)
                self.stdout.write(
                    f"Demoomfördelningar {loaded.plan.year}: {made} nya"
                    + ("." if made else " (redan inlästa).")
                )
            # Before the demo follow-up too: it closes and publishes the interim report.
            accounts_file = path.parent / f"demo-bokslut-{loaded.plan.year}.toml"
            if not no_users and accounts_file.exists():
                demo = load_demo_accounts(read_toml(accounts_file), plan=loaded.plan)
                self.stdout.write(
                    f"Demodelårsrapport {loaded.plan.year}: {demo.figures} belopp, "
                    f"{demo.previous} belopp för föregående år, "
                    f"{demo.companies} bolagsprognoser"
                    + ("." if demo.previous else " (redan inlästa).")
                )
            followup_file = path.parent / f"demo-uppfoljning-{loaded.plan.year}.toml"
            if not no_users and followup_file.exists():
                reports = load_demo_followup(read_toml(followup_file), plan=loaded.plan)
                self.stdout.write(
                    f"Demouppföljning {loaded.plan.year}: {reports} nya rapporter"
                    + ("." if reports else " (redan inläst).")
                )
            if not no_users and users_file.exists():
                self.stdout.write("")
                self.stdout.write(self.style.SUCCESS(f"Budgetuppföljning: {url}"))
                self.stdout.write(f"Demoanvändare (lösenord: {users_data['password']}):")
                for u in users:
                    where = f" – {', '.join(u.committees)}" if u.committees else ""
                    note = "" if u.created else " (fanns redan; lösenordet är oförändrat)"
                    self.stdout.write(f"  {u.username:22} {u.role}{where}{note}")
