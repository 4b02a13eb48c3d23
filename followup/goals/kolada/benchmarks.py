"""The municipality's figures beside the rest of its county and its comparison group in
Kolada: the unweighted mean of the other municipalities' values for the same year (each
municipality counts once, whatever its size), with how many of them have a value.

Plus the balanskravsresultat of past years, the application's own (annual accounts
kept here, and the deficits finance recorded) beside Kolada's (the plan's reference
"balanskravsresultat", N03139 for Hedemora)."""

from dataclasses import dataclass
from decimal import Decimal

from budget.money import format_number, round_half_up
from followup.goals.kolada.importer import (
    comparison_municipalities,
    county_data,
    county_region,
    group_municipalities,
)
from followup.goals.kolada.references import comparison_group, references
from followup.models import EarlierDeficit, KoladaFigure, KoladaReference, ReportingPeriod
from followup.statements.result import balance_of_period

# The most decimals a mean is shown with.
MAX_PLACES = 2


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Mean:
    """The unweighted mean of ``count`` municipalities' values (of ``of`` compared)."""

    value: Decimal
    count: int
    of: int
    places: int

    @property
    def shown(self) -> str:
        return format_number(self.value, self.places)


def mean(values, *, of: int) -> Mean | None:
    """The mean of ``values`` (Decimal), shown with one decimal more than the most exact
    of them (at most two); None when there is none."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    places = min(MAX_PLACES, max(_places(v) for v in values) + 1)
    total = sum(values, Decimal(0))
    return Mean(
        value=round_half_up(total / len(values), 4), count=len(values), of=of, places=places
    )


@dataclass(frozen=True)
class Circles:
    """Whom the municipality is compared with: the rest of its county, its group."""

    own: str
    towns: tuple  # (Kolada id, name): the own first, then the rest of the county
    county: tuple  # Kolada ids, the own left out
    group: tuple
    region: str  # "Dalarna", "" without a county file
    group_title: str  # "Liknande kommuner, övergripande", "" without a fetched group
    kolada_group: object = None  # the KoladaGroup, None without one

    def means(self, values: dict) -> tuple:
        """(county mean, group mean) of ``values`` {Kolada id: value}."""
        return (
            mean([values.get(c) for c in self.county], of=len(self.county))
            if self.county
            else None,
            mean([values.get(c) for c in self.group], of=len(self.group)) if self.group else None,
        )

    @property
    def compared_with(self) -> str:
        """ "övriga Dalarna och jämförelsegruppen ”…”", as far as each is there."""
        parts = (self.county_label if self.county else "", self.group_label if self.group else "")
        return " och ".join(p for p in parts if p)

    @property
    def county_label(self) -> str:
        return f"övriga {self.region}" if self.region else "övriga länet"

    @property
    def group_label(self) -> str:
        return (
            f"jämförelsegruppen ”{self.group_title}”" if self.group_title else "jämförelsegruppen"
        )


def circles(plan) -> Circles:
    """Whom ``plan``'s municipality is compared with: the county file read once, one query
    for the comparison group."""
    own = plan.municipality.kolada_id or ""
    group = comparison_group(plan)
    data = county_data(plan)
    towns = tuple(comparison_municipalities(plan, data))
    return Circles(
        own=own,
        towns=towns,
        county=tuple(code for code, _ in towns if code != own),
        group=tuple(code for code, _ in group_municipalities(plan, group)) if group else (),
        region=county_region(plan, data),
        group_title=group.title if group else "",
        kolada_group=group,
    )


@dataclass(frozen=True)
class Benchmark:
    """A year's figure of the municipality beside the means of the others."""

    year: int
    own: Decimal | None
    county: Mean | None
    group: Mean | None
    county_label: str = "övriga länet"
    group_label: str = "jämförelsegruppen"

    @property
    def own_shown(self) -> str:
        return (
            "" if self.own is None else format_number(self.own, min(MAX_PLACES, _places(self.own)))
        )


def benchmark(circle: Circles, year: int, values: dict) -> Benchmark:
    """``values`` {Kolada id: value} of one figure and year."""
    county, group = circle.means(values)
    return Benchmark(
        year=year,
        own=values.get(circle.own),
        county=county,
        group=group,
        county_label=circle.county_label,
        group_label=circle.group_label,
    )


@dataclass(frozen=True)
class ReferenceRow:
    """A Kolada KPI mirroring one of the plan's figures, per year."""

    reference: KoladaReference
    benchmarks: tuple  # Benchmark, ascending years

    @property
    def name(self) -> str:
        ref = self.reference
        return (
            ref.financial_indicator.name if ref.financial_indicator else ref.get_measure_display()
        )


def figures_by_kpi(kpis) -> dict:
    """{kpi: {year: {Kolada id: value}}} of the stored Kolada figures, one query."""
    out = {}
    if not kpis:
        return out
    for row in KoladaFigure.objects.filter(kpi__in=kpis).order_by("kpi", "year", "id"):
        out.setdefault(row.kpi, {}).setdefault(row.year, {})[row.municipality_code] = row.value
    return out


def reference_rows(
    plan, circle: Circles | None = None, *, chosen=None, stored=None, years: int = 3
) -> list[ReferenceRow]:
    """The plan's financial-indicator references with the last ``years`` years the
    municipality has a figure for; two queries, and the county file when ``circle`` is
    not given. ``chosen`` (references(plan)) and ``stored`` (figures_by_kpi of their
    KPIs), when the caller has them."""
    circle = circle or circles(plan)
    chosen = [
        r
        for r in (references(plan) if chosen is None else chosen)
        if r.measure == KoladaReference.Measure.INDICATOR
    ]
    if stored is None:
        stored = figures_by_kpi({r.kpi for r in chosen})
    rows = []
    for reference in chosen:
        by_year = stored.get(reference.kpi, {})
        own_years = sorted(y for y, values in by_year.items() if circle.own in values)
        rows.append(
            ReferenceRow(
                reference=reference,
                benchmarks=tuple(benchmark(circle, y, by_year[y]) for y in own_years[-years:]),
            )
        )
    return rows


@dataclass(frozen=True)
class BalanceYear:
    """One year's balanskravsresultat: the application's (kronor), and Kolada's."""

    year: int
    own: Decimal | None  # kronor, from the annual accounts or a recorded deficit
    source: str  # where ``own`` comes from
    inhabitants: Decimal | None
    kolada: Decimal | None  # in the reference's unit
    unit: str

    @property
    def own_in_unit(self) -> Decimal | None:
        """The application's figure in Kolada's unit (kr/inv needs the inhabitants)."""
        if self.own is None:
            return None
        if self.unit == KoladaReference.Unit.KR_PER_INHABITANT:
            if not self.inhabitants:
                return None
            return round_half_up(self.own / self.inhabitants, 0)
        return self.own

    @property
    def difference(self) -> Decimal | None:
        own = self.own_in_unit
        return None if own is None or self.kolada is None else own - self.kolada


@dataclass(frozen=True)
class BalanceComparison:
    reference: KoladaReference | None
    years: tuple  # BalanceYear
    missing_inhabitants: bool = False


def _annual_results(plan) -> dict:
    """{year: (balanskravsresultat in kronor, source)} of the published annual accounts
    of the municipality's plans before ``plan``'s year and of the deficits ``plan``
    records."""
    results = {
        d.year: (d.amount, "underskott att återställa, registrerat av ekonomiavdelningen")
        for d in EarlierDeficit.objects.filter(plan=plan).order_by("year", "id")
    }
    annual = ReportingPeriod.objects.filter(
        plan__municipality=plan.municipality,
        kind=ReportingPeriod.Kind.ANNUAL,
        status=ReportingPeriod.Status.PUBLISHED,
        year__lt=plan.year,
    ).select_related("plan")
    for period in annual.order_by("year", "id"):
        statement = balance_of_period(period).statement
        if statement is not None:
            results[period.year] = (statement.balance_result, "årsbokslutet i applikationen")
    return results


def balance_comparison(plan, *, chosen=None, stored=None) -> BalanceComparison:
    """The balanskravsresultat of each past year that the application or Kolada has
    (``chosen`` and ``stored`` as for reference_rows)."""
    chosen = {r.measure: r for r in (references(plan) if chosen is None else chosen)}
    reference = chosen.get(KoladaReference.Measure.BALANCE_RESULT)
    inhabitants_ref = chosen.get(KoladaReference.Measure.INHABITANTS)
    own = plan.municipality.kolada_id or ""
    if stored is None:
        stored = figures_by_kpi({r.kpi for r in (reference, inhabitants_ref) if r is not None})
    kolada = {y: v.get(own) for y, v in stored.get(reference.kpi, {}).items()} if reference else {}
    inhabitants = (
        {y: v.get(own) for y, v in stored.get(inhabitants_ref.kpi, {}).items()}
        if inhabitants_ref
        else {}
    )
    results = _annual_results(plan)
    unit = reference.unit if reference else ""
    years = sorted({y for y, v in kolada.items() if v is not None} | set(results))
    rows = tuple(
        BalanceYear(
            year=y,
            own=results.get(y, (None, ""))[0],
            source=results.get(y, (None, ""))[1],
            inhabitants=inhabitants.get(y),
            kolada=kolada.get(y),
            unit=unit,
        )
        for y in years
    )
    missing = unit == KoladaReference.Unit.KR_PER_INHABITANT and any(
        r.own is not None and not r.inhabitants for r in rows
    )
    return BalanceComparison(reference=reference, years=rows, missing_inhabitants=missing)
