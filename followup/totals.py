"""Control totals: named counts and exact sums of everything the application holds.

After a restore the operator compares them with the totals taken at the backup
(``manage.py totals --compare``): every plan's frames, every period's reports, every
reallocation, investment, company forecast, statement figure, goal value and balance
figure, the audit trail and the users. Each line is "label → value" with the value as an
exact string (amounts to the öre, e.g. "-523300000.00"), so two outputs compare with diff.

Rows are read through each model's ``_base_manager``: the manager Django uses for
related objects, which never hides rows (``ReallocationLine.objects`` leaves out
withdrawn lines; its base manager ``every_line`` has them all).

Sums are computed here, in Python, from each row's Decimal, never with SQL ``SUM``: on
SQLite the database sums decimals as binary floating point (a thousand amounts of 0,01
give 9,99999999999983), on PostgreSQL ``numeric`` is exact. Summing the rows' Decimals
gives the same exact figure on both.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal, localcontext

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, models

from budget.models import (
    Activity,
    Administration,
    AuditEntry,
    BudgetPlan,
    BudgetYear,
    Committee,
    Company,
    CompanyForecast,
    FinancialIndicator,
    FrameEntry,
    Goal,
    Indicator,
    InvestmentAmount,
    KeyFact,
    StatedFigure,
    StatementAmount,
)
from followup.models import (
    ActionPlan,
    BalanceInputs,
    CarryOver,
    CompanyPeriodForecast,
    EarlierDeficit,
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    InvestmentProject,
    Measure,
    MeasureFollowUp,
    OutcomeImport,
    OutcomeMapping,
    ProjectBudget,
    ProjectFollowUp,
    Reallocation,
    ReallocationLine,
    Report,
    ReportingPeriod,
    ReportLine,
    StatementFigure,
)

# Every model of these apps is also counted and summed table by table (``_tables``), so a
# model added later is covered before anyone writes a line of its own for it.
APPS = ("budget", "followup")

SEP = " · "

# Where a plan or a period sits, as lookups from a model to its plan.
PLAN = ("municipality__name", "year")
PERIOD = ("plan__municipality__name", "plan__year", "year", "month")


def totals(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The control totals of database ``using``, sorted by label: label → exact value."""
    found: dict[str, str] = {}
    with localcontext() as context:
        context.prec = 60  # far beyond any sum of 18-digit amounts: never rounds
        _organisation(found, using)
        _plans(found, using)
        _periods(found, using)
        _reallocations(found, using)
        _investments(found, using)
        _goals(found, using)
        _audit(found, using)
        _users(found, using)
        _tables(found, using)
    return dict(sorted((_one_line(label), value) for label, value in found.items()))


def _one_line(text: str) -> str:
    """A label fit for "label<TAB>value" lines, whatever a name in the data holds."""
    return " ".join(text.split())


def format_value(value) -> str:
    """A value as the totals show it: a Decimal exactly (never in exponent form)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None:
        return "–"
    return str(value)


# -- helpers ----------------------------------------------------------------------------


def _rows(model, using):
    """Every row of ``model``, whichever manager is the default; unordered (no joins)."""
    return model._base_manager.db_manager(using).all().order_by()


def _places(model, lookup: str) -> int:
    """The decimal places of the field a lookup (through relations, too) ends in."""
    field = None
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return field.decimal_places


def _exact(value: Decimal, places: int) -> str:
    return format_value(value.quantize(Decimal(1).scaleb(-places)))


def _plan_label(municipality: str, year: int) -> str:
    return f"Budget {municipality} {year}"


def _period_label(municipality: str, plan_year: int, year: int, month: int) -> str:
    return f"{_plan_label(municipality, plan_year)}{SEP}period {year}-{month:02d}"


def _groups(
    found: dict,
    rows,
    *,
    keys: Iterable[str],
    label: Callable[..., str],
    sums: Iterable[tuple[str, str]] = (),
    by_sign: bool = False,
) -> None:
    """Count the rows per group and sum their amounts exactly.

    ``keys`` are the lookups that make the group, ``label`` turns a group's key values into
    its label, ``sums`` are (text, lookup) of the amounts to sum. Writes "<label> · antal"
    and "<label> · <text>" for each amount; with ``by_sign`` also the sums of the positive
    and of the negative amounts (for ledgers whose lines net to zero by design, where the
    net sum alone would not notice a changed pair of lines).
    """
    keys, sums = list(keys), list(sums)
    places = [_places(rows.model, lookup) for _, lookup in sums]
    counts: dict[tuple, int] = defaultdict(int)
    zero = [Decimal(0)] * len(sums)
    positive: dict[tuple, list[Decimal]] = defaultdict(lambda: list(zero))
    negative: dict[tuple, list[Decimal]] = defaultdict(lambda: list(zero))
    for row in rows.values_list(*keys, *[lookup for _, lookup in sums]):
        key, values = row[: len(keys)], row[len(keys) :]
        counts[key] += 1
        for i, value in enumerate(values):
            if value is not None:
                (positive if value > 0 else negative)[key][i] += value
    for key, count in counts.items():
        prefix = label(*key)
        found[f"{prefix}{SEP}antal"] = str(count)
        for i, ((text, _), place) in enumerate(zip(sums, places, strict=True)):
            plus, minus = positive[key][i], negative[key][i]
            found[f"{prefix}{SEP}{text}"] = _exact(plus + minus, place)
            if by_sign:
                found[f"{prefix}{SEP}{text}, positiva belopp"] = _exact(plus, place)
                found[f"{prefix}{SEP}{text}, negativa belopp"] = _exact(minus, place)


def _values(found: dict, rows, *, keys: Iterable[str], label: Callable[..., str]) -> None:
    """One line per row: its label from ``keys``; the value is the last lookup's value."""
    keys = list(keys)
    for row in rows.values_list(*keys):
        found[label(*row[:-1])] = format_value(row[-1])


# -- the domain -------------------------------------------------------------------------


def _organisation(found, using):
    """The municipality's organisation: committees per kind, activities, administrations."""
    _groups(
        found,
        _rows(Committee, using),
        keys=["municipality__name", "kind"],
        label=lambda m, kind: f"Kommun {m}{SEP}nämnder {kind}",
    )
    _groups(
        found,
        _rows(Activity, using),
        keys=["committee__municipality__name", "committee__kind"],
        label=lambda m, kind: f"Kommun {m}{SEP}verksamheter i nämnder {kind}",
    )
    _groups(
        found,
        _rows(Administration, using),
        keys=["municipality__name"],
        label=lambda m: f"Kommun {m}{SEP}förvaltningar",
    )
    _groups(
        found,
        _rows(Company, using),
        keys=["municipality__name"],
        label=lambda m: f"Kommun {m}{SEP}bolag",
    )
    _groups(
        found,
        _rows(OutcomeMapping, using),
        keys=["municipality__name"],
        label=lambda m: f"Kommun {m}{SEP}kopplingar till ekonomisystemet",
    )


def _plans(found, using):
    """Each plan: its status, year columns, frames, investment budget, statements, facts."""
    _values(
        found,
        _rows(BudgetPlan, using),
        keys=[*PLAN, "status"],
        label=lambda m, y: f"{_plan_label(m, y)}{SEP}status",
    )
    _groups(
        found,
        _rows(BudgetYear, using),
        keys=["plan__municipality__name", "plan__year", "kind", "year"],
        label=lambda m, y, kind, year: f"{_plan_label(m, y)}{SEP}budgetår {kind}-{year}",
    )
    _groups(
        found,
        _rows(FrameEntry, using),
        keys=[
            "budget_year__plan__municipality__name",
            "budget_year__plan__year",
            "budget_year__kind",
            "budget_year__year",
            "kind",
        ],
        label=lambda m, y, by_kind, by_year, kind: (
            f"{_plan_label(m, y)}{SEP}ramposter {by_kind}-{by_year} {kind}"
        ),
        sums=[("summa (kr)", "amount")],
        by_sign=True,
    )
    _groups(
        found,
        _rows(InvestmentAmount, using),
        keys=[
            "line__plan__municipality__name",
            "line__plan__year",
            "budget_year__kind",
            "budget_year__year",
        ],
        label=lambda m, y, by_kind, by_year: (
            f"{_plan_label(m, y)}{SEP}investeringsbudget {by_kind}-{by_year}"
        ),
        sums=[("summa (kr)", "amount")],
    )
    _groups(
        found,
        _rows(StatementAmount, using),
        keys=[
            "line__statement__plan__municipality__name",
            "line__statement__plan__year",
            "line__statement__kind",
            "budget_year__kind",
            "budget_year__year",
        ],
        label=lambda m, y, statement, by_kind, by_year: (
            f"{_plan_label(m, y)}{SEP}{statement} {by_kind}-{by_year}"
        ),
        sums=[("summa (kr)", "amount")],
    )
    _groups(
        found,
        _rows(KeyFact, using),
        keys=["plan__municipality__name", "plan__year", "unit"],
        label=lambda m, y, unit: f"{_plan_label(m, y)}{SEP}nyckeluppgifter i {unit}",
        sums=[("summa värden", "value")],
    )
    _groups(
        found,
        _rows(StatedFigure, using),
        keys=["plan__municipality__name", "plan__year", "unit"],
        label=lambda m, y, unit: f"{_plan_label(m, y)}{SEP}angivna uppgifter i {unit}",
        sums=[("summa värden", "value")],
    )
    _groups(
        found,
        _rows(CompanyForecast, using),
        keys=["plan__municipality__name", "plan__year", "year"],
        label=lambda m, y, year: f"{_plan_label(m, y)}{SEP}bolagsprognoser {year}",
        sums=[("summa resultat (kr)", "amount")],
    )
    _groups(
        found,
        _rows(EarlierDeficit, using),
        keys=["plan__municipality__name", "plan__year"],
        label=lambda m, y: f"{_plan_label(m, y)}{SEP}underskott att återställa",
        sums=[("summa (kr)", "amount")],
    )


def _periods(found, using):
    """Each period: its status, reports and report lines per status, action plans and
    measures, statement figures, balance figures, company forecasts and outcome loads."""
    _values(
        found,
        _rows(ReportingPeriod, using),
        keys=[*PERIOD, "status"],
        label=lambda *period: f"{_period_label(*period)}{SEP}status",
    )
    _groups(
        found,
        _rows(Report, using),
        keys=[f"period__{k}" for k in PERIOD] + ["status"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}rapporter {key[-1]}",
    )
    _groups(
        found,
        _rows(ReportLine, using),
        keys=[f"report__period__{k}" for k in PERIOD] + ["report__status"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}rapportrader {key[-1]}",
        sums=[("summa utfall (kr)", "outcome"), ("summa prognos (kr)", "forecast")],
    )
    _groups(
        found,
        _rows(ActionPlan, using),
        keys=[f"period__{k}" for k in PERIOD] + ["status"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}åtgärdsplaner {key[-1]}",
    )
    _groups(
        found,
        _rows(Measure, using),
        keys=[f"plan__period__{k}" for k in PERIOD] + ["status"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}åtgärder {key[-1]}",
        sums=[
            ("summa förväntad effekt (kr)", "expected_effect"),
            ("summa uppnådd effekt (kr)", "realised_effect"),
        ],
    )
    _groups(
        found,
        _rows(MeasureFollowUp, using),
        keys=[f"period__{k}" for k in PERIOD] + ["status"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}uppföljda åtgärder {key[-1]}",
        sums=[("summa uppnådd effekt (kr)", "realised_effect")],
    )
    _groups(
        found,
        _rows(StatementFigure, using),
        keys=[f"period__{k}" for k in PERIOD] + ["line__statement__kind"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}{key[-1]} prognos eller utfall",
        sums=[("summa (kr)", "amount")],
    )
    amounts = [f for f in BalanceInputs._meta.concrete_fields if isinstance(f, models.DecimalField)]
    _groups(
        found,
        _rows(BalanceInputs, using),
        keys=[f"period__{k}" for k in PERIOD] + ["reserve"],
        label=lambda *key: f"{_period_label(*key[:-1])}{SEP}balanskravsutredning {key[-1]}",
        sums=[(f"{f.verbose_name}", f.name) for f in amounts],
    )
    _groups(
        found,
        _rows(CompanyPeriodForecast, using),
        keys=[f"period__{k}" for k in PERIOD],
        label=lambda *key: f"{_period_label(*key)}{SEP}bolagens prognoser",
        sums=[("summa resultat (kr)", "result")],
    )
    _groups(
        found,
        _rows(OutcomeImport, using),
        keys=[f"period__{k}" for k in PERIOD],
        label=lambda *key: f"{_period_label(*key)}{SEP}inläsningar av utfall",
        sums=[("summa (kr)", "total")],
    )


def _reallocations(found, using):
    """Reallocations per plan and status; their lines, current and withdrawn."""
    _groups(
        found,
        _rows(Reallocation, using),
        keys=["plan__municipality__name", "plan__year", "status"],
        label=lambda m, y, status: f"{_plan_label(m, y)}{SEP}omfördelningar {status}",
    )
    _groups(
        found,
        _rows(ReallocationLine, using),
        keys=[
            "reallocation__plan__municipality__name",
            "reallocation__plan__year",
            "reallocation__status",
            "withdrawn",
        ],
        label=lambda m, y, status, withdrawn: (
            f"{_plan_label(m, y)}{SEP}"
            f"{'borttagna ' if withdrawn else ''}omfördelningsrader {status}"
        ),
        sums=[("summa (kr)", "amount")],
        by_sign=True,
    )


def _investments(found, using):
    """Investment projects per status, their budgets per year, follow-ups, carry-overs."""
    _groups(
        found,
        _rows(InvestmentProject, using),
        keys=["plan__municipality__name", "plan__year", "status"],
        label=lambda m, y, status: f"{_plan_label(m, y)}{SEP}investeringsprojekt {status}",
        sums=[("summa total budget (kr)", "total_budget")],
    )
    _groups(
        found,
        _rows(ProjectBudget, using),
        keys=["project__plan__municipality__name", "project__plan__year", "year"],
        label=lambda m, y, year: f"{_plan_label(m, y)}{SEP}projektbudgetar {year}",
        sums=[("summa (kr)", "amount")],
    )
    _groups(
        found,
        _rows(ProjectFollowUp, using),
        keys=[f"period__{k}" for k in PERIOD],
        label=lambda *key: f"{_period_label(*key)}{SEP}uppföljda investeringsprojekt",
        sums=[("summa utfall (kr)", "outcome"), ("summa prognos (kr)", "forecast")],
    )
    _groups(
        found,
        _rows(CarryOver, using),
        keys=["project__plan__municipality__name", "project__plan__year", "from_year", "status"],
        label=lambda m, y, year, status: (
            f"{_plan_label(m, y)}{SEP}överflyttade investeringsmedel från {year} {status}"
        ),
        sums=[("summa (kr)", "amount")],
    )


def _goals(found, using):
    """Goals and indicators of each plan, indicator values per year, entered financial
    indicators per period, goal analyses."""
    _groups(
        found,
        _rows(Goal, using),
        keys=["plan__municipality__name", "plan__year"],
        label=lambda m, y: f"{_plan_label(m, y)}{SEP}inriktningsmål",
    )
    _groups(
        found,
        _rows(Indicator, using),
        keys=["goal__plan__municipality__name", "goal__plan__year"],
        label=lambda m, y: f"{_plan_label(m, y)}{SEP}nyckeltal",
        sums=[("summa utgångsvärden", "baseline_value"), ("summa målvärden", "target_value")],
    )
    _groups(
        found,
        _rows(FinancialIndicator, using),
        keys=["plan__municipality__name", "plan__year", "method"],
        label=lambda m, y, method: f"{_plan_label(m, y)}{SEP}finansiella nyckeltal {method}",
    )
    _groups(
        found,
        _rows(IndicatorValue, using),
        keys=["indicator__goal__plan__municipality__name", "indicator__goal__plan__year", "year"],
        label=lambda m, y, year: f"{_plan_label(m, y)}{SEP}värden för nyckeltal {year}",
        sums=[("summa värden", "value")],
    )
    _groups(
        found,
        _rows(FinancialIndicatorValue, using),
        keys=[f"period__{k}" for k in PERIOD],
        label=lambda *key: f"{_period_label(*key)}{SEP}inmatade finansiella nyckeltal",
        sums=[("summa värden", "value")],
    )
    _groups(
        found,
        _rows(GoalAnalysis, using),
        keys=[f"period__{k}" for k in PERIOD],
        label=lambda *key: f"{_period_label(*key)}{SEP}analyser av mål",
    )


def _audit(found, using):
    """The audit trail: how many entries and the newest (it only ever grows)."""
    rows = _rows(AuditEntry, using)
    newest = rows.order_by("-id").values_list("id", "at").first()
    found[f"Historik{SEP}antal poster"] = str(rows.count())
    found[f"Historik{SEP}högsta id"] = format_value(newest[0] if newest else 0)
    found[f"Historik{SEP}senaste postens tidpunkt"] = (
        newest[1].isoformat() if newest else format_value(None)
    )


def _users(found, using):
    """Users, active users, superusers and the members of each role (group)."""
    users = _rows(get_user_model(), using)
    found[f"Användare{SEP}antal"] = str(users.count())
    found[f"Användare{SEP}aktiva"] = str(users.filter(is_active=True).count())
    found[f"Användare{SEP}superanvändare"] = str(users.filter(is_superuser=True).count())
    for name in _rows(Group, using).values_list("name", flat=True):
        members = users.filter(groups__name=name).count()
        found[f"Roll {name}{SEP}användare"] = str(members)


def _tables(found, using):
    """Every table of the application: its rows, the sum of each decimal column (and how
    many are filled in where it may be empty) and how many rows refer to an uploaded file."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            table = f"Tabell {model._meta.db_table}"
            rows = _rows(model, using)
            decimals = [
                f for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)
            ]
            files = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            if not decimals and not files:
                found[f"{table}{SEP}antal rader"] = str(rows.count())
                continue
            sums = [Decimal(0)] * len(decimals)
            filled = [0] * len(decimals)
            with_file = [0] * len(files)
            count = 0
            for row in rows.values_list(
                "pk", *[f.attname for f in decimals], *[f.attname for f in files]
            ):
                count += 1
                for i, value in enumerate(row[1 : 1 + len(decimals)]):
                    if value is not None:
                        sums[i] += value
                        filled[i] += 1
                for i, value in enumerate(row[1 + len(decimals) :]):
                    if value:
                        with_file[i] += 1
            found[f"{table}{SEP}antal rader"] = str(count)
            for field, total, n in zip(decimals, sums, filled, strict=True):
                found[f"{table}{SEP}summa {field.column}"] = _exact(total, field.decimal_places)
                if field.null:
                    found[f"{table}{SEP}ifyllda {field.column}"] = str(n)
            for field, n in zip(files, with_file, strict=True):
                found[f"{table}{SEP}filer i {field.column}"] = str(n)
