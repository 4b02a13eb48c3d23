"""The test suite's SQLite backend: Django's own (a documented way to change a backend is
to subclass it), with a test database migrated once per set of migrations instead of once
per test process.

Migrating the empty in-memory test database costs each pytest-xdist worker about 2,7 s of
CPU, most of it Django rendering the migrations' model states. The first process to migrate
keeps a copy in the system's temporary folder, named by a hash of the migration files,
Django's version and SQLite's; the next processes copy it into their in-memory database
with SQLite's backup API (milliseconds). A changed migration gives a new name, so a stale
copy is never read. tests/settings.py uses this backend when the suite runs on SQLite.
"""

import hashlib
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db.backends.sqlite3 import base, creation


def _template() -> Path:
    """Where the migrated database of these migrations is kept."""
    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return Path(tempfile.gettempdir()) / f"budget-test-db-{digest.hexdigest()[:16]}.sqlite3"


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        if keepdb or not self.is_in_memory_db(name):
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        template = _template()
        if not template.is_file():
            name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
            # Written aside and renamed: a process that reads it finds it whole.
            partial = template.with_name(f"{template.name}.{os.getpid()}")
            with closing(sqlite3.connect(partial)) as copy:
                self.connection.connection.backup(copy)
            partial.replace(template)
            return name
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        with closing(sqlite3.connect(template)) as migrated:
            migrated.backup(self.connection.connection)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
