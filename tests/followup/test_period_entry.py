"""Figures entered beside the reports (investments, statements, companies, goal analyses)
follow one rule: an open period takes them; a closed one only finance's corrections (or a
command's); a planned or published one nobody's."""

import pytest

from budget.audit import Actor, Source
from followup.models import ReportingPeriod
from followup.periods.entry import PeriodClosed, check_open, closed_reason
from tests.followup.periods import period_of

Status = ReportingPeriod.Status
NOT_YET = "Perioden är inte öppnad ännu; uppföljningen kan inte registreras."
CLOSED = "Perioden är stängd; bara ekonomiavdelningen kan rätta uppföljningen nu."
PUBLISHED = "Perioden är publicerad; uppföljningen kan inte längre ändras."


@pytest.fixture
def actors(bildning_controller, finance_officer):
    return {
        "controller": Actor(user=bildning_controller, source=Source.PAGE),
        "finance": Actor(user=finance_officer, source=Source.PAGE),
        "command": Actor(source=Source.COMMAND),
    }


@pytest.mark.parametrize(
    ("status", "who", "refusal"),
    [
        (Status.OPEN, "controller", ""),
        (Status.OPEN, "finance", ""),
        (Status.PLANNED, "finance", NOT_YET),
        (Status.CLOSED, "controller", CLOSED),
        (Status.CLOSED, "finance", ""),
        (Status.CLOSED, "command", ""),
        (Status.PUBLISHED, "finance", PUBLISHED),
        (Status.PUBLISHED, "command", PUBLISHED),
    ],
)
def test_who_may_enter_figures_in_a_period_of_each_status(plan, actors, status, who, refusal):
    period = period_of(plan, 8, status)

    assert closed_reason(period, actors[who]) == refusal
    if refusal:
        with pytest.raises(PeriodClosed, match=refusal):
            check_open(period, actors[who])
    else:
        check_open(period, actors[who])


def test_a_refusal_is_raised_as_the_callers_own_error(plan, actors):
    class AnalysisRefused(PeriodClosed):
        pass

    with pytest.raises(AnalysisRefused) as refused:
        check_open(period_of(plan, 8, Status.PUBLISHED), actors["finance"], AnalysisRefused)

    assert refused.value.messages == [PUBLISHED]
