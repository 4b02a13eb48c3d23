"""The database's own guard for append-only tables (the audit trail, the report notes, the
records of published periods): on PostgreSQL a trigger refuses UPDATE and DELETE on the
table, whatever the application does. SQLite, the embedded default, relies on the models'
and querysets' guards (budget.models.audit.AppendOnly): a trigger there would also block
the test runner's table flush.

A migration adds the guard with ``append_only_trigger(table, message)``, an operation that
runs on PostgreSQL only and is reversed by dropping the trigger.

TRUNCATE fires no row trigger, so ``truncate_trigger(table, message)`` adds a statement
trigger that refuses it too: ``manage.py flush`` cannot empty the history. A session that
really means to empty the tables says so with ``SET budget.allow_truncate = 'on'`` (the
test suite's connections do, for the flush after each test with real transactions; see
tests/settings.py). Whoever may run that could as well drop the trigger: the guard stops
mistakes, as the other triggers do, not the database's owner.
"""

from django.db import migrations


def _quoted(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def _trigger(name: str, table: str, *, before: str, each: str, body: str) -> migrations.RunPython:
    """A trigger ``name`` on ``table`` with a function of its own, run ``before`` the event
    for each row or statement; created on migrating and dropped on reversing, on PostgreSQL
    only."""
    create = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
{body}
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}
    BEFORE {before} ON {table}
    FOR EACH {each} EXECUTE FUNCTION {name}();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {name} ON {table};
DROP FUNCTION IF EXISTS {name}();
"""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


def append_only_trigger(table: str, message: str) -> migrations.RunPython:
    """The migration operation that guards ``table``; ``message`` is the database's refusal
    (Swedish)."""
    return _trigger(
        f"{table}_append_only",
        table,
        before="UPDATE OR DELETE",
        each="ROW",
        body=f"    RAISE EXCEPTION {_quoted(message)};",
    )


ALLOW_TRUNCATE = "budget.allow_truncate"


def truncate_trigger(table: str, message: str) -> migrations.RunPython:
    """The migration operation that refuses TRUNCATE on ``table`` unless the session has set
    ``budget.allow_truncate`` to ``on``; ``message`` is the database's refusal (Swedish)."""
    return _trigger(
        f"{table}_no_truncate",
        table,
        before="TRUNCATE",
        each="STATEMENT",
        body=f"""    IF coalesce(current_setting('{ALLOW_TRUNCATE}', true), '') <> 'on' THEN
        RAISE EXCEPTION {_quoted(message)};
    END IF;
    RETURN NULL;""",
    )
