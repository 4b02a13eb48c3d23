"""Finance loads the outcome from the financial system: a CSV export or an SIE 4 file."""

from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget.audit import Actor, Source
from budget.loader import read_toml
from budget.models import Activity, AuditEntry, Committee
from followup.models import OutcomeImport, OutcomeMapping, Report, ReportingPeriod, ReportLine
from followup.outcome import (
    OutcomeFileError,
    import_outcome,
    load_outcome_mapping_data,
    load_outcome_mappings,
    preview_outcome,
)
from followup.outcome.sie import SieSyntaxError, tokenize
from followup.reports.workflow import open_report, save_report, submit_report
from tests.pages import page_as

MAPPING_FILE = Path(settings.BASE_DIR) / "fixtures" / "hedemora" / "ekonomisystem-kopplingar.toml"
OUTCOME = "utfall ackumulerat (kr)"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Previewed uploads wait in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def as_finance(user):
    return Actor(user=user, source=Source.IMPORT)


def load(period, user, content, *, name="utfall.csv", file_format=None, **kwargs):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return import_outcome(
        period=period,
        fileobj=BytesIO(data),
        file_name=name,
        file_format=file_format,
        actor=as_finance(user),
        **kwargs,
    )


def preview(period, content, *, name="utfall.csv", file_format=None):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return preview_outcome(period=period, data=data, file_name=name, file_format=file_format)


def left_out(preview) -> dict[str, list[str]]:
    """{committee name: its reasons} of the committees the preview leaves out."""
    return {c.committee.name: [str(r) for r in c.reasons] for c in preview.skipped}


def problems_refusing(period, user, content, **kwargs) -> list[str]:
    """The problems for which ``load`` refuses ``content`` (it must refuse it)."""
    with pytest.raises(OutcomeFileError) as excinfo:
        load(period, user, content, **kwargs)
    return [str(p) for p in excinfo.value.problems]


def save_draft(committee, period, controller, outcome=Decimal("-1")):
    """The committee's report saved with ``outcome`` and a forecast on its one activity."""
    actor = as_finance(controller)
    report = open_report(committee=committee, period=period, actor=actor)
    return save_report(
        report=report,
        row_version=report.row_version,
        values={committee.activities.get().pk: (outcome, Decimal("-523300000"), "")},
        actor=actor,
    )


def submit(committee, period, controller, outcome=Decimal("-1")):
    """The committee's report saved (``save_draft``) and handed in."""
    report = save_draft(committee, period, controller, outcome)
    return submit_report(report=report, actor=as_finance(controller))


def line(committee_code, activity_code=None):
    return ReportLine.objects.get(
        report__committee__code=committee_code,
        activity__code=activity_code or committee_code,
    )


@pytest.fixture
def mappings(plan):
    load_outcome_mapping_data(municipality=plan.municipality, data=read_toml(MAPPING_FILE))


# --- CSV -------------------------------------------------------------------------------


def test_a_csv_file_sets_the_outcome_and_keeps_forecasts_and_comments(
    march, bildning, bildning_controller, finance_officer
):
    report = open_report(committee=bildning, period=march, actor=as_finance(bildning_controller))
    activity = bildning.activities.get()
    save_report(
        report=report,
        row_version=report.row_version,
        values={activity.pk: (Decimal("-1"), Decimal("-520000000"), "Vikarier dyrare.")},
        actor=as_finance(bildning_controller),
    )
    content = (
        "nämnd;verksamhet;belopp\n"
        "bildningsnamnden;bildningsnamnden;−131 000 000,50\n"
        "omsorgsnamnden;omsorgsnamnden;-100000000\n"
        "omsorgsnamnden;omsorgsnamnden;-35000000.25\n"
        "finansforvaltningen;skatteintakter;209 775 000\n"
    )

    record = load(march, finance_officer, content)

    bildning_line = line("bildningsnamnden")
    assert bildning_line.outcome == Decimal("-131000000.50")
    assert bildning_line.forecast == Decimal("-520000000.00")
    assert bildning_line.comment == "Vikarier dyrare."
    assert line("omsorgsnamnden").outcome == Decimal("-135000000.25")
    assert line("finansforvaltningen", "skatteintakter").outcome == Decimal("209775000.00")
    assert line("finansforvaltningen", "finansnetto").outcome == Decimal("0.00")
    assert not Report.objects.filter(committee__code="kommunstyrelsen").exists()
    assert record.pk is not None
    assert (record.rows, record.activities, record.file_format) == (4, 7, "csv")
    assert record.total == Decimal("-131000000.50") + Decimal("-135000000.25") + 209775000
    assert record.imported_by == finance_officer
    assert len(record.sha256) == 64
    changed = AuditEntry.objects.filter(
        field=OUTCOME, object_id=str(bildning_line.pk), user=finance_officer
    )
    assert changed.count() == 1
    assert changed.get().source == Source.IMPORT
    assert (changed.get().old_value, changed.get().new_value) == ("-1.00", "-131000000.50")
    assert AuditEntry.objects.filter(area="utfall", object_id=str(record.pk)).count() == 1


def test_loading_the_same_file_again_changes_nothing(march, finance_officer):
    content = "nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-500000\n"
    load(march, finance_officer, content)
    entries = AuditEntry.objects.filter(field=OUTCOME).count()

    load(march, finance_officer, content)

    assert AuditEntry.objects.filter(field=OUTCOME).count() == entries
    assert OutcomeImport.objects.filter(period=march).count() == 2


@pytest.mark.parametrize(
    "content",
    [
        "Nämnd;Verksamhet;Belopp\nvalnamnden;valnamnden;−1 207 500,50\n",
        'nämnd,verksamhet,belopp\nvalnamnden,valnamnden,"-1207500,50"\n',
        "NÄMND,VERKSAMHET,UTFALL (KR)\nvalnamnden,valnamnden,-1207500.50\n",
        "namnd\tverksamhet\tbelopp\r\nvalnamnden\tvalnamnden\t-1207500.5\r\n",
    ],
    ids=["semicolon-swedish", "comma-quoted-decimal-comma", "comma-synonym", "tab"],
)
def test_delimiters_and_decimal_marks_are_read(march, finance_officer, content):
    load(march, finance_officer, content)

    assert line("valnamnden").outcome == Decimal("-1207500.50")


def test_a_windows_1252_file_and_a_utf8_file_with_bom_are_read(march, finance_officer):
    header = "Nämnd;Verksamhet;Belopp;Benämning\n"
    cp1252 = (header + "valnamnden;valnamnden;-100;Allmänna val\n").encode("cp1252")
    with_bom = b"\xef\xbb\xbf" + (header + "kommunrevisionen;kommunrevisionen;-200;x\n").encode()

    load(march, finance_officer, cp1252)
    load(march, finance_officer, with_bom)

    assert line("valnamnden").outcome == Decimal("-100.00")
    assert line("kommunrevisionen").outcome == Decimal("-200.00")


def test_text_in_an_amount_is_an_error_with_its_line_and_its_committee_gets_nothing(
    march, finance_officer
):
    content = (
        "nämnd;verksamhet;belopp\n"
        "valnamnden;valnamnden;-100\n"
        "\n"
        "kommunrevisionen;kommunrevisionen;-200\n"
        "kommunrevisionen;kommunrevisionen;ca 300\n"
    )

    shown = preview(march, content)
    record = load(march, finance_officer, content)

    assert left_out(shown) == {"Kommunrevisionen": ["Rad 5: beloppet ”ca 300” är inte ett tal."]}
    assert [c.committee.name for c in shown.imported] == ["Valnämnden"]
    assert line("valnamnden").outcome == Decimal("-100.00")
    assert not Report.objects.filter(committee__code="kommunrevisionen").exists()
    assert (record.rows, record.activities, record.total) == (1, 1, Decimal("-100.00"))


def test_a_file_whose_every_row_is_wrong_is_refused_with_its_lines_and_nothing_is_saved(
    march, finance_officer
):
    content = (
        "nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-100\n\nvalnamnden;valnamnden;ca 300\n"
    )

    problems = problems_refusing(march, finance_officer, content)

    assert problems == ["Rad 4: beloppet ”ca 300” är inte ett tal."]
    assert not Report.objects.exists()
    assert not OutcomeImport.objects.exists()


def test_unknown_committees_and_activities_are_errors_listed_together(march, finance_officer):
    content = (
        "nämnd;verksamhet;belopp\n"
        "skolnamnden;skola;-1\n"
        "bildningsnamnden;grundskola;-1\n"
        "bildningsnamnden;omsorgsnamnden;-1\n"
        "valnamnden;valnamnden;-1;extra\n"
        "valnamnden;;-1\n"
        "valnamnden;valnamnden;-1,005\n"
    )

    problems = problems_refusing(march, finance_officer, content)

    assert problems == [
        "Rad 2: nämnden ”skolnamnden” finns inte.",
        "Rad 3: verksamheten ”grundskola” finns inte hos Bildningsnämnden.",
        "Rad 4: verksamheten ”omsorgsnamnden” hör till Omsorgsnämnden, inte till Bildningsnämnden.",
        "Rad 5: raden har 4 kolumner men rubrikraden har 3; kontrollera avgränsare och "
        "citattecken.",
        "Rad 6: verksamhet saknas.",
        "Rad 7: beloppet ”-1,005” har fler än två decimaler (öre).",
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Filen är tom."),
        (b"PK\x03\x04rest of a workbook", "Excel-arbetsbok"),
        (b"\x7fELF\x00\x00\x01binary", "ingen textfil"),
        (b"konto;saldo\n4010;12\n", "Rad 1: filen ska börja med en rubrikrad"),
        (b"n\xc3\xa4mnd;verksamhet;belopp\n", "bara en rubrikrad"),
        (b"n\x81mnd;verksamhet;belopp\nx;y;1\n", "varken UTF-8 eller Windows-1252"),
    ],
    ids=["empty", "xlsx", "binary", "no-header", "header-only", "not-text"],
)
def test_files_that_are_not_outcome_are_refused(march, finance_officer, content, message):
    with pytest.raises(OutcomeFileError) as excinfo:
        load(march, finance_officer, content)

    assert message in str(excinfo.value)
    assert not Report.objects.exists()


def test_a_file_that_is_too_large_is_refused(march, finance_officer):
    content = "nämnd;verksamhet;belopp\n" + "valnamnden;valnamnden;-1\n" * 100

    with pytest.raises(OutcomeFileError, match="för stor"):
        load(march, finance_officer, content, max_bytes=1000)


def test_a_submitted_report_leaves_its_committee_out_and_the_others_are_loaded(
    march, bildning, bildning_controller, finance_officer
):
    submit(bildning, march, bildning_controller)
    content = (
        "nämnd;verksamhet;belopp\n"
        "omsorgsnamnden;omsorgsnamnden;-1000\n"
        "bildningsnamnden;bildningsnamnden;-2000\n"
    )

    shown = preview(march, content)
    record = load(march, finance_officer, content)

    assert left_out(shown) == {
        "Bildningsnämnden": [
            "Bildningsnämndens rapport är inlämnad; utfallet kan inte läsas in förrän rapporten "
            "har skickats tillbaka till nämnden."
        ]
    }
    assert line("bildningsnamnden").outcome == Decimal("-1.00")
    assert line("omsorgsnamnden").outcome == Decimal("-1000.00")
    assert [c.committee.name for c in record.committees] == ["Omsorgsnämnden"]
    history = AuditEntry.objects.get(area="utfall", object_id=str(record.pk)).new_value
    assert history.endswith("; lästes inte in: Bildningsnämnden")


def test_a_file_of_only_submitted_committees_is_refused(
    march, bildning, bildning_controller, finance_officer
):
    submit(bildning, march, bildning_controller)

    problems = problems_refusing(
        march, finance_officer, "nämnd;verksamhet;belopp\nbildningsnamnden;bildningsnamnden;-2\n"
    )

    assert problems == [
        "Bildningsnämndens rapport är inlämnad; utfallet kan inte läsas in förrän rapporten "
        "har skickats tillbaka till nämnden."
    ]
    assert not OutcomeImport.objects.exists()


def test_a_period_that_is_not_open_refuses_the_file(plan, finance_officer):
    may = ReportingPeriod.objects.get(plan=plan, month=5)

    problems = problems_refusing(
        may, finance_officer, "nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-1\n"
    )

    assert problems == [
        "Perioden maj 2026 är planerad och inte öppen för rapportering; utfallet kan inte läsas in."
    ]
    assert not Report.objects.exists()


# --- SIE 4 -----------------------------------------------------------------------------

SIE_HEADER = """#FLAGGA 0
#PROGRAM "Ekonomisystemet" 12.1
#FORMAT PC8
#GEN 20260405
#SIETYP 4
#FNAMN "Hedemora kommun"
#RAR 0 {year}0101 {year}1231
#RAR -1 20250101 20251231
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#OBJEKT 1 "2200" "Grundskola"
#OBJEKT 1 "9100" "Skatteintäkter"
#OBJEKT 1 "2999" "Okänd enhet"
#KONTO 4010 "Löner"
"""

SIE_BALANCES = """#PSALDO -1 202503 4010 {1 "2200"} 999999.00
#PSALDO 0 202601 4010 {} 1000000.00
#PSALDO 0 202601 4010 {1 "2200"} 1000000.00
#PSALDO 0 202601 4010 {6 "P 1"} 250000.00
#PSALDO 0 202602 4010 {} 1100000.50
#PSALDO 0 202602 4010 {1 "2200"} 1100000.50 12
#PSALDO 0 202603 4010 {} 1200000.00
#PSALDO 0 202603 4010 { 1 "2200" } 1200000.00
#PSALDO 0 202604 4010 {1 "2200"} 9999999.00
#PSALDO 0 202601 3010 {1 "2200"} -50000.00
#PSALDO 0 202603 1930 {1 "2200"} 123456.00
#PSALDO 0 202603 1930 {1 "2999"} 5.00
#PSALDO 0 202601 8010 {1 "9100"} -70000000.00
#PSALDO 0 202602 8010 {1 "9100"} -70000000.00
#VER A 1 20260125 "Löner januari"
{
#TRANS 4010 {1 "2200"} 1000000.00
#TRANS 1930 {} -1000000.00
}
"""


def sie(extra="", *, year=2026, balances=SIE_BALANCES) -> bytes:
    return (SIE_HEADER.format(year=year) + balances + extra).encode("cp437")


def test_an_sie_file_gives_the_outcome_to_date_per_mapped_object(march, mappings, finance_officer):
    record = load(march, finance_officer, sie(), name="huvudbok.se")

    # Costs are debit (positive) in SIE; outcome is net with costs negative. January to
    # March of 4010 and 3010 on Grundskola; April, the {} totals, the project dimension,
    # the balance account 1930 and last year are not counted.
    assert line("bildningsnamnden").outcome == Decimal("-3250000.50")
    assert line("finansforvaltningen", "skatteintakter").outcome == Decimal("140000000.00")
    assert line("finansforvaltningen", "gemensamma-kostnader").outcome == Decimal("0.00")
    assert not Report.objects.filter(committee__code="omsorgsnamnden").exists()
    assert (record.file_format, record.rows, record.activities) == ("sie", 6, 6)
    assert record.total == Decimal("136749999.50")


def test_an_unmapped_object_with_a_balance_is_left_out_naming_it(march, mappings, finance_officer):
    data = sie('#PSALDO 0 202602 4010 {1 "2999"} 5000.00\n')

    shown = preview(march, data, name="huvudbok.se")
    record = load(march, finance_officer, data, name="huvudbok.se")

    rows = [str(p).replace("\xa0", " ") for p in shown.skipped_rows]
    assert any(
        row.startswith(
            "Rad 34: objektet ”2999” (Okänd enhet) i dimension 1 (Ansvar) har saldot "
            "5 000,00 kr men ingen koppling"
        )
        for row in rows
    ), rows
    assert not shown.skipped
    # The other objects are loaded as without the unmapped one.
    assert line("bildningsnamnden").outcome == Decimal("-3250000.50")
    assert record.total == Decimal("136749999.50")


def test_money_booked_without_an_object_is_left_out_and_shown(march, mappings, finance_officer):
    data = sie('#PSALDO 0 202603 5010 {} 800.00\n#PSALDO 0 202603 5010 {1 "2200"} 600.00\n')

    [problem] = [str(p) for p in preview(march, data).skipped_rows]
    load(march, finance_officer, data)

    assert problem.startswith("Rad 34: på konto 5010 är 200,00 kr bokfört utan objekt")
    assert line("bildningsnamnden").outcome == Decimal("-3250600.50")


def test_an_sie_file_whose_only_money_has_no_mapping_is_refused(march, mappings, finance_officer):
    data = sie(balances='#PSALDO 0 202602 4010 {1 "2999"} 5000.00\n')

    [problem] = problems_refusing(march, finance_officer, data)

    assert problem.startswith("Rad 15: objektet ”2999” (Okänd enhet)")
    assert not Report.objects.exists()


def test_an_sie_file_of_another_year_is_refused(march, mappings, finance_officer):
    data = sie(year=2025, balances='#PSALDO 0 202501 4010 {1 "2200"} 1.00\n')

    problems = problems_refusing(march, finance_officer, data)

    assert problems[0] == (
        "Rad 7: filens räkenskapsår är 2025 (20250101–20251231), men perioden gäller 2026."
    )


def test_an_sie_file_needs_mappings_and_the_right_format_choice(march, finance_officer):
    with pytest.raises(OutcomeFileError, match="har inga kopplingar"):
        load(march, finance_officer, sie())
    with pytest.raises(OutcomeFileError, match="men formatet CSV valdes"):
        load(march, finance_officer, sie(), file_format="csv")
    with pytest.raises(OutcomeFileError, match="Filen är ingen SIE-fil"):
        load(march, finance_officer, "nämnd;verksamhet;belopp\n", file_format="sie")


def test_broken_sie_records_are_errors_with_their_lines(march, mappings, finance_officer):
    broken = '#PSALDO 0 202601 4010 {1 "2200" 1.00\n#PSALDO 0 2026-1 4010 {} 1.00\n'

    problems = problems_refusing(march, finance_officer, sie(broken))

    assert problems == [
        "Rad 34: en objektlista avslutas aldrig med ”}”.",
        "Rad 35: perioden ”2026-1” ska skrivas ÅÅÅÅMM.",
    ]


def test_the_tokenizer_keeps_quoted_fields_and_object_lists():
    assert tokenize('#PSALDO 0 202603 4010 {1 "2200"} 1500.00 3') == [
        "#PSALDO",
        "0",
        "202603",
        "4010",
        ("1", "2200"),
        "1500.00",
        "3",
    ]
    assert tokenize('#OBJEKT\t1 "22 00"   "Skola \\"Norr\\" {ny}"') == [
        "#OBJEKT",
        "1",
        "22 00",
        'Skola "Norr" {ny}',
    ]
    assert tokenize("#PSALDO 0 202603 4010 {} -1.5") == [
        "#PSALDO",
        "0",
        "202603",
        "4010",
        (),
        "-1.5",
    ]
    assert tokenize('#TRANS 4010 {1 "2200" 6 "P 1"} 10 "" "tom text"') == [
        "#TRANS",
        "4010",
        ("1", "2200", "6", "P 1"),
        "10",
        "",
        "tom text",
    ]


@pytest.mark.parametrize(
    "record", ['#OBJEKT 1 "2200', "#PSALDO 0 202603 4010 {1 {2}} 1", "#X }", "#X {1"]
)
def test_the_tokenizer_refuses_broken_records(record):
    with pytest.raises(SieSyntaxError):
        tokenize(record)


# --- The command -----------------------------------------------------------------------


def test_the_command_with_dry_run_shows_the_outcome_and_saves_nothing(march, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_text("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-1207500\n", "utf-8")
    out = StringIO()

    call_command("import_outcome", str(path), "--period", "2026-03", "--dry-run", stdout=out)

    assert "Valnämnden: 1 verksamhet, utfall −1 208 tkr" in out.getvalue().replace("\xa0", " ")
    assert "ingenting har sparats" in out.getvalue()
    assert not Report.objects.exists()
    assert not OutcomeImport.objects.exists()


def test_the_command_loads_the_file_with_the_command_in_the_history(march, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_text("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-1207500\n", "utf-8")
    out = StringIO()

    call_command("import_outcome", str(path), "--period", "2026-03", "--confirm", stdout=out)

    assert line("valnamnden").outcome == Decimal("-1207500.00")
    entry = AuditEntry.objects.get(field=OUTCOME)
    assert entry.source == Source.COMMAND
    assert entry.actor == "import_outcome utfall.csv"
    assert "är inläst" in out.getvalue()


def test_the_command_lists_the_errors_and_fails(march, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_text("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;tjugo\n", "utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="1 fel. Ingenting har ändrats."):
        call_command("import_outcome", str(path), "--period", "2026-03", stderr=err)

    assert "Rad 2: beloppet ”tjugo” är inte ett tal." in err.getvalue()
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM"):
        call_command("import_outcome", str(path), "--period", "mars")
    with pytest.raises(CommandError, match="ingen fastställd budget för 2031"):
        call_command("import_outcome", str(path), "--period", "2031-03")


# --- The upload page -------------------------------------------------------------------


def page_url(month=3):
    return reverse("followup:outcome_import", kwargs={"year": 2026, "month": month})


def upload(content: str, name="utfall.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_finance_sees_the_form_and_the_earlier_loads(client, march, finance_officer):
    load(march, finance_officer, "nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-1\n")
    response = page_as(client, finance_officer, page_url())

    assert "Tidigare inläsningar av utfall för mars 2026" in response.text
    assert "utfall.csv" in response.text
    assert "inte öppen" not in response.text


def test_finance_is_told_when_the_period_is_not_open(client, plan, finance_officer):
    response = page_as(client, finance_officer, page_url(month=5))

    assert "Perioden är planerad." in response.text


def test_finance_uploads_a_file_confirms_and_is_sent_back_with_a_message(
    client, march, finance_officer
):
    client.force_login(finance_officer)
    shown = client.post(
        page_url(), {"file": upload("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;-5\n")}
    )
    assert shown.status_code == 200
    assert not Report.objects.exists()

    response = client.post(page_url(), {"bekrafta": shown.context["token"]})

    assert response.status_code == 302
    assert response.url == page_url()
    assert line("valnamnden").outcome == Decimal("-5.00")
    record = OutcomeImport.objects.get()
    assert record.imported_by == finance_officer
    assert AuditEntry.objects.get(field=OUTCOME).source == Source.IMPORT
    page = client.get(response.url)
    assert "Utfallet för mars 2026 är inläst från ”utfall.csv”" in page.text


def test_a_bad_upload_lists_the_errors_and_saves_nothing(client, march, finance_officer):
    client.force_login(finance_officer)

    response = client.post(
        page_url(), {"file": upload("nämnd;verksamhet;belopp\nvalnamnden;valnamnden;ca 300\n")}
    )
    without_file = client.post(page_url(), {})

    assert response.status_code == 400
    assert "Filen lästes inte in" in response.text
    assert "Beloppet ”ca 300” är inte ett tal." in response.text
    assert not Report.objects.exists()
    assert not OutcomeImport.objects.exists()
    assert without_file.status_code == 400


def test_a_controller_cannot_open_or_post_to_the_upload_page(client, march, bildning_controller):
    client.force_login(bildning_controller)

    page = client.get(page_url())
    post = client.post(
        page_url(),
        {"file": upload("nämnd;verksamhet;belopp\nbildningsnamnden;bildningsnamnden;-1\n")},
    )

    assert page.status_code == 403
    assert post.status_code == 403
    assert not Report.objects.exists()


def test_the_upload_page_refuses_other_methods(client, march, finance_officer):
    client.force_login(finance_officer)

    assert client.put(page_url()).status_code == 405


# --- The mapping -----------------------------------------------------------------------


def test_loading_the_mapping_file_twice_changes_nothing_the_second_time(plan):
    data = read_toml(MAPPING_FILE)

    first = load_outcome_mapping_data(municipality=plan.municipality, data=data)
    entries = AuditEntry.objects.filter(area="utfall").count()
    second = load_outcome_mapping_data(municipality=plan.municipality, data=data)

    assert first == second == len(data["mappings"])
    assert AuditEntry.objects.filter(area="utfall").count() == entries == first
    assert OutcomeMapping.objects.filter(object_code="9100").get().activity.code == (
        "skatteintakter"
    )


def test_the_mapping_file_maps_every_activity_of_the_plan(plan):
    load_outcome_mapping_data(municipality=plan.municipality, data=read_toml(MAPPING_FILE))

    mapped = set(OutcomeMapping.objects.values_list("activity", flat=True))

    assert mapped == set(Activity.objects.values_list("pk", flat=True))


def test_a_changed_mapping_is_updated_with_one_history_entry(plan):
    entry = {"object": "7777", "committee": "valnamnden", "activity": "valnamnden"}
    load_outcome_mappings(municipality=plan.municipality, entries=[entry])

    load_outcome_mappings(
        municipality=plan.municipality,
        entries=[{**entry, "committee": "kommunrevisionen", "activity": "kommunrevisionen"}],
    )

    mapping = OutcomeMapping.objects.get(object_code="7777")
    assert mapping.activity.code == "kommunrevisionen"
    changes = AuditEntry.objects.filter(area="utfall", object_id=str(mapping.pk), action="andrad")
    assert changes.count() == 1


def test_finance_edits_a_mapping_in_the_admin_and_the_change_is_audited(
    client, plan, finance_officer
):
    load_outcome_mapping_data(municipality=plan.municipality, data=read_toml(MAPPING_FILE))
    mapping = OutcomeMapping.objects.get(object_code="1020")
    finance_officer.is_staff = True
    finance_officer.save()
    client.force_login(finance_officer)
    url = reverse("admin:followup_outcomemapping_change", args=[mapping.pk])
    assert client.get(reverse("admin:followup_outcomemapping_changelist")).status_code == 200
    assert client.get(reverse("admin:followup_outcomeimport_changelist")).status_code == 200

    response = client.post(
        url,
        {
            "municipality": mapping.municipality_id,
            "dimension": 1,
            "object_code": "1020",
            "activity": Activity.objects.get(code="kommunrevisionen").pk,
            "name": "Val (flyttat)",
        },
    )
    delete = client.post(
        reverse("admin:followup_outcomemapping_delete", args=[mapping.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.activity.committee == Committee.objects.get(code="kommunrevisionen")
    entry = AuditEntry.objects.get(
        content_type__model="outcomemapping", object_id=str(mapping.pk), field="verksamhet"
    )
    assert (entry.source, entry.area, entry.user) == (Source.ADMIN, "utfall", finance_officer)
    assert delete.status_code == 403
