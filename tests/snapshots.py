"""Committed data that tests with real transactions (the browser, backups) load again and
again, built once per test process.

On SQLite the test database is one file in memory: what ``build`` committed is copied
aside the first time (sqlite3's backup API, milliseconds) and copied back for the next
test instead of being built again: the same rows with the same ids. On PostgreSQL it is
built for each test, as before. The database must be empty when it is called (a test with
real transactions starts empty), and what the test adds comes after it.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection

_copies: dict[str, sqlite3.Connection] = {}


def load_once(key: str, build) -> None:
    """Run ``build()`` (it commits), or on SQLite put back what it committed the first time."""
    if connection.vendor != "sqlite":
        build()
        return
    connection.ensure_connection()
    copy = _copies.get(key)
    if copy is not None:
        copy.backup(connection.connection)
        ContentType.objects.clear_cache()  # the ids are the copy's
        return
    build()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _copies[key] = copy
