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
(and ``data_table``, ``titled_section``) under ``custom_blocks``. django-tables2's templates
(tables/table.html) use it around the table they build.

{% data_table %} is a data table the page writes itself: the same region, with the
``<table class="table">`` and its caption in it; the content is the thead, tbody and tfoot::

    {% data_table "Ram " main hidden_caption="Ram " main " per verksamhet" class="table-narrow" %}
        <thead>…</thead><tbody>…</tbody>
    {% enddata_table %}
    {% data_table labelledby "mappings" caption="Kopplingar till Kolada" id="kopplingar" %}…

renders ``<div class="table-wrap" role="region" aria-label="Ram 110" tabindex="0">``
``<table class="table table-narrow"><caption class="visually-hidden">Ram 110 per
verksamhet</caption>…</table></div>`` (``id="…"`` before ``class`` when given). Every table
has a caption: ``caption=`` shows it, ``hidden_caption=`` keeps it for screen readers only
(where the heading above already says it); exactly one of them is required. The label comes
first as for table_region; each option takes one or more values, joined the same way (a value
after ``name=value`` continues that option). ``class`` adds classes to ``table``. A caption
that needs a tag builds it first (``{% sign_hint as sign %}`` … ``caption="Rader. " sign``).

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
from django.utils.safestring import mark_safe

register = template.Library()

_REGION = '<div class="table-wrap" role="region" {}="{}" tabindex="0">{}</div>'


def _joined(parts, context):
    """The values rendered as {{ value }} renders each (localized, escaped unless safe), joined."""
    return format_html_join(
        "", "{}", ((render_value_in_context(p.resolve(context), context),) for p in parts)
    )


def _naming(bits):
    """The attribute that names a region (aria-labelledby after labelledby), and the bits left."""
    if bits and bits[0] == "labelledby":
        return "aria-labelledby", bits[1:]
    return "aria-label", bits


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
    attribute, bits = _naming(bits)
    if not bits:
        raise template.TemplateSyntaxError(
            f"{name} needs a label, or labelledby and an id: {{% {token.contents} %}}"
        )
    parts = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return TableRegionNode(attribute, parts, nodelist)


_OPTION = re.compile(r"(?P<name>\w+)=(?P<value>.+)")
_TABLE = '<table{} class="{}"><caption{}>{}</caption>{}</table>'
_HIDDEN = mark_safe(' class="visually-hidden"')
_TABLE_OPTIONS = ("caption", "hidden_caption", "class", "id")


class DataTableNode(template.Node):
    def __init__(self, attribute, parts, options, nodelist):
        self.attribute = attribute
        self.parts = parts
        self.options = options
        self.nodelist = nodelist

    def render(self, context):
        label = _joined(self.parts, context)
        options = {name: _joined(parts, context) for name, parts in self.options.items()}
        table_id = format_html(' id="{}"', options["id"]) if "id" in options else ""
        classes = format_html("table {}", options["class"]) if "class" in options else "table"
        hidden = "hidden_caption" in options
        caption = options["hidden_caption" if hidden else "caption"]
        content = self.nodelist.render(context)
        table = format_html(_TABLE, table_id, classes, _HIDDEN if hidden else "", caption, content)
        return format_html(_REGION, self.attribute, label, table)


@register.tag
def data_table(parser, token):
    """{% data_table [labelledby] value… caption=value…|hidden_caption=value… [class=…] [id=…] %}"""
    name, *bits = token.split_contents()
    attribute, bits = _naming(bits)
    # The label's values, then each option's: a value after name=value continues that option.
    label, options = [], {}
    values = label
    for bit in bits:
        option = _OPTION.fullmatch(bit)
        if option is None:
            values.append(parser.compile_filter(bit))
        elif option["name"] in _TABLE_OPTIONS and option["name"] not in options:
            values = options[option["name"]] = [parser.compile_filter(option["value"])]
        else:
            values = None
            break
    if values is None or not label or ("caption" in options) == ("hidden_caption" in options):
        raise template.TemplateSyntaxError(
            f"{name} needs a label (or labelledby and an id), then caption=… or "
            f"hidden_caption=…, and may take class=… and id=…: {{% {token.contents} %}}"
        )
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return DataTableNode(attribute, label, options, nodelist)


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
