"""On PostgreSQL the database itself refuses to change or delete history entries.

(SQLite, the embedded development default, relies on the model and queryset
guards: a trigger there would also block the test runner's table flush.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION budget_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Historiken kan inte ändras eller raderas (budget_auditentry är append-only)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER budget_auditentry_append_only
    BEFORE UPDATE OR DELETE ON budget_auditentry
    FOR EACH ROW EXECUTE FUNCTION budget_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS budget_auditentry_append_only ON budget_auditentry;
DROP FUNCTION IF EXISTS budget_auditentry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("budget", "0003_audit_trail")]

    operations = [migrations.RunPython(create, drop)]
