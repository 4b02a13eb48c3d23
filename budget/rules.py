"""Rules of the adopted plan that other parts of the application apply."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from budget import money

# The plan's key facts that say what counts as an investment (no default: each municipality
# decides its own, e.g. 100 000 kr and three years, or half a price base amount).
MIN_AMOUNT_FACT = "investering-minsta-belopp"
MIN_LIFE_FACT = "investering-minsta-livslangd"
MISSING_RULE = (
    "Planen anger inte vad som räknas som en investering: nyckeluppgifterna "
    f"”{MIN_AMOUNT_FACT}” (kr) och ”{MIN_LIFE_FACT}” (år) ska finnas i budgetens "
    "arbetsbok (bladet med nyckeluppgifter)."
)


@dataclass(frozen=True)
class InvestmentRule:
    """What counts as an investment: an asset of at least ``min_amount`` kronor, for lasting
    use, with a life of at least ``min_life_years`` years. Anything less is operating cost."""

    min_amount: Decimal
    min_life_years: Decimal

    @classmethod
    def for_plan(cls, plan) -> "InvestmentRule | None":
        """The plan's rule, or None where its key facts do not give one (MISSING_RULE)."""
        facts = {
            f.code: f.value for f in plan.facts.filter(code__in=(MIN_AMOUNT_FACT, MIN_LIFE_FACT))
        }
        if MIN_AMOUNT_FACT not in facts or MIN_LIFE_FACT not in facts:
            return None
        return cls(min_amount=facts[MIN_AMOUNT_FACT], min_life_years=facts[MIN_LIFE_FACT])

    @property
    def help_amount(self) -> str:
        return (
            f"En investering är minst {money.format_number(self.min_amount)} kr; mindre är "
            "driftkostnad."
        )

    @property
    def help_life(self) -> str:
        return f"Minst {money.format_number(self.min_life_years)} år; kortare är driftkostnad."

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
