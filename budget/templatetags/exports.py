"""A link that downloads one of the page's tables as shown (budget.middleware)."""

from django import template
from django.utils.html import format_html
from django.utils.text import slugify

register = template.Library()


@register.simple_tag(takes_context=True)
def table_export(context, table_id, name="", label="Ladda ned tabellen som den visas (Excel)"):
    """The link; ``name`` (the table's caption) tells screen-reader users which table."""
    request = context["request"]
    query = request.GET.copy()
    query["export"] = "xlsx"
    query["tabell"] = table_id
    return format_html(
        '<p class="table-export"><a href="{}?{}" download data-progress>{}'
        '<span class="visually-hidden">{}</span></a></p>',
        request.path,
        query.urlencode(),
        label,
        f": {name}" if name else "",
    )


@register.simple_tag
def table_id(table) -> str:
    """A django-tables2 table's id on the page: from its prefix and caption."""
    name = slugify(f"{table.prefix} {getattr(table, 'caption', '') or 'tabell'}")
    return f"tabell-{name}"


@register.simple_tag(takes_context=True)
def table_export_of(context, table):
    return table_export(context, table_id(table), getattr(table, "caption", "") or "")
