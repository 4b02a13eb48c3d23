"""The report form's table is written out in Python (followup.reports.report_table), not
through a widget template per field: each field is exactly what Django's widget templates
would give, and the page costs the same few queries however many activities it shows."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.html import format_html

from budget.models import Activity, Committee
from followup.models import Report
from followup.reports.forms import ReportForm
from followup.reports.report_table import plain_field, rows

STORED = SimpleNamespace(
    activity=SimpleNamespace(pk=7, name="Grundskola <F–9> & fritids"),
    outcome=Decimal("-130825049.99"),
    forecast=None,
    comment="Första raden\n<b>andra</b> & sista",
    budget=Decimal("-523300000"),
    budget_to_date=Decimal("-130825000.00"),
    previous_forecast=Decimal("-520000000"),
    outcome_deviation=Decimal("-49.99"),
    deviation=None,
    restrictive=False,
)


def form(data=None):
    form = ReportForm(data, initial={"row_version": 3}, lines=[STORED], asks_forecast=True)
    if data is not None:
        form.is_valid()
    return form


def as_django_writes_it(form, name):
    """The field as templates/followup/report.html wrote it with Django's widget templates:
    a label for screen readers, the widget, its errors."""
    field = form[name]
    label = format_html(
        '<label class="visually-hidden" for="{}">{}</label>', field.id_for_label, field.label
    )
    return label + str(field) + (str(field.errors) if field.errors else "")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (None, "outcome_7"),  # a stored amount, in tkr with one decimal
        (None, "forecast_7"),  # none stored: no value
        (None, "comment_7"),  # lines and markup in a text area
        ({"row_version": "3", "outcome_7": "tjugo"}, "outcome_7"),  # refused, with its error
        ({"row_version": "3", "forecast_7": "−1 207,5"}, "forecast_7"),  # as typed
        ({"row_version": "3", "comment_7": "x" * 4001}, "comment_7"),  # too long
        ({"row_version": "3", "comment_7": '"&<'}, "comment_7"),
    ],
)
def test_a_field_is_written_as_djangos_widget_templates_write_it(data, name):
    shown = form(data)

    assert plain_field(shown, name) == as_django_writes_it(shown, name)


def test_a_refused_amount_is_marked_invalid_and_described_by_its_error():
    written = plain_field(form({"row_version": "3", "outcome_7": "tjugo"}), "outcome_7")

    assert 'aria-invalid="true" aria-describedby="id_outcome_7_error"' in written
    assert (
        '<ul class="errorlist" id="id_outcome_7_error"><li>”tjugo” är inte ett belopp.' in written
    )
    assert 'inputmode="decimal"' in written


def test_a_row_carries_the_exact_figures_and_the_fields_while_editable():
    period = SimpleNamespace(asks_forecast=True, month_name="mars")

    editable = rows(form(), [STORED], editable=True, period=period)
    shown = rows(form(), [STORED], editable=False, period=period)

    assert editable.startswith(
        '<tr data-budget="-523300000" data-budget-to-date="-130825000.00"'
        ' data-outcome="-130825049.99">'
    )
    assert '<th scope="row">Grundskola &lt;F–9&gt; &amp; fritids</th>' in editable
    assert '<td class="num" data-label="Budget t.o.m. mars">−130\xa0825</td>' in editable
    assert 'name="outcome_7" value="-130\xa0825,0"' in editable
    assert 'name="comment_7"' in editable
    assert 'data-figure="deviation"></td>' in editable
    assert "<input" not in shown and "<textarea" not in shown
    assert '<td class="num" data-label="Utfall ackumulerat">−130\xa0825</td>' in shown
    assert "Första raden<br>&lt;b&gt;andra&lt;/b&gt; &amp; sista" in shown


def test_a_month_without_a_forecast_has_no_forecast_columns():
    period = SimpleNamespace(asks_forecast=False, month_name="april")
    outcome_only = ReportForm(initial={"row_version": 1}, lines=[STORED], asks_forecast=False)

    row = rows(outcome_only, [STORED], editable=True, period=period)

    assert "Helårsprognos" not in row and "Föregående prognos" not in row
    assert row.count("<td") == 5


def test_the_report_form_costs_the_same_few_queries_however_many_activities_it_shows(
    client, march, bildning_controller, django_assert_max_num_queries
):
    """The draft of a committee of 1 activity, then of 41: no query per activity."""
    from tests.followup.test_report_pages import open_draft, report_url

    open_draft(march, bildning_controller)
    client.force_login(bildning_controller)
    # 20, and 3 for the forecast proposals (followup.forecasts.proposals_for: the report's
    # lines of the years, the profiles, the frames; its period is read already).
    with django_assert_max_num_queries(23) as one:
        assert client.get(report_url()).status_code == 200

    bildning = Committee.objects.get(code="bildningsnamnden")
    Activity.objects.bulk_create(
        Activity(committee=bildning, code=f"extra-{n}", name=f"Verksamhet {n}", position=n)
        for n in range(40)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(report_url())

    assert page.text.count('<input type="text" name="outcome_') == 41
    assert Report.objects.get(committee=bildning).lines.count() == 1  # GET writes none
