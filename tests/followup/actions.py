"""Action plans as the tests arrange them."""

from datetime import date
from decimal import Decimal


def new_measure(**fields) -> dict:
    """A new measure as ``save_measures`` takes it: vacancies left unfilled, 3 mkr, due at
    the end of August, planned; ``fields`` say otherwise."""
    return {
        "id": None,
        "description": "Vakanser tillsätts inte",
        "expected_effect": Decimal("3000000"),
        "responsible": "Förvaltningschef",
        "due_date": date(2026, 8, 31),
        "status": "planerad",
    } | fields
