"""Which municipalities a plan is compared with follows the municipality: the county data
file (fixtures/kolada-kommuner-<län>.toml) that lists its Kolada id."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from budget.loader import read_toml
from followup.goals.kolada import importer
from followup.goals.kolada.importer import (
    comparison_municipalities,
    county_region,
    default_municipalities,
)
from followup.goals.kolada.mappings import KoladaMappingError, load_kolada_mappings
from followup.models import KoladaMapping
from tests.pages import page_as

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
GAVLEBORG = """
county = "Gävleborgs län"
region = "Gävleborg"

[[municipalities]]
code = "2180"
name = "Gävle"

[[municipalities]]
code = "2181"
name = "Sandviken"
"""


@pytest.fixture
def counties(tmp_path, settings):
    """Dalarna's real file and a second county's beside it."""
    shutil.copy(FIXTURES / "kolada-kommuner-dalarna.toml", tmp_path)
    (tmp_path / "kolada-kommuner-gavleborg.toml").write_text(GAVLEBORG, encoding="utf-8")
    settings.KOLADA_COUNTY_DIRS = [tmp_path]
    return tmp_path


def moved_to(plan, kolada_id):
    plan.municipality.kolada_id = kolada_id
    plan.municipality.save()


def page_url():
    return reverse("followup:kolada", kwargs={"year": 2026})


def test_hedemora_is_compared_with_the_rest_of_dalarna(plan, counties):
    assert county_region(plan) == "Dalarna"
    assert comparison_municipalities(plan)[:2] == [("2083", "Hedemora"), ("2084", "Avesta")]
    assert len(default_municipalities(plan)) == 15


def test_a_municipality_of_another_county_is_compared_with_that_county(plan, counties):
    moved_to(plan, "2181")

    assert county_region(plan) == "Gävleborg"
    assert comparison_municipalities(plan) == [("2181", "Sandviken"), ("2180", "Gävle")]


def test_a_municipality_no_county_file_lists_is_compared_with_no_other(plan, counties):
    moved_to(plan, "0180")

    assert county_region(plan) == ""
    assert comparison_municipalities(plan) == [("0180", plan.municipality.name)]
    assert default_municipalities(plan) == ["0180"]


def test_the_page_names_the_county_it_compares_with(client, plan, counties, finance_officer):
    dalarna = page_as(client, finance_officer, page_url()).content.decode()
    moved_to(plan, "2180")
    gavleborg = page_as(client, finance_officer, page_url()).content.decode()
    moved_to(plan, "0180")
    alone = page_as(client, finance_officer, page_url()).content.decode()

    assert "Jämförelse med övriga Dalarna" in dalarna and "Avesta" in dalarna
    assert "Jämförelse med övriga Gävleborg" in gavleborg and "Sandviken" in gavleborg
    assert "Avesta" not in gavleborg
    assert "Jämförelse med andra kommuner" in alone and "övriga" not in alone


def test_each_county_file_names_its_region_and_lists_each_municipality_once():
    files = sorted(FIXTURES.glob(importer.COUNTY_PATTERN))

    assert files
    for path in files:
        data = read_toml(path)
        codes = [str(m["code"]) for m in data["municipalities"]]
        assert data["region"] and len(codes) == len(set(codes)), path.name


def test_the_mapping_file_names_hedemoras_comparison_group_and_a_wrong_one_is_refused(plan):
    data = read_toml(FIXTURES / "hedemora" / "kolada-kopplingar.toml")

    assert data["comparison_group"] == "G37393"
    with pytest.raises(KoladaMappingError) as excinfo:
        load_kolada_mappings(plan=plan, data={**data, "comparison_group": "37393"})

    assert excinfo.value.errors == [
        "Jämförelsegruppen ”37393” är inget grupp-id i Kolada (G och siffror, till exempel G37393)."
    ]
    assert not KoladaMapping.objects.exists()
