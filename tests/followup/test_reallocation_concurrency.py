"""A reallocation applied by two people at once, and the database's own balance guard, in
real concurrent transactions (PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction

from budget.audit import Actor, Source
from budget.loader import load_plan
from budget.models import Activity, BudgetYear, FrameEntry, Role
from followup.models import Reallocation, ReallocationLine
from followup.reallocations.workflow import (
    Line,
    ReallocationError,
    apply_reallocation,
    prepare_reallocation,
    record_decision,
    save_draft,
)
from tests.database import require_postgresql
from tests.followup.threads import at_once, outcomes

pytestmark = pytest.mark.postgres
MKR = Decimal(1_000_000)


@pytest.fixture
def finance(transactional_db, django_user_model):
    require_postgresql("real concurrent transactions, row locks and triggers")
    user = django_user_model.objects.create_user("eva")
    user.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return user


@pytest.fixture
def colleague(finance, django_user_model):
    """A second finance officer: the decision is recorded and applied by someone who did not
    draw the reallocation up (four eyes)."""
    user = django_user_model.objects.create_user("erik")
    user.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return user


@pytest.fixture
def decided(finance, colleague, plan_data):
    plan = load_plan(plan_data).plan
    budget = BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET)
    actor = Actor(user=finance, source=Source.PAGE)
    reallocation = save_draft(
        plan=plan,
        budget_year=budget,
        kind=Reallocation.Kind.REALLOCATION,
        title="Fler elever",
        purpose="Elevökningen",
        funding="Kommunstyrelsens utvecklingsmedel",
        lines=[
            Line(Activity.objects.get(code="kommunstyrelsen"), 2 * MKR),
            Line(Activity.objects.get(code="bildningsnamnden"), -2 * MKR),
        ],
        actor=actor,
    )
    prepare_reallocation(reallocation=reallocation, actor=actor)
    return record_decision(
        reallocation=reallocation,
        actor=Actor(user=colleague, source=Source.PAGE),
        decided_on=datetime.date(2026, 4, 27),
        paragraph="§ 45",
        today=datetime.date(2026, 4, 28),
    )


def test_of_two_simultaneous_applications_one_moves_the_money_and_the_other_is_refused(
    decided, colleague
):
    def apply(name):
        return apply_reallocation(reallocation=decided, actor=Actor(user=colleague, name=name))

    results = at_once(lambda: apply("Anna"), lambda: apply("Bertil"))

    assert outcomes(results, refusal=ReallocationError, done="applied") == ["applied", "refused"]
    decided.refresh_from_db()
    assert decided.status == Reallocation.Status.APPLIED
    changes = FrameEntry.objects.filter(kind=FrameEntry.Kind.CHANGE)
    assert sorted(changes.values_list("amount", flat=True)) == [-2 * MKR, 2 * MKR]


def test_the_database_refuses_to_commit_an_unbalanced_line_written_past_the_application(
    decided,
):
    line = decided.lines.first()

    with pytest.raises(IntegrityError, match="summerar till"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE followup_reallocationline SET amount = amount + 1 WHERE id = %s",
                    [line.pk],
                )
            # The deferred constraint trigger fires when the transaction commits.

    line.refresh_from_db()
    assert (
        sum(ReallocationLine.objects.filter(reallocation=decided).values_list("amount", flat=True))
        == 0
    )
