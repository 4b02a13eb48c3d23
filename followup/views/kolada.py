"""Finance's Kolada page: which KPI feeds which indicator, the values per year with their
source and fetch date, the comparison with the rest of the county, and the fetch from
Kolada (or the upload of a saved response file). Finance only."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from budget.audit import Actor, Source
from budget.forms import row_by_id
from budget.models import Indicator
from budget.money import format_number
from budget.uploads import UploadRefused, file_size, read_limited, upload_field
from budget.views.pages import plan_for
from followup.goals.kolada.benchmarks import (
    balance_comparison,
    benchmark,
    circles,
    figures_by_kpi,
    reference_rows,
)
from followup.goals.kolada.client import KoladaClient, KoladaError
from followup.goals.kolada.importer import (
    default_years,
    group_municipalities,
    import_from_kolada,
    import_saved,
)
from followup.goals.kolada.mappings import (
    GENDERS,
    KoladaMappingError,
    add_mapping,
    deactivate_mapping,
)
from followup.goals.kolada.references import references
from followup.models import IndicatorValue, KoladaMapping

MAX_BYTES = 5 * 1024 * 1024
FETCH, UPLOAD, ADD, DEACTIVATE = "hamta", "fil", "koppling", "sluta-anvanda"


class MappingForm(forms.Form):
    indicator = forms.ModelChoiceField(label="Nyckeltal", queryset=Indicator.objects.none())
    kpi = forms.CharField(
        label="KPI-id i Kolada",
        max_length=20,
        help_text="Som Kolada skriver det, till exempel N00310.",
    )
    gender = forms.ChoiceField(label="Kön", choices=list(GENDERS.items()), initial="T")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(goal__plan=plan).order_by(
            "goal__number", "id"
        )


class KoladaFileForm(forms.Form):
    file = upload_field(
        label="Sparat svar från Kolada",
        help_text=(
            "En JSON-fil (.json) med svaret från Koladas API (v3), eller en lista av sådana "
            f"svar, högst {file_size(MAX_BYTES)}."
        ),
        accept=".json,application/json",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("Filen ska vara en JSON-fil (.json) från Kolada.")
        return upload


def shown(value: Decimal) -> str:
    """An indicator's value as exact as it was given, Swedish style: "51", "51,25"."""
    places = max(0, -value.normalize().as_tuple().exponent)
    return format_number(value, min(places, 4))


def fetched_date(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d}"


def page_context(plan) -> dict:
    """Everything the page shows, in a fixed number of queries."""
    indicators = list(
        Indicator.objects.filter(goal__plan=plan)
        .select_related("goal")
        .order_by("goal__number", "id")
    )
    mappings = list(
        KoladaMapping.objects.filter(indicator__goal__plan=plan)
        .select_related("indicator__goal")
        .order_by("indicator__goal__number", "indicator_id", "-active", "kpi", "gender", "id")
    )
    values = IndicatorValue.objects.filter(indicator__goal__plan=plan).order_by(
        "indicator_id", "municipality_code", "year", "id"
    )
    own = plan.municipality.kolada_id
    circle = circles(plan)
    region = circle.region
    group = circle.kolada_group
    group_towns = group_municipalities(plan, group) if group else []
    chosen = references(plan)
    stored = figures_by_kpi({r.kpi for r in chosen})
    towns = list(circle.towns)
    in_county = {code for code, _ in towns}
    towns += [(code, name) for code, name in group_towns if code not in in_county]
    in_group = {code for code, _ in group_towns}
    own_values, latest, of_year = {}, {}, {}
    for row in values:
        if row.municipality_code == own:
            own_values.setdefault(row.indicator_id, []).append(
                {
                    "year": row.year,
                    "value": shown(row.value),
                    "source": row.get_source_display(),
                    "kpi": row.kpi,
                    "fetched": fetched_date(row.fetched_at),
                }
            )
        latest[(row.indicator_id, row.municipality_code)] = row  # ordered by year
        of_year.setdefault((row.indicator_id, row.year), {})[row.municipality_code] = row.value
    by_indicator = {}
    for mapping in mappings:
        by_indicator.setdefault(mapping.indicator_id, []).append(mapping)
    return {
        "indicators": [
            {
                "indicator": i,
                "baseline": shown(i.baseline_value),
                "target": shown(i.target_value),
                "values": own_values.get(i.pk, []),
                "kpis": [m for m in by_indicator.get(i.pk, []) if m.active],
                "retired": [m for m in by_indicator.get(i.pk, []) if m.retired_reason],
            }
            for i in indicators
        ],
        "mappings": [{"mapping": m, "gender": GENDERS[m.gender]} for m in mappings],
        "comparison": [
            {
                "code": code,
                "name": name,
                "own": code == own,
                "circle": _circle_label(code in in_county and code != own, code in in_group),
                "cells": [
                    {"value": shown(r.value), "note": str(r.year)} if r else None
                    for r in (latest.get((i.pk, code)) for i in indicators)
                ],
            }
            for code, name in towns
        ],
        "means": _means(indicators, latest, of_year, circle),
        "comparison_indicators": indicators,
        "years": default_years(plan),
        "towns": len(towns),
        "region": region,
        "group": circle.kolada_group,
        "comparison_heading": (
            f"Jämförelse med övriga {region}" if region else "Jämförelse med andra kommuner"
        )
        + (" och jämförelsegruppen" if group_towns else ""),
        "references": reference_rows(plan, circle, chosen=chosen, stored=stored),
        "circle": circle,
        "balance": balance_comparison(plan, chosen=chosen, stored=stored),
    }


def _circle_label(county: bool, group: bool) -> str:
    return " och ".join(
        label for label, member in (("länet", county), ("jämförelsegruppen", group)) if member
    )


def _mean_cell(mean, year) -> dict:
    return {"value": mean.shown, "note": f"{year}, {mean.count} av {mean.of}"}


def _means(indicators, latest, of_year, circle) -> list[dict]:
    """The rows "Medel för övriga Dalarna" and "Medel för jämförelsegruppen": per indicator
    the mean of the year of the municipality's latest value."""
    benchmarks = []
    for i in indicators:
        mine = latest.get((i.pk, circle.own))
        benchmarks.append(
            None if mine is None else benchmark(circle, mine.year, of_year[(i.pk, mine.year)])
        )
    rows = []
    for label, attr, codes in (
        (circle.county_label, "county", circle.county),
        (circle.group_label, "group", circle.group),
    ):
        if codes:
            rows.append(
                {
                    "label": f"Medel för {label}",
                    "cells": [
                        _mean_cell(getattr(b, attr), b.year)
                        if b is not None and getattr(b, attr)
                        else None
                        for b in benchmarks
                    ],
                }
            )
    return rows


@permission_required("followup.import_kolada", raise_exception=True)
@require_http_methods(["GET", "POST"])
def kolada(request, year):
    """GET: the page. POST: one of its forms (``action``), all or nothing."""
    plan = plan_for(request, year)
    mapping_form = MappingForm(plan=plan)
    file_form = KoladaFileForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == FETCH:
            try:
                summary = import_from_kolada(
                    plan=plan,
                    client=KoladaClient(),
                    actor=Actor.of(request, Source.IMPORT),
                    fetched_at=timezone.now(),
                )
            except KoladaError as exc:
                messages.error(request, f"{exc} Ingenting har ändrats.")
            else:
                messages.success(request, str(summary))
            return redirect("followup:kolada", year=plan.year)
        if action == UPLOAD:
            file_form = KoladaFileForm(request.POST, request.FILES)
            if file_form.is_valid():
                try:
                    content = read_limited(file_form.cleaned_data["file"], max_bytes=MAX_BYTES)
                    summary = import_saved(
                        plan=plan,
                        content=content,
                        actor=Actor.of(request, Source.IMPORT),
                        fetched_at=timezone.now(),
                    )
                except (UploadRefused, KoladaError) as exc:
                    file_form.add_error("file", f"{exc} Ingenting har ändrats.")
                else:
                    messages.success(request, str(summary))
                    return redirect("followup:kolada", year=plan.year)
        elif action == ADD:
            mapping_form = MappingForm(request.POST, plan=plan)
            if mapping_form.is_valid():
                data = mapping_form.cleaned_data
                try:
                    mapping = add_mapping(
                        indicator=data["indicator"],
                        kpi=data["kpi"],
                        gender=data["gender"],
                        actor=Actor.of(request),
                    )
                except KoladaMappingError as exc:
                    for error in exc.errors:
                        mapping_form.add_error(None, error)
                else:
                    messages.success(request, f"{mapping.indicator} hämtas nu från {mapping.kpi}.")
                    return redirect("followup:kolada", year=plan.year)
        elif action == DEACTIVATE:
            mapping = row_by_id(
                KoladaMapping.objects.filter(indicator__goal__plan=plan),
                request.POST.get("mapping"),
            )
            if mapping is None:
                raise Http404("Kopplingen finns inte.")
            try:
                deactivate_mapping(mapping=mapping, actor=Actor.of(request))
            except KoladaMappingError as exc:
                messages.error(request, " ".join(exc.errors))
            else:
                messages.success(
                    request, f"{mapping.indicator} hämtas inte längre från {mapping.kpi}."
                )
            return redirect("followup:kolada", year=plan.year)
        else:
            messages.error(request, "Okänd åtgärd; ingenting har ändrats.")
        status = 400
    return render(
        request,
        "followup/kolada.html",
        {
            "plan": plan,
            "mapping_form": mapping_form,
            "file_form": file_form,
            "actions": {"fetch": FETCH, "upload": UPLOAD, "add": ADD, "deactivate": DEACTIVATE},
            **page_context(plan),
        },
        status=status,
    )
