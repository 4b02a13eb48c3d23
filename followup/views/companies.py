"""The companies' forecast results per period: every role reads, finance enters."""

from functools import partial

from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from budget.audit import Actor
from budget.history import history_table, visible_history
from budget.views.pages import plan_for
from followup.entry_forms import save_entry_form
from followup.models import CompanyPeriodForecast, ReportingPeriod
from followup.periods.entry import closed_reason
from followup.statements.companies import (
    CompanyForecastError,
    companies_of,
    forecast_table,
    forecasts_version,
    save_company_forecasts,
)
from followup.statements.forms import CompanyForecastForm


@permission_required("followup.view_periods", raise_exception=True)
@require_safe
def companies(request, year):
    plan = plan_for(request, year)
    periods, rows = forecast_table(plan)
    entries = (
        visible_history(request.user)
        .filter(content_type=ContentType.objects.get_for_model(CompanyPeriodForecast), plan=plan)
        .order_by("-at", "-id")
    )
    return render(
        request,
        "followup/companies.html",
        {
            "plan": plan,
            "periods": periods,
            "rows": rows,
            "may_enter": request.user.has_perm("followup.enter_company_forecasts"),
            "history": history_table(
                request, entries, caption="Ändringar av bolagens prognoser", per_page=20
            ),
        },
    )


@permission_required("followup.enter_company_forecasts", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_forecasts(request, year, month):
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month, asks_forecast=True)
    companies = list(companies_of(plan))
    shown = list(CompanyPeriodForecast.objects.filter(period=period))
    initial = {"version": forecasts_version(shown)}
    for f in shown:
        initial |= {f"result_{f.company_id}": f.result, f"comment_{f.company_id}": f.comment}
    form = CompanyForecastForm(request.POST or None, companies=companies, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_entry_form(
            request,
            form,
            partial(save_company_forecasts, period=period),
            refused=CompanyForecastError,
            saved_text=f"Bolagens prognoser för {period.month_name} är sparade",
        )
        if saved:
            return redirect("followup:companies", year=year)
    closed = closed_reason(period, Actor.of(request))
    return render(
        request,
        "followup/company_forecasts_form.html",
        {"plan": plan, "period": period, "form": form, "closed": closed},
        status=400 if form.errors else 200,
    )
