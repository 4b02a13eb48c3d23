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
from budget.uploads import upload_field
from budget.views.pages import plan_for
from followup.models import OutcomeImport, ReportingPeriod
from followup.outcome import (
    OutcomeFileError,
    StalePreview,
    files,
    import_data,
    pending,
    preview_outcome,
    summary,
)
from followup.outcome.files import MAX_BYTES

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}
CONFIRM = "bekrafta"  # the field of the confirmation: the preview's token


class OutcomeFileForm(forms.Form):
    file = upload_field(
        label="Fil med utfall",
        help_text=(
            "En CSV-fil (.csv, .txt) eller en SIE-fil (.se, .si, .sie) från ekonomisystemet, "
            f"högst {MAX_BYTES // (1024 * 1024)} MB."
        ),
        accept=".csv,.txt,.se,.si,.sie",
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
    """GET: the form and the period's earlier loads. POST of a file: its preview, what would
    be loaded per committee and what would not (nothing is saved). POST of a preview's
    token (``bekrafta``): the confirmation, which loads the committees the preview loads."""
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    context = {"problems": [], "preview": None, "token": ""}
    status = 200
    form = OutcomeFileForm()
    if request.method == "POST" and CONFIRM in request.POST:
        try:
            record = confirm(request, period)
        except OutcomeFileError as exc:
            context.update(problems=exc.problems, stale=isinstance(exc, StalePreview))
            status = 409 if isinstance(exc, StalePreview) else 400
        else:
            messages.success(request, summary(record))
            return redirect("followup:outcome_import", year=plan.year, month=period.month)
    elif request.method == "POST":
        form = OutcomeFileForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                context["preview"], context["token"] = preview_upload(request, period, form)
                status = 200
            except OutcomeFileError as exc:
                context["problems"] = exc.problems
    loads = OutcomeImport.objects.filter(period=period).select_related("imported_by")
    table = OutcomeImportTable(loads.order_by("-imported_at", "-id"))
    table.caption = f"Tidigare inläsningar av utfall för {period.month_name} {period.year}"
    return render(
        request,
        "followup/outcome_import.html",
        {
            **context,
            "plan": plan,
            "period": period,
            "form": form,
            "table": table,
            "is_open": period.status == ReportingPeriod.Status.OPEN,
            "confirm_field": CONFIRM,
            "confirm_button": confirm_button(context["preview"]),
        },
        status=status,
    )


def confirm_button(preview) -> str:
    count = len(preview.imported) if preview else 0
    return f"Läs in utfallet för {count} {'nämnd' if count == 1 else 'nämnder'}"


def preview_upload(request, period, form):
    """The uploaded file's preview and the token its confirmation posts."""
    upload = form.cleaned_data["file"]
    data = files.read_upload(upload)
    preview = preview_outcome(
        period=period,
        data=data,
        file_name=upload.name,
        file_format=form.cleaned_data["file_format"] or None,
    )
    return preview, pending.keep(data, preview=preview, user=request.user)


def confirm(request, period):
    """Load the previewed file, if its preview is still what the file would do."""
    kept = pending.take(request.POST.get(CONFIRM, ""), period=period, user=request.user)
    record = import_data(
        period=period,
        data=kept.data,
        file_name=kept.file_name,
        file_format=kept.file_format,
        actor=Actor.of(request, Source.IMPORT),
        expected=kept.fingerprint,
    )
    pending.discard(kept)
    return record
