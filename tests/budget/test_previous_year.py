"""The document says Budget 2025 is "updated with the year's frame changes". With 2025's own
plan in the application, the frame ledger reproduces that column: the adopted 2025 frames
plus the reallocations applied during 2025 equal the 2026 document's Budget 2025."""

import datetime
from decimal import Decimal

import pytest

from budget.audit import Actor
from budget.models import BudgetPlan, BudgetYear, FrameEntry
from budget.reports.control import previous_plan_checks
from budget.reports.snapshot import PlanSnapshot
from followup.models import Reallocation
from followup.reallocations.workflow import (
    Line,
    apply_reallocation,
    prepare_reallocation,
    record_decision,
    save_draft,
)

MKR = Decimal(1_000_000)
# A change decided during 2025: Bildningsnämnden gave Kommunstyrelsen 2,0 mkr.
CHANGE_2025 = {"kommunstyrelsen": Decimal("-2.0"), "bildningsnamnden": Decimal("2.0")}


@pytest.fixture
def plan_2025(plan):
    """Mål och budget 2025 as adopted: the 2026 document's Budget 2025 before the change."""
    earlier = BudgetPlan.objects.create(
        municipality=plan.municipality, year=2025, title="Mål och budget 2025"
    )
    column = BudgetYear.objects.create(
        plan=earlier, year=2025, kind=BudgetYear.Kind.BUDGET, status="faststalld"
    )
    stated = BudgetYear.objects.get(plan=plan, year=2025, kind=BudgetYear.Kind.BUDGET)
    for entry in FrameEntry.objects.filter(budget_year=stated).select_related("activity"):
        FrameEntry.objects.create(
            activity=entry.activity,
            budget_year=column,
            kind=FrameEntry.Kind.ORIGINAL,
            amount=entry.amount - CHANGE_2025.get(entry.activity.code, 0) * MKR,
        )
    return earlier


def apply_the_2025_change(plan_2025, finance_officer, finance_colleague):
    """Drawn up and prepared by one finance officer, decided and applied by another."""
    from budget.models import Activity

    actor = Actor(user=finance_officer)
    colleague = Actor(user=finance_colleague)
    reallocation = save_draft(
        plan=plan_2025,
        budget_year=plan_2025.years.get(),
        kind=Reallocation.Kind.REALLOCATION,
        title="Utredningsresurs till kommunstyrelsen",
        purpose="Gemensam utredning av skolstrukturen",
        funding="Bildningsnämndens ram",
        lines=[
            Line(Activity.objects.get(code=code), mkr * MKR) for code, mkr in CHANGE_2025.items()
        ],
        actor=actor,
    )
    prepare_reallocation(reallocation=reallocation, actor=actor)
    record_decision(
        reallocation=reallocation,
        actor=colleague,
        decided_on=datetime.date(2025, 6, 16),
        paragraph="§ 71",
    )
    apply_reallocation(reallocation=reallocation, actor=colleague)


def test_without_the_years_changes_the_adopted_2025_frames_differ_from_the_updated_column(
    plan, plan_2025
):
    checks = {c.row_code: c for c in previous_plan_checks(PlanSnapshot(plan))}

    assert not checks["kommunstyrelsen"].agrees
    assert checks["kommunstyrelsen"].difference == Decimal("-2.0") * MKR
    assert checks["omsorgsnamnden"].agrees


def test_the_ledger_with_the_years_applied_changes_reproduces_the_updated_2025_budget(
    plan, plan_2025, finance_officer, finance_colleague
):
    apply_the_2025_change(plan_2025, finance_officer, finance_colleague)

    checks = previous_plan_checks(PlanSnapshot(plan))

    assert len(checks) == 8  # seven committees and finansförvaltningen; no reserve in 2025
    assert all(c.agrees for c in checks)
    assert {c.expected_label for c in checks} == {
        "Mål och budget 2025: beslutad ram + genomförda ramförändringar"
    }


def test_without_an_earlier_plan_there_is_nothing_to_compare(plan):
    assert previous_plan_checks(PlanSnapshot(plan)) == []
