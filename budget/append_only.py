"""The database's own guard for append-only tables (the audit trail, the report notes, the
records of published periods): on PostgreSQL a trigger refuses UPDATE and DELETE on the
table, whatever the application does. SQLite, the embedded default, relies on the models'
and querysets' guards (budget.models.audit.AppendOnly): a trigger there would also block
the test runner's table flush.

A migration adds the guard with ``append_only_trigger(table, message)``, an operation that
runs on PostgreSQL only and is reversed by dropping the trigger.
"""

from django.db import migrations


def append_only_trigger(table: str, message: str) -> migrations.RunPython:
    """The migration operation that guards ``table``; ``message`` is the database's refusal
    (Swedish)."""
    name = f"{table}_append_only"
    create = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message.replace("'", "''")}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
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
