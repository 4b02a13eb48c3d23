"""Backup and restore: the control totals prove that a restored database holds what the
backed-up one held.

The totals (followup/totals.py) must notice one öre, a hidden row and one history entry,
and sum exactly. ``manage.py backup`` writes the database and its totals side by side; a
SQLite copy opened as the database, and a PostgreSQL dump restored with pg_restore into a
new database, give the same totals, checked by ``manage.py totals --compare`` in a process
of its own, as the operator runs it (README, "Backup and restore").
"""

import os
import subprocess
import sys
import tarfile
from decimal import Decimal
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from budget import audit
from budget.audit import Actor, Area, Scope, Source
from budget.loader import read_toml
from budget.models import Activity, BudgetYear, FrameEntry
from followup.management.commands.backup import media_path, pg_connection, totals_path
from followup.management.commands.totals import differences, lines
from followup.models import Reallocation, ReallocationLine, ReportLine
from followup.reallocations.demo import load_demo_reallocations
from followup.totals import totals
from tests.database import require_postgresql
from tests.followup.test_reallocation_demo import DEMO as DEMO_REALLOCATIONS
from tests.snapshots import load_once
from tests.tooling import require_tool

PLAN = "Budget Hedemora kommun 2026"
POSTGRES_HINT = "apt-get install postgresql-client"


@pytest.fixture
def year_with_reallocations(demo_year, finance_officer, finance_colleague):
    """The demo follow-up through October and the demo reallocations (drawn up by "ekonom",
    decided and applied by "ekonomichef")."""
    finance_officer.username = "ekonom"
    finance_officer.save()
    finance_colleague.username = "ekonomichef"
    finance_colleague.save()
    load_demo_reallocations(read_toml(DEMO_REALLOCATIONS), plan=demo_year)
    return demo_year


def changed(before: dict, after: dict) -> set[str]:
    return {
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    }


# -- the totals ------------------------------------------------------------------------


def test_one_öre_more_in_a_forecast_changes_the_periods_forecast_total(year_with_reallocations):
    line = ReportLine.objects.filter(report__period__month=3).exclude(forecast=None).first()
    before = totals()

    ReportLine.objects.filter(pk=line.pk).update(forecast=F("forecast") + Decimal("0.01"))

    after = totals()
    assert changed(before, after) == {
        f"{PLAN} · period 2026-03 · rapportrader godkand · summa prognos (kr)",
        "Tabell followup_reportline · summa forecast",
    }
    label = f"{PLAN} · period 2026-03 · rapportrader godkand · summa prognos (kr)"
    assert Decimal(after[label]) - Decimal(before[label]) == Decimal("0.01")


def test_a_withdrawn_reallocation_line_is_counted_though_the_default_manager_hides_it(
    year_with_reallocations,
):
    reallocation = Reallocation.objects.get(
        plan=year_with_reallocations, status=Reallocation.Status.PREPARED
    )
    before = totals()

    ReallocationLine.every_line.create(
        reallocation=reallocation,
        activity=Activity.objects.get(code="kommunstyrelsen"),
        amount=Decimal("-250000.00"),
        withdrawn=True,
    )

    after = totals()
    assert not ReallocationLine.objects.filter(withdrawn=True).exists()
    assert after[f"{PLAN} · borttagna omfördelningsrader beredd · antal"] == "1"
    assert after[f"{PLAN} · borttagna omfördelningsrader beredd · summa (kr)"] == "-250000.00"
    assert int(after["Tabell followup_reallocationline · antal rader"]) == (
        int(before["Tabell followup_reallocationline · antal rader"]) + 1
    )


def test_a_new_current_reallocation_line_changes_the_count_even_where_the_lines_net_to_zero(
    year_with_reallocations,
):
    reallocation = Reallocation.objects.get(
        plan=year_with_reallocations, status=Reallocation.Status.PREPARED
    )
    lines_before = list(reallocation.lines.all())
    before = totals()

    # Two more lines that cancel each other: the net sum stays 0,00, the rest does not.
    ReallocationLine.objects.create(
        reallocation=reallocation,
        activity=Activity.objects.get(code="kommunstyrelsen"),
        amount=Decimal("100.00"),
    )
    ReallocationLine.objects.create(
        reallocation=reallocation,
        activity=Activity.objects.get(code="bildningsnamnden"),
        amount=Decimal("-100.00"),
    )

    after = totals()
    assert len(lines_before) == 2
    label = f"{PLAN} · omfördelningsrader beredd"
    assert after[f"{label} · summa (kr)"] == before[f"{label} · summa (kr)"] == "0.00"
    assert after[f"{label} · antal"] == "4"
    assert {f"{label} · summa (kr), positiva belopp", f"{label} · summa (kr), negativa belopp"} <= (
        changed(before, after)
    )


def test_a_history_entry_changes_the_count_and_the_highest_id(year_with_reallocations):
    before = totals()

    entry = audit.record(
        actor=Actor(source=Source.COMMAND, name="test"),
        obj=year_with_reallocations,
        action=audit.Action.CHANGED,
        scope=Scope(area=Area.PLAN, plan=year_with_reallocations),
        field_label="titel",
        old="a",
        new="b",
    )

    after = totals()
    assert int(after["Historik · antal poster"]) == int(before["Historik · antal poster"]) + 1
    assert after["Historik · högsta id"] == str(entry.pk)
    assert after["Historik · senaste postens tidpunkt"] == entry.at.isoformat()


def test_a_thousand_amounts_of_one_öre_sum_to_exactly_ten_kronor(plan):
    budget_2026 = BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    activity = Activity.objects.get(code="kommunstyrelsen")
    table_before = Decimal(totals()["Tabell budget_frameentry · summa amount"])

    FrameEntry.objects.bulk_create(
        FrameEntry(
            activity=activity,
            budget_year=budget_2026,
            kind=FrameEntry.Kind.CHANGE,
            amount=Decimal("0.01"),
            decision=f"test {n}",
        )
        for n in range(1000)
    )

    # SQLite's own SUM adds these as binary floats and gives 9,99999999999983.
    after = totals()
    assert after[f"{PLAN} · ramposter budget-2026 andring · summa (kr)"] == "10.00"
    assert after[f"{PLAN} · ramposter budget-2026 andring · antal"] == "1000"
    assert Decimal(after["Tabell budget_frameentry · summa amount"]) == table_before + 10


def test_the_totals_are_sorted_and_every_amount_in_kronor_is_written_to_the_öre(
    year_with_reallocations,
):
    values = totals()

    assert list(values) == sorted(values)
    in_kronor = {label: value for label, value in values.items() if "(kr)" in label}
    assert len(in_kronor) > 50
    for label, value in in_kronor.items():
        assert Decimal(value) == Decimal(value).quantize(Decimal("0.01")), label
        assert value == format(Decimal(value).quantize(Decimal("0.01")), "f"), label
    assert all("\t" not in label and "\n" not in label for label in values)


def test_every_table_of_the_application_is_counted(year_with_reallocations):
    from django.apps import apps

    values = totals()

    for app in ("budget", "followup"):
        for model in apps.get_app_config(app).get_models():
            assert f"Tabell {model._meta.db_table} · antal rader" in values


# -- manage.py totals ------------------------------------------------------------------


def test_the_command_prints_one_label_tab_value_line_per_total(year_with_reallocations):
    out = StringIO()

    call_command("totals", stdout=out)

    assert out.getvalue() == lines(totals())
    assert all(line.count("\t") == 1 for line in out.getvalue().splitlines())


def test_compare_with_the_same_totals_says_that_all_match(year_with_reallocations, tmp_path):
    saved = tmp_path / "kontroll.txt"
    call_command("totals", output=str(saved), stdout=StringIO())
    out = StringIO()

    call_command("totals", compare=str(saved), stdout=out)

    assert f"Alla kontrollsummor stämmer ({len(totals())} st)." in out.getvalue()


def test_compare_fails_and_names_each_total_that_differs(year_with_reallocations, tmp_path):
    saved = tmp_path / "kontroll.txt"
    call_command("totals", output=str(saved), stdout=StringIO())
    ReportLine.objects.filter(report__period__month=8).exclude(forecast=None).update(
        forecast=F("forecast") - 1
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"2 av \d+ kontrollsummor skiljer sig"):
        call_command("totals", compare=str(saved), stdout=StringIO(), stderr=err)

    label = f"{PLAN} · period 2026-08 · rapportrader godkand · summa prognos (kr)"
    assert f"Kontrollsumman skiljer sig: {label}: " in err.getvalue()
    assert "Kontrollsumman skiljer sig: Tabell followup_reportline · summa forecast" in (
        err.getvalue()
    )


def test_compare_names_a_total_that_is_missing_on_either_side():
    found = differences({"A": "1", "B": "2"}, {"B": "2", "C": "3"})

    assert found == [
        "Kontrollsumman skiljer sig: A: 1 i filen, saknas nu.",
        "Kontrollsumman skiljer sig: C: saknas i filen, 3 nu.",
    ]


def test_compare_refuses_a_file_that_is_not_totals(db, tmp_path):
    wrong = tmp_path / "fel.txt"
    wrong.write_text("det här är ingen kontrollsumma\n", encoding="utf-8")

    with pytest.raises(CommandError, match="rad 1: .* är inte en kontrollsumma"):
        call_command("totals", compare=str(wrong))


# -- manage.py backup: refusals --------------------------------------------------------


def test_a_backup_over_an_existing_file_is_refused_without_force(db, tmp_path):
    target = tmp_path / "budget.backup"
    target.write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match="finns redan. Ange --force"):
        call_command("backup", output=str(target), stdout=StringIO())

    assert target.read_bytes() == b"an earlier backup"
    assert not totals_path(target).exists()
    assert list(tmp_path.iterdir()) == [target]


def test_a_backup_inside_an_open_transaction_is_refused(db, tmp_path):
    # The db fixture runs the test in a transaction: nothing of it is committed yet.
    with pytest.raises(CommandError, match="inuti en öppen transaktion"):
        call_command("backup", output=str(tmp_path / "budget.backup"), stdout=StringIO())

    assert list(tmp_path.iterdir()) == []


# -- manage.py backup and a restore ----------------------------------------------------


def manage(*args, database_url: str) -> subprocess.CompletedProcess:
    """manage.py in a process of its own against ``database_url``, as an operator runs it."""
    environment = os.environ.copy()
    environment["DATABASE_URL"] = database_url
    environment["DJANGO_SETTINGS_MODULE"] = "hedemora.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def parse(output: str) -> dict[str, str]:
    return dict(line.split("\t") for line in output.splitlines())


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite backup: the PostgreSQL run restores with pg_restore below")


@pytest.fixture
def postgres_only():
    require_postgresql("pg_dump and pg_restore")


@pytest.fixture
def committed_demo(transactional_db, settings, tmp_path):
    """Everything `make run` loads (budget, follow-up, reallocations, investments, users),
    committed; uploaded files in a MEDIA_ROOT of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_once("setup_demo", lambda: call_command("setup_demo", stdout=StringIO()))


def test_the_uploaded_files_are_archived_beside_the_backup(committed_demo, tmp_path):
    protocol = settings.MEDIA_ROOT / "protokoll" / "2026" / "kf-2026-04-27.pdf"
    protocol.parent.mkdir(parents=True)
    protocol.write_bytes(b"%PDF-1.4 protokollsutdrag")
    Reallocation.objects.filter(status=Reallocation.Status.APPLIED).update(
        protocol="protokoll/2026/kf-2026-04-27.pdf"
    )
    target = tmp_path / "budget.backup"
    out = StringIO()

    call_command("backup", output=str(target), stdout=out)

    with tarfile.open(media_path(target)) as archive:
        assert archive.extractfile("protokoll/2026/kf-2026-04-27.pdf").read() == (
            b"%PDF-1.4 protokollsutdrag"
        )
    assert "1 fil från" in out.getvalue()
    assert parse(totals_path(target).read_text(encoding="utf-8"))[
        "Tabell followup_reallocation · filer i protocol"
    ] == ("1")


def test_a_sqlite_backup_opened_as_the_database_has_exactly_the_same_totals(
    sqlite_only, committed_demo, tmp_path
):
    target = tmp_path / "budget.sqlite3"
    out = StringIO()

    call_command("backup", output=str(target), stdout=out)

    expected = totals()
    assert f"Säkerhetskopia: {target} (" in out.getvalue()
    assert totals_path(target).read_text(encoding="utf-8") == lines(expected)
    opened = manage("totals", database_url=f"sqlite:///{target}")
    assert opened.returncode == 0, opened.stderr
    assert parse(opened.stdout) == expected
    assert int(expected[f"{PLAN} · period 2026-10 · rapportrader inlamnad · antal"]) > 0
    checked = manage(
        "totals", "--compare", str(totals_path(target)), database_url=f"sqlite:///{target}"
    )
    assert checked.returncode == 0, checked.stderr
    assert f"Alla kontrollsummor stämmer ({len(expected)} st)." in checked.stdout


def test_a_second_backup_under_the_same_name_needs_force_and_then_replaces_it(
    committed_demo, tmp_path
):
    target = tmp_path / "budget.backup"
    call_command("backup", output=str(target), stdout=StringIO())
    first = totals_path(target).read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", output=str(target), stdout=StringIO())
    ReportLine.objects.exclude(forecast=None).filter(report__period__month=3).update(
        forecast=F("forecast") + 1
    )

    call_command("backup", output=str(target), force=True, stdout=StringIO())

    assert totals_path(target).read_text(encoding="utf-8") == lines(totals()) != first
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "budget.backup",
        "budget.backup.media.tar.gz",
        "budget.backup.totals.txt",
    ]


# -- PostgreSQL: pg_dump, then pg_restore into a new database ---------------------------


def postgres_program(name: str) -> str:
    return require_tool(name, POSTGRES_HINT)


def postgres_url(name: str) -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or ''}{port}/{name}"


def run(command: list[str], environment: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{command[0]}: {result.stderr}"
    return result


@pytest.fixture
def restored(postgres_only, committed_demo, tmp_path):
    """The demo backed up with `manage.py backup` and restored as the README says into a
    new database beside the test database (one per xdist worker); dropped at the end."""
    createdb, dropdb, pg_restore = (
        postgres_program(p) for p in ("createdb", "dropdb", "pg_restore")
    )
    postgres_program("pg_dump")
    options, environment = pg_connection(connection.settings_dict)
    name = f"{connection.settings_dict['NAME']}_restore"
    target = tmp_path / "budget.dump"
    call_command("backup", output=str(target), stdout=StringIO())

    run([dropdb, *options, "--if-exists", "--force", name], environment)
    run([createdb, *options, name], environment)
    try:
        run(
            [
                pg_restore,
                *options,
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={name}",
                str(target),
            ],
            environment,
        )
        yield name, target
    finally:
        run([dropdb, *options, "--if-exists", "--force", name], environment)


@pytest.mark.postgres
def test_a_postgresql_dump_restored_into_a_new_database_has_the_same_totals(restored):
    name, target = restored

    migrations = manage("migrate", "--check", database_url=postgres_url(name))
    checked = manage(
        "totals", "--compare", str(totals_path(target)), database_url=postgres_url(name)
    )

    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    assert checked.returncode == 0, checked.stderr
    assert f"Alla kontrollsummor stämmer ({len(totals())} st)." in checked.stdout
    assert totals_path(target).read_text(encoding="utf-8") == lines(totals())


@pytest.mark.postgres
def test_compare_fails_and_names_the_line_when_an_amount_differs_after_a_restore(restored):
    import psycopg

    name, target = restored
    db = connection.settings_dict
    with psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=name,
        autocommit=True,
    ) as restored_db:
        restored_db.execute(
            "UPDATE followup_projectfollowup SET outcome = outcome + 0.01 "
            "WHERE id = (SELECT min(id) FROM followup_projectfollowup)"
        )

    checked = manage(
        "totals", "--compare", str(totals_path(target)), database_url=postgres_url(name)
    )

    assert checked.returncode != 0
    assert "Kontrollsumman skiljer sig: Tabell followup_projectfollowup · summa outcome: " in (
        checked.stderr
    )
    assert "uppföljda investeringsprojekt · summa utfall (kr): " in checked.stderr
    assert "2 av " in checked.stderr
    assert "Alla kontrollsummor stämmer" not in checked.stdout
