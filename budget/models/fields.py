from django.db import models


def AmountField(verbose_name="belopp (kr)", **kwargs):  # noqa: N802 - reads like a field class
    """Money in kronor, exact to the öre. Never a float."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)
