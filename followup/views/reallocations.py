"""Budget changes during the year: the list, the draft form, one reallocation and its steps.

Every write goes through ``followup.reallocations.workflow``; a view checks on the server who may
do what, calls one function, turns its refusal into a message and redirects. Who sees a
reallocation is ``Reallocation.objects.visible_to``: the plan's reallocation that does
not exist is 404, one the user may not see is 403.
"""

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from budget import roles
from budget.audit import Actor
from budget.history import history_table, visible_history
from budget.models import Activity, BudgetYear, Committee, FrameEntry
from budget.views.pages import plan_for
from followup.models import Reallocation, ReallocationLine
from followup.reallocations.forms import (
    DecisionForm,
    ReallocationForm,
    StatusFilter,
    exact_tkr,
    line_formset,
    typed_lines,
)
from followup.reallocations.ledger import deciding_body_name
from followup.reallocations.tables import ReallocationTable, with_amount_moved
from followup.reallocations.workflow import (
    ReallocationError,
    StaleReallocation,
    apply_reallocation,
    decision_check,
    moved,
    prepare_reallocation,
    record_decision,
    reject_reallocation,
    return_to_draft,
    reverse_reallocation,
    save_draft,
)

Status = Reallocation.Status

can_view = permission_required("followup.view_reallocations", raise_exception=True)
can_draw_up = permission_required("followup.draw_up_reallocation", raise_exception=True)
can_decide = permission_required("followup.decide_reallocations", raise_exception=True)

RELATED = (
    "plan__municipality",
    "budget_year",
    "deciding_committee",
    "reverses",
    "created_by",
    "prepared_by",
    "decision_recorded_by",
    "applied_by",
)

# The list's sections: (query-string prefix, heading, explanation, statuses).
SECTIONS = (
    (
        "vantande",
        "Väntande förändringar",
        "Utkast, beredda och beslutade omfördelningar som ännu inte är genomförda. "
        "De räknas aldrig i ramarna förrän de är genomförda.",
        Reallocation.PENDING,
    ),
    (
        "genomforda",
        "Genomförda",
        "Beslutade och genomförda: medräknade i nämndernas aktuella ramar. En genomförd "
        "omfördelning ändras aldrig; den rättas med en återföring.",
        (Status.APPLIED,),
    ),
    (
        "avslagna",
        "Avslagna",
        "Avslagna omfördelningar sparas med skälet till avslaget.",
        (Status.REJECTED,),
    ),
)


def _visible(request, plan, number) -> Reallocation:
    reallocation = get_object_or_404(
        Reallocation.objects.select_related(*RELATED), plan=plan, number=number
    )
    if not Reallocation.objects.visible_to(request.user).filter(pk=reallocation.pk).exists():
        raise PermissionDenied("Du har inte behörighet till den här omfördelningen.")
    return reallocation


def _detail(reallocation):
    return redirect(
        "followup:reallocation", year=reallocation.plan.year, number=reallocation.number
    )


# --- The list -------------------------------------------------------------------------


@can_view
@require_safe
def reallocation_list(request, year):
    plan = plan_for(request, year)
    status_filter = StatusFilter(request.GET or None)
    chosen = status_filter.chosen()
    visible = with_amount_moved(
        Reallocation.objects.visible_to(request.user).filter(plan=plan)
    ).select_related("plan", "budget_year", "deciding_committee")
    if chosen:
        visible = visible.filter(status=chosen)
    sections = []
    for key, heading, explanation, statuses in SECTIONS:
        if chosen and chosen not in statuses:
            continue
        table = ReallocationTable(visible.filter(status__in=statuses), prefix=f"{key}-")
        table.caption = heading
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        sections.append(
            {"key": key, "heading": heading, "explanation": explanation, "table": table}
        )
    return render(
        request,
        "followup/reallocation_list.html",
        {
            "plan": plan,
            "sections": sections,
            "status_filter": status_filter,
            "may_draw_up": request.user.has_perm("followup.draw_up_reallocation"),
            "demo": visible.filter(demo=True).exists(),
        },
    )


# --- Drawing up a draft -----------------------------------------------------------------


def _activities(user, plan) -> dict:
    """id → activity a user may put on a line: every activity of the municipality for
    finance (finansförvaltningen's lines and the reserve included); a controller's own
    committees' activities otherwise. In the committees' order."""
    activities = Activity.objects.filter(committee__municipality=plan.municipality)
    if not roles.is_finance(user):
        activities = activities.filter(
            committee_id__in=roles.committee_ids(user),
            committee__kind=Committee.Kind.COMMITTEE,
        )
    activities = activities.select_related("committee").order_by(
        "committee__position", "committee_id", "position", "id"
    )
    return {a.pk: a for a in activities}


def _main_budget_year(plan):
    return plan.years.filter(kind=BudgetYear.Kind.BUDGET, year=plan.year).order_by("id").first()


@can_draw_up
@require_http_methods(["GET", "POST"])
def reallocation_create(request, year):
    plan = plan_for(request, year)
    activities = _activities(request.user, plan)
    if request.method == "POST":
        form = ReallocationForm(request.POST, plan=plan)
        formset = line_formset(activities=activities, data=request.POST)
        return _save(request, plan, form, formset, reallocation=None)
    form = ReallocationForm(plan=plan, initial={"budget_year": _main_budget_year(plan)})
    formset = line_formset(activities=activities, blank_rows=4)
    return _form_page(request, plan, form, formset, reallocation=None)


@can_draw_up
@require_http_methods(["GET", "POST"])
def reallocation_edit(request, year, number):
    plan = plan_for(request, year)
    reallocation = _visible(request, plan, number)
    if not request.user.has_perm("followup.edit_reallocation", reallocation):
        raise PermissionDenied("Du kan inte ändra den här omfördelningen.")
    activities = _activities(request.user, plan)
    if request.method == "POST":
        form = ReallocationForm(request.POST, plan=plan)
        form.fields["row_version"].required = True
        formset = line_formset(activities=activities, data=request.POST)
        return _save(request, plan, form, formset, reallocation=reallocation)
    if reallocation.status != Status.DRAFT:
        messages.error(
            request,
            f"Omfördelningen är {reallocation.get_status_display().lower()}; bara ett utkast "
            "kan ändras.",
        )
        return _detail(reallocation)
    form = ReallocationForm(
        plan=plan,
        initial={
            "title": reallocation.title,
            "kind": reallocation.kind,
            "budget_year": reallocation.budget_year,
            "purpose": reallocation.purpose,
            "funding": reallocation.funding,
            "row_version": reallocation.row_version,
        },
    )
    lines = reallocation.lines.select_related("activity").order_by("id")
    formset = line_formset(
        activities=activities,
        initial=[
            {"activity": line.activity_id, "amount": line.amount, "note": line.note}
            for line in lines
        ],
        blank_rows=2,
    )
    return _form_page(request, plan, form, formset, reallocation=reallocation)


def _save(request, plan, form, formset, *, reallocation):
    """Save the typed draft, or show it again with the reasons it was refused (400; 409
    when someone else saved it meanwhile). A refused draft changes nothing."""
    if not (form.is_valid() and formset.is_valid()):
        return _form_page(request, plan, form, formset, reallocation=reallocation, status=400)
    data = form.cleaned_data
    try:
        saved = save_draft(
            plan=plan,
            budget_year=data["budget_year"],
            kind=data["kind"],
            title=data["title"],
            purpose=data["purpose"],
            funding=data["funding"],
            lines=typed_lines(formset),
            actor=Actor.of(request),
            reallocation=reallocation,
            row_version=data["row_version"] if reallocation is not None else None,
        )
    except StaleReallocation as exc:
        # The typed input stays; the next save is made against the version now saved,
        # which the page shows beside the form.
        reallocation.refresh_from_db()
        form.data = form.data.copy()
        form.data["row_version"] = reallocation.row_version
        form.add_error(None, str(exc))
        return _form_page(
            request, plan, form, formset, reallocation=reallocation, status=409, stale=True
        )
    except ReallocationError as exc:
        form.add_error(None, str(exc))
        return _form_page(request, plan, form, formset, reallocation=reallocation, status=400)
    messages.success(
        request,
        f"Omfördelning {saved.reference} är sparad som utkast. Raderna summerar till 0 tkr.",
    )
    return _detail(saved)


def _typed_sum(formset) -> Decimal | None:
    """The sum of the lines as typed (None before anything is typed or while an amount
    cannot be read)."""
    if formset.is_bound:
        if any("amount" in form.errors for form in formset.forms):
            return None
        amounts = [form.cleaned_data.get("amount") for form in formset.forms]
    else:
        amounts = [form.initial.get("amount") for form in formset.forms]
    amounts = [a for a in amounts if a is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _form_page(request, plan, form, formset, *, reallocation, status=200, stale=False):
    typed_sum = _typed_sum(formset)
    saved_lines = []
    if stale:
        saved_lines = list(reallocation.lines.select_related("activity__committee").order_by("id"))
    return render(
        request,
        "followup/reallocation_form.html",
        {
            "plan": plan,
            "reallocation": reallocation,
            "form": form,
            "formset": formset,
            "typed_sum": typed_sum,
            "typed_sum_text": None if typed_sum is None else exact_tkr(typed_sum),
            "saved_lines": saved_lines,
            "is_controller_only": not roles.is_finance(request.user),
        },
        status=status,
    )


# --- One reallocation -------------------------------------------------------------------


def why_this_body(reallocation, lines) -> str:
    """Who decides, and why, in Swedish: it follows from the lines."""
    if reallocation.deciding_body == Reallocation.Body.COMMITTEE:
        return (
            f"Alla rader hör till {reallocation.deciding_committee}: nämnden beslutar "
            "om pengar som flyttas mellan dess egna verksamheter."
        )
    committees = {line.activity.committee for line in lines}
    kinds = {c.kind for c in committees}
    if Committee.Kind.FINANCE in kinds:
        return "Raderna berör finansförvaltningen: kommunfullmäktige beslutar."
    if Committee.Kind.RESERVE in kinds:
        return "Raderna berör den politiska reserven: kommunfullmäktige beslutar."
    if len(committees) > 1:
        return "Raderna berör flera nämnder: kommunfullmäktige beslutar."
    return "Kommunfullmäktige beslutar."


def _history_entries(reallocation, user):
    """The reallocation's history: the document, its lines (withdrawn ones too) and the
    frame-ledger entries it made when applied; newest first."""
    lines = list(ReallocationLine.every_line.filter(reallocation=reallocation))
    entry_ids = FrameEntry.objects.filter(
        source__in=[line.ledger_source for line in lines]
    ).values_list("pk", flat=True)
    types = ContentType.objects.get_for_models(Reallocation, ReallocationLine, FrameEntry)
    own = (
        Q(content_type=types[Reallocation], object_id=str(reallocation.pk))
        | Q(
            content_type=types[ReallocationLine],
            object_id__in=[str(line.pk) for line in lines],
        )
        | Q(content_type=types[FrameEntry], object_id__in=[str(pk) for pk in entry_ids])
    )
    return visible_history(user).filter(own).order_by("-at", "-id")


def _detail_page(request, plan, reallocation, *, decision_form=None, status=200):
    lines = list(
        reallocation.lines.select_related("activity__committee").order_by(
            "activity__committee__position", "activity__position", "id"
        )
    )
    user = request.user
    may_decide = user.has_perm("followup.decide_reallocations")
    reversal = (
        Reallocation.objects.visible_to(user)
        .filter(reverses=reallocation)
        .select_related("plan")
        .first()
    )
    state = reallocation.status
    actions = {
        "edit": state == Status.DRAFT
        and user.has_perm("followup.draw_up_reallocation")
        and user.has_perm("followup.edit_reallocation", reallocation),
        "prepare": may_decide and state == Status.DRAFT,
        "return": may_decide and state == Status.PREPARED,
        "decide": may_decide and state == Status.PREPARED,
        "reject": may_decide and state in (Status.DRAFT, Status.PREPARED),
        "apply": may_decide and state == Status.DECIDED,
        "reverse": may_decide and state == Status.APPLIED and reversal is None,
    }
    step = {Status.PREPARED: "registrera beslutet om", Status.DECIDED: "genomföra"}.get(state)
    four_eyes = (
        decision_check(reallocation=reallocation, user=user, step=step)
        if may_decide and step
        else None
    )
    if four_eyes is not None and not four_eyes.allowed:
        actions["decide"] = actions["apply"] = False
    return render(
        request,
        "followup/reallocation_detail.html",
        {
            "plan": plan,
            "reallocation": reallocation,
            "lines": lines,
            "total": sum((line.amount for line in lines), Decimal(0)),
            "moved": moved(lines),
            "deciding_body": deciding_body_name(reallocation),
            "why": why_this_body(reallocation, lines),
            "reversal": reversal,
            "actions": actions,
            "any_action": any(actions.values()),
            "four_eyes": four_eyes,
            "decision_form": decision_form or DecisionForm(),
            "history": history_table(
                request,
                _history_entries(reallocation, user),
                caption=f"Historik för omfördelning {reallocation.reference}",
            ),
        },
        status=status,
    )


@can_view
@require_safe
def reallocation_detail(request, year, number):
    plan = plan_for(request, year)
    return _detail_page(request, plan, _visible(request, plan, number))


@can_view
@require_safe
def reallocation_protocol(request, year, number):
    """The protocol extract, only to those who may see the reallocation (never served
    from MEDIA_URL)."""
    plan = plan_for(request, year)
    reallocation = _visible(request, plan, number)
    if not reallocation.protocol:
        raise Http404("Omfördelningen har inget protokollsutdrag.")
    try:
        handle = reallocation.protocol.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Protokollsutdraget finns inte längre i filarkivet.") from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"protokollsutdrag-{plan.year}-{reallocation.number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The steps (finance) ------------------------------------------------------------------


def _step(step):
    """A finance step on one reallocation as a view (POST only): ``step(request,
    reallocation, actor)`` → (success message, reallocation to show); a refusal becomes an
    error message. Back to the reallocation either way."""

    @can_decide
    @require_POST
    @wraps(step)
    def view(request, year, number):
        plan = plan_for(request, year)
        reallocation = _visible(request, plan, number)
        try:
            message, shown = step(request, reallocation, Actor.of(request))
        except ReallocationError as exc:
            messages.error(request, str(exc))
            return _detail(reallocation)
        messages.success(request, message)
        return _detail(shown)

    return view


def _reason(request) -> str:
    return request.POST.get("reason", "")[:4000]


@_step
def reallocation_prepare(request, reallocation, actor):
    prepare_reallocation(reallocation=reallocation, actor=actor)
    return (
        f"Omfördelning {reallocation.reference} är beredd för beslut av "
        f"{deciding_body_name(reallocation)}.",
        reallocation,
    )


@_step
def reallocation_return(request, reallocation, actor):
    return_to_draft(reallocation=reallocation, actor=actor, reason=_reason(request))
    return f"Omfördelning {reallocation.reference} är tillbaka som utkast.", reallocation


@can_decide
@require_POST
def reallocation_decide(request, year, number):
    plan = plan_for(request, year)
    reallocation = _visible(request, plan, number)
    form = DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Beslutet registrerades inte: rätta de markerade fälten.")
        return _detail_page(request, plan, reallocation, decision_form=form, status=400)
    data = form.cleaned_data
    protocol = None
    if data["protocol"] is not None:
        protocol = ContentFile(
            data["protocol"], name=f"protokoll-{plan.year}-{reallocation.number}.pdf"
        )
    try:
        record_decision(
            reallocation=reallocation,
            actor=Actor.of(request),
            decided_on=data["decided_on"],
            paragraph=data["paragraph"],
            protocol=protocol,
        )
    except ReallocationError as exc:
        messages.error(request, str(exc))
    else:
        reallocation.refresh_from_db()
        messages.success(
            request,
            f"Beslutet är registrerat: {reallocation.decision}. Omfördelningen räknas i "
            "ramarna först när den är genomförd.",
        )
    return _detail(reallocation)


@_step
def reallocation_apply(request, reallocation, actor):
    apply_reallocation(reallocation=reallocation, actor=actor)
    return (
        f"Omfördelning {reallocation.reference} är genomförd: ramarna är ändrade "
        f"enligt beslutet {reallocation.decision}.",
        reallocation,
    )


@_step
def reallocation_reject(request, reallocation, actor):
    reject_reallocation(reallocation=reallocation, actor=actor, reason=_reason(request))
    return f"Omfördelning {reallocation.reference} är avslagen.", reallocation


@_step
def reallocation_reverse(request, reallocation, actor):
    reversal = reverse_reallocation(reallocation=reallocation, actor=actor, reason=_reason(request))
    return (
        f"Återföringen {reversal.reference} är upprättad som utkast. Den bereds, "
        "beslutas och genomförs som andra omfördelningar.",
        reversal,
    )
