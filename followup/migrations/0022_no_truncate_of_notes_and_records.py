"""On PostgreSQL the report notes and the records of published periods cannot be emptied
with TRUNCATE either (0013 and 0017 refuse UPDATE and DELETE row by row; TRUNCATE fires no
row trigger). budget/append_only.py
"""

from django.db import migrations

from budget.append_only import truncate_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0011_audit_no_truncate_trigger"),
        ("followup", "0021_kolada_group_and_references"),
    ]

    operations = [
        truncate_trigger(
            "followup_reportnote",
            "Rapporternas trådar kan inte tömmas (followup_reportnote är append-only)",
        ),
        truncate_trigger(
            "followup_periodrecord",
            "Publicerade periodernas uppgifter kan inte tömmas (followup_periodrecord är "
            "append-only)",
        ),
    ]
