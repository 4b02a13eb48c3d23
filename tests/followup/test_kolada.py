"""Indicator values from Kolada: the client, the import, the command and finance's page.

No test reaches the network: the client gets a fake opener, the command and the page a
fake client, and saved response files are written by the tests themselves.
"""

import urllib.error
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.audit import Actor, Source
from budget.loader import read_toml
from budget.models import AuditEntry, Indicator
from followup.goals.kolada.client import (
    KoladaClient,
    KoladaError,
    KoladaUnavailable,
    parse_file,
)
from followup.goals.kolada.importer import comparison_municipalities, import_values
from followup.goals.kolada.mappings import (
    KoladaMappingError,
    add_mapping,
    deactivate_mapping,
    load_kolada_mappings,
)
from followup.models import IndicatorValue, KoladaMapping
from followup.views import kolada as kolada_views
from tests.followup.kolada import (
    BASE,
    FIRST_FETCH,
    GROUP,
    HME,
    LIFE,
    MAPPING_FILE,
    SECOND_FETCH,
    FakeOpener,
    answer,
    fake_client,
    group_answer,
    item,
    unreachable,
    value,
)
from tests.pages import assert_sent_to_login, page_as

# --- Helpers -----------------------------------------------------------------------------


def as_finance(user):
    return Actor(user=user, source=Source.IMPORT)


def indicator(code):
    return Indicator.objects.get(code=code)


def stored(code="livskvalitet", municipality="2083", year=2022):
    return IndicatorValue.objects.get(
        indicator__code=code, municipality_code=municipality, year=year
    )


def value_entries():
    return AuditEntry.objects.filter(object_repr__contains="(20").exclude(
        content_type__model="koladamapping"
    )


# --- The client --------------------------------------------------------------------------


def test_the_client_follows_next_url_until_the_last_page():
    second = f"{BASE}/data/kpi/{LIFE}/municipality/2083/year/2022?page=2"
    opener = FakeOpener(
        answer(item(LIFE, "2083", 2022, ("T", "51")), next_url=second),
        answer(item(LIFE, "2084", 2022, ("T", "60"))),
    )

    values = fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083", "2084"], years=[2022])

    assert opener.urls == [
        f"{BASE}/data/kpi/{LIFE}/municipality/2083,2084/year/2022",
        second,
    ]
    assert opener.timeouts == [3, 3]
    assert [(v.municipality, v.value) for v in values] == [
        ("2083", Decimal("51")),
        ("2084", Decimal("60")),
    ]


def test_the_client_follows_next_page_too_and_asks_for_every_kpi_and_year():
    opener = FakeOpener(
        '{"count": 0, "values": [], "next_page": "?page=2"}',
        answer(item(HME, "2083", 2023, ("T", "80"))),
    )

    values = fake_client(opener).fetch(
        kpis=[LIFE, HME], municipalities=["2083"], years=[2023, 2022]
    )

    assert opener.urls == [
        f"{BASE}/data/kpi/{LIFE},{HME}/municipality/2083/year/2022,2023",
        f"{BASE}/data/kpi/{LIFE},{HME}/municipality/2083/year/2022,2023?page=2",
    ]
    assert values == [value(kpi=HME, year=2023, amount="80")]


def test_network_errors_are_retried_then_kolada_is_unavailable():
    opener = FakeOpener(unreachable(), unreachable(), unreachable())
    sleeps = []

    with pytest.raises(KoladaUnavailable) as excinfo:
        fake_client(opener, sleeps).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert len(opener.urls) == 3
    assert sleeps == [0.5, 1.0]
    assert str(excinfo.value) == (
        "Kolada kunde inte nås (Name or service not known). Försök igen senare eller läs in "
        "en sparad svarsfil."
    )


def test_a_timeout_counts_as_unreachable():
    opener = FakeOpener(TimeoutError(), TimeoutError(), TimeoutError())

    with pytest.raises(KoladaUnavailable, match=r"Kolada kunde inte nås \(inget svar inom"):
        fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert len(opener.urls) == 3


def test_a_server_error_is_retried_and_the_later_answer_used():
    busy = urllib.error.HTTPError(BASE, 503, "Service Unavailable", {}, None)
    opener = FakeOpener(busy, answer(item(LIFE, "2083", 2022, ("T", "51"))))

    values = fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert len(opener.urls) == 2
    assert values == [value()]


def test_a_client_error_is_not_retried():
    opener = FakeOpener(urllib.error.HTTPError(BASE, 404, "Not Found", {}, None))

    with pytest.raises(KoladaError) as excinfo:
        fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert not isinstance(excinfo.value, KoladaUnavailable)
    assert str(excinfo.value) == "Kolada svarade med fel (HTTP 404)."
    assert len(opener.urls) == 1


def test_values_are_exact_decimals_and_a_missing_value_is_skipped():
    opener = FakeOpener(
        answer(
            item(LIFE, "2083", 2022, ("T", "51.1"), ("K", "0.30000000000000004"), ("M", "null")),
            item(LIFE, "2083", 2023, ("T", "55")),
        )
    )

    values = fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert [(v.year, v.gender, v.value) for v in values] == [
        (2022, "T", Decimal("51.1")),
        (2022, "K", Decimal("0.30000000000000004")),
        (2023, "T", Decimal("55")),
    ]
    assert all(type(v.value) is Decimal for v in values)


@pytest.mark.parametrize(
    "body",
    [
        '{"count": 1, "values": [',
        '{"count": 1}',
        '{"values": [{"kpi": "N00310", "municipality": "2083", "values": []}]}',
        answer(item(LIFE, "2083", 2022, ("T", '"femtio"'))),
        answer(item(LIFE, "2083", 2022, ("X", "51"))),
    ],
)
def test_a_malformed_answer_is_a_kolada_error(body):
    opener = FakeOpener(body)

    with pytest.raises(KoladaError) as excinfo:
        fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert not isinstance(excinfo.value, KoladaUnavailable)


def test_a_next_page_on_another_server_is_refused():
    opener = FakeOpener(answer(next_url="https://elsewhere.test/v3/data?page=2"))

    with pytest.raises(KoladaError, match="annan server"):
        fake_client(opener).fetch(kpis=[LIFE], municipalities=["2083"], years=[2022])

    assert len(opener.urls) == 1


def test_ids_that_could_change_the_address_are_refused():
    with pytest.raises(ValueError, match="Ogiltigt KPI-id"):
        fake_client(FakeOpener()).data_url(
            kpis=["N00310/../x"], municipalities=["2083"], years=[2022]
        )


def test_a_saved_file_may_hold_one_answer_or_a_list_of_answers():
    one = answer(item(LIFE, "2083", 2022, ("T", "51")))
    two = f"[{one}, {answer(item(LIFE, '2083', 2023, ('T', '52.5')))}]"

    assert parse_file(one.encode()) == [value()]
    assert parse_file(two) == [value(), value(year=2023, amount="52.5")]


def test_the_client_reads_its_address_timeout_and_retries_from_the_settings(settings):
    settings.KOLADA_BASE_URL = "https://kolada.example/v3"
    settings.KOLADA_TIMEOUT = 7
    settings.KOLADA_RETRIES = 0

    client = KoladaClient(opener=FakeOpener())

    assert (client.base_url, client.timeout, client.retries) == (
        "https://kolada.example/v3",
        7,
        0,
    )


# --- Mappings ----------------------------------------------------------------------------


def test_the_mapping_file_maps_each_of_the_plans_indicators_once(plan):
    created = load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))
    again = load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))

    assert (created, again) == (4, 0)
    assert sorted(KoladaMapping.objects.values_list("indicator__code", flat=True)) == [
        "hme",
        "livskvalitet",
        "nojd-inflytande",
        "trygghet-och-sakerhet",
    ]
    entries = AuditEntry.objects.filter(content_type__model="koladamapping")
    assert entries.count() == 4
    assert set(entries.values_list("area", "action")) == {("mal", "skapad")}


def test_a_mapping_file_with_an_unknown_indicator_loads_nothing(plan):
    data = {
        "mappings": [
            {"indicator": "livskvalitet", "kpi": LIFE},
            {"indicator": "finns-inte", "kpi": "U1"},
        ]
    }

    with pytest.raises(KoladaMappingError) as excinfo:
        load_kolada_mappings(plan=plan, data=data)

    assert excinfo.value.errors == [f"Koppling 2: nyckeltalet ”finns-inte” finns inte i {plan}."]
    assert not KoladaMapping.objects.exists()


def test_the_comparison_is_the_own_municipality_first_then_the_rest_of_dalarna(plan):
    towns = comparison_municipalities(plan)

    assert towns[0] == ("2083", "Hedemora")
    assert len(towns) == 15
    assert ("2084", "Avesta") in towns and ("2039", "Älvdalen") in towns
    assert len({code for code, _ in towns}) == 15


# --- The import --------------------------------------------------------------------------


def test_new_values_are_created_with_their_source_and_one_audit_entry_each(
    plan, kolada_mappings, finance_officer
):
    values = [
        value(amount="51"),
        value(municipality="2084", amount="60.25"),
        value(gender="K", amount="53"),  # not the mapped gender group
        value(kpi="N00945", amount="1"),  # a KPI no indicator is mapped to
    ]

    summary = import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
    )

    assert (summary.created, summary.changed, summary.unchanged) == (2, 0, 0)
    assert summary.ignored_kpis == ["N00945"]
    assert str(summary) == (
        "Från Kolada: 2 nya värden, 0 ändrade och 0 oförändrade. KPI utan koppling till "
        "något nyckeltal lästes inte in: N00945."
    )
    own = stored()
    assert own.value == Decimal("51.0000")
    assert (own.source, own.kpi, own.fetched_at, own.recorded_by) == (
        "kolada",
        LIFE,
        FIRST_FETCH,
        finance_officer,
    )
    assert stored(municipality="2084").value == Decimal("60.25")
    assert IndicatorValue.objects.count() == 2
    entry = AuditEntry.objects.get(object_id=str(own.pk), content_type__model="indicatorvalue")
    assert (entry.action, entry.area, entry.source, entry.user, entry.plan) == (
        "skapad",
        "mal",
        "import",
        finance_officer,
        plan,
    )
    assert entry.new_value == (
        "kommunkod: 2083, år: 2022, värde: 51.0000, källa: kolada, Kolada-KPI: N00310"
    )
    assert entry.at == FIRST_FETCH
    assert AuditEntry.objects.filter(content_type__model="indicatorvalue").count() == 2


def test_importing_the_same_values_again_changes_nothing(plan, kolada_mappings, finance_officer):
    values = [value(amount="51"), value(year=2023, amount="52")]
    import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
    )
    entries = AuditEntry.objects.count()

    summary = import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=SECOND_FETCH
    )

    assert (summary.created, summary.changed, summary.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    assert stored().fetched_at == FIRST_FETCH


def test_a_value_kolada_has_changed_is_updated_with_exactly_one_audit_entry(
    plan, kolada_mappings, finance_officer, councillor
):
    import_values(
        plan=plan,
        values=[value(amount="51")],
        actor=as_finance(finance_officer),
        fetched_at=FIRST_FETCH,
    )
    row = stored()

    summary = import_values(
        plan=plan,
        values=[value(amount="52.5")],
        actor=Actor(source=Source.COMMAND, name="import_kolada"),
        fetched_at=SECOND_FETCH,
    )

    assert (summary.created, summary.changed, summary.unchanged) == (0, 1, 0)
    row.refresh_from_db()
    assert row.value == Decimal("52.5000")
    assert (row.fetched_at, row.recorded_by) == (SECOND_FETCH, None)
    changes = AuditEntry.objects.filter(
        object_id=str(row.pk), content_type__model="indicatorvalue", action="andrad"
    )
    assert [(e.field, e.old_value, e.new_value, e.actor, e.source) for e in changes] == [
        ("värde", "51.0000", "52.5000", "import_kolada", "kommando")
    ]


def test_an_entered_value_that_kolada_gives_becomes_kolada_s_with_the_change_logged(
    plan, kolada_mappings, finance_officer
):
    row = IndicatorValue.objects.create(
        indicator=indicator("livskvalitet"),
        municipality_code="2083",
        year=2022,
        value=Decimal("51"),
        source=IndicatorValue.Source.ENTERED,
        fetched_at=FIRST_FETCH,
    )

    summary = import_values(
        plan=plan,
        values=[value(amount="51")],
        actor=as_finance(finance_officer),
        fetched_at=SECOND_FETCH,
    )

    assert summary.changed == 1
    row.refresh_from_db()
    assert (row.source, row.kpi) == ("kolada", LIFE)
    changes = AuditEntry.objects.filter(object_id=str(row.pk), action="andrad")
    assert sorted((e.field, e.old_value, e.new_value) for e in changes) == [
        ("Kolada-KPI", "", LIFE),
        ("källa", "inmatad", "kolada"),
    ]


def test_values_beyond_four_decimals_are_rounded_once_and_then_unchanged(
    plan, kolada_mappings, finance_officer
):
    values = [value(amount="51.123456789")]
    import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
    )

    summary = import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=SECOND_FETCH
    )

    assert stored().value == Decimal("51.1235")
    assert summary.unchanged == 1


def test_values_of_other_municipalities_are_left_out(plan, kolada_mappings, finance_officer):
    values = [value(municipality="0180"), value(municipality="2083")]

    summary = import_values(
        plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
    )
    only_own = import_values(
        plan=plan,
        values=[value(municipality="2084", year=2023)],
        actor=as_finance(finance_officer),
        fetched_at=FIRST_FETCH,
        municipalities=["2083"],
    )

    assert summary.created == 1
    assert only_own.created == 0
    assert list(IndicatorValue.objects.values_list("municipality_code", flat=True)) == ["2083"]


def test_an_inactive_mapping_feeds_nothing(plan, kolada_mappings, finance_officer):
    mapping = KoladaMapping.objects.get(kpi=LIFE)
    deactivate_mapping(mapping=mapping, actor=as_finance(finance_officer))

    summary = import_values(
        plan=plan, values=[value()], actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
    )

    assert summary.ignored_kpis == [LIFE]
    assert not IndicatorValue.objects.exists()


def test_two_mappings_giving_one_indicator_different_values_write_nothing(
    plan, kolada_mappings, finance_officer
):
    add_mapping(
        indicator=indicator("livskvalitet"), kpi="U99999", actor=as_finance(finance_officer)
    )
    values = [value(amount="51"), value(kpi="U99999", amount="49"), value(kpi=HME, amount="80")]

    with pytest.raises(KoladaError, match="sluta använda en av kopplingarna"):
        import_values(
            plan=plan, values=values, actor=as_finance(finance_officer), fetched_at=FIRST_FETCH
        )

    assert not IndicatorValue.objects.exists()


# --- The command -------------------------------------------------------------------------


def test_the_command_imports_saved_response_files(tmp_path, plan, kolada_mappings):
    first = tmp_path / "svar-1.json"
    first.write_text(answer(item(LIFE, "2083", 2022, ("T", "51")), next_url=f"{BASE}/x"))
    second = tmp_path / "svar-2.json"
    second.write_text(
        f"[{answer(item(HME, '2083', 2022, ('T', '80')))}, "
        f"{answer(item(LIFE, '2084', 2022, ('T', '58.5')))}]"
    )
    out = StringIO()

    call_command(
        "import_kolada", "--year", "2026", "--from-file", str(first), str(second), stdout=out
    )

    assert "Från Kolada: 3 nya värden, 0 ändrade och 0 oförändrade." in out.getvalue()
    assert stored().value == Decimal("51")
    assert stored("hme").value == Decimal("80")
    assert stored(municipality="2084").value == Decimal("58.5")
    entries = AuditEntry.objects.filter(content_type__model="indicatorvalue")
    assert set(entries.values_list("actor", "source")) == {("import_kolada", "kommando")}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"count": 1, "values": [', "Filen är inte giltig JSON"),
        ('{"count": 0}', "listan ”values” saknas"),
    ],
)
def test_the_command_refuses_a_bad_file_and_writes_nothing(
    tmp_path, plan, kolada_mappings, content, message
):
    good = tmp_path / "bra.json"
    good.write_text(answer(item(LIFE, "2083", 2022, ("T", "51"))))
    bad = tmp_path / "trasig.json"
    bad.write_text(content)

    with pytest.raises(CommandError) as excinfo:
        call_command("import_kolada", "--from-file", str(good), str(bad), stdout=StringIO())

    assert message in str(excinfo.value)
    assert "trasig.json lästes inte in" in str(excinfo.value)
    assert not IndicatorValue.objects.exists()


def test_the_command_says_in_swedish_when_a_file_is_missing(tmp_path, plan, kolada_mappings):
    with pytest.raises(CommandError, match="Kunde inte läsa"):
        call_command("import_kolada", "--from-file", str(tmp_path / "saknas.json"))


def test_the_command_fetches_the_years_and_municipalities_asked_for(
    plan, kolada_mappings, kolada_answers
):
    kolada_answers.answers.append(answer(item(LIFE, "2083", 2021, ("T", "50"))))
    out = StringIO()

    call_command("import_kolada", "--years", "2020-2022", "--municipality", "2083", stdout=out)

    # The goals' KPIs and those of the financial references (N01951, N03002, …).
    assert kolada_answers.urls == [
        f"{BASE}/data/kpi/N00301,N00310,N01951,N03002,N03102,N03106,N03139,U00200"
        "/municipality/2083/year/2020,2021,2022"
    ]
    assert stored(year=2021).value == Decimal("50")
    assert "1 nytt värde" in out.getvalue()


def test_the_command_fails_in_swedish_when_kolada_cannot_be_reached(
    plan, kolada_mappings, kolada_answers
):
    kolada_answers.answers.extend([unreachable(), unreachable(), unreachable()])

    with pytest.raises(CommandError, match="Kolada kunde inte nås"):
        call_command("import_kolada", stdout=StringIO())

    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("years", ["2026-2020", "tjugo"])
def test_the_command_refuses_years_it_cannot_read(plan, kolada_mappings, years):
    with pytest.raises(CommandError, match="Åren"):
        call_command("import_kolada", "--years", years)


# --- The page ----------------------------------------------------------------------------


def page_url():
    return reverse("followup:kolada", kwargs={"year": 2026})


def test_finance_sees_the_mappings_the_values_and_the_comparison(
    client, plan, kolada_mappings, finance_officer
):
    import_values(
        plan=plan,
        values=[
            value(amount="51"),
            value(year=2024, amount="53.5"),
            value(municipality="2084", year=2024, amount="58"),
        ],
        actor=as_finance(finance_officer),
        fetched_at=FIRST_FETCH,
    )
    response = page_as(client, finance_officer, page_url())

    content = response.content.decode()
    assert "Källa: Kolada" in content
    assert "2026-03-02" in content
    assert "53,5" in content
    assert LIFE in content and HME in content
    assert "Avesta" in content and '58 <span class="muted">(2024)</span>' in content
    assert "Hämta från Kolada" in content


@pytest.mark.parametrize("persona", ["bildning_controller", "councillor", "administrator"])
def test_only_finance_may_open_the_page_or_post_to_it(
    client, plan, kolada_mappings, kolada_answers, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(page_url()).status_code == 403
    assert client.post(page_url(), {"action": "hamta"}).status_code == 403
    assert kolada_answers.urls == []


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, plan):
    response = client.get(page_url())

    assert_sent_to_login(response)


def test_the_page_accepts_only_get_and_post(client, plan, finance_officer):
    client.force_login(finance_officer)

    assert client.put(page_url()).status_code == 405


def test_fetching_from_kolada_imports_and_shows_the_summary(
    client, plan, kolada_mappings, finance_officer, kolada_answers
):
    kolada_answers.answers += [
        group_answer(GROUP, ("2083", "Hedemora"), ("0860", "Hultsfred")),
        answer(item(LIFE, "2083", 2022, ("T", "51")), item(LIFE, "2081", 2022, ("T", "57"))),
    ]
    client.force_login(finance_officer)

    response = client.post(page_url(), {"action": "hamta"}, follow=True)

    assert response.redirect_chain == [(page_url(), 302)]
    assert "Från Kolada: 2 nya värden, 0 ändrade och 0 oförändrade." in response.content.decode()
    assert kolada_answers.urls[0] == f"{BASE}/municipality_groups/{GROUP}"
    # The county's municipalities, then the comparison group's.
    assert "/municipality/2083,2084,2081," in kolada_answers.urls[1]
    assert kolada_answers.urls[1].endswith(",0860/year/2020,2021,2022,2023,2024,2025,2026")
    assert stored().recorded_by == finance_officer
    entry = AuditEntry.objects.filter(content_type__model="indicatorvalue").first()
    assert (entry.user, entry.source) == (finance_officer, "import")


def test_when_kolada_cannot_be_reached_the_page_says_so_and_nothing_is_written(
    client, plan, kolada_mappings, finance_officer, kolada_answers
):
    kolada_answers.answers.extend([unreachable(), unreachable(), unreachable()])
    client.force_login(finance_officer)
    entries = AuditEntry.objects.count()

    response = client.post(page_url(), {"action": "hamta"}, follow=True)

    content = response.content.decode()
    assert "Kolada kunde inte nås (Name or service not known)." in content
    assert "läs in en sparad svarsfil" in content
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_saved_response_file_is_uploaded_and_imported(
    client, plan, kolada_mappings, finance_officer
):
    client.force_login(finance_officer)
    upload = SimpleUploadedFile(
        "kolada.json",
        answer(item(LIFE, "2083", 2022, ("T", "51.5"))).encode(),
        content_type="application/json",
    )

    response = client.post(page_url(), {"action": "fil", "file": upload}, follow=True)

    assert response.redirect_chain == [(page_url(), 302)]
    assert "1 nytt värde" in response.content.decode()
    assert stored().value == Decimal("51.5")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kolada.json", b'{"values": [', "Filen är inte giltig JSON"),
        ("kolada.json", b'{"count": 0}', "listan ”values” saknas"),
        ("kolada.json", b"", "Den skickade filen är tom."),
        ("kolada.txt", b'{"count": 0, "values": []}', "Filen ska vara en JSON-fil"),
        ("kolada.json", b"\xff\xfe", "Filen är inte text i UTF-8."),
    ],
)
def test_a_bad_upload_changes_nothing(
    client, plan, kolada_mappings, finance_officer, name, content, message
):
    client.force_login(finance_officer)
    entries = AuditEntry.objects.count()

    response = client.post(page_url(), {"action": "fil", "file": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_file_above_the_size_limit_is_refused(
    client, plan, kolada_mappings, finance_officer, monkeypatch
):
    monkeypatch.setattr(kolada_views, "MAX_BYTES", 10)
    client.force_login(finance_officer)
    upload = SimpleUploadedFile(
        "kolada.json", answer(item(LIFE, "2083", 2022, ("T", "51"))).encode()
    )

    response = client.post(page_url(), {"action": "fil", "file": upload})

    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_finance_adds_a_mapping_and_stops_using_one_each_audited(
    client, plan, kolada_mappings, finance_officer
):
    client.force_login(finance_officer)
    life = indicator("livskvalitet")

    added = client.post(
        page_url(), {"action": "koppling", "indicator": life.pk, "kpi": " u00999 ", "gender": "K"}
    )
    old = KoladaMapping.objects.get(indicator=life, kpi=LIFE)
    stopped = client.post(page_url(), {"action": "sluta-anvanda", "mapping": old.pk})

    assert (added.status_code, stopped.status_code) == (302, 302)
    new = KoladaMapping.objects.get(indicator=life, kpi="U00999")
    assert (new.gender, new.active) == ("K", True)
    old.refresh_from_db()
    assert old.active is False
    created = AuditEntry.objects.get(
        object_id=str(new.pk), content_type__model="koladamapping", action="skapad"
    )
    assert (created.user, created.source, created.area) == (finance_officer, "sida", "mal")
    assert created.new_value == "Kolada-KPI: U00999, kön: K, används: ja"
    changed = AuditEntry.objects.get(object_id=str(old.pk), action="andrad")
    assert (changed.field, changed.old_value, changed.new_value) == ("används", "ja", "nej")


def test_a_mapping_that_already_exists_or_is_not_a_kpi_id_is_refused(
    client, plan, kolada_mappings, finance_officer
):
    client.force_login(finance_officer)
    life = indicator("livskvalitet")
    entries = AuditEntry.objects.count()

    twice = client.post(
        page_url(), {"action": "koppling", "indicator": life.pk, "kpi": LIFE, "gender": "T"}
    )
    nonsense = client.post(
        page_url(), {"action": "koppling", "indicator": life.pk, "kpi": "U 00/1", "gender": "T"}
    )

    assert (twice.status_code, nonsense.status_code) == (400, 400)
    assert "hämtas redan från N00310" in twice.content.decode()
    assert "är inget KPI-id i Kolada" in nonsense.content.decode()
    assert KoladaMapping.objects.filter(indicator=life).count() == 1
    assert AuditEntry.objects.count() == entries


def test_the_page_makes_as_many_queries_for_many_values_as_for_a_few(
    client, plan, kolada_mappings, finance_officer
):
    client.force_login(finance_officer)
    actor = as_finance(finance_officer)
    # Nöjd Inflytande-Index is no longer published; finance has chosen another KPI.
    add_mapping(indicator=indicator("nojd-inflytande"), kpi="N00664", actor=actor)
    import_values(plan=plan, values=[value()], actor=actor, fetched_at=FIRST_FETCH)
    client.get(page_url())  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        client.get(page_url())
    many = [
        value(kpi=kpi, municipality=code, year=year, amount=str(year - 1970))
        for kpi in (LIFE, HME, "N00301", "N00664")
        for code, _ in comparison_municipalities(plan)
        for year in range(2020, 2027)
    ]
    import_values(plan=plan, values=many, actor=actor, fetched_at=SECOND_FETCH)

    with CaptureQueriesContext(connection) as lots:
        response = client.get(page_url())

    assert IndicatorValue.objects.count() == 4 * 15 * 7
    assert response.status_code == 200
    assert len(lots) == len(few)
    # 12 for the mappings and values; the comparison group, the financial references,
    # their Kolada figures, the deficits and the annual accounts (balanskravsresultat).
    assert len(lots) <= 17


def test_the_mapping_file_says_where_the_ids_come_from():
    text = MAPPING_FILE.read_text(encoding="utf-8")

    assert "Koladas KPI-katalog (API v3" in text
    assert "kontrollera" not in text.lower()
    kpis = {m["indicator"]: m["kpi"] for m in read_toml(MAPPING_FILE)["mappings"]}
    assert (kpis["livskvalitet"], kpis["hme"], kpis["trygghet-och-sakerhet"]) == (
        "N00310",
        "U00200",
        "N00301",
    )
