"""Inputs that once made the application answer 500 (issue 17): each is now refused with a
Swedish message (a form error, 400 or 404), and nothing reaches the database that it
cannot hold."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.forms import UserCreateForm, id_in_range
from budget.loader import read_toml
from budget.models import Committee
from followup.goals.kolada.client import KoladaError, parse_saved
from followup.goals.kolada.mappings import load_kolada_mappings
from followup.models import (
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    KoladaMapping,
    Report,
    ReportingPeriod,
)
from tests.followup.periods import period_of

# Integers no id column holds, and texts that are no integer at all.
ABSURD_IDS = ["-99999999999999999999", "99999999999999999999", "9223372036854775808"]
NO_IDS = ["NaN", "inf", "1e999", "-1", "0", "abc", "1.5", ""]


@pytest.fixture
def no_500(client):
    """The test client answers an exception with the 500 page instead of raising it."""
    client.raise_request_exception = False
    return client


# --- 1. Absurd integers in the multi-selects of the user form and the group form ----------


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_an_id_the_database_cannot_hold_is_no_id(value):
    assert id_in_range(value, Committee) is None


def test_an_id_in_range_is_read_as_an_integer():
    assert id_in_range(" 42 ", Committee) == 42
    assert id_in_range(str(2**63 - 1), Committee) == 2**63 - 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ABSURD_IDS)
def test_user_form_refuses_an_absurd_committee_id_before_any_query(
    value, django_assert_num_queries
):
    form = UserCreateForm(
        data={
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.se",
            "roles": ["controller"],
            "committees": [value],
            "reason": "Ärende KS 2026/1",
        }
    )

    # Only the username's look-up: the committees are refused before theirs.
    with django_assert_num_queries(1):
        assert not form.is_valid()
    assert form.errors["committees"] == [f"”{value}” är ingen nämnd."]


@pytest.mark.parametrize("value", ABSURD_IDS)
def test_user_page_shows_a_form_error_for_an_absurd_committee_id(no_500, administrator, value):
    no_500.force_login(administrator)
    real = Committee.objects.committees_total().first().pk

    response = no_500.post(
        reverse("budget:user_create"),
        {
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.se",
            "roles": ["controller"],
            "committees": [str(real), value],
            "reason": "Ärende KS 2026/1",
        },
    )

    assert response.status_code == 200
    assert "är ingen nämnd" in response.text
    assert not Group.objects.filter(user__username="ny").exists()


@pytest.mark.parametrize("value", ABSURD_IDS)
def test_admin_group_form_shows_a_form_error_for_an_absurd_permission_id(
    no_500, plan, django_user_model, value
):
    no_500.force_login(django_user_model.objects.create_superuser("su", password="pw-1-test"))
    real = Permission.objects.first().pk

    response = no_500.post(
        reverse("admin:auth_group_add"), {"name": "Ny grupp", "permissions": [str(real), value]}
    )

    assert response.status_code == 200
    assert "är inte ett giltigt värde" in response.text
    assert not Group.objects.filter(name="Ny grupp").exists()


# --- 2. The return address of a report's POST --------------------------------------------


def report_url(code="bildningsnamnden"):
    return reverse("followup:report", kwargs={"year": 2026, "month": 3, "code": code})


@pytest.fixture
def march_open(plan):
    return period_of(plan, 3, ReportingPeriod.Status.OPEN)


@pytest.mark.parametrize(
    "target",
    [
        "x",
        "rapport",
        "javascript:alert(1)",
        "//example.org/",
        "/\\example.org",
        "https://example.org/",
    ],
)
def test_a_report_post_with_a_return_address_off_the_site_comes_back_to_the_report(
    no_500, march_open, bildning_controller, target
):
    no_500.force_login(bildning_controller)

    response = no_500.post(report_url(), {"action": "starta", "next": target})

    assert response.status_code == 302
    assert response.url == report_url()
    assert Report.objects.filter(committee__code="bildningsnamnden", period=march_open).exists()


def test_a_report_post_with_a_path_on_the_site_returns_there(
    no_500, march_open, bildning_controller
):
    no_500.force_login(bildning_controller)
    back = reverse("followup:review", kwargs={"year": 2026, "month": 3}) + "?visa=alla"

    response = no_500.post(report_url(), {"action": "starta", "next": back})

    assert response.status_code == 302
    assert response.url == back


# --- 3. Ids that are no ids on the Kolada page and the goal-analysis page -----------------


@pytest.fixture
def kolada_mappings(plan):
    load_kolada_mappings(
        plan=plan,
        data=read_toml(
            Path(settings.BASE_DIR) / "fixtures" / "hedemora" / "kolada-kopplingar.toml"
        ),
    )
    assert KoladaMapping.objects.filter(active=True).exists()


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_stopping_a_kolada_mapping_by_no_id_is_404_and_changes_nothing(
    no_500, kolada_mappings, finance_officer, value
):
    no_500.force_login(finance_officer)
    active = set(KoladaMapping.objects.filter(active=True))

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}),
        {"action": "sluta-anvanda", "mapping": value},
    )

    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
    assert set(KoladaMapping.objects.filter(active=True)) == active


@pytest.mark.parametrize("value", [*ABSURD_IDS, *NO_IDS])
def test_entering_an_indicator_by_no_id_on_the_goal_analysis_is_a_swedish_400(
    no_500, plan, finance_officer, value
):
    period_of(plan, 8, ReportingPeriod.Status.OPEN)
    no_500.force_login(finance_officer)

    response = no_500.post(
        reverse("followup:goal_analysis", kwargs={"year": 2026, "month": 8}),
        {"nyckeltal": value, "procent": "23,4"},
    )

    assert response.status_code == 400
    assert "Nyckeltalet finns inte" in response.text
    assert not FinancialIndicatorValue.objects.exists()


@pytest.mark.parametrize("value", [*ABSURD_IDS, "NaN", "inf", "1e999", "abc"])
def test_a_goal_analysis_for_no_goal_is_a_swedish_400(no_500, plan, finance_officer, value):
    period_of(plan, 8, ReportingPeriod.Status.OPEN)
    no_500.force_login(finance_officer)

    response = no_500.post(
        reverse("followup:goal_analysis", kwargs={"year": 2026, "month": 8}),
        {"goal": value, "text": "Analys", "row_version": value},
    )

    assert response.status_code == 400
    assert not GoalAnalysis.objects.exists()


# --- 4. A Kolada file nested deeper than the parser goes ---------------------------------


@pytest.mark.parametrize("content", ["[" * 100_000, b"[" * 100_000, '{"values": ' * 100_000])
def test_a_kolada_file_nested_thousands_deep_is_refused_in_swedish(content):
    with pytest.raises(KoladaError, match="Filen är för djupt nästlad"):
        parse_saved(content)


def test_kolada_page_refuses_a_deeply_nested_file_with_400(no_500, plan, finance_officer):
    no_500.force_login(finance_officer)
    upload = SimpleUploadedFile("kolada.json", b"[" * 100_000, content_type="application/json")

    response = no_500.post(
        reverse("followup:kolada", kwargs={"year": 2026}), {"action": "fil", "file": upload}
    )

    assert response.status_code == 400
    assert "Filen är för djupt nästlad" in response.text
    assert not IndicatorValue.objects.exists()
