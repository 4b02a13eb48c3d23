"""The interim report's and the annual accounts' own figures: the statements finance
enters (the year's forecast or outcome, the outcome so far and a note per line), last
year's outcome to compare with (finance only), and the balanskravsutredning and the
assessment of god ekonomisk hushållning (read by finance always, by councillors, the
council secretary and controllers once the period is published; entered by finance)."""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget import concurrency
from budget.audit import Actor
from budget.history import history_table, visible_history
from budget.models import Committee, KeyFact
from budget.views.pages import plan_for
from followup.entry_forms import (
    ExactAmountField,
    refusal_on,
    save_entry_form,
    saved_message,
    sent_version,
)
from followup.models import BalanceInputs, EarlierDeficit, ReportingPeriod, StatementFigure
from followup.models.calendar import MONTH_NAMES
from followup.models.statements import PreviousYearFigure, StewardshipAssessment
from followup.periods.entry import closed_reason
from followup.reports.forms import LongTextField
from followup.statements.assessment import assessment_of, save_assessment
from followup.statements.entry import (
    BALANCE_AMOUNTS,
    AccountsError,
    figures_version,
    save_balance_inputs,
    save_earlier_deficit,
    save_statement_figures,
    statement_tables,
)
from followup.statements.previous_year import (
    WHOLE_YEAR,
    comparison_months,
    previous_year,
    previous_year_version,
    save_previous_year,
)
from followup.statements.result import RESERVE_FACT, balance_of_period
from followup.views.access import accounts_page, accounts_period

INPUTS_FORM = "underlag"
DEFICIT_FORM = "underskott"


# --- Forms: input only; the rules are followup/statements/entry.py's -------------------------


class StatementFiguresForm(forms.Form):
    """Per amount line of the statements: line_<id> (the year's forecast or outcome),
    to_date_<id> (the outcome so far; interim report only) and note_<id> (finance's
    note). Amounts in tkr with the statement's own signs."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines, label, to_date_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.asks_to_date = to_date_label is not None
        for line in lines:
            where = f"{line.statement.title}: {line.label}"
            if self.asks_to_date:
                self.fields[f"to_date_{line.pk}"] = ExactAmountField(
                    label=f"{to_date_label}, {where} (tkr)", required=False
                )
            self.fields[f"line_{line.pk}"] = ExactAmountField(
                label=f"{label}, {where} (tkr)", required=False
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=f"Anmärkning, {where}", required=False, max_length=1000
            )

    def values(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}

    def to_date(self) -> dict:
        if not self.asks_to_date:
            return {}
        return {line.pk: self.cleaned_data.get(f"to_date_{line.pk}") for line in self.lines}

    def notes(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"note_{line.pk}", "") for line in self.lines}

    def cells(self, line):
        """The line's fields in the table's order."""
        names = (["to_date"] if self.asks_to_date else []) + ["line", "note"]
        return [self[f"{name}_{line.pk}"] for name in names]


class BalanceInputsForm(forms.Form):
    realisation_gains = ExactAmountField(
        label="Samtliga realisationsvinster (tkr)",
        help_text="Årets realisationsvinster, med plustecken.",
    )
    exempt_realisation_gains = ExactAmountField(
        label="Realisationsvinster enligt undantagsmöjlighet (tkr)",
        help_text="Med plustecken; ingår i samtliga realisationsvinster.",
    )
    exempt_realisation_losses = ExactAmountField(
        label="Realisationsförluster enligt undantagsmöjlighet (tkr)",
        help_text="En förlust, med minustecken.",
    )
    unrealised_securities = ExactAmountField(
        label="Orealiserade vinster och förluster i värdepapper (tkr)",
        help_text="Som de ingår i årets resultat: vinster med plustecken, förluster med minustecken.",
    )
    reversed_unrealised_securities = ExactAmountField(
        label="Återföring av orealiserade vinster och förluster i värdepapper (tkr)",
        help_text="Tidigare års orealiserade vinster (+) och förluster (−) som realiseras i år.",
    )
    reserve = forms.ChoiceField(label="Reserv", choices=BalanceInputs.Reserve.choices)
    reserve_balance = ExactAmountField(label="Reservens saldo vid årets början (tkr)")
    reservation = ExactAmountField(
        label="Reservering till reserven (tkr)",
        help_text="Beloppet som reserveras, med plustecken.",
    )
    disposition = ExactAmountField(
        label="Disposition från reserven (tkr)",
        help_text="Beloppet som tas i anspråk, med plustecken.",
    )
    negative_equity_incl_pensions = forms.BooleanField(
        label="Eget kapital inklusive pensionsförpliktelserna (ansvarsförbindelsen) är negativt",
        required=False,
        help_text="Då får det som överstiger 2 % i stället för 1 % reserveras.",
    )
    comment = LongTextField(label="Kommentar", required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "row_version"}


class EarlierDeficitForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=1900, max_value=2999)
    amount = ExactAmountField(
        label="Underskott att återställa (tkr)",
        help_text="Det negativa balanskravsresultat som återstår, med minustecken.",
    )


# --- Helpers ---------------------------------------------------------------------------------


def _history(request, *, plan, objects, caption):
    """The audit entries about ``objects``: [(model, ids)]."""
    wanted = Q(pk__in=[])
    for model, ids in objects:
        wanted |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        )
    entries = visible_history(request.user).filter(wanted, plan=plan).order_by("-at", "-id")
    return history_table(request, entries, caption=caption, per_page=20)


def _amount_lines(tables) -> list:
    """The statements' lines that take an amount, in order."""
    return [row.line for _, rows in tables for row in rows if row.is_amount]


def _entry_tables(tables, field, cells) -> list:
    """The statements as an entry page shows them: [(statement, [(row, field, cells)])]. An
    amount row has ``field(line)``, the input its label names, and ``cells(line)``, its
    inputs in the table's order; other rows have neither."""
    return [
        (
            statement,
            [
                (row, field(row.line), cells(row.line)) if row.is_amount else (row, None, None)
                for row in rows
            ],
        )
        for statement, rows in tables
    ]


# --- The statements ------------------------------------------------------------------------


@permission_required("followup.enter_accounts", raise_exception=True)
@require_http_methods(["GET", "POST"])
def statement_figures(request, year, month):
    plan = plan_for(request, year)
    period = accounts_period(plan, month)
    annual = period.kind == ReportingPeriod.Kind.ANNUAL
    label = "Utfall" if annual else "Prognos"
    to_date_label = None if annual else f"Utfall jan–{MONTH_NAMES[period.month][:3]}"
    shown = list(StatementFigure.objects.filter(period=period).order_by("line_id", "id"))
    tables = statement_tables(period, shown)
    lines = _amount_lines(tables)
    initial = {"version": figures_version(shown)}
    for f in shown:
        initial |= {
            f"line_{f.line_id}": f.amount,
            f"to_date_{f.line_id}": f.outcome_to_date,
            f"note_{f.line_id}": f.note,
        }
    form = StatementFiguresForm(
        request.POST or None,
        lines=lines,
        label=label,
        to_date_label=to_date_label,
        initial=initial,
    )
    closed = closed_reason(period, Actor.of(request))
    for field in form.fields.values():
        field.disabled = bool(closed)  # shown, not editable; a POST still gets the reason
    if request.method == "POST" and form.is_valid():
        saved = save_entry_form(
            request,
            form,
            partial(
                save_statement_figures, period=period, to_date=form.to_date(), notes=form.notes()
            ),
            refused=AccountsError,
            saved_text=f"Budgetställningarna för {period.get_kind_display().lower()}en är sparade",
        )
        if saved:
            return redirect("followup:statement_figures", year=year, month=month)
    return render(
        request,
        "followup/accounts_statements.html",
        {
            "plan": plan,
            "period": period,
            "label": label,
            "to_date_label": to_date_label,
            "month_name": MONTH_NAMES[period.month],
            "columns": 4 + (to_date_label is not None),
            "form": form,
            "tables": _entry_tables(tables, lambda line: form[f"line_{line.pk}"], form.cells),
            "closed": closed,
            "history": _history(
                request,
                plan=plan,
                objects=[(StatementFigure, [f.pk for f in shown])],
                caption="Ändringar av budgetställningarna",
            ),
        },
        status=400 if form.errors else 200,
    )


# --- The balanskravsutredning --------------------------------------------------------------


@permission_required("followup.view_balance", raise_exception=True)
@require_http_methods(["GET", "POST"])
def balance(request, year, month):
    plan, period, may_enter = accounts_page(request, year, month, "Balanskravsutredningen")
    inputs = BalanceInputs.objects.filter(period=period).first()
    posted = request.POST.get("form") if request.method == "POST" else None
    inputs_form = BalanceInputsForm(
        request.POST if posted == INPUTS_FORM else None,
        initial=_inputs_initial(period, inputs),
        prefix=INPUTS_FORM,
    )
    deficit_form = EarlierDeficitForm(
        request.POST if posted == DEFICIT_FORM else None,
        initial={"year": plan.year - 1},
        prefix=DEFICIT_FORM,
    )
    if posted == INPUTS_FORM and inputs_form.is_valid():
        with refusal_on(inputs_form, AccountsError):
            save_balance_inputs(
                period=period,
                values=inputs_form.values(),
                actor=Actor.of(request),
                row_version=sent_version(inputs_form, "row_version"),
            )
            messages.success(request, "Underlaget för balanskravsutredningen är sparat.")
            return redirect("followup:balance", year=year, month=month)
    elif posted == DEFICIT_FORM and deficit_form.is_valid():
        with refusal_on(deficit_form, AccountsError):
            deficit = save_earlier_deficit(
                plan=plan,
                year=deficit_form.cleaned_data["year"],
                amount=deficit_form.cleaned_data["amount"],
                actor=Actor.of(request),
            )
            messages.success(request, f"Underskottet från {deficit.year} är sparat.")
            return redirect("followup:balance", year=year, month=month)
    unknown = request.method == "POST" and posted not in (INPUTS_FORM, DEFICIT_FORM)
    return render(
        request,
        "followup/accounts_balance.html",
        _balance_context(request, plan, period, inputs, inputs_form, deficit_form, may_enter)
        | {"unknown_form": unknown},
        status=400 if unknown or inputs_form.errors or deficit_form.errors else 200,
    )


def _balance_context(request, plan, period, inputs, inputs_form, deficit_form, may_enter):
    of_period = balance_of_period(period)
    context = {
        "plan": plan,
        "period": period,
        "balance": of_period,
        "statement": of_period.statement,
        "may_enter": may_enter,
    }
    if not may_enter:
        return context
    deficits = list(EarlierDeficit.objects.filter(plan=plan).order_by("year", "id"))
    return context | {
        "inputs_form": inputs_form,
        "deficit_form": deficit_form,
        "inputs_form_name": INPUTS_FORM,
        "deficit_form_name": DEFICIT_FORM,
        "earlier_deficits": deficits,
        "closed": closed_reason(period, Actor.of(request)),
        "history": _history(
            request,
            plan=plan,
            objects=[
                (BalanceInputs, [inputs.pk] if inputs else []),
                (EarlierDeficit, [d.pk for d in deficits]),
            ],
            caption="Ändringar av underlaget för balanskravsutredningen",
        ),
    }


def _inputs_initial(period, inputs) -> dict:
    """The recorded inputs; without any, what the utredning is computed with (no
    adjustments, the plan's stated reserve)."""
    version = {"row_version": concurrency.row_version(inputs)}
    if inputs is not None:
        return {
            name: getattr(inputs, name)
            for name in (*BALANCE_AMOUNTS, "reserve", "negative_equity_incl_pensions", "comment")
        } | version
    fact = KeyFact.objects.filter(plan=period.plan, code=RESERVE_FACT).first()
    reserve = (
        {"reserve": BalanceInputs.Reserve.RUR, "reserve_balance": fact.value}
        if fact is not None
        else {"reserve": BalanceInputs.Reserve.RER}
    )
    return dict.fromkeys(BALANCE_AMOUNTS, 0) | reserve | version


# --- Last year's outcome ---------------------------------------------------------------------


class PreviousYearForm(forms.Form):
    """line_<id>_<months> per amount line of the statements and committee_<id>_<months> per
    committee, for each of ``months`` (tkr, net, the budget's signs)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines, committees, months, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines, self.committees, self.months = lines, committees, months
        for kind, items in (("line", lines), ("committee", committees)):
            for item in items:
                where = f"{item.statement.title}: {item.label}" if kind == "line" else item.name
                for m in months:
                    self.fields[f"{kind}_{item.pk}_{m}"] = ExactAmountField(
                        label=f"{months_label(m, year)}, {where} (tkr)", required=False
                    )

    def _values(self, kind, items) -> dict:
        return {
            (item.pk, m): self.cleaned_data.get(f"{kind}_{item.pk}_{m}")
            for item in items
            for m in self.months
        }

    def line_values(self) -> dict:
        return self._values("line", self.lines)

    def committee_values(self) -> dict:
        return self._values("committee", self.committees)

    def cells(self, kind, item):
        return [self[f"{kind}_{item.pk}_{m}"] for m in self.months]


def months_label(months: int, year: int) -> str:
    """ "Utfall jan–aug 2025" or "Utfall 2025" (the whole year)."""
    if months == WHOLE_YEAR:
        return f"Utfall {year}"
    return f"Utfall jan–{MONTH_NAMES[months][:3]} {year}"


@permission_required("followup.enter_accounts", raise_exception=True)
@require_http_methods(["GET", "POST"])
def previous_year_figures(request, year):
    plan = plan_for(request, year)
    last = previous_year(plan)
    months = comparison_months(plan)
    shown = list(PreviousYearFigure.objects.filter(plan=plan).order_by("id"))
    tables = statement_tables(None, [], plan=plan)
    lines = _amount_lines(tables)
    committees = list(Committee.objects.of_plan(plan))
    initial = {"version": previous_year_version(shown)} | {
        f"{'line' if f.line_id else 'committee'}_{f.line_id or f.committee_id}_{f.months}": f.amount
        for f in shown
    }
    form = PreviousYearForm(
        request.POST or None,
        lines=lines,
        committees=committees,
        months=months,
        year=last,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, AccountsError):
            saved = save_previous_year(
                plan=plan,
                lines=form.line_values(),
                committees=form.committee_values(),
                actor=Actor.of(request),
                version=sent_version(form),
            )
            messages.success(request, saved_message(f"Utfallet {last} är sparat", bool(saved)))
            return redirect("followup:previous_year_figures", year=year)
    return render(
        request,
        "followup/accounts_previous_year.html",
        {
            "plan": plan,
            "last_year": last,
            "headers": [months_label(m, last) for m in months],
            "columns": 2 + len(months),
            "form": form,
            "demo": any(f.demo for f in shown),
            "tables": _entry_tables(
                tables,
                lambda line: form[f"line_{line.pk}_{months[0]}"],
                partial(form.cells, "line"),
            ),
            "committees": [(c, form.cells("committee", c)) for c in committees],
            "history": _history(
                request,
                plan=plan,
                objects=[(PreviousYearFigure, [f.pk for f in shown])],
                caption=f"Ändringar av utfallet {last}",
            ),
        },
        status=400 if form.errors else 200,
    )


# --- Finance's assessment of god ekonomisk hushållning ---------------------------------------


class AssessmentForm(forms.Form):
    text = LongTextField(
        label="Bedömning av god ekonomisk hushållning",
        rows=12,
        max_length=20000,
        help_text="Ekonomiavdelningens bedömning, som den står i rapportens sammanfattning.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@permission_required("followup.view_balance", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stewardship_assessment(request, year, month):
    plan, period, may_enter = accounts_page(
        request, year, month, "Bedömningen av god ekonomisk hushållning"
    )
    current = assessment_of(period)
    form = AssessmentForm(
        request.POST or None,
        initial={
            "text": current.text if current else "",
            "row_version": current.row_version if current else 0,
        },
    )
    closed = closed_reason(period, Actor.of(request)) if may_enter else ""
    for field in form.fields.values():
        field.disabled = bool(closed)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, AccountsError):
            save_assessment(
                period=period,
                text=form.cleaned_data["text"],
                actor=Actor.of(request),
                row_version=sent_version(form, "row_version"),
            )
            messages.success(request, "Bedömningen av god ekonomisk hushållning är sparad.")
            return redirect("followup:stewardship_assessment", year=year, month=month)
    rows = StewardshipAssessment.objects.filter(period=period).values_list("pk", flat=True)
    context = {
        "plan": plan,
        "period": period,
        "assessment": current,
        "may_enter": may_enter,
    }
    if may_enter:
        context |= {
            "form": form,
            "closed": closed,
            "history": _history(
                request,
                plan=plan,
                objects=[(StewardshipAssessment, list(rows))],
                caption="Ändringar av bedömningen",
            ),
        }
    return render(
        request,
        "followup/accounts_assessment.html",
        context,
        status=400 if form.errors else 200,
    )
