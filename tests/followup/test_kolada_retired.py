"""A KPI Kolada no longer publishes: the data file says so and why, the mapping is kept
inactive with the reason, the page shows it and asks for another KPI, and the import
never asks Kolada for it.

No test reaches the network: the page and the command get a fake client.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from budget.audit import Actor, Source
from budget.loader import read_toml
from budget.models import AuditEntry, Indicator
from followup.goals.kolada.importer import import_values
from followup.goals.kolada.mappings import (
    KoladaMappingError,
    add_mapping,
    load_kolada_mappings,
)
from followup.models import IndicatorValue, KoladaMapping
from tests.followup.kolada import (
    FIRST_FETCH,
    GROUP,
    MAPPING_FILE,
    answer,
    group_answer,
    item,
    value,
)
from tests.pages import page_as

RETIRED = "U00003"  # Nöjd Inflytande-Index, in no catalogue of Kolada's any longer
REASON = (
    "Nöjd Inflytande-Index publiceras inte längre i Kolada (SCB:s medborgarundersökning har "
    "ändrats); närmast finns N00664, Förtroende för kommunens politiker, andel (%), som är en "
    "andel och inte ett index."
)


def mapping_entries():
    return AuditEntry.objects.filter(content_type__model="koladamapping")


def retired_mapping():
    return KoladaMapping.objects.get(indicator__code="nojd-inflytande", kpi=RETIRED)


def page_url():
    return reverse("followup:kolada", kwargs={"year": 2026})


# --- The data file -----------------------------------------------------------------------


def test_the_data_file_keeps_the_retired_kpi_inactive_with_its_reason(plan):
    load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))

    mapping = retired_mapping()
    assert (mapping.active, mapping.retired_reason) == (False, REASON)
    created = mapping_entries().get(object_id=str(mapping.pk))
    assert created.action == "skapad"
    assert created.new_value == (
        f"Kolada-KPI: {RETIRED}, kön: T, används: nej, publiceras inte längre: {REASON}"
    )
    assert set(KoladaMapping.objects.filter(retired_reason="").values_list("kpi", "active")) == {
        ("N00310", True),
        ("U00200", True),
        ("N00301", True),
    }


def test_loading_the_data_file_again_changes_nothing(plan):
    load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))
    entries = AuditEntry.objects.count()

    again = load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))

    assert again == 0
    assert AuditEntry.objects.count() == entries
    assert KoladaMapping.objects.count() == 4


def test_a_mapping_in_use_is_retired_by_the_data_file_each_change_audited(plan):
    old_file = {"mappings": [{"indicator": "nojd-inflytande", "kpi": RETIRED}]}
    load_kolada_mappings(plan=plan, data=old_file)
    mapping = retired_mapping()
    assert mapping.active is True

    load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))

    mapping.refresh_from_db()
    assert (mapping.active, mapping.retired_reason) == (False, REASON)
    changes = mapping_entries().filter(object_id=str(mapping.pk), action="andrad")
    assert sorted((e.field, e.old_value, e.new_value) for e in changes) == [
        ("används", "ja", "nej"),
        ("publiceras inte längre", "", REASON),
    ]


def test_a_retired_entry_without_a_reason_or_also_mapped_loads_nothing(plan):
    data = {
        "mappings": [{"indicator": "hme", "kpi": "U00200"}],
        "retired": [
            {"indicator": "nojd-inflytande", "kpi": RETIRED, "reason": "  "},
            {"indicator": "hme", "kpi": "U00200", "reason": "Finns inte."},
        ],
    }

    with pytest.raises(KoladaMappingError) as excinfo:
        load_kolada_mappings(plan=plan, data=data)

    assert excinfo.value.errors == [
        "Inte längre publicerat KPI 1: ange varför Kolada inte längre publicerar U00003 (reason).",
        "Inte längre publicerat KPI 2: U00200 står också bland kopplingarna till "
        f"{Indicator.objects.get(code='hme')}.",
    ]
    assert not KoladaMapping.objects.exists()


def test_a_retired_kpi_cannot_be_mapped_again(plan, kolada_mappings, finance_officer):
    entries = AuditEntry.objects.count()

    for code in ("nojd-inflytande", "livskvalitet"):
        with pytest.raises(KoladaMappingError) as excinfo:
            add_mapping(
                indicator=Indicator.objects.get(code=code),
                kpi=RETIRED.lower(),
                actor=Actor(user=finance_officer, source=Source.PAGE),
            )
        assert excinfo.value.errors == [f"Kolada publicerar inte längre {RETIRED}: {REASON}"]

    assert retired_mapping().active is False
    assert AuditEntry.objects.count() == entries


# --- The import --------------------------------------------------------------------------


def test_the_fetch_never_asks_kolada_for_a_retired_kpi(plan, kolada_mappings, kolada_answers):
    kolada_answers.answers.append(answer(item("N00310", "2083", 2022, ("T", "51"))))

    call_command("import_kolada", "--years", "2022", "--municipality", "2083", stdout=StringIO())

    assert len(kolada_answers.urls) == 1
    fetched = kolada_answers.urls[0]
    assert "/data/kpi/N00301,N00310,N01951,N03002,N03102,N03106,N03139,U00200/" in fetched
    assert RETIRED not in fetched


def test_values_of_a_retired_kpi_in_a_saved_file_are_not_imported(
    plan, kolada_mappings, finance_officer
):
    summary = import_values(
        plan=plan,
        values=[value(kpi=RETIRED, amount="40")],
        actor=Actor(user=finance_officer, source=Source.IMPORT),
        fetched_at=FIRST_FETCH,
    )

    assert summary.ignored_kpis == [RETIRED]
    assert not IndicatorValue.objects.exists()


# --- The page ----------------------------------------------------------------------------


def test_the_page_says_why_beside_the_indicator_and_asks_for_another_kpi(
    client, plan, kolada_mappings, finance_officer
):
    content = " ".join(page_as(client, finance_officer, page_url()).content.decode().split())

    assert f"Kolada publicerar inte längre {RETIRED}: {REASON}" in content
    assert "Välj ett annat nyckeltal nedan." in content
    assert "Nej, Kolada publicerar det inte längre" in content


def test_finance_adds_a_replacement_and_the_retired_mapping_stays_in_the_history(
    client, plan, kolada_mappings, finance_officer, kolada_answers
):
    client.force_login(finance_officer)
    influence = Indicator.objects.get(code="nojd-inflytande")
    retired = retired_mapping()

    added = client.post(
        page_url(),
        {"action": "koppling", "indicator": influence.pk, "kpi": "N00664", "gender": "T"},
        follow=True,
    )

    assert added.redirect_chain == [(page_url(), 302)]
    content = " ".join(added.content.decode().split())
    assert f"{influence} hämtas nu från N00664." in content
    assert "Hämtas från N00664 (T)." in content
    assert f"Kolada publicerar inte längre {RETIRED}: {REASON}" in content
    assert "Välj ett annat nyckeltal nedan." not in content
    retired.refresh_from_db()
    assert (retired.active, retired.retired_reason) == (False, REASON)
    assert KoladaMapping.objects.filter(indicator=influence).count() == 2
    assert mapping_entries().filter(object_id=str(retired.pk), action="skapad").exists()
    # The fetch asks for the replacement and still not for the retired KPI.
    kolada_answers.answers += [
        group_answer(GROUP, ("2083", "Hedemora")),
        answer(item("N00664", "2083", 2024, ("T", "38"))),
    ]
    client.post(page_url(), {"action": "hamta"})
    assert "/data/kpi/N00301,N00310,N00664,N01951," in kolada_answers.urls[1]
    row = IndicatorValue.objects.get(indicator=influence, municipality_code="2083", year=2024)
    assert (row.value, row.kpi) == (38, "N00664")
