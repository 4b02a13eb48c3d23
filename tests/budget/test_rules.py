"""The investment definition is a rule, read from the plan's data."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget.rules import InvestmentRule


def test_the_plan_sets_100000_kr_and_three_years(plan):
    rule = InvestmentRule.for_plan(plan)

    assert rule.min_amount == Decimal("100000.00")
    assert rule.min_life_years == Decimal(3)


def test_an_asset_of_100000_kr_lasting_three_years_is_an_investment(plan):
    InvestmentRule.for_plan(plan).check(amount=Decimal(100_000), life_years=Decimal(3))


def test_a_smaller_or_shorter_lived_asset_is_refused_with_both_reasons(plan):
    rule = InvestmentRule.for_plan(plan)

    with pytest.raises(ValidationError) as error:
        rule.check(amount=Decimal("99999.99"), life_years=Decimal(2))

    messages = error.value.messages
    assert (
        "En investering ska uppgå till minst 100\u00a0000 kr; 99\u00a0999,99 kr är driftkostnad."
        in messages
    )
    assert "En investering ska ha en livslängd om minst 3 år." in messages


def test_a_plan_without_the_rules_facts_has_no_rule_and_borrows_none(plan):
    plan.facts.filter(code__startswith="investering-minsta").delete()

    assert InvestmentRule.for_plan(plan) is None


def test_the_rule_is_the_plans_own_not_a_default(plan):
    plan.facts.filter(code="investering-minsta-belopp").update(value=Decimal(50_000))

    InvestmentRule.for_plan(plan).check(amount=Decimal(60_000), life_years=Decimal(3))
    assert "minst 50\u00a0000 kr" in InvestmentRule.for_plan(plan).help_amount
