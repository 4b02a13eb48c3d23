"""Financial indicators and the surplus target, computed from the plan's figures."""

from dataclasses import dataclass, field
from decimal import Decimal

from budget.models import FinancialIndicator, StatementLine
from budget.money import ratio
from budget.reports import document


@dataclass
class IndicatorRow:
    name: str
    method: str
    values: dict = field(default_factory=dict)  # column key -> fraction or None
    explanation: str = ""
    indicator: FinancialIndicator | None = None


@dataclass
class SurplusTarget:
    """The result against the surplus target (a share of tax revenue and general grants)."""

    column_key: str
    column_label: str
    target_share: Decimal  # fraction, e.g. 0.005
    tax_base: Decimal | None
    target_amount: Decimal | None
    result: Decimal | None  # the adopted result: the stated one where rounding differs
    result_share: Decimal | None
    computed_result: Decimal | None = None  # the sum of Budgetjämförelsen's rows

    @property
    def result_from_document(self) -> bool:
        """Whether the result is the document's stated figure, not the rows' sum."""
        return self.computed_result is not None and self.result != self.computed_result

    @property
    def met(self) -> bool | None:
        if self.result is None or self.target_amount is None:
            return None
        return self.result >= self.target_amount


SURPLUS_TARGET = "overskottsmal"


def share_of(fact) -> Decimal | None:
    """A key fact given in per cent, as a fraction."""
    return None if fact is None else fact.value / 100


def surplus_target_share(snapshot) -> Decimal | None:
    return share_of(snapshot.fact(SURPLUS_TARGET))


def surplus_targets(snapshot, comparison=None) -> list[SurplusTarget]:
    comparison = comparison or document.comparison(snapshot)
    share = surplus_target_share(snapshot)
    rows = []
    for year in snapshot.forward_years():
        base = snapshot.tax_base(year.key)
        figure = comparison.figure("resultat", year.key)
        result = figure.value
        rows.append(
            SurplusTarget(
                column_key=year.key,
                column_label=str(year),
                target_share=share,
                tax_base=base,
                target_amount=None if share is None or base is None else base * share,
                result=result,
                result_share=ratio(result, base),
                computed_result=figure.computed,
            )
        )
    return rows


def financial_indicators(snapshot, comparison=None) -> tuple[list, list[IndicatorRow]]:
    """The plan's financial indicators per forward year: (columns, rows). The same
    indicators as of a follow-up period (forecast, outcome): followup.goals.progress."""
    comparison = comparison or document.comparison(snapshot)
    years = snapshot.forward_years()
    assets = snapshot.line_by_role(StatementLine.Role.TOTAL_ASSETS)
    equity = snapshot.line_by_role(StatementLine.Role.TOTAL_EQUITY)
    pensions = snapshot.line_by_role(StatementLine.Role.PENSION_COMMITMENTS)

    def line(line_obj, key):
        return None if line_obj is None else snapshot.line_value(line_obj, key)

    rows = []
    for indicator in FinancialIndicator.objects.filter(plan=snapshot.plan).order_by(
        "position", "id"
    ):
        row = IndicatorRow(name=indicator.name, method=indicator.method, indicator=indicator)
        for y in years:
            a, e, p = line(assets, y.key), line(equity, y.key), line(pensions, y.key)
            if indicator.method == FinancialIndicator.Method.EQUITY_RATIO:
                row.values[y.key] = ratio(e, a)
                row.explanation = "Summa eget kapital / summa tillgångar i balansbudgeten."
            elif indicator.method == FinancialIndicator.Method.EQUITY_RATIO_WITH_PENSIONS:
                row.values[y.key] = None if e is None or p is None else ratio(e - p, a)
                row.explanation = (
                    "(Summa eget kapital − pensionsåtaganden inom linjen) / summa tillgångar."
                )
            elif indicator.method == FinancialIndicator.Method.RESULT_SHARE:
                result = comparison.figure("resultat", y.key).value
                row.values[y.key] = ratio(result, snapshot.tax_base(y.key))
                row.explanation = (
                    "Resultat (Budgetjämförelsen; det resultat dokumentet anger där det skiljer "
                    "sig från summan av raderna bara genom avrundning) / skatteintäkter och "
                    "generella statsbidrag och utjämning."
                )
            else:
                row.values[y.key] = None
                row.explanation = (
                    "Underlaget finns inte i budgeten; uppgiften förs in vid uppföljningen."
                )
        rows.append(row)
    return years, rows
