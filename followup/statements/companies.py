"""The municipal companies' forecast results per reporting period.

The companies report their forecast result to finance, who enters it for the interim
report (delårsrapporten in August) and for the other periods that ask for a forecast.
Every change is recorded in the audit trail; a recorded forecast is corrected, never
removed. The plan's document states the companies' forecast of the year before
(budget.CompanyForecast); the page sets it beside the year's own.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope, record_each
from budget.concurrency import check_version
from budget.models import AuditEntry, Company
from followup.investments.projects import InvestmentError
from followup.models import CompanyPeriodForecast, ReportingPeriod
from followup.periods.entry import check_open

Action = AuditEntry.Action


class CompanyForecastError(InvestmentError):
    """Swedish messages, as (field or None, message) pairs."""


class StaleCompanyForecasts(CompanyForecastError):
    """Someone saved the period's forecasts after this user opened the form."""

    def __init__(self):
        super().__init__(
            "Någon annan har sparat bolagens prognoser för perioden efter att du öppnade "
            "sidan. Ingenting av det du skrev har sparats; det står kvar i formuläret. "
            "Jämför med de sparade prognoserna (ladda om sidan) och spara igen."
        )


def forecasts_version(forecasts) -> str:
    """A token for the forecasts as they are: it changes when any of them is saved."""
    return ",".join(
        f"{f.company_id}:{f.recorded_at.isoformat()}"
        for f in sorted(forecasts, key=lambda f: (f.company_id, f.pk))
    )


def period_version(period) -> str:
    return forecasts_version(CompanyPeriodForecast.objects.filter(period=period))


@dataclass
class CompanyRow:
    company: Company
    stated: list  # the document's forecasts (budget.CompanyForecast)
    forecasts: dict  # period id → CompanyPeriodForecast


def companies_of(plan):
    return Company.objects.filter(municipality=plan.municipality).order_by("position", "id")


def forecast_table(plan) -> tuple[list, list]:
    """(forecast periods, [CompanyRow]) for the plan's year, in three queries."""
    periods = list(
        ReportingPeriod.objects.filter(plan=plan, asks_forecast=True).order_by("month", "id")
    )
    companies = list(companies_of(plan))
    stated = {}
    for forecast in plan.company_forecasts.order_by("year", "id"):
        stated.setdefault(forecast.company_id, []).append(forecast)
    entered = {}
    for forecast in CompanyPeriodForecast.objects.filter(period__in=periods).select_related(
        "recorded_by"
    ):
        entered.setdefault(forecast.company_id, {})[forecast.period_id] = forecast
    rows = [
        CompanyRow(company=c, stated=stated.get(c.pk, []), forecasts=entered.get(c.pk, {}))
        for c in companies
    ]
    return periods, rows


@transaction.atomic
def save_company_forecasts(
    *, period, values: dict, actor: Actor, now=None, version: str | None = None
) -> list:
    """Enter the companies' forecast results for ``period``.

    ``values``: company id → (result in kronor or None, comment). A company left empty
    keeps what it has; a recorded result can be changed but not emptied, and a comment
    needs a result. ``version`` is ``period_version`` as the form was shown: when the
    forecasts have been saved since, nothing is saved (StaleCompanyForecasts). Returns
    the forecasts that were created or changed.
    """
    if not period.asks_forecast:
        raise CompanyForecastError("Perioden efterfrågar ingen helårsprognos.")
    check_open(period, actor, CompanyForecastError)
    companies = {c.pk: c for c in companies_of(period.plan).filter(pk__in=list(values))}
    if set(values) - set(companies):
        raise CompanyForecastError("Bolaget hör inte till kommunen.")
    locked = list(
        CompanyPeriodForecast.objects.select_for_update(of=("self",)).filter(period=period)
    )
    check_version(shown=version, current=forecasts_version(locked), stale=StaleCompanyForecasts)
    existing = {f.company_id: f for f in locked if f.company_id in companies}
    errors = [
        (f"result_{pk}", f"{companies[pk]}: ett registrerat resultat kan ändras men inte tas bort.")
        for pk, (result, _) in values.items()
        if result is None and pk in existing
    ] + [
        (
            f"result_{pk}",
            f"{companies[pk]}: en kommentar sparas bara tillsammans med ett prognostiserat resultat.",
        )
        for pk, (result, comment) in values.items()
        if result is None and pk not in existing and (comment or "").strip()
    ]
    if errors:
        raise CompanyForecastError(*errors)
    now = now or timezone.now()
    user = actor.person
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.FACTS, plan=period.plan)
    saved = record_each(
        CompanyPeriodForecast,
        (
            (
                existing.get(pk),
                {"company": companies[pk], "period": period},
                {"result": result, "comment": (comment or "").strip()},
                scope,
            )
            for pk, (result, comment) in values.items()
            if result is not None
        ),
        history=history,
        now=now,
        user=user,
        conflict=StaleCompanyForecasts,
    )
    history.write()
    return saved
