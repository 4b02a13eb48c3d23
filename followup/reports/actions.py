"""Action plans: drawn up by the committee's controller, followed up until closed."""

from django.db import transaction
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope, apply_changes
from budget.models import AuditEntry
from budget.money import format_percent, sum_present
from followup.models import ActionPlan, Measure, MeasureFollowUp, Report, ReportingPeriod
from followup.reports.as_of import PlanAsOf, drawn_up_by

Action = AuditEntry.Action
FIELDS = (
    "description",
    "expected_effect",
    "responsible",
    "due_date",
    "status",
    "realised_effect",
    "comment",
)
FOLLOW_UP_FIELDS = ("status", "realised_effect", "comment")


class ActionPlanError(Exception):
    """Swedish message."""


def plan_for(*, committee, period):
    """The open action plan the committee follows in ``period``: drawn up now or earlier."""
    return (
        drawn_up_by(period)
        .filter(committee=committee, status=ActionPlan.Status.OPEN)
        .order_by("-period__month", "-id")
        .first()
    )


def may_change_plan(*, committee, period) -> bool:
    """The committee's action plan for ``period`` may be changed while the period is open,
    and, in a closed or published period, while the committee corrects its approved
    report there: a correction that needs a plan can then get one and be handed in."""
    if period.status == ReportingPeriod.Status.OPEN:
        return True
    return Report.objects.filter(
        committee=committee,
        period=period,
        corrects__isnull=False,
        status__in=Report.EDITABLE,
    ).exists()


def _check_open(period, committee):
    if not may_change_plan(committee=committee, period=period):
        raise ActionPlanError("Perioden är inte öppen; åtgärdsplanen kan inte ändras nu.")


@transaction.atomic
def save_measures(
    *, committee, period, measures: list[dict], actor: Actor, summary="", now=None
) -> ActionPlan:
    """Create the plan if needed; add new measures and update existing ones.

    ``measures``: dicts with the measure fields and ``id`` (None for a new one). A
    measure is never deleted: it is marked "avbruten" and stays in the plan.
    Each saved measure's status, realised effect and comment are also kept as its
    follow-up in ``period``, so the plan's course shows period by period.
    """
    _check_open(period, committee)
    plan = plan_for(committee=committee, period=period)
    history = History(actor=actor)
    scope = Scope(area=Area.ACTIONS, plan=period.plan, committee=committee)
    if plan is None:
        plan = ActionPlan.objects.create(committee=committee, period=period, summary=summary)
        history.add(obj=plan, action=Action.CREATED, scope=scope, new=str(plan))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if apply_changes(plan, {"summary": summary}, history=history, scope=scope):
        plan.save(update_fields=["summary"])
    existing = {m.pk: m for m in plan.measures.select_for_update()}
    for values in measures:
        realised_effect = values.get("realised_effect")
        if realised_effect is not None and realised_effect < 0:
            raise ActionPlanError(
                "Uppnådd effekt kan inte vara negativ: skriv vad åtgärden har minskat "
                "kostnaderna eller ökat intäkterna med (0 om den inte har gett något än)."
            )
        measure_id = values.get("id")
        data = {k: values.get(k) for k in FIELDS if k in values}
        if measure_id is None:
            measure = Measure.objects.create(plan=plan, **data)
            history.add(obj=measure, action=Action.CREATED, scope=scope, new=measure.description)
            _follow_up(measure, period, actor, now)
            continue
        measure = existing.get(measure_id)
        if measure is None:
            raise ActionPlanError("Åtgärden hör inte till nämndens åtgärdsplan.")
        apply_changes(measure, data, history=history, scope=scope)
        measure.save()
        _follow_up(measure, period, actor, now)
    history.write()
    return plan


def _follow_up(measure, period, actor, now):
    MeasureFollowUp.objects.update_or_create(
        measure=measure,
        period=period,
        defaults={
            **{name: getattr(measure, name) for name in FOLLOW_UP_FIELDS},
            "recorded_at": now or timezone.now(),
            "recorded_by": actor.user,
        },
    )


@transaction.atomic
def close_plan(*, committee, period, actor: Actor, reason: str) -> ActionPlan:
    """Close the committee's open plan: it is no longer carried forward."""
    _check_open(period, committee)
    reason = (reason or "").strip()
    if not reason:
        raise ActionPlanError("Skriv varför åtgärdsplanen avslutas.")
    plan = plan_for(committee=committee, period=period)
    if plan is None:
        raise ActionPlanError("Nämnden har ingen pågående åtgärdsplan.")
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    history = History(actor=actor, reason=reason)
    history.add(
        obj=plan,
        action=Action.CHANGED,
        scope=Scope(area=Area.ACTIONS, plan=period.plan, committee=committee),
        field_label="status",
        old=plan.get_status_display(),
        new=ActionPlan.Status.CLOSED.label,
    )
    plan.status = ActionPlan.Status.CLOSED
    plan.save(update_fields=["status"])
    history.write()
    return plan


def follow_up_table(plan) -> tuple[list, list]:
    """(periods, rows): the periods in which the plan was followed up, and per measure
    its follow-up in each of them (None where it was not followed up)."""
    if plan is None:
        return [], []
    follow_ups = list(
        MeasureFollowUp.objects.filter(measure__plan=plan)
        .select_related("period")
        .order_by("period__month", "measure_id", "id")
    )
    periods = sorted({f.period for f in follow_ups}, key=lambda p: (p.year, p.month))
    by_measure = {(f.measure_id, f.period_id): f for f in follow_ups}
    rows = [
        (measure, [by_measure.get((measure.pk, p.pk)) for p in periods])
        for measure in plan.measures.all()
    ]
    return periods, rows


def realised(plan):
    """The effect the plan's measures have realised so far."""
    if plan is None:
        return None
    return sum_present(m.realised_effect for m in plan.measures.all())


def shortfalls(plan, deviation, *, today) -> list[str]:
    """Why ``plan`` falls short of the negative ``deviation`` it answers, as sentences:
    its measures are expected to cover less than all of it, or measures are past their
    date without being carried out. [] when it covers it and is on time."""
    if plan is None or deviation is None or deviation >= 0:
        return []
    found = []
    share = coverage(plan, deviation)
    if share is not None and share < 1:
        found.append(
            f"åtgärderna väntas täcka {format_percent(share, 0)} av den prognostiserade avvikelsen"
        )
    measures = plan.measures if isinstance(plan, PlanAsOf) else plan.measures.all()
    overdue = [
        m
        for m in measures
        if m.due_date < today and m.status in (Measure.Status.PLANNED, Measure.Status.STARTED)
    ]
    if len(overdue) == 1:
        found.append("1 åtgärd är försenad")
    elif overdue:
        found.append(f"{len(overdue)} åtgärder är försenade")
    return found


def coverage(plan, deviation):
    """How much of a negative deviation the plan's measures are expected to cover (0–1)."""
    if plan is None or deviation is None or deviation >= 0:
        return None
    measures = plan.measures if isinstance(plan, PlanAsOf) else plan.measures.all()
    effect = sum(
        (m.expected_effect for m in measures if m.status != Measure.Status.CANCELLED), start=0
    )
    return effect / -deviation
