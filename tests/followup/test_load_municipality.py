"""A municipality's set-up from its own files, in production mode: the budget (workbook or
data file) with its calendar and the mappings beside it, in one command, all or nothing."""

import datetime
import shutil
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from budget.exports import workbook_bytes
from budget.models import BudgetPlan
from followup.models import KoladaMapping, OutcomeMapping, ReportingPeriod
from tests.conftest import FIXTURES, PLAN_FILE, _load_plan

TODAY = datetime.date(2026, 11, 27)
MAPPINGS = ("ekonomisystem-kopplingar.toml", "kolada-kopplingar.toml")


@pytest.fixture(scope="module")
def workbook(django_db_setup, django_db_blocker, plan_data):
    """Hedemora's budget workbook (with its calendar), of a database that is gone."""
    with django_db_blocker.unblock(), transaction.atomic():
        content = workbook_bytes(_load_plan(plan_data), today=TODAY)
        transaction.set_rollback(True)
    return content


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True


def folder_with(tmp_path, *, workbook=None, data_file=False, mappings=MAPPINGS):
    folder = tmp_path / "kommun"
    folder.mkdir()
    if workbook is not None:
        (folder / "mal-och-budget-2026.xlsx").write_bytes(workbook)
    if data_file:
        shutil.copy(PLAN_FILE, folder / PLAN_FILE.name)
    for name in mappings:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def load(folder) -> str:
    out = StringIO()
    call_command("load_municipality", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_municipality_is_set_up_from_its_workbook_and_mappings_in_production_mode(
    workbook, db, production, tmp_path
):
    printed = load(folder_with(tmp_path, workbook=workbook))

    plan = BudgetPlan.objects.get(municipality__name="Hedemora kommun", year=2026)
    assert ReportingPeriod.objects.filter(plan=plan).count() == 8
    assert OutcomeMapping.objects.filter(municipality=plan.municipality).exists()
    assert KoladaMapping.objects.filter(indicator__goal__plan=plan).count() == 4
    assert not get_user_model().objects.exists()  # no demo users, no users at all
    assert "Uppföljningskalendern: 8 perioder" in printed
    assert (
        "Kopplingar till Kolada: 4 nya, jämförelsegrupp G37393, 5 jämförelsetal (finansiella "
        "nyckeltal m.m.)." in printed
    )


def test_loading_the_same_files_again_adds_nothing(workbook, db, production, tmp_path):
    folder = folder_with(tmp_path, workbook=workbook)
    load(folder)
    counts = (ReportingPeriod.objects.count(), OutcomeMapping.objects.count())

    printed = load(folder)

    assert (ReportingPeriod.objects.count(), OutcomeMapping.objects.count()) == counts
    assert "0 nya, 0 ändrade" in printed
    assert "Kopplingar till Kolada: 0 nya, jämförelsegrupp G37393" in printed


def test_the_data_file_serves_as_well_as_the_workbook(db, production, tmp_path):
    load(folder_with(tmp_path, data_file=True))

    plan = BudgetPlan.objects.get(year=2026)
    assert ReportingPeriod.objects.filter(plan=plan).count() == 8


def test_a_wrong_mapping_file_saves_nothing_and_names_the_file(workbook, db, production, tmp_path):
    folder = folder_with(tmp_path, workbook=workbook, mappings=MAPPINGS[:1])
    (folder / "kolada-kopplingar.toml").write_text(
        '[[mappings]]\nindicator = "finns-inte"\nkpi = "N00310"\n', "utf-8"
    )
    err = StringIO()

    with pytest.raises(CommandError, match="Ingenting har ändrats"):
        call_command("load_municipality", str(folder), stdout=StringIO(), stderr=err)

    assert err.getvalue().startswith("kolada-kopplingar.toml: ")
    assert not BudgetPlan.objects.exists()


def test_a_workbook_and_a_data_file_for_the_same_year_are_refused(workbook, db, tmp_path):
    folder = folder_with(tmp_path, workbook=workbook, data_file=True)

    with pytest.raises(CommandError, match="både mal-och-budget-2026"):
        load(folder)

    assert not BudgetPlan.objects.exists()


def test_a_folder_without_a_budget_says_what_to_put_there(db, tmp_path):
    with pytest.raises(CommandError, match="Ingen budget i .*mal-och-budget-<år>.xlsx"):
        load(folder_with(tmp_path, mappings=()))


def test_the_demo_loads_the_municipalitys_files_the_same_way(db, tmp_path):
    """setup_demo --no-users is the production set-up of fixtures/: the mappings too (they
    used to come only with the demo users)."""
    call_command("setup_demo", "--no-users", stdout=StringIO())

    assert OutcomeMapping.objects.exists()
    assert KoladaMapping.objects.exists()
    assert not get_user_model().objects.exists()
