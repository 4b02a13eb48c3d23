"""Rules of the adopted plan that other parts of the application apply."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from budget import money

DEFAULT_MIN_AMOUNT = Decimal(100_000)
DEFAULT_MIN_LIFE_YEARS = Decimal(3)


@dataclass(frozen=True)
class InvestmentRule:
    """What counts as an investment: an asset of at least ``min_amount`` kronor, for lasting
    use, with a life of at least ``min_life_years`` years. Anything less is operating cost."""

    min_amount: Decimal
    min_life_years: Decimal

    @classmethod
    def for_plan(cls, plan) -> "InvestmentRule":
        facts = {f.code: f.value for f in plan.facts.filter(code__startswith="investering-minsta")}
        return cls(
            min_amount=facts.get("investering-minsta-belopp", DEFAULT_MIN_AMOUNT),
            min_life_years=facts.get("investering-minsta-livslangd", DEFAULT_MIN_LIFE_YEARS),
        )

    def check(self, *, amount: Decimal, life_years: Decimal) -> None:
        """Raise ValidationError with every reason the asset is not an investment."""
        errors = []
        if amount < self.min_amount:
            errors.append(
                ValidationError(
                    "En investering ska uppgå till minst %(min)s kr; %(amount)s kr är driftkostnad.",
                    code="investment_too_small",
                    params={
                        "min": money.format_number(self.min_amount),
                        "amount": money.format_number(amount, 2 if amount % 1 else 0),
                    },
                )
            )
        if life_years < self.min_life_years:
            errors.append(
                ValidationError(
                    "En investering ska ha en livslängd om minst %(min)s år.",
                    code="investment_too_short_lived",
                    params={"min": money.format_number(self.min_life_years)},
                )
            )
        if errors:
            raise ValidationError(errors)
