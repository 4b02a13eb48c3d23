"""{% table_region %}, {% data_table %} and {% titled_section %}: layout as the templates wrote
it by hand."""

import pytest
from django.template import Context, Template, TemplateSyntaxError, engines
from django.utils.safestring import mark_safe


def render(source, **context):
    return Template("{% load layout %}" + source).render(Context(context))


def test_a_region_is_the_markup_the_templates_wrote_by_hand():
    inner = '\n    <table class="table"><caption>Ram</caption></table>\n'
    by_hand = (
        '<div class="table-wrap" role="region" aria-label="Förutsättningar" tabindex="0">'
        + inner
        + "</div>"
    )
    tag = render('{% table_region "Förutsättningar" %}' + inner + "{% endtable_region %}")
    assert tag == by_hand


def test_the_label_is_joined_from_strings_and_variables_as_the_attribute_was():
    by_hand = Template(
        '<div class="table-wrap" role="region" aria-label="Ram {{ main }}, {{ n }}" tabindex="0">'
        "x</div>"
    ).render(Context({"main": "Kultur & fritid", "n": 1234}))
    tag = render(
        '{% table_region "Ram " main ", " n %}x{% endtable_region %}',
        main="Kultur & fritid",
        n=1234,
    )
    assert tag == by_hand
    # Localized as {{ n }} is: Swedish thousands with a no-break space.
    assert 'aria-label="Ram Kultur &amp; fritid, 1\u00a0234"' in tag


def test_the_label_is_escaped_and_a_safe_value_is_not_escaped_twice():
    tag = render(
        "{% table_region label %}{% endtable_region %}", label='"><script>alert(1)</script>'
    )
    assert "<script>" not in tag
    assert 'aria-label="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in tag
    assert 'aria-label="A &amp; B"' in render(
        "{% table_region label %}{% endtable_region %}", label=mark_safe("A &amp; B")
    )


def test_filters_work_in_the_label():
    tag = render("{% table_region caption|default:'Tabell' %}{% endtable_region %}", caption="")
    assert 'aria-label="Tabell"' in tag


def test_labelledby_names_the_region_by_an_element_id():
    tag = render(
        '{% table_region labelledby "st-" kind %}<table></table>{% endtable_region %}',
        kind="resultat",
    )
    assert tag == (
        '<div class="table-wrap" role="region" aria-labelledby="st-resultat" tabindex="0">'
        "<table></table></div>"
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% table_region %}{% endtable_region %}",
        "{% table_region labelledby %}{% endtable_region %}",
        '{% table_region "T" %}',
    ],
)
def test_a_region_without_label_or_end_is_a_syntax_error(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


# {% data_table %}: the region with the table and its caption, as the templates wrote them.


def test_a_data_table_is_the_region_table_and_caption_the_templates_wrote_by_hand():
    rows = "<thead><tr><th>Ram</th></tr></thead><tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>"
    by_hand = Template(
        '<div class="table-wrap" role="region" aria-label="Ram {{ main }}" tabindex="0">'
        '<table class="table"><caption class="visually-hidden">Ram {{ main }} per verksamhet'
        "</caption>" + rows + "</table></div>"
    ).render(Context({"main": 110, "rows": ["<b>", 1234]}))
    tag = render(
        '{% data_table "Ram " main hidden_caption="Ram " main " per verksamhet" %}'
        + rows
        + "{% enddata_table %}",
        main=110,
        rows=["<b>", 1234],
    )
    assert tag == by_hand
    assert "<td>&lt;b&gt;</td></tr><tr><td>1\u00a0234</td>" in tag


def test_a_shown_caption_with_classes_and_an_id_labelled_by_an_element():
    tag = render(
        '{% data_table labelledby "nyckeltal-" code caption=name ", " place class="table-compact'
        ' table-narrow" id="tabell-" code %}x{% enddata_table %}',
        code="N01",
        name="Kostnad & intäkt",
        place="Hedemora",
    )
    assert tag == (
        '<div class="table-wrap" role="region" aria-labelledby="nyckeltal-N01" tabindex="0">'
        '<table id="tabell-N01" class="table table-compact table-narrow">'
        "<caption>Kostnad &amp; intäkt, Hedemora</caption>x</table></div>"
    )


def test_the_caption_is_escaped_and_a_value_built_by_a_tag_is_not_escaped_twice():
    evil = '"><script>alert(1)</script>'
    tag = render("{% data_table 'T' caption=evil %}{% enddata_table %}", evil=evil)
    assert "<script>" not in tag
    assert "<caption>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</caption>" in tag
    safe = render(
        "{% data_table 'T' caption='Rader. ' hint %}{% enddata_table %}",
        hint=mark_safe("A &amp; B"),
    )
    assert "<caption>Rader. A &amp; B</caption>" in safe


@pytest.mark.parametrize(
    "source",
    [
        "{% data_table caption='C' %}{% enddata_table %}",
        "{% data_table labelledby caption='C' %}{% enddata_table %}",
        "{% data_table 'T' %}{% enddata_table %}",
        "{% data_table 'T' caption='C' hidden_caption='C' %}{% enddata_table %}",
        "{% data_table 'T' caption='C' caption='D' %}{% enddata_table %}",
        "{% data_table 'T' caption='C' style='x' %}{% enddata_table %}",
        "{% data_table 'T' caption='C' %}",
    ],
)
def test_a_data_table_needs_a_label_one_caption_known_options_and_an_end(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


# {% titled_section %}: a section named by its own heading, as the templates wrote it by hand.


def test_a_section_is_the_markup_the_templates_wrote_by_hand():
    inner = "\n    <p>Innehåll</p>\n"
    by_hand = '<section aria-labelledby="historik"><h2 id="historik">Historik</h2>' + inner
    by_hand += "</section>"
    tag = render('{% titled_section "historik" "Historik" %}' + inner + "{% endtitled_section %}")
    assert tag == by_hand


def test_the_id_is_joined_and_the_heading_rendered_as_the_hand_written_markup_was():
    context = {"kind": "resultat", "title": "Resultat & balans", "n": 1234}
    by_hand = Template(
        '<section aria-labelledby="st-{{ kind }}{{ n }}"><h2 id="st-{{ kind }}{{ n }}">'
        "{{ title }}</h2>x</section>"
    ).render(Context(context))
    tag = render(
        "{% titled_section 'st-' kind n title %}x{% endtitled_section %}",
        **context,
    )
    assert tag == by_hand
    assert '<h2 id="st-resultat1\u00a0234">Resultat &amp; balans</h2>' in tag


def test_class_and_level_give_the_other_hand_written_forms():
    tag = render(
        '{% titled_section "att-gora" "Dina nämnder" class="panel" level=3 %}x'
        "{% endtitled_section %}"
    )
    assert tag == (
        '<section class="panel" aria-labelledby="att-gora"><h3 id="att-gora">Dina nämnder</h3>'
        "x</section>"
    )
    assert render(
        "{% titled_section 'a' 'B' class=kind|upper %}{% endtitled_section %}", kind="<p>"
    ).startswith('<section class="&lt;P&gt;" aria-labelledby="a">')


def test_the_id_and_heading_are_escaped_and_a_safe_value_is_not_escaped_twice():
    evil = '"><script>alert(1)</script>'
    tag = render("{% titled_section key heading %}{% endtitled_section %}", key=evil, heading=evil)
    assert "<script>" not in tag
    escaped = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert tag == (
        f'<section aria-labelledby="{escaped}"><h2 id="{escaped}">{escaped}</h2></section>'
    )
    safe = render(
        "{% titled_section 'a' heading %}{% endtitled_section %}", heading=mark_safe("A &amp; B")
    )
    assert '<h2 id="a">A &amp; B</h2>' in safe


@pytest.mark.parametrize(
    "source",
    [
        "{% titled_section %}{% endtitled_section %}",
        "{% titled_section 'a' %}{% endtitled_section %}",
        "{% titled_section 'a' 'B' %}",
        "{% titled_section 'a' 'B' level=1 %}{% endtitled_section %}",
        "{% titled_section 'a' 'B' level=23 %}{% endtitled_section %}",
        "{% titled_section 'a' 'B' id='c' %}{% endtitled_section %}",
        "{% titled_section 'a' class='c' 'B' %}{% endtitled_section %}",
    ],
)
def test_a_section_without_id_heading_or_end_or_with_a_bad_option_is_a_syntax_error(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


# What each block tag does with its content: the tag, its end, and the markup just before
# and just after the content.
BLOCK_TAGS = [
    pytest.param('{% table_region "T" %}', "{% endtable_region %}", 'tabindex="0">', "</div>"),
    pytest.param(
        "{% data_table 'T' caption='C' %}", "{% enddata_table %}", "</caption>", "</table></div>"
    ),
    pytest.param("{% titled_section 'a' 'B' %}", "{% endtitled_section %}", "</h2>", "</section>"),
]


@pytest.mark.parametrize(("start", "end", "before", "after"), BLOCK_TAGS)
def test_the_content_is_rendered_with_its_context_and_escaping(start, end, before, after):
    tag = render(
        start
        + "{% for c in cells %}<td>{{ c }}</td>{% endfor %}{% if show %}<p>ja</p>{% endif %}"
        + end,
        cells=["<b>", "1"],
        show=True,
    )
    assert tag.endswith(before + "<td>&lt;b&gt;</td><td>1</td><p>ja</p>" + after)


@pytest.mark.parametrize(("start", "end", "before", "after"), BLOCK_TAGS)
def test_blocks_inside_the_tag_can_be_overridden(start, end, before, after):
    # tables/table.html puts {% block table %} inside the region; a child template fills it.
    engine = engines["django"].engine
    parent = engine.from_string(
        "{% load layout %}" + start + "{% block body %}förälder{% endblock %}" + end
    )
    child = engine.from_string("{% extends parent %}{% block body %}barn{% endblock %}")
    assert child.render(Context({"parent": parent})).endswith(before + "barn" + after)
