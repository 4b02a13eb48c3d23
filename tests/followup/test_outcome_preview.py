"""A file of outcome is previewed before it is loaded: per committee what is loaded and what
is left out and why; finance confirms, and every committee the preview loads gets all its
rows, the others none."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget.audit import Source
from budget.models import AuditEntry
from budget.money import format_tkr
from followup.models import OutcomeImport, Report, ReportingPeriod
from followup.outcome import StalePreview, import_data, pending
from followup.outcome.preview import STALE
from followup.reports.workflow import return_report
from tests.followup.test_outcome_import import (
    OUTCOME,
    as_finance,
    line,
    load,
    mappings,  # noqa: F401 (a fixture)
    preview,
    save_draft,
    sie,
    submit,
    upload,
)

FILE = (
    "nämnd;verksamhet;belopp\n"
    "valnamnden;valnamnden;-1 207 500\n"
    "bildningsnamnden;bildningsnamnden;-131 000 000\n"
    "omsorgsnamnden;omsorgsnamnden;-100 000 000\n"
    "omsorgsnamnden;omsorgsnamnden;-35 000 000,25\n"
    "kommunrevisionen;kommunrevisionen;-500\n"
    "kommunrevisionen;kommunrevisionen;femhundra\n"
    "skolnamnden;skola;-7\n"
)
SUBMITTED = (
    "Bildningsnämndens rapport är inlämnad; utfallet kan inte läsas in förrän rapporten har "
    "skickats tillbaka till nämnden."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Previewed uploads wait in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bildning_submitted(march, bildning, bildning_controller):
    return submit(bildning, march, bildning_controller)


def confirm(period, content, user, shown):
    """Load ``content`` as finance confirming the preview ``shown``."""
    return import_data(
        period=period,
        data=content.encode(),
        file_name="utfall.csv",
        actor=as_finance(user),
        expected=shown.fingerprint,
    )


def page_url(month=3):
    return reverse("followup:outcome_import", kwargs={"year": 2026, "month": month})


def rows_of_every_kind():
    return {
        "reports": Report.objects.count(),
        "imports": OutcomeImport.objects.count(),
        "history": AuditEntry.objects.count(),
    }


def kept_files(media) -> list:
    folder = media / pending.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def shown_text(response) -> str:
    return response.text.replace("\xa0", " ")


# --- The preview ---------------------------------------------------------------------


def test_the_preview_lists_each_committee_with_its_count_and_sum_and_why_others_are_left_out(
    march, bildning_submitted
):
    before = rows_of_every_kind()

    shown = preview(march, FILE)

    assert rows_of_every_kind() == before
    loaded = {c.committee.name: (c.activities, c.rows, c.total) for c in shown.imported}
    assert loaded == {
        "Omsorgsnämnden": (1, 2, Decimal("-135000000.25")),
        "Valnämnden": (1, 1, Decimal("-1207500.00")),
    }
    assert {c.committee.name: [str(r) for r in c.reasons] for c in shown.skipped} == {
        "Bildningsnämnden": [SUBMITTED],
        "Kommunrevisionen": ["Rad 7: beloppet ”femhundra” är inte ett tal."],
    }
    assert [str(p) for p in shown.skipped_rows] == ["Rad 8: nämnden ”skolnamnden” finns inte."]
    assert shown.total == Decimal("-136207500.25")
    assert shown.summary().replace("\xa0", " ") == (
        "Utfallet för mars 2026 kan läsas in från ”utfall.csv” (CSV): 3 rader, 2 verksamheter "
        "i 2 nämnder, summa −136 208 tkr. Läses inte in: Kommunrevisionen, Bildningsnämnden "
        "och 1 rad utan nämnd."
    )


def test_a_committee_with_many_activities_counts_every_activity_its_report_gets(march):
    shown = preview(march, "nämnd;verksamhet;belopp\nfinansforvaltningen;skatteintakter;100\n")

    [finance] = shown.imported
    # Every activity of Finansförvaltningen gets an outcome: the file's, or 0.
    assert finance.activities == finance.committee.activities.count() > 1
    assert (finance.rows, finance.total) == (1, Decimal("100.00"))


@pytest.mark.usefixtures("mappings")
def test_the_preview_of_an_sie_file_says_which_balances_are_not_counted(march):
    shown = preview(march, sie(), name="huvudbok.se")

    assert shown.ignored == [
        "1 periodsaldo på resultatkonton gäller månader efter mars och räknas inte.",
        "1 periodsaldo gäller tidigare räkenskapsår och räknas inte.",
    ]
    assert not shown.skipped and not shown.skipped_rows


def test_the_same_file_and_reports_give_the_same_fingerprint_and_a_changed_report_another(
    march, bildning, bildning_controller
):
    first = preview(march, FILE).fingerprint
    assert preview(march, FILE).fingerprint == first

    save_draft(bildning, march, bildning_controller)

    assert preview(march, FILE).fingerprint != first


# --- The confirmation ----------------------------------------------------------------


def test_the_confirmation_loads_the_committees_the_preview_loads_and_no_other(
    march, bildning_submitted, finance_officer
):
    shown = preview(march, FILE)

    record = confirm(march, FILE, finance_officer, shown)

    assert line("valnamnden").outcome == Decimal("-1207500.00")
    assert line("omsorgsnamnden").outcome == Decimal("-135000000.25")
    assert line("bildningsnamnden").outcome == Decimal("-1.00")  # submitted: untouched
    # A committee with one bad row gets nothing, not even its good row.
    assert not Report.objects.filter(committee__code="kommunrevisionen").exists()
    assert (record.rows, record.activities, record.total) == (3, 2, shown.total)
    loaded = AuditEntry.objects.filter(field=OUTCOME, user=finance_officer)
    assert sorted(loaded.values_list("source", flat=True)) == [Source.IMPORT] * 2
    entry = AuditEntry.objects.get(area="utfall", object_id=str(record.pk))
    assert entry.new_value.endswith(
        "; lästes inte in: Kommunrevisionen, Bildningsnämnden och 1 rad utan nämnd"
    )


@pytest.mark.parametrize("change", ["saved", "returned", "submitted"])
def test_a_preview_is_stale_when_a_report_changed_since_and_nothing_is_saved(
    march, bildning, bildning_controller, finance_officer, change
):
    if change == "returned":
        report = submit(bildning, march, bildning_controller)
    shown = preview(march, FILE)
    if change == "saved":
        save_draft(bildning, march, bildning_controller, Decimal("-2"))
    elif change == "returned":
        return_report(report=report, comment="Fel prognos.", actor=as_finance(finance_officer))
    else:
        submit(bildning, march, bildning_controller)
    before = rows_of_every_kind()

    with pytest.raises(StalePreview) as refused:
        confirm(march, FILE, finance_officer, shown)

    assert str(refused.value.problems[0]) == STALE
    assert rows_of_every_kind() == before


def test_a_preview_is_stale_when_the_only_committee_can_no_longer_be_loaded(
    march, bildning, bildning_controller, finance_officer
):
    content = "nämnd;verksamhet;belopp\nbildningsnamnden;bildningsnamnden;-5\n"
    shown = preview(march, content)
    submit(bildning, march, bildning_controller)

    with pytest.raises(StalePreview) as refused:
        confirm(march, content, finance_officer, shown)

    assert [str(p) for p in refused.value.problems] == [STALE, SUBMITTED]
    assert not OutcomeImport.objects.exists()


def test_a_preview_of_a_period_closed_since_is_refused(march, finance_officer):
    content = "nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-5\n"
    shown = preview(march, content)
    ReportingPeriod.objects.filter(pk=march.pk).update(status=ReportingPeriod.Status.CLOSED)
    march.refresh_from_db()

    with pytest.raises(StalePreview) as refused:
        confirm(march, content, finance_officer, shown)

    assert "inte öppen för rapportering" in str(refused.value)
    assert not Report.objects.exists()


# --- The page --------------------------------------------------------------------------


def test_finance_sees_the_preview_and_nothing_is_saved_until_confirmed(
    client, march, bildning_submitted, finance_officer, media
):
    client.force_login(finance_officer)
    before = rows_of_every_kind()

    response = client.post(page_url(), {"file": upload(FILE)})

    assert response.status_code == 200
    assert rows_of_every_kind() == before
    text = shown_text(response)
    assert "Ingenting är sparat ännu." in text
    assert "Omsorgsnämnden" in text and "Valnämnden" in text
    assert format_tkr(Decimal("-135000000.25")).replace("\xa0", " ") in text
    assert format_tkr(Decimal("-136207500.25")).replace("\xa0", " ") in text  # the sum
    assert SUBMITTED in text
    assert "Rad 7: beloppet ”femhundra” är inte ett tal." in text
    assert "Nämnden ”skolnamnden” finns inte." in text
    assert "Läs in utfallet för 2 nämnder" in text
    assert len(kept_files(media)) == 1


def test_finance_confirms_the_preview_and_the_others_are_loaded(
    client, march, bildning_submitted, finance_officer, media
):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]

    response = client.post(page_url(), {"bekrafta": token})

    assert response.status_code == 302
    assert line("omsorgsnamnden").outcome == Decimal("-135000000.25")
    assert line("bildningsnamnden").outcome == Decimal("-1.00")
    assert not Report.objects.filter(committee__code="kommunrevisionen").exists()
    assert OutcomeImport.objects.get().imported_by == finance_officer
    assert kept_files(media) == []
    message = shown_text(client.get(response.url))
    assert "Lästes inte in: Kommunrevisionen, Bildningsnämnden och 1 rad utan nämnd." in message
    # The token is used up: confirming again finds no file.
    again = client.post(page_url(), {"bekrafta": token})
    assert again.status_code == 400
    assert OutcomeImport.objects.count() == 1


def test_a_stale_preview_is_refused_on_the_page_in_swedish(
    client, march, bildning, bildning_controller, finance_officer
):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    submit(bildning, march, bildning_controller)
    before = rows_of_every_kind()

    response = client.post(page_url(), {"bekrafta": token})

    assert response.status_code == 409
    assert "Utfallet lästes inte in" in response.text
    assert STALE in response.text
    assert rows_of_every_kind() == before


def test_a_changed_file_is_refused_as_stale(client, march, finance_officer, media):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    [kept] = kept_files(media)
    kept.write_bytes(FILE.replace("-1 207 500", "-9 999 999").encode())

    response = client.post(page_url(), {"bekrafta": token})

    assert response.status_code == 409
    assert STALE in response.text
    assert not Report.objects.exists()


def test_a_forged_or_foreign_token_is_refused(
    client, march, finance_officer, finance_colleague, plan
):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    april_url = page_url(month=4)

    forged = client.post(page_url(), {"bekrafta": token[:-2] + "xx"})
    other_period = client.post(april_url, {"bekrafta": token})
    client.force_login(finance_colleague)
    other_user = client.post(page_url(), {"bekrafta": token})

    for response in (forged, other_period, other_user):
        assert response.status_code == 400
        assert pending.EXPIRED in response.text
    assert not Report.objects.exists()


def test_an_expired_preview_is_refused(client, march, finance_officer, monkeypatch):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    monkeypatch.setattr(pending, "MAX_AGE", -1)

    response = client.post(page_url(), {"bekrafta": token})

    assert response.status_code == 400
    assert pending.EXPIRED in response.text
    assert not Report.objects.exists()


def test_a_file_that_cannot_be_kept_is_refused_in_swedish(
    client, march, finance_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "not-a-folder"
    settings.MEDIA_ROOT.write_text("a file where the folder should be")
    client.force_login(finance_officer)

    response = client.post(page_url(), {"file": upload(FILE)})

    assert response.status_code == 400
    assert pending.NOT_KEPT in response.text


def test_a_get_with_a_token_writes_nothing(client, march, finance_officer):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    before = rows_of_every_kind()

    response = client.get(page_url(), {"bekrafta": token})

    assert response.status_code == 200
    assert rows_of_every_kind() == before


@pytest.mark.parametrize(
    "role", ["bildning_controller", "councillor", "council_secretary", "administrator", "outsider"]
)
def test_only_finance_may_preview_or_confirm(client, march, finance_officer, role, request):
    client.force_login(finance_officer)
    token = client.post(page_url(), {"file": upload(FILE)}).context["token"]
    client.force_login(request.getfixturevalue(role))

    shown = client.post(page_url(), {"file": upload(FILE)})
    confirmed = client.post(page_url(), {"bekrafta": token})

    assert shown.status_code == 403
    assert confirmed.status_code == 403
    assert not Report.objects.exists()


# --- The command -----------------------------------------------------------------------


def run(path, *options):
    out = StringIO()
    call_command("import_outcome", str(path), "--period", "2026-03", *options, stdout=out)
    return out.getvalue().replace("\xa0", " ")


def test_the_command_prints_the_preview_and_saves_nothing_without_confirm(
    march, bildning_submitted, tmp_path
):
    path = tmp_path / "utfall.csv"
    path.write_text(FILE, "utf-8")
    before = rows_of_every_kind()

    out = run(path)

    assert rows_of_every_kind() == before
    assert "  Valnämnden: 1 verksamhet, utfall −1 208 tkr" in out
    assert "  Omsorgsnämnden: 1 verksamhet, utfall −135 000 tkr" in out
    assert "  Bildningsnämnden: läses inte in\n    " + SUBMITTED in out
    assert "    Rad 7: beloppet ”femhundra” är inte ett tal." in out
    assert "    Rad 8: nämnden ”skolnamnden” finns inte." in out
    assert "ingenting har sparats" in out
    assert "--confirm" in out


def test_the_command_with_confirm_loads_the_others(march, bildning_submitted, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_text(FILE, "utf-8")

    out = run(path, "--confirm")

    assert line("valnamnden").outcome == Decimal("-1207500.00")
    assert line("bildningsnamnden").outcome == Decimal("-1.00")
    assert not Report.objects.filter(committee__code="kommunrevisionen").exists()
    assert "är inläst" in out
    assert "Lästes inte in: Kommunrevisionen, Bildningsnämnden och 1 rad utan nämnd." in out
    assert AuditEntry.objects.filter(field=OUTCOME, source=Source.COMMAND).count() == 2


def test_the_command_refuses_confirm_together_with_dry_run(march, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_text(FILE, "utf-8")

    with pytest.raises(CommandError, match="not allowed with argument"):
        run(path, "--confirm", "--dry-run")

    assert not Report.objects.exists()


def test_loading_with_the_service_still_loads_what_can_be_loaded(
    march, bildning_submitted, finance_officer
):
    # Without a preview's fingerprint (as the tests and the demo load): the same result.
    record = load(march, finance_officer, FILE)

    assert {c.committee.name for c in record.committees} == {"Valnämnden", "Omsorgsnämnden"}
    assert {c.committee.name for c in record.skipped} == {"Bildningsnämnden", "Kommunrevisionen"}
