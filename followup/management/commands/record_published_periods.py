"""Records for periods published before records were kept (docs/decisions/0020)."""

from django.core.management.base import BaseCommand

from budget.audit import Actor
from followup.periods.record import record_earlier_publications


class Command(BaseCommand):
    help = (
        "Sparar vad varje publicerad period visar, för perioder som publicerades innan "
        "publicerade uppgifter sparades (körs en gång vid uppgraderingen). Därefter ändras "
        "de inte av senare ändringar; en rättelse görs på periodsidan."
    )

    def handle(self, *args, **options):
        written = record_earlier_publications(actor=Actor(name="record_published_periods"))
        for kept in written:
            self.stdout.write(f"Sparad: {kept.period} ({kept.period.plan.municipality}).")
        self.stdout.write(
            f"{len(written)} publicerade perioder sparades."
            if written
            else "Alla publicerade perioder har redan sina sparade uppgifter."
        )
