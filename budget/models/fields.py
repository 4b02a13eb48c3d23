from django.db import models


def AmountField(verbose_name="belopp (kr)", **kwargs):  # noqa: N802 - reads like a field class
    """Money in kronor, exact to the öre. Never a float."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def UserReference(verbose_name):  # noqa: N802 - reads like a field class
    """Who did something: kept even when the account is deactivated (never deleted)."""
    from django.conf import settings

    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
