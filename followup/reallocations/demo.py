"""Demo reallocations for a development machine, from a data file.

Every step goes through followup/reallocations/workflow.py as real work does, so the demo has
history and ledger entries like any other reallocation: drawn up and prepared by one demo
finance user (``by``), its decision recorded and applied by another (``decided_by``), as four
eyes requires. Loaded once: if the plan already has reallocations, nothing is done.
"""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from budget import money
from budget.audit import Actor, Source
from budget.models import Activity, BudgetYear
from followup.models import Reallocation
from followup.reallocations import workflow as reallocations


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_demo_reallocations(data: dict, *, plan) -> int:
    """Create the file's reallocations and take each through its steps; the number made."""
    if Reallocation.objects.filter(plan=plan).exists():
        return 0
    users = get_user_model().objects
    actor = Actor(user=users.get(username=data["by"]), source=Source.COMMAND, name="Demodata")
    decider = Actor(
        user=users.get(username=data["decided_by"]), source=Source.COMMAND, name="Demodata"
    )
    budget_year = BudgetYear.objects.get(plan=plan, year=data["year"], kind=BudgetYear.Kind.BUDGET)
    activities = {
        a.code: a
        for a in Activity.objects.filter(committee__municipality=plan.municipality).select_related(
            "committee"
        )
    }
    made = 0
    for spec in data["reallocations"]:
        reallocation = reallocations.save_draft(
            plan=plan,
            budget_year=budget_year,
            kind=spec.get("kind", Reallocation.Kind.REALLOCATION),
            title=spec["title"],
            purpose=spec["purpose"],
            funding=spec["funding"],
            lines=[
                reallocations.Line(
                    activities[line["activity"]],
                    money.to_kronor(line["amount"], "mkr"),
                    line.get("note", ""),
                )
                for line in spec["lines"]
            ],
            actor=actor,
            demo=True,
        )
        _steps(spec, reallocation, actor, decider)
        made += 1
    return made


def _steps(spec, reallocation, actor, decider):
    if "prepared" in spec:
        reallocation = reallocations.prepare_reallocation(
            reallocation=reallocation, actor=actor, now=_at(spec["prepared"])
        )
    if "rejected" in spec:
        reallocations.reject_reallocation(
            reallocation=reallocation, actor=actor, reason=spec["rejected"]["reason"]
        )
        return
    decision = spec.get("decision")
    if decision:
        reallocation = reallocations.record_decision(
            reallocation=reallocation,
            actor=decider,
            decided_on=decision["date"],
            paragraph=decision["paragraph"],
        )
    if "applied" in spec:
        reallocations.apply_reallocation(
            reallocation=reallocation, actor=decider, now=_at(spec["applied"])
        )
