"""The report form's table (templates/followup/report.html), its rows written out here.

A committee has a few hundred activities, each a row of seven figures and up to three
fields; a template node per figure and a widget template per field made up most of the
page's time. The rows are plain HTML from ``rows``, the fields from ``plain_field``: the
same names, ids, values, labels, errors and ARIA attributes as Django's widget templates
give them, and the data attributes static/js/report-form.js counts with. Beside a forecast
field, its forecast proposal (followup.forecasts) from ``proposal``, and the button
static/js/proposals.js fills the field with."""

import functools
from html import escape

from django import forms
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from budget.money import format_tkr

DIFFERS = ' class="differs"'
RESTRICTIVE = (
    ' <span class="cell-note">Negativ avvikelse: restriktiv hållning till inköp och '
    "anställningar.</span>"
)
LABEL = '<label class="visually-hidden" for="{}">{}</label>'
# The exact figures in kronor (budget, budget to date, outcome, forecast) are in the row's
# data- attributes, for static/js/report-form.js to recalculate the deviations from.
EXACT = (
    ("budget", "data-budget"),
    ("budget_to_date", "data-budget-to-date"),
    ("outcome", "data-outcome"),
    ("forecast", "data-forecast"),
)


def rows(form, lines, *, editable: bool, period, proposals=None) -> SafeString:
    """The table body's rows: a ``<tr>`` per line of the report's figures
    (followup.reports.figures.LineFigures), in the columns of the table's head: activity,
    budget, budget to date, outcome, its deviation, and when ``period`` asks for a forecast
    the previous forecast, the forecast and its deviation; then the comment. While ``editable`` the outcome, forecast and
    comment are ``form``'s fields; else, and for an activity the form has no fields for
    (added to the committee after the report was approved), the stored values.
    ``proposals``: activity id → its forecast proposal (followup.forecasts.proposals_for),
    shown beside the forecast field of an editable report."""
    asks_forecast = period.asks_forecast
    proposals = proposals or {}
    to_date = escape(f"Budget t.o.m. {period.month_name}")
    result = []  # the cells of every row, joined once at the end
    for line in lines:
        activity_id = line.activity.pk
        if editable and f"outcome_{activity_id}" in form.fields:
            outcome = plain_field(form, f"outcome_{activity_id}")
            forecast = (
                _forecast_field(form, activity_id, proposals.get(activity_id), line.activity.name)
                if asks_forecast
                else ""
            )
            comment = plain_field(form, f"comment_{activity_id}")
        else:
            outcome, forecast = format_tkr(line.outcome), format_tkr(line.forecast)
            comment = linebreaksbr(line.comment)
        restrictive = line.restrictive
        exact = "".join(
            f' {attribute}="{getattr(line, name):f}"'
            for name, attribute in EXACT
            if getattr(line, name) is not None
        )
        cells = [
            f"<tr{DIFFERS if restrictive else ''}{exact}>",
            f'<th scope="row">{escape(line.activity.name)}{RESTRICTIVE if restrictive else ""}</th>',
            f'<td class="num" data-label="Budget">{format_tkr(line.budget)}</td>',
            f'<td class="num" data-label="{to_date}">{format_tkr(line.budget_to_date)}</td>',
            f'<td class="num" data-label="Utfall ackumulerat">{outcome}</td>',
            '<td class="num" data-label="Avvikelse mot periodens budget" '
            f'data-figure="outcome-deviation">{format_tkr(line.outcome_deviation)}</td>',
        ]
        if asks_forecast:
            cells += [
                '<td class="num" data-label="Föregående prognos">'
                f"{format_tkr(line.previous_forecast)}</td>",
                f'<td class="num" data-label="Helårsprognos">{forecast}</td>',
                '<td class="num" data-label="Avvikelse helår" data-figure="deviation">'
                f"{format_tkr(line.deviation)}</td>",
            ]
        cells.append(f'<td class="report-comment" data-label="Kommentar">{comment}</td></tr>')
        result += cells
    return SafeString("".join(result))


def _forecast_field(form, activity_id, found, activity_name: str) -> str:
    """The forecast field, with its proposal (when there is one) below it."""
    name = f"forecast_{activity_id}"
    if found is None:
        return plain_field(form, name)
    field_id = form.auto_id % form.add_prefix(name)
    return plain_field(form, name, described_by=f"{field_id}_proposal") + proposal(
        found,
        field_id=field_id,
        value=form.fields[name].prepare_value(found.amount),
        subject=activity_name,
    )


def proposal(found, *, field_id: str, value: str, subject: str) -> SafeString:
    """A forecast proposal below the field ``field_id``: its text (``proposal_text``, whose
    id ``<field_id>_proposal`` the field's aria-describedby names) and a button that puts
    ``value`` (the amount as the field shows amounts) in the field. The button is hidden
    until static/js/proposals.js is there to make it work; its name says which ``subject``
    (the activity, the project) it is for."""
    return SafeString(
        '<div class="proposal">'
        + proposal_text(found, text_id=f"{field_id}_proposal")
        + '<button type="button" class="button-secondary button-small proposal-use" hidden'
        f' data-proposal-for="{field_id}" data-proposal-value="{escape(value)}">'
        f'Använd förslaget<span class="visually-hidden"> för {escape(subject)}</span>'
        "</button></div>"
    )


def proposal_text(found, *, text_id: str = "") -> SafeString:
    """A forecast proposal's amount and basis (``found.heading``, ``found.basis``) and, for
    an investment project, its ``warning``, which says so in words, not by colour alone."""
    warning = getattr(found, "warning", "")
    return SafeString(
        (f'<div id="{text_id}">' if text_id else "<div>")
        + f'<p class="proposal-text"><strong>{escape(found.heading)}:</strong> '
        f"{escape(found.basis)}</p>"
        + (
            '<p class="proposal-warning"><span aria-hidden="true">⚠ </span>'
            f"<strong>Varning:</strong> {escape(warning)}</p>"
            if warning
            else ""
        )
        + "</div>"
    )


def plain_field(form, name: str, *, described_by: str = "") -> SafeString:
    """``form``'s field ``name``, a text input or a text area, as Django's widget templates
    render it, without a template: its label for screen readers, the control (name, id,
    value, the widget's attributes, and with errors aria-invalid and aria-describedby
    naming them) and its errors. ``described_by``: the id of a further description of
    the field (its forecast proposal), after its errors' in aria-describedby."""
    field = form.fields[name]
    widget = field.widget
    html_name = escape(form.add_prefix(name))
    field_id = form.auto_id % html_name
    errors = form.errors.get(name) if form.is_bound else None
    shown = (
        form.data.get(form.add_prefix(name))
        if form.is_bound
        else form.get_initial_for_field(field, name)
    )
    value = widget.format_value(field.prepare_value(shown))
    attributes = _attributes(tuple(widget.attrs.items()))
    described = [f"{field_id}_error"] if errors else []
    if described_by:
        described.append(described_by)
    if errors:
        attributes += ' aria-invalid="true"'
    if described:
        attributes += f' aria-describedby="{" ".join(described)}"'
    if isinstance(widget, forms.Textarea):
        control = (
            f'<textarea name="{html_name}"{attributes} id="{field_id}">\n'
            f"{escape(value or '')}</textarea>"
        )
    else:
        value_attribute = "" if value is None else f' value="{escape(value)}"'
        control = (
            f'<input type="{widget.input_type}" name="{html_name}"{value_attribute}'
            f'{attributes} id="{field_id}">'
        )
    label = LABEL.format(field_id, escape(field.label))
    return SafeString(label + control + (str(errors) if errors else ""))


@functools.cache
def _attributes(attrs: tuple) -> str:
    """A widget's attributes as its template writes them: ' name="value"', a bare name for
    True, nothing for False. The same few for every field of a kind, so written once."""
    return "".join(
        f" {key}" if item is True else f' {key}="{escape(str(item))}"'
        for key, item in attrs
        if item is not False
    )
