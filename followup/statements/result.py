"""The interim report's and the annual accounts' own figures: the year's result as of a
period, and its balance requirement (balanskravsutredning).

The result is the committees' and finansförvaltningen's reports together, as finance's
review page shows it (``MunicipalityResult``): the full-year forecast in the interim report
and in other forecast periods, the outcome for the year in the annual accounts. The balance
requirement's other inputs are what finance records for the period (``BalanceInputs``) and
the deficits of earlier years still to restore (``EarlierDeficit``).
"""

from dataclasses import dataclass
from decimal import Decimal

from budget.models import Committee, KeyFact
from budget.money import sum_present
from followup.models import BalanceInputs, EarlierDeficit, ReportingPeriod, ReportLine
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share
from followup.statements import balance

RESERVE_FACT = "resultatutjamningsreserv"  # the plan's key fact: the RUR (Hedemora: 74 mkr)


@dataclass(frozen=True)
class YearResult:
    """The year's result as of ``period``: forecast, or outcome in the annual accounts."""

    period: ReportingPeriod
    is_outcome: bool
    result: Decimal | None
    budget: Decimal | None
    tax_and_grants: Decimal | None
    municipality: MunicipalityResult

    @property
    def label(self) -> str:
        return "Utfall" if self.is_outcome else "Prognos"


def year_result(period, *, rows=None) -> YearResult:
    """The year's result as of ``period`` (forecast, or in the annual accounts outcome);
    ``rows``: the period's CommitteeRows when the caller has them already."""
    plan = period.plan
    if rows is None:
        rows = period_overview(period, Committee.objects.of_plan(plan).with_activities())
    total = MunicipalityResult.of(rows, target_share=surplus_target_share(plan))
    is_outcome = period.kind == ReportingPeriod.Kind.ANNUAL
    if is_outcome:
        tax_and_grants = _tax_base_outcome([row.report for row in rows if row.report])
        result = total.outcome
    else:
        tax_and_grants = total.tax_base_forecast
        result = total.forecast
    return YearResult(
        period=period,
        is_outcome=is_outcome,
        result=result,
        budget=total.budget,
        tax_and_grants=tax_and_grants,
        municipality=total,
    )


def _tax_base_outcome(reports):
    """The outcome of the tax-base lines (skatteintäkter, generella bidrag) in one query."""
    outcomes = ReportLine.objects.filter(
        report__in=reports, activity__tax_base=True, outcome__isnull=False
    ).values_list("outcome", flat=True)
    return sum_present(outcomes)


@dataclass(frozen=True)
class BalanceOfPeriod:
    """The period's balanskravsutredning, or why there is none yet."""

    year_result: YearResult
    inputs: BalanceInputs | None  # None: finance has recorded no adjustments
    statement: balance.BalanceStatement | None
    missing: str = ""  # why there is no statement (no result yet)


def balance_of_period(period) -> BalanceOfPeriod:
    """The utredning from the period's result and finance's inputs. Without recorded
    inputs it is computed with no adjustments, and ``inputs`` is None so that a page says
    so; without a result (nothing reported) there is none."""
    result = year_result(period)
    inputs = BalanceInputs.objects.filter(period=period).first()
    if result.result is None or not result.tax_and_grants:
        return BalanceOfPeriod(
            year_result=result,
            inputs=inputs,
            statement=None,
            missing="Årets resultat finns inte ännu: inga rapporter med "
            + ("utfall" if result.is_outcome else "prognos")
            + " för perioden.",
        )
    deficits = tuple(
        balance.Deficit(year=d.year, amount=d.amount)
        for d in EarlierDeficit.objects.filter(plan=period.plan, year__lt=period.year).order_by(
            "year", "id"
        )
    )
    figures = balance.BalanceFigures(
        year=period.year,
        result=result.result,
        tax_and_grants=result.tax_and_grants,
        **(_recorded_reserve(inputs) if inputs else _stated_reserve(period)),
        deficits=deficits,
        **(_adjustments(inputs) if inputs else {}),
    )
    return BalanceOfPeriod(
        year_result=result, inputs=inputs, statement=balance.balance_statement(figures=figures)
    )


def _adjustments(inputs) -> dict:
    names = (
        "realisation_gains",
        "exempt_realisation_gains",
        "exempt_realisation_losses",
        "unrealised_securities",
        "reversed_unrealised_securities",
        "reservation",
        "disposition",
    )
    return {name: getattr(inputs, name) for name in names} | {
        "negative_equity_incl_pensions": inputs.negative_equity_incl_pensions
    }


def _recorded_reserve(inputs) -> dict:
    return {"reserve": balance.Reserve(inputs.reserve), "reserve_balance": inputs.reserve_balance}


def _stated_reserve(period) -> dict:
    """Without recorded inputs: the RUR the plan states (it may still be used until 2033),
    else an empty RER."""
    fact = KeyFact.objects.filter(plan=period.plan, code=RESERVE_FACT).first()
    if fact is not None:
        return {"reserve": balance.Reserve.RUR, "reserve_balance": fact.value}
    return {"reserve": balance.Reserve.RER, "reserve_balance": Decimal(0)}
