"""The municipality beside others in Kolada: its comparison group and the Kolada KPIs that
mirror its own figures, read from the mapping file (fixtures/<kommun>/kolada-kopplingar.toml):

    comparison_group = "G37393"          # Kolada's "Liknande kommuner, övergripande"

    [[references]]
    measure = "nyckeltal"                # one of the plan's financial indicators
    indicator = "soliditet-kommun"       # its code in the plan
    kpi = "N03106"
    unit = "procent"                     # procent, kr/inv or antal, as Kolada gives it

    [[references]]
    measure = "balanskravsresultat"      # compared with the annual accounts' own
    kpi = "N03139"
    unit = "kr/inv"

    [[references]]
    measure = "invanare"                 # turns kronor into kronor per inhabitant
    kpi = "N01951"
    unit = "antal"

The group's title and members are Kolada's: fetched with the values (or read from a
saved answer of ``/municipality_groups/<id>``), each change audited.
"""

from django.db import transaction

from budget.audit import Action, Actor, Area, History, Scope, apply_changes, fields_of
from followup.goals.kolada.client import GroupAnswer
from followup.models import KoladaGroup, KoladaReference

GROUP_FIELDS = ("group_id", "title", "members")


def save_references(*, plan, rows: list[dict], group_id: str, history: History) -> int:
    """Create the references that do not exist yet (an existing one keeps its KPI: finance
    may have changed it), and the municipality's comparison group; each audited. Returns
    how many references were created. Call inside a transaction."""
    scope = Scope(area=Area.GOALS, plan=plan)
    created = 0
    for row in rows:
        reference, made = KoladaReference.objects.get_or_create(
            plan=plan,
            measure=row["measure"],
            financial_indicator=row["financial_indicator"],
            defaults={"kpi": row["kpi"], "unit": row["unit"]},
        )
        if made:
            created += 1
            history.add(
                obj=reference,
                action=Action.CREATED,
                scope=scope,
                new=fields_of(reference, ("measure", "kpi", "unit")),
            )
    if group_id:
        group = KoladaGroup.objects.select_for_update().filter(municipality=plan.municipality)
        group = group.first()
        if group is None:
            group = KoladaGroup.objects.create(municipality=plan.municipality, group_id=group_id)
            history.add(
                obj=group, action=Action.CREATED, scope=scope, new=fields_of(group, ("group_id",))
            )
        elif group.group_id != group_id:
            apply_changes(
                group,
                {"group_id": group_id, "title": "", "members": []},
                history=history,
                scope=scope,
            )
            group.fetched_at = None
            group.save()
    return created


def comparison_group(plan) -> KoladaGroup | None:
    return KoladaGroup.objects.filter(municipality_id=plan.municipality_id).order_by("id").first()


def references(plan) -> list[KoladaReference]:
    return list(
        KoladaReference.objects.filter(plan=plan)
        .select_related("financial_indicator")
        .order_by("measure", "financial_indicator__position", "id")
    )


def store_group(*, plan, answer: GroupAnswer, actor: Actor, fetched_at) -> bool:
    """Kolada's title and members of the municipality's comparison group; returns
    whether anything changed. An answer about another group is ignored (False)."""
    with transaction.atomic():
        group = (
            KoladaGroup.objects.select_for_update()
            .filter(municipality=plan.municipality, group_id=answer.group_id)
            .first()
        )
        if group is None:
            return False
        history = History(actor=actor, at=fetched_at)
        members = [{"code": code, "name": name} for code, name in answer.members]
        changed = apply_changes(
            group,
            {"title": answer.title, "members": members},
            history=history,
            scope=Scope(area=Area.GOALS, plan=plan),
        )
        group.fetched_at = fetched_at
        group.save()
        history.write()
    return bool(changed)
