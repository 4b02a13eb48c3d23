"""Block tags for page layout that repeats around content.

{% table_region %} wraps a wide table in the scrollable, keyboard-reachable region every
table page uses::

    {% load layout %}
    {% table_region "Ram " main %}<table>…</table>{% endtable_region %}
    {% table_region labelledby "st-" statement.kind %}<table>…</table>{% endtable_region %}

renders ``<div class="table-wrap" role="region" aria-label="Ram 110" tabindex="0">…</div>``
(or ``aria-labelledby="st-resultat"``: the region is named by the element with that id). The
label or id is one or more values (strings, variables with filters) joined without a space,
each rendered and escaped as ``{{ value }}`` would be; the content is rendered as it stands,
whitespace included. djlint indents the content because pyproject.toml lists ``table_region``
under ``custom_blocks``.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join

register = template.Library()

_REGION = '<div class="table-wrap" role="region" {}="{}" tabindex="0">{}</div>'


class TableRegionNode(template.Node):
    def __init__(self, attribute, parts, nodelist):
        self.attribute = attribute
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        # Each part as {{ part }} renders it: localized, escaped unless already safe. The
        # rendered content is safe already (NodeList.render marks it).
        value = format_html_join(
            "", "{}", ((render_value_in_context(p.resolve(context), context),) for p in self.parts)
        )
        return format_html(_REGION, self.attribute, value, self.nodelist.render(context))


@register.tag
def table_region(parser, token):
    """{% table_region [labelledby] value… %} … {% endtable_region %}"""
    name, *bits = token.split_contents()
    attribute = "aria-label"
    if bits and bits[0] == "labelledby":
        attribute = "aria-labelledby"
        bits = bits[1:]
    if not bits:
        raise template.TemplateSyntaxError(
            f"{name} needs a label, or labelledby and an id: {{% {token.contents} %}}"
        )
    parts = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return TableRegionNode(attribute, parts, nodelist)
