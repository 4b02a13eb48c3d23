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


def _investments(year, demo):
    return (
        f"Demoinvesteringar {year}: {demo.projects} nya projekt, {demo.follow_ups} uppföljningar"
        + ("." if demo.projects else " (redan inlästa).")
    )


def _reallocations(year, made):
    return f"Demoomfördelningar {year}: {made} nya" + ("." if made else " (redan inlästa).")


def _accounts(year, demo):
    return (
        f"Demodelårsrapport {year}: {demo.figures} belopp, "
        f"{demo.previous} belopp för föregående år, {demo.companies} bolagsprognoser"
        + ("." if demo.previous else " (redan inlästa).")
    )


def _followup(year, reports):
    return f"Demouppföljning {year}: {reports} nya rapporter" + (
        "." if reports else " (redan inläst)."
    )


# The demo files beside a municipality's budget (<name>-<year>.toml), in the order they are
# loaded, each with what it says it loaded. The demo follow-up comes last: it closes the
# periods the investments are followed up in, measures its reports against the frames the
# reallocations change, and closes and publishes the interim report the accounts belong to.
DEMO_FILES = (
    ("demo-investeringar", load_demo_investments, _investments),
    ("demo-omfordelningar", load_demo_reallocations, _reallocations),
    ("demo-bokslut", load_demo_accounts, _accounts),
    ("demo-uppfoljning", load_demo_followup, _followup),
)


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
            if not no_users:
                for name, load, said in DEMO_FILES:
                    demo_file = path.parent / f"{name}-{loaded.plan.year}.toml"
                    if demo_file.exists():
                        demo = load(read_toml(demo_file), plan=loaded.plan)
                        self.stdout.write(said(loaded.plan.year, demo))
            if not no_users and users_file.exists():
                self.stdout.write("")
                self.stdout.write(self.style.SUCCESS(f"Budgetuppföljning: {url}"))
                self.stdout.write(f"Demoanvändare (lösenord: {users_data['password']}):")
                for u in users:
                    where = f" – {', '.join(u.committees)}" if u.committees else ""
                    note = "" if u.created else " (fanns redan; lösenordet är oförändrat)"
                    self.stdout.write(f"  {u.username:22} {u.role}{where}{note}")
