"""The list of reallocations: a sortable django-tables2 table, one per section of the page."""

from decimal import Decimal

import django_tables2 as tables
from django.db.models import DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html

from budget.money import format_tkr
from budget.views.tables import NUMERIC
from followup.reallocations.ledger import deciding_body_name


def with_amount_moved(reallocations):
    """Each with ``moved``: the sum of its increases (= its decreases), in kronor."""
    return reallocations.annotate(
        moved=Coalesce(
            Sum("lines__amount", filter=Q(lines__amount__gt=0, lines__withdrawn=False)),
            Decimal(0),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    )


def reallocation_url(reallocation) -> str:
    return reverse(
        "followup:reallocation",
        kwargs={"year": reallocation.plan.year, "number": reallocation.number},
    )


class ReallocationTable(tables.Table):
    number = tables.Column(
        verbose_name="Nummer", linkify=reallocation_url, order_by=("number", "id")
    )
    title = tables.Column(verbose_name="Rubrik")
    kind = tables.Column(verbose_name="Slag")
    status = tables.Column(verbose_name="Status")
    deciding_body = tables.Column(verbose_name="Beslutas av", order_by=("deciding_body", "id"))
    decision = tables.Column(
        verbose_name="Beslut", empty_values=(), order_by=("decided_on", "decision_paragraph")
    )
    moved = tables.Column(verbose_name="Flyttas (tkr)", attrs=NUMERIC)
    budget_year = tables.Column(
        verbose_name="Budgetår", order_by=("budget_year__year", "budget_year__kind")
    )

    class Meta:
        attrs = {"class": "table"}
        order_by = ("number",)
        empty_text = "Inga omfördelningar."
        sequence = (
            "number",
            "title",
            "kind",
            "status",
            "deciding_body",
            "decision",
            "moved",
            "budget_year",
        )

    def render_number(self, record):
        return f"{record.reference} (demo)" if record.demo else record.reference

    def render_status(self, record):
        badge = {"genomford": "ok", "avslagen": "warn"}.get(record.status, "info")
        return format_html(
            '<span class="badge badge-{}">{}</span>', badge, record.get_status_display()
        )

    def render_deciding_body(self, record):
        return deciding_body_name(record)

    def render_decision(self, record):
        return record.decision or "–"

    def render_moved(self, value):
        return format_tkr(value)
