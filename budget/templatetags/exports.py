"""A link that downloads one of the page's tables as shown (budget.middleware)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_export(context, table_id, label="Ladda ned tabellen som den visas (Excel)"):
    request = context["request"]
    query = request.GET.copy()
    query["export"] = "xlsx"
    query["tabell"] = table_id
    return format_html(
        '<p class="table-export"><a href="{}?{}" download data-progress>{}</a></p>',
        request.path,
        query.urlencode(),
        label,
    )
