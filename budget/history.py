"""Reading the audit trail: the history pages and the audit log.

The history pages (every role) show what happened to a plan's figures or to a
committee; the audit log (finance and administrators) searches every entry.

A history page shows nobody what the pages hide (``visible_history``): an entry shows
only to those who may open the object it is about, by the rule that object's pages use.
The adopted budget is public to every role (``OWN_RULES``); the apps built on budget
register the rules of their models (budget/extensions.py ``add_history_rule``); entries
about any other object (users, memberships, a model without a rule) show only to those
who may read the log. Entries about users and access (area "behorighet") are personal
data: they show only to those who may read the log, whatever their object.

Amounts are stored in the trail as exact kronor ("-523300000.00"); here they
are shown in mkr as the pages show them, with the exact figure beside it.
"""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import django_tables2 as tables
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from budget import extensions
from budget.loader import AREAS as BUDGET_MODELS
from budget.models import AuditEntry, BudgetPlan, Committee, InvestmentAmount, Statement
from budget.money import MINUS, NBSP, format_mkr, format_number
from budget.permissions import can_read_audit_log
from budget.roles import has_a_role

Area = AuditEntry.Area
Action = AuditEntry.Action
Source = AuditEntry.Source

PER_PAGE = 50

# Which part of the trail each document table's figures are recorded under.
TABLE_AREAS = {
    "budgetjamforelse": Area.FRAMES,
    "budgetforandring": Area.FRAMES,
    "forandring-av-medel": Area.FRAMES,
    "investeringsbudget": Area.INVESTMENTS,
    **{kind: Area.STATEMENTS for kind in Statement.Kind.values},
}


def plan_history_url(plan, area=None) -> str:
    """The plan's history page, narrowed to one area when given."""
    url = reverse("budget:plan_history", kwargs={"year": plan.year})
    return f"{url}?{urlencode({'omrade': area})}" if area else url


def table_history_url(plan, table_code) -> str:
    """The history of a document table's figures (the whole plan for an unknown table)."""
    return plan_history_url(plan, TABLE_AREAS.get(table_code))


# Visibility ------------------------------------------------------------------


def adopted_budget(model):
    """The rule of the adopted budget's rows: public to every role, as its pages are
    ("budget.view_budget"); which plan a page shows is the page's own check."""

    def visible(user):
        return model.objects.all() if has_a_role(user) else model.objects.none()

    visible.__name__ = f"{model.__name__}_of_the_adopted_budget"
    return visible


def plans(user):
    """The budget pages' rule for a plan: adopted ones to every role, proposals to finance
    and administrators."""
    return BudgetPlan.objects.visible_to(user)


# budget's own models: every row the plan loader writes.
OWN_RULES = {
    model: extensions.HistoryRule(
        model=model, visible=plans if model is BudgetPlan else adopted_budget(model)
    )
    for model in BUDGET_MODELS
}


def history_rules() -> dict:
    """budget's own rules and those the apps registered, by model."""
    registered = extensions.history_rules()
    if clash := OWN_RULES.keys() & registered.keys():
        names = sorted(model.__name__ for model in clash)
        raise ValueError(f"budget has its own history rule for {names}.")
    return {**OWN_RULES, **registered}


EVERY = "every"


def _objects_visible(rule, user):
    """The objects of the rule's model ``user`` may open: EVERY, None (none) or a queryset."""
    visible = rule.visible(user)
    if visible.query.is_empty():
        return None
    if not visible.query.where:
        return EVERY
    if rule.via is None:
        return visible
    parents = visible.order_by().values("pk")
    return rule.model._base_manager.filter(**{f"{rule.via}__in": parents})


def visibility(user) -> Q:
    """The entries about objects ``user`` may open, as a condition on AuditEntry that the
    database evaluates: per model with a rule, its content type with the visible objects'
    ids as a subquery (as text: ``object_id`` is text); a model whose objects the user may
    all open needs no subquery, one they may open none of drops out."""
    rules = history_rules()
    types = ContentType.objects.get_for_models(*rules)
    every_type, condition = [], Q(pk__in=[])
    for model, rule in rules.items():
        visible = _objects_visible(rule, user)
        if visible is EVERY:
            every_type.append(types[model].pk)
        elif visible is not None:
            ids = visible.order_by().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
            condition |= Q(content_type_id=types[model].pk, object_id__in=ids)
    condition |= Q(content_type_id__in=every_type)
    if can_read_audit_log(user):
        # Objects without a rule (users, memberships, …): the log's readers, as in the log.
        condition |= ~Q(content_type_id__in=[t.pk for t in types.values()])
    return condition


# Queries -------------------------------------------------------------------


def visible_history(user):
    """The entries a history page may show ``user``: those about objects they may open
    (``visibility``); access entries only to log readers."""
    entries = AuditEntry.objects.filter(visibility(user))
    if not can_read_audit_log(user):
        entries = entries.exclude(area=Area.ACCESS)
    return entries


def committee_entries(*, plan, committee, user):
    """A committee's history in a plan: entries scoped to it (frames of its activities,
    its organisation, access to it) for the plan or for no plan, newest first.

    Entries about the committee row itself and about its investment amounts are found
    by object as well, since the loader records those without the committee scope.
    """
    investment_ids = (
        InvestmentAmount.objects.filter(line__committee=committee, line__plan=plan)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    own = (
        Q(committee=committee)
        | Q(content_type=ContentType.objects.get_for_model(Committee), object_id=str(committee.pk))
        | Q(
            content_type=ContentType.objects.get_for_model(InvestmentAmount),
            object_id__in=investment_ids,
        )
    )
    return (
        visible_history(user)
        .filter(own)
        .filter(Q(plan=plan) | Q(plan__isnull=True))
        .order_by("-at", "-id")
    )


def plan_entries(*, plan, user, area=None):
    """A plan's history, in one area or all, newest first."""
    entries = visible_history(user).filter(plan=plan)
    if area:
        entries = entries.filter(area=area)
    return entries.order_by("-at", "-id")


def log_entries(user):
    """Every entry ``user`` may read in the audit log (none for anyone else)."""
    return AuditEntry.objects.visible_to(user).order_by("-at", "-id")


def ordered(entries, sort):
    """Entries in the log's order: ``sort`` "at" is oldest first, anything else newest."""
    return entries.order_by("at", "id") if sort == "at" else entries.order_by("-at", "-id")


# Filters -------------------------------------------------------------------


def _choices(choices):
    return [("", "Alla"), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PlanHistoryFilter(forms.Form):
    """The plan history's one filter: the area (?omrade=ramar)."""

    omrade = forms.ChoiceField(label="Område", required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        areas = Area.choices
        if not can_read_audit_log(user):
            areas = [(value, label) for value, label in areas if value != Area.ACCESS]
        self.fields["omrade"].choices = _choices(areas)

    def area(self):
        """The chosen area, or None for all (also when the value is not valid)."""
        return (self.cleaned_data.get("omrade") or None) if self.is_valid() else None


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class AuditLogFilter(forms.Form):
    """The audit log's search; every field optional, all given ones must match."""

    anvandare = UserChoiceField(
        label="Användare", queryset=None, required=False, empty_label="Alla"
    )
    objekt = forms.CharField(
        label="Objekt eller uppgift",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    omrade = forms.ChoiceField(label="Område", required=False, choices=_choices(Area.choices))
    handelse = forms.ChoiceField(label="Händelse", required=False, choices=_choices(Action.choices))
    vag = forms.ChoiceField(label="Väg", required=False, choices=_choices(Source.choices))
    fran = forms.DateField(label="Från och med", required=False, widget=DateInput)
    till = forms.DateField(label="Till och med", required=False, widget=DateInput)

    def __init__(self, data=None, *, entries):
        super().__init__(data)
        User = get_user_model()
        self.fields["anvandare"].queryset = User.objects.filter(
            pk__in=entries.filter(user__isnull=False).order_by().values("user_id")
        ).order_by("first_name", "last_name", User.USERNAME_FIELD, "pk")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            self.add_error(
                "till", "Till-datumet kan inte vara före från-datumet. Byt plats på datumen."
            )
        return cleaned

    def filter(self, entries):
        """``entries`` narrowed to the search; call only when the form is valid."""
        data = self.cleaned_data
        if data.get("anvandare"):
            entries = entries.filter(user=data["anvandare"])
        if data.get("objekt"):
            text = data["objekt"]
            entries = entries.filter(Q(object_repr__icontains=text) | Q(field__icontains=text))
        for name, model_field in (("omrade", "area"), ("handelse", "action"), ("vag", "source")):
            if data.get(name):
                entries = entries.filter(**{model_field: data[name]})
        # Whole days in local time, as a range on the indexed column.
        if data.get("fran"):
            entries = entries.filter(at__gte=_start_of(data["fran"]))
        if data.get("till"):
            entries = entries.filter(at__lt=_start_of(data["till"] + timedelta(days=1)))
        return entries

    def description(self) -> str:
        """The search in words, e.g. for the exported workbook: "Område: Ramar; från 2026-01-01"."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        parts = []
        if data.get("anvandare"):
            parts.append(
                f"användare: {self.fields['anvandare'].label_from_instance(data['anvandare'])}"
            )
        if data.get("objekt"):
            parts.append(f"objekt eller uppgift innehåller ”{data['objekt']}”")
        for name in ("omrade", "handelse", "vag"):
            if data.get(name):
                label = dict(self.fields[name].choices)[data[name]]
                parts.append(f"{self.fields[name].label.lower()}: {label}")
        if data.get("fran"):
            parts.append(f"från och med {data['fran']:%Y-%m-%d}")
        if data.get("till"):
            parts.append(f"till och med {data['till']:%Y-%m-%d}")
        return "Urval: " + ("; ".join(parts) if parts else "alla poster")


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# Showing values --------------------------------------------------------------

# An amount field's label ends in " (kr)" (budget.models.fields.AmountField: "belopp (kr)").
AMOUNT_LABEL = re.compile(r"\s*\(kr\)$")
# "belopp (kr): -523300000.00" in a created row's summary "label: value, label: value".
AMOUNT_IN_SUMMARY = re.compile(r"(?P<label>[^:,]*?) \(kr\): (?P<value>-?\d+(?:\.\d+)?)(?=,|$)")
# A value whose unit the summary names after it: "angivet värde: -1160900000.00, enhet: kr".
VALUE_IN_KRONOR = re.compile(r"(?P<label>[^:,]*?): (?P<value>-?\d+(?:\.\d+)?), enhet: kr(?=,|$)")
# An amount followed by its unit in a sentence: "…, summa 1011016700.00 kr, SHA-256 …".
KRONOR_IN_TEXT = re.compile(r"(?<![\w.,])(?P<value>-?\d+\.\d+) kr(?=[\s,.;)]|$)")
# A created row whose summary is its amount alone (a project's budget for a year).
BARE_AMOUNT = re.compile(r"-?\d+\.\d{2}")
# A figure's own name ends with its amount ("Bildningsnämnden Budget 2026: -523300000.00",
# "2026:1: Kommunstyrelsens verksamhet 1200000.00").
TRAILING_AMOUNT = re.compile(r"(?::| ) ?-?\d+\.\d+$")


def is_amount_field(label: str) -> bool:
    return bool(AMOUNT_LABEL.search(label))


def format_amount(text: str) -> str | None:
    """Exact kronor as mkr and exactly: "−523,3 mkr (−523 300 000,00 kr)"; None if not a number."""
    try:
        value = Decimal(text.strip().replace(MINUS, "-"))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    places = max(2, -value.as_tuple().exponent)
    return f"{format_mkr(value)}{NBSP}mkr ({format_number(value, places)}{NBSP}kr)"


def _summary_amount(match) -> str:
    shown = format_amount(match["value"])
    return f"{match['label']}: {shown}" if shown else match[0]


def _amount_in_text(match) -> str:
    return format_amount(match["value"]) or match[0]


def shown_summary(summary: str) -> str:
    """A created row's summary, or a sentence the trail holds, with its amounts in mkr and
    exact kronor: "belopp (kr): -523300000.00", "angivet värde: 99300000.00, enhet: kr",
    "summa 1011016700.00 kr" and a summary that is an amount alone ("8500000.00"). The
    stored entry is not changed: only what the page shows."""
    if BARE_AMOUNT.fullmatch(summary):
        return format_amount(summary) or summary
    summary = AMOUNT_IN_SUMMARY.sub(_summary_amount, summary)
    summary = VALUE_IN_KRONOR.sub(_summary_amount, summary)
    return KRONOR_IN_TEXT.sub(_amount_in_text, summary)


def shown_value(entry, value: str) -> str:
    """A before/after value as the history shows it: amounts in mkr and exact kronor."""
    if not value:
        return ""
    if is_amount_field(entry.field):
        return format_amount(value) or value
    if not entry.field:  # a created row's summary: "belopp (kr): -523300000.00"
        return shown_summary(value)
    return value


def shown_field(entry) -> str:
    """The field's label without its unit: the value shows the unit."""
    return AMOUNT_LABEL.sub("", entry.field)


def shown_object(entry) -> str:
    """The object's name, without the amount a figure's name ends with where the entry
    shows that amount anyway (the name was taken when the entry was written)."""
    has_amount = is_amount_field(entry.field) or (
        not entry.field
        and (
            AMOUNT_IN_SUMMARY.search(entry.new_value)
            or VALUE_IN_KRONOR.search(entry.new_value)
            or BARE_AMOUNT.fullmatch(entry.new_value)
        )
    )
    return TRAILING_AMOUNT.sub("", entry.object_repr) if has_amount else entry.object_repr


def local_time(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


# Table -----------------------------------------------------------------------


class HistoryTable(tables.Table):
    """History entries, newest first, sortable by time only."""

    at = tables.Column(verbose_name="Tidpunkt", order_by=("at", "id"))
    actor = tables.Column(verbose_name="Av", orderable=False)
    action = tables.Column(verbose_name="Händelse", orderable=False)
    area = tables.Column(verbose_name="Område", orderable=False)
    what = tables.Column(verbose_name="Vad", accessor="object_repr", orderable=False)
    old_value = tables.Column(verbose_name="Före", orderable=False)
    new_value = tables.Column(verbose_name="Efter", orderable=False)
    reason = tables.Column(verbose_name="Motivering", orderable=False)
    source = tables.Column(verbose_name="Väg", orderable=False)

    class Meta:
        attrs = {"class": "table table-compact history-table"}
        template_name = "budget/history/_table.html"
        default = "–"
        order_by = ("-at",)
        empty_text = "Det finns ingen historik att visa."

    def render_at(self, value):
        return format_html(
            '<time datetime="{}">{}</time>',
            timezone.localtime(value).isoformat(),
            local_time(value),
        )

    def render_action(self, record):
        return record.get_action_display()

    def render_area(self, record):
        return record.get_area_display()

    def render_source(self, record):
        return record.get_source_display()

    def render_what(self, record):
        if record.field:
            return format_html(
                '{}<span class="cell-note">{}</span>', shown_object(record), shown_field(record)
            )
        return shown_object(record)

    def render_old_value(self, record):
        return shown_value(record, record.old_value)

    def render_new_value(self, record):
        return shown_value(record, record.new_value)


def history_table(request, entries, *, caption, per_page=PER_PAGE, exclude=()):
    """A paginated HistoryTable; the page number comes from ?page= and never 404s."""
    table = HistoryTable(entries, exclude=exclude, request=request)
    table.caption = caption
    sort = request.GET.get("sort")
    if sort in ("at", "-at"):
        table.order_by = sort
    table.paginate(per_page=per_page)
    table.page = table.paginator.get_page(request.GET.get("page"))
    return table
