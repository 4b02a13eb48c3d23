"""On PostgreSQL the database itself refuses an unbalanced reallocation.

``followup.reallocations.save_draft`` refuses lines that do not sum to zero, and every
transition checks it again; this is the last guard, for any path that writes lines
directly. A constraint trigger, deferred to the commit: while a transaction writes a
reallocation's lines one by one their sum passes through other values, but when it
commits the lines that are not withdrawn must sum to zero, or the commit fails.

(SQLite, the embedded development default, relies on the application's checks.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION followup_reallocation_balanced() RETURNS trigger AS $$
DECLARE
    ids bigint[];
    rid bigint;
    total numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.reallocation_id];
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY[NEW.reallocation_id, OLD.reallocation_id];
    ELSE
        ids := ARRAY[NEW.reallocation_id];
    END IF;
    FOREACH rid IN ARRAY ids LOOP
        SELECT COALESCE(SUM(amount), 0) INTO total
          FROM followup_reallocationline
         WHERE reallocation_id = rid AND NOT withdrawn;
        IF total <> 0 THEN
            RAISE EXCEPTION
                'Budgetomfördelning (id %) summerar till % kr, inte 0: varje ökning ska finansieras av en minskning',
                rid, total
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER followup_reallocationline_balanced
    AFTER INSERT OR UPDATE OR DELETE ON followup_reallocationline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION followup_reallocation_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS followup_reallocationline_balanced ON followup_reallocationline;
DROP FUNCTION IF EXISTS followup_reallocation_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL has literal %


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("followup", "0006_investment_projects")]

    operations = [migrations.RunPython(create, drop)]
