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

{% titled_section %} is a page section named by its own heading::

    {% titled_section "historik" "Historik" %}…{% endtitled_section %}
    {% titled_section "st-" statement.kind statement.title %}…{% endtitled_section %}
    {% titled_section "att-gora" "Dina nämnder" class="panel" level=3 %}…{% endtitled_section %}

renders ``<section aria-labelledby="historik"><h2 id="historik">Historik</h2>…</section>``
(``<section class="panel" aria-labelledby=…><h3 …>`` with the options). The last value is the
heading; the values before it are the id, joined as a table_region label is; each is rendered
and escaped as ``{{ value }}`` would be. ``class`` and ``level`` (2–6, default 2) are optional.
"""

import re

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join

register = template.Library()

_REGION = '<div class="table-wrap" role="region" {}="{}" tabindex="0">{}</div>'


def _joined(parts, context):
    """The values rendered as {{ value }} renders each (localized, escaped unless safe), joined."""
    return format_html_join(
        "", "{}", ((render_value_in_context(p.resolve(context), context),) for p in parts)
    )


class TableRegionNode(template.Node):
    def __init__(self, attribute, parts, nodelist):
        self.attribute = attribute
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        # Each part as {{ part }} renders it: localized, escaped unless already safe. The
        # rendered content is safe already (NodeList.render marks it).
        value = _joined(self.parts, context)
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


_OPTION = re.compile(r"(?P<name>\w+)=(?P<value>.+)")
_SECTION = '<section{} aria-labelledby="{}"><h{} id="{}">{}</h{}>{}</section>'


class TitledSectionNode(template.Node):
    def __init__(self, id_parts, heading, level, css_class, nodelist):
        self.id_parts = id_parts
        self.heading = heading
        self.level = level
        self.css_class = css_class
        self.nodelist = nodelist

    def render(self, context):
        section_id = _joined(self.id_parts, context)
        heading = _joined([self.heading], context)
        css_class = ""
        if self.css_class is not None:
            css_class = format_html(' class="{}"', _joined([self.css_class], context))
        content = self.nodelist.render(context)
        level = self.level
        return format_html(
            _SECTION, css_class, section_id, level, section_id, heading, level, content
        )


@register.tag
def titled_section(parser, token):
    """{% titled_section id… heading [class=…] [level=2..6] %} … {% endtitled_section %}"""
    name, *bits = token.split_contents()
    positional, level, css_class, options = [], 2, None, False
    for bit in bits:
        option = _OPTION.fullmatch(bit)
        options = options or option is not None
        if not options:
            positional.append(parser.compile_filter(bit))
        elif option and option["name"] == "level" and option["value"] in ("2", "3", "4", "5", "6"):
            level = int(option["value"])
        elif option and option["name"] == "class":
            css_class = parser.compile_filter(option["value"])
        else:
            raise template.TemplateSyntaxError(
                f"{name} takes an id, a heading, then class=… and level=2…6: "
                f"{{% {token.contents} %}}"
            )
    if len(positional) < 2:
        raise template.TemplateSyntaxError(
            f"{name} needs an id and a heading: {{% {token.contents} %}}"
        )
    *id_parts, heading = positional
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return TitledSectionNode(id_parts, heading, level, css_class, nodelist)
