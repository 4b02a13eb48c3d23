"""Look-ups the management commands share, with their Swedish refusals."""

from django.core.management.base import CommandError
from django.db.models import Q

from budget.models import BudgetPlan


def add_municipality_argument(parser):
    """--municipality, for ``find_plan`` where several municipalities have a plan."""
    parser.add_argument(
        "--municipality",
        help="Kommunens namn eller Kolada-id, om flera kommuner har en budget för året.",
    )


def find_plan(
    year: int, municipality: str | None, *, choose: str = "; ange --municipality"
) -> BudgetPlan:
    """The year's adopted plan (of the named municipality, where there are several;
    ``choose`` tells how to name one)."""
    plans = BudgetPlan.objects.filter(year=year, status=BudgetPlan.Status.ADOPTED)
    if municipality:
        plans = plans.filter(
            Q(municipality__name__iexact=municipality) | Q(municipality__kolada_id=municipality)
        )
    plans = list(plans.select_related("municipality").order_by("municipality__name", "id"))
    if not plans:
        where = f" för {municipality}" if municipality else ""
        raise CommandError(f"Det finns ingen fastställd budget för {year}{where}.")
    if len(plans) > 1:
        names = ", ".join(p.municipality.name for p in plans)
        raise CommandError(f"Flera kommuner har en fastställd budget för {year} ({names}){choose}.")
    return plans[0]
