"""Action plans: drawn up by the committee's controller, followed up until closed."""

from django.db import transaction

from budget.audit import Actor, Area, History, Scope
from budget.models import AuditEntry

from .models import ActionPlan, Measure, ReportingPeriod

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


class ActionPlanError(Exception):
    """Swedish message."""


def plan_for(*, committee, period):
    """The open action plan the committee follows in ``period``: drawn up now or earlier."""
    return (
        ActionPlan.objects.filter(
            committee=committee,
            period__plan=period.plan,
            period__month__lte=period.month,
            status=ActionPlan.Status.OPEN,
        )
        .order_by("-period__month", "-id")
        .first()
    )


@transaction.atomic
def save_measures(
    *, committee, period, measures: list[dict], actor: Actor, summary=""
) -> ActionPlan:
    """Create the plan if needed; add new measures and update existing ones.

    ``measures``: dicts with the measure fields and ``id`` (None for a new one). A
    measure is never deleted: it is marked "avbruten" and stays in the plan.
    """
    if period.status != ReportingPeriod.Status.OPEN:
        raise ActionPlanError("Perioden är inte öppen; åtgärdsplanen kan inte ändras nu.")
    plan = plan_for(committee=committee, period=period)
    history = History(actor=actor)
    scope = Scope(area=Area.ACTIONS, plan=period.plan, committee=committee)
    if plan is None:
        plan = ActionPlan.objects.create(committee=committee, period=period, summary=summary)
        history.add(obj=plan, action=Action.CREATED, scope=scope, new=str(plan))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if summary != plan.summary:
        history.add(
            obj=plan,
            action=Action.CHANGED,
            scope=scope,
            field_label="sammanfattning",
            old=plan.summary,
            new=summary,
        )
        plan.summary = summary
        plan.save(update_fields=["summary"])
    existing = {m.pk: m for m in plan.measures.select_for_update()}
    for values in measures:
        measure_id = values.get("id")
        data = {k: values.get(k) for k in FIELDS if k in values}
        if measure_id is None:
            measure = Measure.objects.create(plan=plan, **data)
            history.add(obj=measure, action=Action.CREATED, scope=scope, new=measure.description)
            continue
        measure = existing.get(measure_id)
        if measure is None:
            raise ActionPlanError("Åtgärden hör inte till nämndens åtgärdsplan.")
        for name, new in data.items():
            old = getattr(measure, name)
            if old != new:
                setattr(measure, name, new)
                history.add(
                    obj=measure,
                    action=Action.CHANGED,
                    scope=scope,
                    field_label=str(Measure._meta.get_field(name).verbose_name),
                    old=old,
                    new=new,
                )
        measure.save()
    history.write()
    return plan


def coverage(plan, deviation):
    """How much of a negative deviation the plan's measures are expected to cover (0–1)."""
    if plan is None or deviation is None or deviation >= 0:
        return None
    effect = sum(
        (m.expected_effect for m in plan.measures.all() if m.status != Measure.Status.CANCELLED),
        start=0,
    )
    return effect / -deviation
