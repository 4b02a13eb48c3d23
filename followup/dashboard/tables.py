"""The committees' figures of a period as sortable django-tables2 tables: the dashboard's
table of deviations and finance's review table.

Each row is a dict (:func:`committee_records`) around a ``figures.CommitteeRow``; the
amounts are kept as Decimal so that a column sorts as numbers, and shown in mkr as the
pages' ``mkr`` filter shows them. Without a sort the rows keep the document's committee
order (the committee column sorts by it too); a missing amount ("–") sorts last in either
direction. The municipality's sum is the table's footer, under the rows whatever the
order. Sorting is a GET parameter (``?sort=-deviation``) and never writes.
"""

import functools

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2 import RequestConfig

from budget.money import format_mkr, format_percent
from budget.views.tables import NUMERIC
from followup.investments.tables import AmountColumn
from followup.models import Report
from followup.models.calendar import MONTH_NAMES
from followup.reports import actions
from followup.statements.previous_year import WHOLE_YEAR, previous_year

TEMPLATE = "followup/tables/committee_figures.html"
NONE = "–"  # a cell without a figure
ROW_HEADER = 'scope="row" '  # the attribute of the rows' first cell
PREVIOUS = ("previous_to_date", "previous_year")  # last year's outcome: same months, whole year


def committee_records(rows, *, previous=None, deviation=None) -> list[dict]:
    """One dict per ``CommitteeRow``, in the rows' (the document's) order: the row, the
    figures the table shows and sorts by, and last year's outcome from ``previous``
    (``previous_year.committee_outcomes``: committee id → PreviousOutcome). ``deviation``
    picks the deviation shown (the review's ``deviation_of``), by default the row's."""
    previous = previous or {}
    records = []
    for position, row in enumerate(rows):
        last_year = previous.get(row.committee.pk)
        coverage = actions.coverage(row.action_plan, row.deviation)
        records.append(
            {
                "row": row,
                "position": position,
                "budget": row.budget,
                "outcome": row.outcome,
                "forecast": row.forecast,
                "deviation": deviation(row) if deviation else row.deviation,
                "coverage": coverage,
                "plan_order": _plan_order(row, coverage),
                "status_order": _status_order(row.report),
                "previous_to_date": getattr(last_year, "to_date", None),
                "previous_year": getattr(last_year, "year", None),
            }
        )
    return records


def _plan_order(row, coverage):
    """How the action-plan column sorts: a deficit without a plan first (−1), then the
    plans by how much of the deficit they cover; rows without a deficit last (None)."""
    if coverage is not None:
        return coverage
    if row.deviation is not None and row.deviation < 0:
        return -1 if row.action_plan is None else 0
    return None


def _status_order(report):
    """How the status column sorts: no report first, then the statuses' own order."""
    if report is None:
        return -1
    values = [value for value, _ in Report.Status.choices]
    return values.index(report.status) if report.status in values else len(values)


def all_or_none(values):
    """The sum when every value is there; None otherwise (a partial sum would mislead)."""
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return sum(values)


class MkrColumn(AmountColumn):
    """An amount in mkr, Swedish format, sorted as a number; "–" where there is none. Its
    footer is the table's ``totals`` for the column."""

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name, **kwargs)
        self.attrs = NUMERIC | {"tf": {"class": "num"}}

    def render(self, value):
        return format_mkr(value) if value is not None else "–"

    def render_footer(self, bound_column, table):
        return self.render(table.totals.get(bound_column.name))


class CommitteeFiguresTable(tables.Table):
    """What the dashboard and the review share: the committee (document order) and its
    budget, outcome, forecast and deviation; last year's outcome where finance entered it."""

    committee = tables.Column(
        verbose_name="Nämnd", accessor="row__committee__name", order_by=("position",)
    )
    budget = MkrColumn("Budget")
    outcome = MkrColumn("Utfall")
    forecast = MkrColumn("Prognos")
    deviation = MkrColumn("Avvikelse")
    previous_to_date = MkrColumn("Utfall föregående år, samma månader")
    previous_year = MkrColumn("Utfall föregående år")
    action_plan = tables.Column(verbose_name="Åtgärdsplan", accessor="plan_order", empty_values=())

    linked_plans = False  # the action plan's measures link to the plan (the review)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "table"}

    def __init__(
        self,
        records,
        *,
        plan,
        period,
        label,
        caption,
        html_id,
        totals,
        hidden_caption=False,
        previous_labels=(None, None),
        **kwargs,
    ):
        """``label`` names the table's region, ``caption`` is its caption (for screen readers
        only with ``hidden_caption``), ``html_id`` its id on the page; ``totals``: column
        name → the footer's value (the committee column's: the sum's label);
        ``previous_labels``: the headers of last year's outcome for the same months and for
        the whole year, None to leave the column out."""
        labels = dict(zip(PREVIOUS, previous_labels, strict=True))
        exclude = [name for name, label in labels.items() if label is None]
        super().__init__(list(records), exclude=exclude, **kwargs)
        self.plan, self.period = plan, period
        self.label, self.caption, self.hidden_caption = label, caption, hidden_caption
        self.html_id, self.totals = html_id, totals
        self.previous_columns = [label for label in labels.values() if label is not None]
        for name, label in labels.items():
            if label is not None:
                self.columns[name].column.verbose_name = label

    # Sorting: django-tables2 sorts the list by the column's values; "–" goes last.
    def _set_order_by(self, value):
        tables.Table.order_by.fset(self, value)
        ordered = self.order_by
        if ordered:
            key = tables.A(self.columns[ordered[0].bare].order_by[0].bare)
            self.data.data.sort(key=lambda record: key.resolve(record, quiet=True) is None)

    order_by = property(tables.Table.order_by.fget, _set_order_by)

    committee_view = ""  # the URL name a committee's row links to, in the table's period

    def committee_url(self, record) -> str:
        code = record["row"].committee.code
        urls = self.__dict__.setdefault("_committee_urls", {})  # the review asks twice a row
        if code not in urls:
            urls[code] = reverse(
                self.committee_view,
                kwargs={"year": self.plan.year, "month": self.period.month, "code": code},
            )
        return urls[code]

    # The body: the rows' cells are rendered here, a method per column that is not an amount
    # (``cell_<column>``); django-tables2 orders the rows and makes the headers and footer.
    def body(self):
        """The table's rows (``<tr>``, the first cell the row header) in the order asked
        for, as HTML: each cell's content escaped unless it is safe HTML already."""
        columns = []
        for position, column in enumerate(self.columns):
            tag, scope = ("th", ROW_HEADER) if position == 0 else ("td", "")
            cell = getattr(self, f"cell_{column.name}", None) or _amount_cell(column)
            # django-tables2 escapes the attributes.
            columns.append((cell, f"<{tag} {scope}{column.attrs['td'].as_html()}>", f"</{tag}>"))
        rows = []
        for index, record in enumerate(self.data):
            cells = "".join(
                f"{start}{conditional_escape(cell(record))}{end}" for cell, start, end in columns
            )
            # A deficit's row is marked; even and odd as django-tables2 marks rows.
            differs = record["deviation"] is not None and record["deviation"] < 0
            parity = "odd" if index % 2 else "even"
            rows.append(f'<tr class="{"differs " if differs else ""}{parity}">{cells}</tr>')
        return mark_safe("\n".join(rows))  # noqa: S308 - every cell's content is escaped

    def cell_committee(self, record):
        return format_html(
            '<a href="{}">{}</a>', self.committee_url(record), record["row"].committee.name
        )

    def cell_action_plan(self, record):
        """The committee's action plan: its measures and how much of the deficit they
        cover, or "Saknas" where a deficit has no plan."""
        row, coverage = record["row"], record["coverage"]
        if row.action_plan:
            measures = f"{len(row.action_plan.measures)} åtgärder"
            if self.linked_plans:
                url = reverse(
                    "followup:action_plan",
                    kwargs={
                        "year": self.plan.year,
                        "month": self.period.month,
                        "code": row.committee.code,
                    },
                )
                measures = format_html('<a href="{}">{}</a>', url, measures)
            if coverage is None:
                return measures
            return format_html("{}, täcker {}", measures, format_percent(coverage, 1))
        if row.deviation is not None and row.deviation < 0:
            return mark_safe('<span class="badge badge-warn">Saknas</span>')
        return NONE


class DashboardTable(CommitteeFiguresTable):
    """The dashboard's deviations: each committee links to its activities in the period."""

    class Meta(CommitteeFiguresTable.Meta):
        sequence = (
            "committee",
            "budget",
            "outcome",
            "forecast",
            "deviation",
            "previous_to_date",
            "previous_year",
            "action_plan",
        )

    committee_view = "followup:committee_overview"


class ReviewTable(CommitteeFiguresTable):
    """Finance's review: each committee's report status, figures and the approval."""

    status = tables.Column(verbose_name="Status", accessor="status_order", empty_values=())
    # From the row: its previous forecast is summed only where a table shows it.
    forecast_change = MkrColumn(
        "Förändring sedan föregående prognos", accessor="row__forecast_change"
    )
    review = tables.Column(
        verbose_name="Granska", accessor="approval", orderable=False, empty_values=()
    )

    class Meta(CommitteeFiguresTable.Meta):
        # Compact, as the investment tables: eleven columns fit a laptop's window, so the
        # heading and the sum stay in view as the table passes by (static/js/tables.js).
        attrs = {"class": "table table-compact"}
        sequence = (
            "committee",
            "status",
            "budget",
            "outcome",
            "forecast",
            "deviation",
            "forecast_change",
            "action_plan",
            "review",
            # Last: approving stays in view on a laptop's screen.
            "previous_to_date",
            "previous_year",
        )

    linked_plans = True
    committee_view = "followup:report"

    def __init__(self, records, **kwargs):
        super().__init__(records, **kwargs)
        if all(record.get("approval") is None for record in records):
            self.columns.hide("review")  # no report is handed in: nothing to review

    @functools.cached_property
    def hidden_fields(self):
        """What each form of the review column sends besides its button: the CSRF token
        and the way back to the review as sorted."""
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">',
            get_token(self.request),
            self.request.get_full_path(),
        )

    def cell_status(self, record):
        """The report's status and version, when it was handed in, and whether it is late."""
        report = record["row"].report
        if report:
            status = format_html(
                '<span class="badge">{}</span>{}{}',
                report.status_label,
                f" v{report.version}" if report.version > 1 else "",
                format_html(
                    '<span class="cell-note">inlämnad {}</span>',
                    f"{template_localtime(report.submitted_at):%Y-%m-%d}",
                )
                if report.submitted_at
                else "",
            )
        else:
            status = mark_safe('<span class="badge badge-warn">Ingen rapport</span>')
        if record.get("late"):
            return format_html('{}<span class="badge badge-error">Sen</span>', status)
        return status

    def cell_review(self, record):
        """Approve or return a handed-in report, back to the review as sorted."""
        row, approval = record["row"], record.get("approval")
        if row.report is None or row.report.status != Report.Status.SUBMITTED:
            return ""
        url, hidden, name = self.committee_url(record), self.hidden_fields, row.committee.name
        if approval.allowed:
            approve = format_html(
                '<form method="post" action="{}" class="inline-form">{}'
                '<button type="submit" name="action" value="godkann" class="button button-small">'
                'Godkänn<span class="visually-hidden"> {}</span></button></form>{}',
                url,
                hidden,
                name,
                format_html(
                    '<span class="cell-note">Undantag för ensam ekonom: du {}.</span>',
                    approval.own,
                )
                if approval.notice
                else "",
            )
        else:
            approve = format_html('<span class="cell-note">{}</span>', approval.refusal)
        code = row.committee.code
        return format_html(
            '{}<details class="inline-details"><summary>Skicka tillbaka'
            '<span class="visually-hidden"> {}</span></summary>'
            '<form method="post" action="{}">{}'
            '<label for="return-{}">Varför skickas rapporten tillbaka?</label>'
            '<textarea name="comment" id="return-{}" rows="3" required maxlength="4000">'
            "</textarea>"
            '<button type="submit" name="action" value="skicka_tillbaka" '
            'class="button-secondary button-small">Skicka tillbaka</button>'
            "</form></details>",
            approve,
            name,
            url,
            hidden,
            code,
            code,
        )


def _amount_cell(column):
    """An amount column's cell: its value in mkr (``MkrColumn.render``)."""
    accessor, render = column.accessor, column.column.render
    return lambda record: render(accessor.resolve(record, quiet=True))


def previous_labels(period, previous) -> tuple:
    """The headers of last year's outcome beside ``period``'s figures: for the same months
    ("Utfall jan–aug 2025") and for the whole year ("Utfall 2025"), each None (the column
    left out) where finance has entered no committee's figure. In December the two are
    the same figure: the whole year only."""
    year = previous_year(period.plan)
    same_months = period.month != WHOLE_YEAR and any(
        p.to_date is not None for p in previous.values()
    )
    whole_year = any(p.year is not None for p in previous.values())
    return (
        f"Utfall jan–{MONTH_NAMES[period.month][:3]} {year}" if same_months else None,
        f"Utfall {year}" if whole_year else None,
    )


def committee_table(
    table_class, request, *, records, period, previous, totals, **kwargs
) -> CommitteeFiguresTable:
    """``table_class`` of ``records`` (:func:`committee_records`) with last year's outcome
    from ``previous``, sorted as the request asks. ``totals`` are the footer's figures; last
    year's sums where every row has one."""
    table = table_class(
        records,
        plan=period.plan,
        period=period,
        previous_labels=previous_labels(period, previous),
        totals=totals | {name: all_or_none(r[name] for r in records) for name in PREVIOUS},
        **kwargs,
    )
    RequestConfig(request, paginate=False).configure(table)
    return table
