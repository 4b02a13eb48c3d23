"""Finance loads a period's outcome from the financial system: a CSV export or an SIE file."""

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from budget.audit import Actor, Source
from budget.history import local_time
from budget.money import format_tkr
from budget.views.pages import plan_for
from followup.models import OutcomeImport, ReportingPeriod
from followup.outcome import OutcomeFileError, import_outcome, summary
from followup.outcome.files import MAX_BYTES

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}


class OutcomeFileForm(forms.Form):
    file = forms.FileField(
        label="Fil med utfall",
        help_text=(
            "En CSV-fil (.csv, .txt) eller en SIE-fil (.se, .si, .sie) från ekonomisystemet, "
            f"högst {MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.se,.si,.sie"}),
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=[("", "Känn igen formatet"), ("csv", "CSV"), ("sie", "SIE 4")],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text="En SIE-fil känns igen på att den börjar med #FLAGGA.",
    )


class OutcomeImportTable(tables.Table):
    """The period's earlier loads, newest first."""

    file_name = tables.Column(verbose_name="Fil", orderable=False)
    file_format = tables.Column(verbose_name="Format", orderable=False)
    # Only the command (import_outcome) loads without a signed-in user.
    imported_by = tables.Column(verbose_name="Inläst av", orderable=False, default="Kommando")
    imported_at = tables.Column(verbose_name="Inläst", orderable=False)
    rows = tables.Column(verbose_name="Rader", orderable=False, attrs=NUMERIC)
    activities = tables.Column(verbose_name="Verksamheter", orderable=False, attrs=NUMERIC)
    total = tables.Column(verbose_name="Summa (tkr)", orderable=False, attrs=NUMERIC)
    sha256 = tables.Column(verbose_name="Kontrollsumma (SHA-256)", orderable=False)

    class Meta:
        attrs = {"class": "table table-compact"}
        empty_text = "Inget utfall har lästs in från fil för perioden."

    def render_imported_by(self, value):
        full = value.get_full_name()
        return f"{full} ({value.get_username()})" if full else value.get_username()

    def render_imported_at(self, value):
        return format_html(
            '<time datetime="{}">{}</time>',
            timezone.localtime(value).isoformat(),
            local_time(value),
        )

    def render_total(self, value):
        return format_tkr(value)

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:12])


@permission_required("followup.import_outcome", raise_exception=True)
@require_http_methods(["GET", "POST"])
def outcome_import(request, year, month):
    """GET: the form and the period's earlier loads. POST: load the file, all or nothing."""
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    problems = []
    status = 200
    if request.method == "POST":
        form = OutcomeFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = import_outcome(
                    period=period,
                    fileobj=upload,
                    file_name=upload.name,
                    file_format=form.cleaned_data["file_format"] or None,
                    actor=Actor.of(request, Source.IMPORT),
                )
            except OutcomeFileError as exc:
                problems = exc.problems
            else:
                messages.success(request, summary(record))
                return redirect("followup:outcome_import", year=plan.year, month=period.month)
        status = 400
    else:
        form = OutcomeFileForm()
    loads = OutcomeImport.objects.filter(period=period).select_related("imported_by")
    table = OutcomeImportTable(loads.order_by("-imported_at", "-id"))
    table.caption = f"Tidigare inläsningar av utfall för {period.month_name} {period.year}"
    return render(
        request,
        "followup/outcome_import.html",
        {
            "plan": plan,
            "period": period,
            "form": form,
            "problems": problems,
            "table": table,
            "is_open": period.status == ReportingPeriod.Status.OPEN,
        },
        status=status,
    )
