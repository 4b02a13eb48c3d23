"""Back up the database, with its control totals and the uploaded files beside it.

SQLite: a copy through SQLite's online backup API, consistent even while the server
writes. PostgreSQL: ``pg_dump --format=custom``, restored with ``pg_restore``. Either way
the totals written beside the backup are those of exactly what the backup holds (the copy
itself on SQLite, pg_dump's own snapshot on PostgreSQL), so ``totals --compare`` after a
restore shows any difference. How to restore: README, "Backup and restore"; why:
docs/decisions/0016-backup-and-restore.md.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from followup.management.commands.totals import lines
from followup.totals import APPS, totals

# How long a SQLite backup waits for a writer that holds the database locked.
SQLITE_LOCKED_SECONDS = 60


def totals_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.totals.txt")


def media_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.media.tar.gz")


def size(path: Path) -> str:
    """A file's size as Swedish writes it: "1 234 567 byte"."""
    return f"{path.stat().st_size:,} byte".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen till en fil: SQLite med SQLites säkerhetskopiering "
        "medan servern kör, PostgreSQL med pg_dump (custom-format, för pg_restore). Bredvid "
        "filen skrivs databasens kontrollsummor (FIL.totals.txt, för totals --compare efter "
        "en återställning) och de uppladdade filerna i MEDIA_ROOT (FIL.media.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FIL",
            help="Filen att skriva (standard i aktuell katalog: "
            "budget-<ÅÅÅÅMMDD-TTMMSS>.sqlite3 eller .dump).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Skriv över filerna om de redan finns."
        )
        parser.add_argument(
            "--pg-dump",
            default="pg_dump",
            metavar="PROGRAM",
            help="pg_dump att använda (standard: pg_dump i PATH); ska vara minst "
            "PostgreSQL-serverns version.",
        )

    def handle(self, *args, output, force, pg_dump, **options):
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(
                f"Säkerhetskopiering stöds för SQLite och PostgreSQL, inte för {vendor} "
                f"({connection.settings_dict['ENGINE']}). Använd databasens egna verktyg."
            )
        path = Path(output or default_name(vendor))
        targets = [path, totals_path(path), media_path(path)]
        existing = [str(t) for t in targets if t.exists()]
        if existing and not force:
            raise CommandError(
                f"{', '.join(existing)} finns redan. Ange --force för att skriva över, "
                "eller välj ett annat filnamn."
            )
        if not path.parent.is_dir():
            raise CommandError(f"Katalogen {path.parent} finns inte.")
        media_root = Path(settings.MEDIA_ROOT)
        if path.resolve().is_relative_to(media_root.resolve()):
            raise CommandError(
                f"Säkerhetskopian kan inte skrivas i MEDIA_ROOT ({media_root}): "
                "den skulle då packas in i sig själv nästa gång."
            )
        if connection.in_atomic_block:
            raise CommandError(
                "Säkerhetskopian kan inte tas inuti en öppen transaktion: den skulle inte "
                "innehålla det som ännu inte är sparat."
            )

        temporary = [temporary_beside(t) for t in targets]
        try:
            if vendor == "sqlite":
                values = backup_sqlite(temporary[0], final=path)
            else:
                values = backup_postgresql(temporary[0], program=pg_dump)
            temporary[1].write_text(lines(values), encoding="utf-8")
            files = archive_media(temporary[2], media_root)
            for made, target in zip(temporary, targets, strict=True):
                os.replace(made, target)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva säkerhetskopian: {exc}.") from exc
        finally:
            for made in temporary:
                made.unlink(missing_ok=True)

        self.stdout.write(f"Säkerhetskopia: {path} ({size(path)}).")
        self.stdout.write(f"Kontrollsummor: {targets[1]} ({len(values)} st).")
        self.stdout.write(
            f"Uppladdade filer: {targets[2]} ({files} {'fil' if files == 1 else 'filer'} "
            f"från {media_root}, {size(targets[2])})."
        )
        missing = missing_files(media_root)
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"Varning: {len(missing)} uppladdade filer som databasen hänvisar till "
                    f"saknas i {media_root}: {', '.join(missing[:10])}"
                    + (" …" if len(missing) > 10 else "")
                )
            )
        self.stdout.write(self.style.SUCCESS("Säkerhetskopieringen är klar."))


def default_name(vendor: str) -> str:
    suffix = "sqlite3" if vendor == "sqlite" else "dump"
    return f"budget-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


def temporary_beside(path: Path) -> Path:
    """An empty file, readable by its owner only, in the target's directory: written there
    first and renamed at the end, so a failure never leaves half a backup under the name."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


class _Locked(Exception):
    pass


def backup_sqlite(target: Path, *, final: Path) -> dict[str, str]:
    """Copy the SQLite database to ``target`` with SQLite's online backup; its totals.

    One read transaction holds the copy and the totals together: both see the same
    committed state, and a writer waits (as for any reader) until both are done.
    """
    if not connection.is_in_memory_db():
        database = Path(connection.settings_dict["NAME"]).resolve()
        if database == final.resolve():
            raise CommandError(f"Säkerhetskopian kan inte skrivas över databasen själv ({final}).")
    connection.ensure_connection()
    source = connection.connection
    started = time.monotonic()

    def progress(status, remaining, total):
        locked = status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        if locked and time.monotonic() - started > SQLITE_LOCKED_SECONDS:
            raise _Locked

    copy = sqlite3.connect(target)
    try:
        # A deferred (read) transaction, not Django's atomic(): that one begins IMMEDIATE,
        # a write lock, and SQLite's backup from a connection holding it never proceeds.
        source.execute("BEGIN DEFERRED")
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            # The whole database in one step, under the read lock: a consistent copy.
            source.backup(copy, progress=progress)
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise CommandError(
                    f"Kopian klarade inte SQLites kontroll (integrity_check): {check}."
                )
            return totals()
        finally:
            source.execute("COMMIT")  # only read: releases the lock
    except _Locked:
        raise CommandError(
            f"Databasen var låst av en annan skrivning i mer än {SQLITE_LOCKED_SECONDS} "
            "sekunder; ingen säkerhetskopia skrevs. Försök igen."
        ) from None
    except sqlite3.Error as exc:
        raise CommandError(f"Säkerhetskopieringen misslyckades: {exc}.") from exc
    finally:
        copy.close()


def pg_connection(db: dict) -> tuple[list[str], dict[str, str]]:
    """How PostgreSQL's programs (pg_dump, pg_restore) reach the server of ``db`` (a
    connection's ``settings_dict``): the options for host, port and user, and an environment
    with the password (never on the command line) and the TLS settings."""
    options = [
        f"{option}={db[key]}"
        for key, option in (("HOST", "--host"), ("PORT", "--port"), ("USER", "--username"))
        if db.get(key)
    ]
    environment = os.environ.copy()
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if db.get("OPTIONS", {}).get(option):
            environment[variable] = str(db["OPTIONS"][option])
    return options, environment


def backup_postgresql(target: Path, *, program: str) -> dict[str, str]:
    """pg_dump to ``target`` in the custom format; the totals of the same snapshot.

    A repeatable-read transaction exports its snapshot and pg_dump dumps exactly that
    snapshot (``--snapshot``), so what the server writes meanwhile is in neither.
    """
    found = shutil.which(program)
    if found is None:
        raise CommandError(
            f"{program} finns inte. Installera PostgreSQL:s klientprogram (postgresql-client) "
            "i samma version som servern, eller ange programmet med --pg-dump."
        )
    db = connection.settings_dict
    options, environment = pg_connection(db)
    command = [
        found,
        "--format=custom",
        "--no-owner",
        "--no-password",
        f"--file={target}",
        *options,
    ]
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [*command, f"--snapshot={snapshot}", f"--dbname={db['NAME']}"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(
                f"pg_dump misslyckades (slutkod {result.returncode}): {result.stderr.strip()}"
            )
        return totals()


def archive_media(target: Path, root: Path) -> int:
    """The uploaded files (MEDIA_ROOT) as a gzipped tar, paths relative to MEDIA_ROOT;
    how many files. An empty archive if there are none, so a restore is always the same."""
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                archive.add(child, arcname=child.name)
            count = sum(1 for p in root.rglob("*") if p.is_file())
    return count


def missing_files(root: Path) -> list[str]:
    """Uploaded files the database refers to that are not in MEDIA_ROOT."""
    missing = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.FileField):
                    continue
                names = (
                    model._base_manager.exclude(**{field.attname: ""})
                    .order_by()
                    .values_list(field.attname, flat=True)
                )
                missing.extend(name for name in names if not (root / name).is_file())
    return sorted(missing)
