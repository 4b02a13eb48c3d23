"""On PostgreSQL the database itself refuses to change or delete a note in a report's
conversation (as the audit trail and the records of published periods)."""

from django.db import migrations

from budget.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("followup", "0016_remove_report_return_comment")]

    operations = [
        append_only_trigger(
            "followup_reportnote", "En anteckning i rapportens tråd kan inte ändras eller raderas"
        )
    ]
