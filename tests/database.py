"""What only PostgreSQL checks: tests that need it skip on SQLite, and the database's own
triggers are reached with raw SQL, past the application."""

import pytest
from django.db import DatabaseError, connection, transaction


def require_postgresql(needs: str) -> None:
    """Skip the test unless it runs on PostgreSQL; ``needs`` says what it needs PostgreSQL for."""
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL: {needs} "
            "(run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/budget_dev)"
        )


def assert_refused_by_the_database(statement: str, params, match: str) -> None:
    """``statement`` (raw SQL with ``params``), run in a transaction of its own, is refused by
    the database with an error that matches ``match``."""
    with pytest.raises(DatabaseError, match=match):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
