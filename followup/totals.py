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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, models

from budget import models as budget
from followup import models as followup

# Every model of these apps is also counted and summed table by table (``_tables``), so a
# model added later is covered before anyone writes a line of its own for it.
APPS = ("budget", "followup")

SEP = " · "


def totals(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The control totals of database ``using``, sorted by label: label → exact value."""
    found: dict[str, str] = {}
    with localcontext() as context:
        context.prec = 60  # far beyond any sum of 18-digit amounts: never rounds
        for domain_total in DOMAIN:
            domain_total.collect(found, using)
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


def _decimal_fields(model) -> list[models.DecimalField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]


def _plan_label(municipality: str, year: int) -> str:
    return f"Budget {municipality} {year}"


def _period_label(municipality: str, plan_year: int, year: int, month: int) -> str:
    return f"{_plan_label(municipality, plan_year)}{SEP}period {year}-{month:02d}"


@dataclass(frozen=True)
class Place:
    """What the totals are told apart by: a municipality, a plan or a period, as the
    lookups from its own model that name it and the label they make."""

    lookups: tuple[str, ...]
    label: Callable[..., str]

    def keys(self, path: str) -> list[str]:
        """The lookups from a model that reaches the place through ``path`` ("" when the
        model is the place's own)."""
        return [f"{path}__{lookup}" if path else lookup for lookup in self.lookups]


MUNICIPALITY = Place(("name",), lambda name: f"Kommun {name}")
PLAN = Place(("municipality__name", "year"), _plan_label)
PERIOD = Place(("plan__municipality__name", "plan__year", "year", "month"), _period_label)


@dataclass(frozen=True)
class Status:
    """One line per row of ``model`` (a plan or a period itself): "<place> · status"."""

    model: type[models.Model]
    place: Place

    def collect(self, found: dict, using: str) -> None:
        for *key, status in _rows(self.model, using).values_list(*self.place.keys(""), "status"):
            found[f"{self.place.label(*key)}{SEP}status"] = format_value(status)


@dataclass(frozen=True)
class Count:
    """Count the rows of ``model`` per group and sum their amounts exactly.

    A group is a ``place`` (reached from the model through the lookup ``at``) and the
    values of the lookups ``by``; its label is "<place> · <text>", ``text`` formatted with
    the values of ``by`` (or called with them). ``sums`` are (text, lookup) of the amounts
    to sum. Writes "<label> · antal" and "<label> · <text>" for each amount; with
    ``by_sign`` also the sums of the positive and of the negative amounts (for ledgers
    whose lines net to zero by design, where the net sum alone would not notice a changed
    pair of lines).
    """

    model: type[models.Model]
    place: Place
    at: str
    text: str | Callable[..., str]
    by: tuple[str, ...] = ()
    sums: tuple[tuple[str, str], ...] = ()
    by_sign: bool = False

    def label(self, key: tuple) -> str:
        where, what = key[: len(self.place.lookups)], key[len(self.place.lookups) :]
        text = self.text(*what) if callable(self.text) else self.text.format(*what)
        return f"{self.place.label(*where)}{SEP}{text}"

    def collect(self, found: dict, using: str) -> None:
        rows = _rows(self.model, using)
        keys = [*self.place.keys(self.at), *self.by]
        places = [_places(self.model, lookup) for _, lookup in self.sums]
        counts: dict[tuple, int] = defaultdict(int)
        zero = [Decimal(0)] * len(self.sums)
        positive: dict[tuple, list[Decimal]] = defaultdict(lambda: list(zero))
        negative: dict[tuple, list[Decimal]] = defaultdict(lambda: list(zero))
        for row in rows.values_list(*keys, *[lookup for _, lookup in self.sums]):
            key, values = row[: len(keys)], row[len(keys) :]
            counts[key] += 1
            for i, value in enumerate(values):
                if value is not None:
                    (positive if value > 0 else negative)[key][i] += value
        for key, count in counts.items():
            prefix = self.label(key)
            found[f"{prefix}{SEP}antal"] = str(count)
            for i, ((text, _), place) in enumerate(zip(self.sums, places, strict=True)):
                plus, minus = positive[key][i], negative[key][i]
                found[f"{prefix}{SEP}{text}"] = _exact(plus + minus, place)
                if self.by_sign:
                    found[f"{prefix}{SEP}{text}, positiva belopp"] = _exact(plus, place)
                    found[f"{prefix}{SEP}{text}, negativa belopp"] = _exact(minus, place)


# -- the domain -------------------------------------------------------------------------

KRONOR = (("summa (kr)", "amount"),)
OUTCOME_AND_FORECAST = (("summa utfall (kr)", "outcome"), ("summa prognos (kr)", "forecast"))
VALUES = (("summa värden", "value"),)

# The totals of the domain, one entry per model (named app.Model, as Django labels it) and
# grouping, by subject.
DOMAIN = [
    # The municipality's organisation: committees per kind, activities, administrations.
    Count(budget.Committee, MUNICIPALITY, "municipality", "nämnder {}", by=("kind",)),
    Count(
        budget.Activity,
        MUNICIPALITY,
        "committee__municipality",
        "verksamheter i nämnder {}",
        by=("committee__kind",),
    ),
    Count(budget.Administration, MUNICIPALITY, "municipality", "förvaltningar"),
    Count(budget.Company, MUNICIPALITY, "municipality", "bolag"),
    Count(followup.OutcomeMapping, MUNICIPALITY, "municipality", "kopplingar till ekonomisystemet"),
    # Each plan: its status, year columns, frames, investment budget, statements, facts.
    Status(budget.BudgetPlan, PLAN),
    Count(budget.BudgetYear, PLAN, "plan", "budgetår {}-{}", by=("kind", "year")),
    Count(
        budget.FrameEntry,
        PLAN,
        "budget_year__plan",
        "ramposter {}-{} {}",
        by=("budget_year__kind", "budget_year__year", "kind"),
        sums=KRONOR,
        by_sign=True,
    ),
    Count(
        budget.InvestmentAmount,
        PLAN,
        "line__plan",
        "investeringsbudget {}-{}",
        by=("budget_year__kind", "budget_year__year"),
        sums=KRONOR,
    ),
    Count(
        budget.StatementAmount,
        PLAN,
        "line__statement__plan",
        "{} {}-{}",
        by=("line__statement__kind", "budget_year__kind", "budget_year__year"),
        sums=KRONOR,
    ),
    Count(budget.KeyFact, PLAN, "plan", "nyckeluppgifter i {}", by=("unit",), sums=VALUES),
    Count(budget.StatedFigure, PLAN, "plan", "angivna uppgifter i {}", by=("unit",), sums=VALUES),
    Count(
        budget.CompanyForecast,
        PLAN,
        "plan",
        "bolagsprognoser {}",
        by=("year",),
        sums=(("summa resultat (kr)", "amount"),),
    ),
    Count(followup.EarlierDeficit, PLAN, "plan", "underskott att återställa", sums=KRONOR),
    # Each period: its status, reports and report lines per status, action plans and
    # measures, statement figures, balance figures, company forecasts and outcome loads.
    Status(followup.ReportingPeriod, PERIOD),
    Count(followup.Report, PERIOD, "period", "rapporter {}", by=("status",)),
    Count(
        followup.ReportLine,
        PERIOD,
        "report__period",
        "rapportrader {}",
        by=("report__status",),
        sums=OUTCOME_AND_FORECAST,
    ),
    Count(followup.ActionPlan, PERIOD, "period", "åtgärdsplaner {}", by=("status",)),
    Count(
        followup.Measure,
        PERIOD,
        "plan__period",
        "åtgärder {}",
        by=("status",),
        sums=(
            ("summa förväntad effekt (kr)", "expected_effect"),
            ("summa uppnådd effekt (kr)", "realised_effect"),
        ),
    ),
    Count(
        followup.MeasureFollowUp,
        PERIOD,
        "period",
        "uppföljda åtgärder {}",
        by=("status",),
        sums=(("summa uppnådd effekt (kr)", "realised_effect"),),
    ),
    Count(
        followup.StatementFigure,
        PERIOD,
        "period",
        "{} prognos eller utfall",
        by=("line__statement__kind",),
        sums=KRONOR,
    ),
    Count(
        followup.BalanceInputs,
        PERIOD,
        "period",
        "balanskravsutredning {}",
        by=("reserve",),
        sums=tuple((str(f.verbose_name), f.name) for f in _decimal_fields(followup.BalanceInputs)),
    ),
    Count(
        followup.CompanyPeriodForecast,
        PERIOD,
        "period",
        "bolagens prognoser",
        sums=(("summa resultat (kr)", "result"),),
    ),
    Count(
        followup.OutcomeImport,
        PERIOD,
        "period",
        "inläsningar av utfall",
        sums=(("summa (kr)", "total"),),
    ),
    # Reallocations per plan and status; their lines, current and withdrawn.
    Count(followup.Reallocation, PLAN, "plan", "omfördelningar {}", by=("status",)),
    Count(
        followup.ReallocationLine,
        PLAN,
        "reallocation__plan",
        lambda status, withdrawn: f"{'borttagna ' if withdrawn else ''}omfördelningsrader {status}",
        by=("reallocation__status", "withdrawn"),
        sums=KRONOR,
        by_sign=True,
    ),
    # Investment projects per status, their budgets per year, follow-ups, carry-overs.
    Count(
        followup.InvestmentProject,
        PLAN,
        "plan",
        "investeringsprojekt {}",
        by=("status",),
        sums=(("summa total budget (kr)", "total_budget"),),
    ),
    Count(
        followup.ProjectBudget,
        PLAN,
        "project__plan",
        "projektbudgetar {}",
        by=("year",),
        sums=KRONOR,
    ),
    Count(
        followup.ProjectFollowUp,
        PERIOD,
        "period",
        "uppföljda investeringsprojekt",
        sums=OUTCOME_AND_FORECAST,
    ),
    Count(
        followup.CarryOver,
        PLAN,
        "project__plan",
        "överflyttade investeringsmedel från {} {}",
        by=("from_year", "status"),
        sums=KRONOR,
    ),
    # Goals and indicators of each plan, indicator values per year, entered financial
    # indicators per period, goal analyses.
    Count(budget.Goal, PLAN, "plan", "inriktningsmål"),
    Count(
        budget.Indicator,
        PLAN,
        "goal__plan",
        "nyckeltal",
        sums=(("summa utgångsvärden", "baseline_value"), ("summa målvärden", "target_value")),
    ),
    Count(budget.FinancialIndicator, PLAN, "plan", "finansiella nyckeltal {}", by=("method",)),
    Count(
        followup.IndicatorValue,
        PLAN,
        "indicator__goal__plan",
        "värden för nyckeltal {}",
        by=("year",),
        sums=VALUES,
    ),
    Count(
        followup.FinancialIndicatorValue,
        PERIOD,
        "period",
        "inmatade finansiella nyckeltal",
        sums=VALUES,
    ),
    Count(followup.GoalAnalysis, PERIOD, "period", "analyser av mål"),
]


def _audit(found, using):
    """The audit trail: how many entries and the newest (it only ever grows)."""
    rows = _rows(budget.AuditEntry, using)
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
            decimals = _decimal_fields(model)
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
