from django.db import models


def AmountField(verbose_name="belopp (kr)", **kwargs):  # noqa: N802 - reads like a field class
    """Money in kronor, exact to the öre. Never a float."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def OptionalReference(to, verbose_name=None, *, related_name=None):  # noqa: N802 - reads like a field class
    """A reference that may be empty and keeps what it points at: a row it names cannot be
    deleted (PROTECT)."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def UserReference(verbose_name):  # noqa: N802 - reads like a field class
    """Who did something: kept even when the account is deactivated (never deleted)."""
    from django.conf import settings

    return OptionalReference(settings.AUTH_USER_MODEL, verbose_name, related_name="+")
