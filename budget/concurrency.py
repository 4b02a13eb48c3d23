"""Stale saves: a form carries the version of what it showed, and a save against a newer
version is refused, so that nobody overwrites someone else's change unseen.

The version is a row's ``row_version`` (0 while the row does not exist yet), or a token
computed from several rows (``forecasts_version``, ``figures_version``, ``access_version``).
The caller locks the rows (``select_for_update``) before it compares, and raises its own
feature's exception (a Swedish message the page shows beside the user's typed values).
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction


def row_version(row) -> int:
    """A row's version as a form carries it: 0 for a row not created yet."""
    return 0 if row is None else row.row_version


def check_version(*, shown, current, stale: Callable[[], Exception]) -> None:
    """Raise ``stale()`` when the version the form was shown with (``shown``) is not the
    current one. ``shown`` None means no form is behind the save (an import, a command,
    a demo): nothing to compare."""
    if shown is not None and shown != current:
        raise stale()


def create_or_stale(model, *, stale: Callable[[], Exception], **values):
    """Create a row that a unique constraint keeps single. When someone else created it at
    the same moment, this save was made against a row it did not see: ``stale()`` is raised
    from the IntegrityError (the savepoint keeps the caller's transaction usable)."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError as exc:
        raise stale() from exc
