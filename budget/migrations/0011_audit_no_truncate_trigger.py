"""On PostgreSQL the database itself refuses to empty the history with TRUNCATE (which
fires no row trigger, so 0004's guard let ``manage.py flush`` through). budget/append_only.py
"""

from django.db import migrations

from budget.append_only import truncate_trigger


class Migration(migrations.Migration):
    dependencies = [("budget", "0010_municipality_single_officer_exception")]

    operations = [
        truncate_trigger(
            "budget_auditentry",
            "Historiken kan inte tömmas (budget_auditentry är append-only)",
        )
    ]
