"""{% table_region %}: the scrollable table region, as the templates wrote it by hand."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
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


def test_the_content_is_rendered_with_its_context_and_escaping():
    tag = render(
        '{% table_region "T" %}<td>{{ cell }}</td>{% if show %}<p>ja</p>{% endif %}'
        "{% endtable_region %}",
        cell="<b>",
        show=True,
    )
    assert tag.endswith('tabindex="0"><td>&lt;b&gt;</td><p>ja</p></div>')


def test_blocks_inside_a_region_can_be_overridden():
    # tables/table.html puts {% block table %} inside the region; a child template fills it.
    from django.template import engines

    engine = engines["django"].engine
    parent = engine.from_string(
        '{% load layout %}{% table_region "T" %}{% block table %}förälder{% endblock %}'
        "{% endtable_region %}"
    )
    child = engine.from_string("{% extends parent %}{% block table %}barn{% endblock %}")
    assert child.render(Context({"parent": parent})).endswith('tabindex="0">barn</div>')


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
