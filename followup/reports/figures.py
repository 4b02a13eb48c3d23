"""A report's figures: budget, budget to date, outcome, forecast and deviations.

Sign convention (docs/decisions/0003): net amounts, costs negative. A deviation
is actual/forecast − budget, so a negative deviation is an overspend.
"""

import decimal
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber

from budget.models import Activity, BudgetYear, Committee, FrameEntry, KeyFact
from budget.models.frames import in_force
from budget.money import ratio, sum_present
from budget.reports.indicators import SURPLUS_TARGET, share_of
from budget.reports.stated import result_rounding, rounding_of_rows, stated_result
from followup.models import BudgetProfile, Report, ReportLine
from followup.reports.as_of import open_plans_as_of

TWELFTH = Decimal(1) / Decimal(12)
ORE = Decimal("0.01")  # AmountField's places
SHARE = Decimal("1E-8")  # BudgetProfile.share's places
SQLITE_DIGITS = decimal.Context(prec=15)  # what SQLite keeps of a decimal


def _exact(total, places):
    """A sum from the database at its column's places: SQLite sums decimals as floats and
    gives them back unrounded (to 15 significant digits), PostgreSQL exactly."""
    return None if total is None else total.quantize(places)


def _minus(a, b):
    return None if a is None or b is None else a - b


class Deviations:
    """Deviation = actual or forecast − budget, for anything with those figures."""

    @property
    def outcome_deviation(self):
        return _minus(self.outcome, self.budget_to_date)

    @property
    def deviation(self):
        return _minus(self.forecast, self.budget)


@dataclass(frozen=True)
class Later:
    """A value worked out when it is first asked for (a ``WhenRead`` field)."""

    work_out: Callable[[], object]

    def __call__(self):
        return self.work_out()


def _one_of(read, key):
    """``key``'s value in the dict ``read()`` gives (read once for all: a functools.cache)."""
    return read().get(key)


class WhenRead:
    """A dataclass field that may be given a ``Later``: read the first time the field is,
    then kept. Otherwise an ordinary field (default None)."""

    def __set_name__(self, owner, name):
        self.slot = f"_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            return None  # the field's default
        value = obj.__dict__.get(self.slot)
        if isinstance(value, Later):
            value = obj.__dict__[self.slot] = value()
        return value

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value


@dataclass
class LineFigures(Deviations):
    activity: object
    budget: Decimal | None
    budget_to_date: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    # Read when first asked for (``reports_figures``): the report form and the annual
    # accounts show it, the month report not.
    previous_forecast: Decimal | None = WhenRead()
    comment: str = ""

    @property
    def restrictive(self) -> bool:
        """A negative forecast deviation: the manager keeps a restrictive line."""
        return self.deviation is not None and self.deviation < 0


@dataclass
class ReportFigures(Deviations):
    report: Report
    lines: list = field(default_factory=list)

    def total(self, attribute):
        return sum_present(getattr(line, attribute) for line in self.lines)

    @property
    def budget(self):
        return self.total("budget")

    @property
    def budget_to_date(self):
        return self.total("budget_to_date")

    @property
    def outcome(self):
        return self.total("outcome")

    @property
    def forecast(self):
        return self.total("forecast")

    @property
    def needs_action_plan(self) -> bool:
        """The committee as a whole forecasts a negative deviation."""
        return self.deviation is not None and self.deviation < 0


def budget_column(period):
    """Every frame entry of ``period``'s year's budget column, whenever decided."""
    return FrameEntry.objects.filter(
        budget_year__plan_id=period.plan_id,
        budget_year__year=period.year,
        budget_year__kind=BudgetYear.Kind.BUDGET,
    )


def ledger(period):
    """The frame ledger entries ``period`` is measured against: its year's budget column,
    adopted frame and the changes decided by the period's last day. Joined, never read:
    filter and sum it (``.filter(activity__committee_id__in=…)``)."""
    return budget_column(period).in_force_on(period.last_day)


def _per_activity(rows) -> dict:
    return {r["activity_id"]: _exact(r["total"], ORE) for r in rows}


def current_frames(activities, period) -> dict:
    """activity id → the frame the period is measured against: adopted + the changes
    decided by the period's last day, for the period's year."""
    return _per_activity(
        ledger(period)
        .filter(activity__in=activities)
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )


def _profiled_shares(period, **activities) -> dict:
    """activity id → the share of the year's budget in months 1..period.month, for the
    activities (``activities``: a filter on BudgetProfile's activity) with a profile for
    the year; 0 for a profile without any of those months."""
    rows = (
        BudgetProfile.objects.filter(year=period.year, **activities)
        .values("activity_id")
        .annotate(total=Sum("share", filter=Q(month__lte=period.month)))
        .order_by()
    )
    return {r["activity_id"]: _exact(r["total"] or Decimal(0), SHARE) for r in rows}


def _shares(activities, profiled, period) -> dict:
    """activity id → share to date: the profile's, else twelfths."""
    return {a.pk: profiled.get(a.pk, TWELFTH * period.month) for a in activities}


def shares_to_date(activities, period) -> dict:
    """activity id → the share of the year's budget that falls in months 1..period.month."""
    activities = list(activities)
    return _shares(activities, _profiled_shares(period, activity__in=activities), period)


def _earlier_forecasts(period, committee_ids):
    """The report lines holding each activity's latest forecast of the year before
    ``period``: of the committees' reports not superseded, the newest period's, within it
    the newest version's (a window over the earlier lines with a forecast, in the
    database). Filter or sum it; its ``pk`` picks the lines."""
    return (
        ReportLine.objects.filter(
            report__committee_id__in=committee_ids,
            report__period__plan_id=period.plan_id,
            report__period__year=period.year,
            report__period__month__lt=period.month,
            forecast__isnull=False,
        )
        .exclude(report__status=Report.Status.SUPERSEDED)
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("activity_id")],
                order_by=[F("report__period__month").desc(), F("report__version").desc()],
            )
        )
        .filter(newest=1)
    )


def _previous_forecasts(committee_ids, period) -> dict:
    """activity id → the forecast in the latest earlier report of the year that had one."""
    return dict(
        ReportLine.objects.filter(
            pk__in=_earlier_forecasts(period, committee_ids).values("pk")
        ).values_list("activity_id", "forecast")
    )


def previous_forecasts(report) -> dict:
    """activity id → the forecast in the committee's latest earlier report that had one."""
    return _previous_forecasts([report.committee_id], report.period)


def reports_figures(period, reports) -> dict:
    """report id → ReportFigures, for reports of one period, in a fixed number of queries
    whatever the number of reports (the month report and the review use many at once).
    A report not started yet (unsaved, id None) has the budget and no figures."""
    reports = list(reports)
    if not reports:
        return {}
    committee_ids = {r.committee_id for r in reports}
    activities = list(
        Activity.objects.filter(committee_id__in=committee_ids).order_by(
            "committee_id", "position", "id"
        )
    )
    by_committee = defaultdict(list)
    for activity in activities:
        by_committee[activity.committee_id].append(activity)
    of_committees = {"activity__committee_id__in": committee_ids}
    frames = _per_activity(
        ledger(period)
        .filter(**of_committees)
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    shares = _shares(activities, _profiled_shares(period, **of_committees), period)
    previous = functools.cache(lambda: _previous_forecasts(committee_ids, period))
    lines = {
        (report_id, activity_id): (outcome, forecast, comment)
        for report_id, activity_id, outcome, forecast, comment in ReportLine.objects.filter(
            report_id__in=[r.pk for r in reports if r.pk is not None]
        ).values_list("report_id", "activity_id", "outcome", "forecast", "comment")
    }
    result = {}
    for report in reports:
        figures = ReportFigures(report=report)
        for activity in by_committee[report.committee_id]:
            outcome, forecast, comment = lines.get((report.pk, activity.pk), (None, None, ""))
            budget = frames.get(activity.pk)
            figures.lines.append(
                LineFigures(
                    activity=activity,
                    budget=budget,
                    budget_to_date=None if budget is None else budget * shares[activity.pk],
                    outcome=outcome,
                    forecast=forecast,
                    previous_forecast=Later(functools.partial(_one_of, previous, activity.pk)),
                    comment=comment,
                )
            )
        result[report.pk] = figures
    return result


def report_figures(report) -> ReportFigures:
    return reports_figures(report.period, [report])[report.pk]


@dataclass
class CommitteeRow(Deviations):
    committee: object
    period: object  # the ReportingPeriod
    report: Report | None
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    # Summed when first read (``period_overview``): the review shows it, the dashboard not.
    previous_forecast: Decimal | None = WhenRead()
    action_plan: object = None  # followup.reports.as_of.PlanAsOf: the open plan as of the period

    @property
    def forecast_change(self):
        """How the forecast moved since the committee's previous forecast."""
        return _minus(self.forecast, self.previous_forecast)

    @property
    def budget_to_date(self):
        """The budget of the months to date, where the row knows it: in the year's last
        month (the annual accounts) the whole year's budget, so that ``outcome_deviation``
        is the year's outcome − budget, as on the committee's own pages. Other months'
        budget to date is spread per activity (``reports_figures``), which the overview
        does not do: None."""
        return self.budget if self.period.month == 12 else None

    def late(self, today) -> bool:
        """Whether the committee's report is late (ReportingPeriod.is_late)."""
        return self.period.is_late(self.report, today=today)

    tax_base_budget: Decimal | None = None
    tax_base_forecast: Decimal | None = None


def current_reports(period, committees) -> dict:
    """committee id → the committee's current report in ``period`` (the newest version
    not superseded: a correction under way stands in for the report it corrects)."""
    return {
        r.committee_id: r
        for r in Report.objects.current()
        .filter(period=period, committee__in=committees)
        .order_by("committee_id", "version")
    }


def committee_sums(period, committee_ids, reports) -> tuple[dict, Later]:
    """(committee id → {"budget", "tax_base_budget", "outcome", "forecast",
    "tax_base_forecast"}, the document's rounding): the committees' figures of ``period``
    summed in the database, one query per kind of figure whatever the number of activities
    (``reports``: committee id → its current report, ``current_reports``).

    - budget: the frame ledger (``ledger``) per committee; tax_base_budget the same for
      the activities in the surplus target's base (``Activity.tax_base``);
    - outcome, forecast: the lines of each committee's current report;
    - tax_base_forecast: the base's forecast, where an activity has none its budget;
    - the rounding (a ``Later``, worked out when asked for): what the document's rounding
      adds to the committees' result (budget.reports.stated.result_rounding), from the
      adopted frames the frames' query reads in passing; None for a period of another year
      than its plan's.

    A sum of nothing is None, as ``sum_present``: an empty cell stays empty."""
    report_ids = [r.pk for r in reports.values()]
    own_line = Q(activity__committee_id=F("report__committee_id"))
    # The base's activities with a forecast (one subquery, not one per frame entry).
    forecast_in_base = ReportLine.objects.filter(
        own_line, report_id__in=report_ids, forecast__isnull=False, activity__tax_base=True
    ).values("activity_id")
    in_force_then = in_force(period.last_day)
    adopted = Q(kind=FrameEntry.Kind.ORIGINAL)
    sums = defaultdict(dict)
    # Every unit's entries in the period's budget column: the ledger's (in force) sums for
    # the committees asked about, the adopted frames of all for the document's rounding.
    frames = list(
        budget_column(period)
        .values("activity__committee_id", "activity__committee__kind")
        .annotate(
            budget=Sum("amount", filter=in_force_then),
            tax_base_budget=Sum("amount", filter=in_force_then & Q(activity__tax_base=True)),
            # The base's activities without a forecast count with their budget.
            unforecast=Sum(
                "amount",
                filter=in_force_then
                & Q(activity__tax_base=True)
                & ~Q(activity_id__in=forecast_in_base),
            ),
            adopted=Sum("amount", filter=adopted),
            # One adopted frame per activity and column (a constraint): no DISTINCT to sort.
            adopted_lines=Count("id", filter=adopted),
            stated=Subquery(stated_result(period.plan_id)),
        )
        .order_by()
    )
    lines = (
        ReportLine.objects.filter(report_id__in=report_ids)
        .values("report__committee_id")
        .annotate(
            outcomes=Sum("outcome"),
            forecasts=Sum("forecast"),
            forecast_base=Sum("forecast", filter=own_line & Q(activity__tax_base=True)),
        )
        .order_by()
    )
    asked = set(committee_ids)
    for row in frames:
        if row["activity__committee_id"] in asked:
            sums[row["activity__committee_id"]] |= {
                name: row[name] for name in ("budget", "tax_base_budget", "unforecast")
            }
    for row in lines:
        sums[row.pop("report__committee_id")] |= row
    figures_of = {
        pk: {
            name: _exact(total, ORE)
            for name, total in (
                ("budget", figures.get("budget")),
                ("tax_base_budget", figures.get("tax_base_budget")),
                ("outcome", figures.get("outcomes")),
                ("forecast", figures.get("forecasts")),
                (
                    "tax_base_forecast",
                    sum_present([figures.get("forecast_base"), figures.get("unforecast")]),
                ),
            )
        }
        for pk, figures in sums.items()
    }
    return figures_of, Later(functools.partial(_rounding, period, frames, committee_ids))


def _rounding(period, frames, committee_ids) -> Decimal | None:
    """``committee_sums``' rounding from its frames' rows: ``result_rounding``, which reads
    the adopted frames of the plan's own year (None for a period of another year)."""
    if period.year != period.plan.year:
        return None
    return rounding_of_rows(
        frames, total="adopted", lines="adopted_lines", committee_ids=committee_ids
    )


def previous_forecast_sums(period, committee_ids) -> dict:
    """committee id → the sum of its activities' latest earlier forecasts of the year
    (``_earlier_forecasts``), summed in the database straight from the window's rows (the
    ORM sums only by picking the lines again: a second pass over them)."""
    newest = (
        _earlier_forecasts(period, committee_ids)
        .order_by()
        .values_list("activity__committee_id", "forecast")
    )
    sql, params = newest.query.sql_with_params()
    committee, forecast = map(connection.ops.quote_name, ("activity__committee_id", "forecast"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {committee}, SUM({forecast}) FROM ({sql}) newest GROUP BY {committee}",  # noqa: S608 - the ORM's SQL, values as parameters
            params,
        )
        return {pk: _exact(_from_database(total), ORE) for pk, total in cursor.fetchall()}


def _from_database(total):
    """A sum of amounts as the database gives it back: a Decimal, or on SQLite a float (or a
    whole number), taken at its 15 significant digits as Django takes SQLite's decimals."""
    if total is None or isinstance(total, Decimal):
        return total
    return SQLITE_DIGITS.create_decimal_from_float(total)


NO_FIGURES = dict.fromkeys(
    ("budget", "tax_base_budget", "outcome", "forecast", "tax_base_forecast")
)


def period_overview(period, committees) -> list[CommitteeRow]:
    """Every committee's figures for one period, summed in the database
    (``committee_sums``; the previous forecasts, ``previous_forecast_sums``, when a row's
    is first read): a fixed number of queries, and a cost that follows the committees,
    not their activities."""
    committees = list(committees)
    ids = [c.pk for c in committees]
    reports = current_reports(period, committees)
    sums, rounding = committee_sums(period, ids, reports)
    plans = open_plans_as_of(period, committees)
    previous = functools.cache(lambda: previous_forecast_sums(period, ids))
    return CommitteeRows(
        (
            CommitteeRow(
                committee=committee,
                period=period,
                report=reports.get(committee.pk),
                action_plan=plans.get(committee.pk),
                previous_forecast=Later(functools.partial(_one_of, previous, committee.pk)),
                **sums.get(committee.pk, NO_FIGURES),
            )
            for committee in committees
        ),
        stated_rounding=rounding,
    )


class CommitteeRows(list):
    """``period_overview``'s rows, knowing the document's rounding of their committees'
    result (``stated_rounding``, None when not known) for ``MunicipalityResult.of``."""

    stated_rounding = WhenRead()

    def __init__(self, rows, *, stated_rounding):
        super().__init__(rows)
        self.stated_rounding = stated_rounding


def _stated_rounding(plan_id, committee_ids: frozenset) -> Decimal:
    return result_rounding(plan_id, committee_ids=committee_ids)


class StatedRounding:
    """``MunicipalityResult.of``'s rounding, read once per plan and set of committees: the
    document's rounding is the plan's whatever the period, so a page that sums several
    periods (the dashboard's trend) shares one, and the rounding rows of a live period
    bring (``CommitteeRows``) is not read again for the others."""

    def __init__(self):
        self.known = {}

    def __call__(self, plan_id, committee_ids: frozenset) -> Decimal:
        key = (plan_id, committee_ids)
        if key not in self.known:
            self.known[key] = _stated_rounding(plan_id, committee_ids)
        return self.known[key]

    def learn(self, plan_id, committee_ids: frozenset, rounding: Decimal) -> None:
        self.known.setdefault((plan_id, committee_ids), rounding)


def stated_rounding() -> StatedRounding:
    return StatedRounding()


@dataclass
class MunicipalityResult(Deviations):
    """The municipality's result: committees' and finansförvaltningen's lines together,
    against the budgeted result and the surplus target (a share of tax revenue and
    general grants).

    Where a committee has not forecast (yet), its budget stands as its forecast: the
    result forecast is the budgeted result plus the deviations that are forecast.
    ``without_forecast`` names those committees so the page can say so.

    ``budget`` and ``forecast`` are the sums of the rows. The headlines and the target checks
    use the adopted result instead (``adopted_budget``, ``adopted_forecast``): where the
    document states a result that differs from the sum of its rows only by rounding,
    ``stated_rounding`` (budget.reports.stated.result_rounding) adds the difference, so the
    checks use 6,0 where the document says 6,0 and the rows sum to 5,9 (plus the decided
    changes, and for the forecast the forecast deviations).

    In the year's last month the rows' ``budget_to_date`` is their budget, so
    ``outcome_deviation`` is the year's outcome − budget (the annual accounts ask no forecast):
    the rows' outcome deviations together, as ``deviation`` adds up the forecast ones.
    """

    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    tax_base_budget: Decimal | None
    tax_base_forecast: Decimal | None
    target_share: Decimal | None
    # The rows' together, worked out when first read (the review shows it, the dashboard not).
    forecast_change: Decimal | None = WhenRead()
    without_forecast: list = field(default_factory=list)
    budget_to_date: Decimal | None = None  # the rows' (CommitteeRow.budget_to_date)
    outcome_deviations: Decimal | None = None  # the rows' outcome deviations together
    stated_rounding: Decimal = Decimal(0)  # what the document's rounding adds to the budget
    # Whether the rows hold finansförvaltningen's lines (taxes, grants, finance net): without
    # them the sum is the committees' net cost, not the municipality's result.
    includes_finance: bool = True

    @property
    def label(self) -> str:
        """What the sum is called on a page: "Kommunens resultat", or without finance lines
        "Nämndernas nettokostnad"."""
        return "Kommunens resultat" if self.includes_finance else "Nämndernas nettokostnad"

    @classmethod
    def of(cls, rows, *, target_share, rounding=None):
        """The result of ``rows``; the document's rounding is the one ``rows`` know
        (``CommitteeRows``), else ``rounding``'s (``stated_rounding()``, for a page that
        sums several periods of one plan: read once), else read here."""

        def total(name):
            return sum_present(getattr(r, name) for r in rows)

        budget = total("budget")
        stated = Decimal(0)
        if budget is not None and rows:
            plan_id, committee_ids = rows[0].period.plan_id, frozenset(r.committee.pk for r in rows)
            known = getattr(rows, "stated_rounding", None)  # CommitteeRows'
            if known is None:
                stated = (rounding or _stated_rounding)(plan_id, committee_ids)
            else:
                stated = known
                if rounding is not None:
                    rounding.learn(plan_id, committee_ids, known)
        deviations = total("deviation")
        return cls(
            stated_rounding=stated,
            budget=budget,
            outcome=total("outcome"),
            budget_to_date=total("budget_to_date"),
            outcome_deviations=total("outcome_deviation"),
            forecast=None if deviations is None or budget is None else budget + deviations,
            forecast_change=Later(functools.partial(total, "forecast_change")),
            tax_base_budget=total("tax_base_budget"),
            tax_base_forecast=total("tax_base_forecast"),
            target_share=target_share,
            without_forecast=[r.committee for r in rows if r.budget and r.forecast is None],
            # A published period's rows name their committees without a kind (shown.Named):
            # they were published as the municipality's result.
            includes_finance=not rows
            or any(
                getattr(r.committee, "kind", Committee.Kind.FINANCE) == Committee.Kind.FINANCE
                for r in rows
            ),
        )

    @property
    def outcome_deviation(self):
        return self.outcome_deviations

    @staticmethod
    def _target(base, share):
        return None if base is None or share is None else base * share

    @property
    def budget_target(self):
        return self._target(self.tax_base_budget, self.target_share)

    @property
    def forecast_target(self):
        """The target on the forecast tax base (the budget where finance has not
        forecast a tax line)."""
        return self._target(self.tax_base_forecast, self.target_share)

    @property
    def adopted_forecast(self):
        """The result forecast the target check uses: the adopted (stated) budgeted result
        plus the forecast deviations, so that the check never turns on the document's
        rounding (``forecast`` is the sum of the rows)."""
        return None if self.forecast is None else self.forecast + self.stated_rounding

    @property
    def forecast_share(self):
        return ratio(self.adopted_forecast, self.tax_base_forecast)

    @property
    def adopted_budget(self):
        """The budgeted result the target check uses: the stated one where the document's
        rounding alone explains the difference from the rows, plus the decided changes."""
        return None if self.budget is None else self.budget + self.stated_rounding

    @property
    def budget_share(self):
        return ratio(self.adopted_budget, self.tax_base_budget)

    @property
    def forecast_meets_target(self) -> bool | None:
        target = self.forecast_target
        forecast = self.adopted_forecast
        return None if forecast is None or target is None else forecast >= target

    @property
    def budget_meets_target(self) -> bool | None:
        target = self.budget_target
        adopted = self.adopted_budget
        return None if adopted is None or target is None else adopted >= target


def surplus_target_share(plan):
    return share_of(KeyFact.objects.filter(plan=plan, code=SURPLUS_TARGET).first())
