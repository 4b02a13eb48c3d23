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

from budget.audit import Actor, Area, History, Scope, display, field_label
from budget.models import AuditEntry, Company

from . import permissions  # noqa: F401 - registers "followup.enter_company_forecasts"
from .investments import InvestmentError, check_period_open_for
from .models import CompanyPeriodForecast, ReportingPeriod

Action = AuditEntry.Action


class CompanyForecastError(InvestmentError):
    """Swedish messages, as (field or None, message) pairs."""


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
def save_company_forecasts(*, period, values: dict, actor: Actor, now=None) -> list:
    """Enter the companies' forecast results for ``period``.

    ``values``: company id → (result in kronor or None, comment). A company left empty
    keeps what it has; a recorded result can be changed but not emptied, and a comment
    needs a result. Returns the forecasts that were created or changed.
    """
    if not period.asks_forecast:
        raise CompanyForecastError("Perioden efterfrågar ingen helårsprognos.")
    try:
        check_period_open_for(period, actor)
    except InvestmentError as exc:
        raise CompanyForecastError(*exc.errors) from exc
    companies = {c.pk: c for c in companies_of(period.plan).filter(pk__in=list(values))}
    if set(values) - set(companies):
        raise CompanyForecastError("Bolaget hör inte till kommunen.")
    existing = {
        f.company_id: f
        for f in CompanyPeriodForecast.objects.select_for_update().filter(
            period=period, company_id__in=list(companies)
        )
    }
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
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    history = History(actor=actor, at=now)
    scope = Scope(area=Area.FACTS, plan=period.plan)
    saved = []
    for pk, (result, comment) in values.items():
        if result is None:
            continue
        new = {"result": result, "comment": (comment or "").strip()}
        forecast = existing.get(pk)
        if forecast is None:
            forecast = CompanyPeriodForecast.objects.create(
                company=companies[pk], period=period, recorded_at=now, recorded_by=user, **new
            )
            history.add(
                obj=forecast,
                action=Action.CREATED,
                scope=scope,
                new=", ".join(
                    f"{field_label(CompanyPeriodForecast, k)}: {display(v)}"
                    for k, v in new.items()
                    if v not in ("", None)
                ),
            )
            saved.append(forecast)
            continue
        changed = [k for k, v in new.items() if getattr(forecast, k) != v]
        if not changed:
            continue
        for name in changed:
            history.add(
                obj=forecast,
                action=Action.CHANGED,
                scope=scope,
                field_label=field_label(CompanyPeriodForecast, name),
                old=getattr(forecast, name),
                new=new[name],
            )
            setattr(forecast, name, new[name])
        forecast.recorded_at, forecast.recorded_by = now, user
        forecast.save(update_fields=[*changed, "recorded_at", "recorded_by"])
        saved.append(forecast)
    history.write()
    return saved
