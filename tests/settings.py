"""The settings the test suite runs with: the application's own, with a fast password hasher.

PBKDF2 at Django's iteration count costs about 0.3 s per password; the suite signs in
hundreds of personas. The hasher is no part of what the tests check (the production
settings are checked in test_settings.py, in a process of their own).
"""

import os

from hedemora.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# On SQLite the test database is migrated once per set of migrations, not once per test
# process (tests/sqlite_backend).
# The test database stays in memory, as Django's default; said outright, because
# pytest-django knows an in-memory test database only by the engine's name or this one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.sqlite_backend"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# On PostgreSQL the history refuses TRUNCATE (budget/append_only.py) unless the session
# allows it: the flush after each test with real transactions empties every table.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c budget.allow_truncate=on".strip()

# Each test process keeps its own keys in the cache (with REDIS_URL, as in CI, one Redis
# server is shared by pytest-xdist's workers); tests/cache.py empties them.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
