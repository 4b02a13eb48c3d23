"""The comparisons of the interim report and the annual accounts: the outcome so far and
finance's note beside each statement figure, last year's outcome per statement line and
committee, and finance's assessment of god ekonomisk hushållning per period."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0010_municipality_single_officer_exception"),
        ("followup", "0017_report_note_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="statementfigure",
            name="note",
            field=models.TextField(blank=True, verbose_name="anmärkning"),
        ),
        migrations.AddField(
            model_name="statementfigure",
            name="outcome_to_date",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=18,
                null=True,
                verbose_name="utfall hittills i år (kr)",
            ),
        ),
        migrations.CreateModel(
            name="StewardshipAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="registrerad")),
                ("row_version", models.PositiveIntegerField(default=1, verbose_name="radversion")),
                ("text", models.TextField(verbose_name="bedömning av god ekonomisk hushållning")),
                (
                    "period",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="stewardship_assessment",
                        to="followup.reportingperiod",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registrerad av",
                    ),
                ),
            ],
            options={
                "verbose_name": "bedömning av god ekonomisk hushållning",
                "verbose_name_plural": "bedömningar av god ekonomisk hushållning",
                "ordering": ["period", "id"],
            },
        ),
        migrations.CreateModel(
            name="PreviousYearFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="registrerad")),
                (
                    "months",
                    models.PositiveSmallIntegerField(verbose_name="månader (januari till och med)"),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="utfall föregående år (kr)"
                    ),
                ),
                (
                    "demo",
                    models.BooleanField(
                        default=False,
                        help_text="Beloppet är en påhittad demouppgift.",
                        verbose_name="demodata",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="budget.committee",
                        verbose_name="nämnd",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="budget.statementline",
                        verbose_name="rad",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="previous_year_figures",
                        to="budget.budgetplan",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registrerad av",
                    ),
                ),
            ],
            options={
                "verbose_name": "utfall föregående år",
                "verbose_name_plural": "utfall föregående år",
                "ordering": ["plan", "line", "committee", "months", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("line__isnull", False), ("committee__isnull", True)),
                            models.Q(("line__isnull", True), ("committee__isnull", False)),
                            _connector="OR",
                        ),
                        name="previous_year_figure_line_or_committee",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("months__gte", 1), ("months__lte", 12)),
                        name="previous_year_figure_months_valid",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("line__isnull", False)),
                        fields=("plan", "line", "months"),
                        name="previous_year_figure_line_unique",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("committee__isnull", False)),
                        fields=("plan", "committee", "months"),
                        name="previous_year_figure_committee_unique",
                    ),
                ],
            },
        ),
    ]
