"""Reallocations as the tests arrange them: drawn up, prepared, decided and applied through
the workflow's services, and the frame ledger they move."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from budget.audit import Actor, Source
from budget.models import Activity, BudgetYear, Committee, FrameEntry
from budget.roles import Role
from followup.models import Reallocation
from followup.reallocations import workflow

MKR = Decimal(1_000_000)


def between_committees(mkr):
    """Lines moving ``mkr`` between Kommunstyrelsen and Bildningsnämnden: the council decides."""
    return [("kommunstyrelsen", mkr), ("bildningsnamnden", f"-{mkr}")]


BETWEEN_COMMITTEES = between_committees("2.0")


def actor(user):
    return Actor(user=user, source=Source.PAGE)


def activity(code):
    return Activity.objects.select_related("committee").get(code=code)


def budget_year(plan, year=2026):
    return BudgetYear.objects.get(plan=plan, year=year, kind=BudgetYear.Kind.BUDGET)


def frame(code, budget_year):
    """The activity's frame in ``budget_year``: the sum of its ledger entries."""
    return sum(
        FrameEntry.objects.filter(activity__code=code, budget_year=budget_year).values_list(
            "amount", flat=True
        ),
        Decimal(0),
    )


def split_bildning_in_two(*, first_position=0):
    """Bildningsnämnden split into two activities, Grundskola and Förskola, as a committee
    may be."""
    bildning = Committee.objects.get(code="bildningsnamnden")
    return [
        Activity.objects.create(committee=bildning, code=code, name=name, position=position)
        for position, (code, name) in enumerate(
            [("grundskola", "Grundskola"), ("forskola", "Förskola")], start=first_position
        )
    ]


def draft(plan, budget_year, user, lines=BETWEEN_COMMITTEES, **kwargs):
    """A draft saved by the service; ``lines`` are (activity code, mkr)."""
    return workflow.save_draft(
        plan=plan,
        budget_year=budget_year,
        kind=kwargs.pop("kind", Reallocation.Kind.REALLOCATION),
        title=kwargs.pop("title", "Fler elever i grundskolan"),
        purpose=kwargs.pop("purpose", "Elevökningen hösten 2026"),
        funding=kwargs.pop("funding", "Kommunstyrelsens utvecklingsmedel"),
        lines=[workflow.Line(activity(code), Decimal(mkr) * MKR) for code, mkr in lines],
        actor=actor(user),
        **kwargs,
    )


def edited(reallocation, user, lines, **kwargs):
    """The draft saved again by ``user`` with new ``lines`` (activity code, mkr)."""
    return draft(
        reallocation.plan,
        reallocation.budget_year,
        user,
        lines,
        reallocation=reallocation,
        **kwargs,
    )


def colleague():
    """A second finance officer ("erik", the ``finance_colleague`` fixture's user): four eyes
    have the decision recorded and applied by someone who did not draw the reallocation up."""
    user, created = get_user_model().objects.get_or_create(username="erik")
    if created:
        user.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return user


def prepared(reallocation, finance_officer):
    """The reallocation prepared by finance for the body that decides it."""
    return workflow.prepare_reallocation(reallocation=reallocation, actor=actor(finance_officer))


def decided(reallocation, finance_officer):
    """The reallocation prepared by ``finance_officer`` and decided on 27 April 2026, § 45,
    the decision recorded by a colleague (four eyes)."""
    prepared(reallocation, finance_officer)
    return workflow.record_decision(
        reallocation=reallocation,
        actor=actor(colleague()),
        decided_on=datetime.date(2026, 4, 27),
        paragraph="§ 45",
    )


def applied(reallocation, finance_officer):
    """The reallocation prepared, decided and applied to the frames (decided and applied by a
    colleague of ``finance_officer``: four eyes)."""
    decided(reallocation, finance_officer)
    return workflow.apply_reallocation(reallocation=reallocation, actor=actor(colleague()))
