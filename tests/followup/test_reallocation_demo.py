"""The demo reallocations of `make run`: through the real workflow, labelled, loaded once."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from budget.loader import read_toml
from budget.models import FrameEntry
from followup.models import Reallocation
from followup.reallocations.demo import load_demo_reallocations

DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-omfordelningar-2026.toml"


@pytest.fixture
def demo_finance(finance_officer, finance_colleague):
    """The demo's two finance users: "ekonom" draws up, "ekonomichef" decides and applies."""
    finance_officer.username = "ekonom"
    finance_officer.save()
    finance_colleague.username = "ekonomichef"
    finance_colleague.save()
    return finance_officer


def test_the_demo_reallocations_go_through_the_workflow_and_are_labelled(plan, demo_finance):
    made = load_demo_reallocations(read_toml(DEMO), plan=plan)

    assert made == 3
    reallocations = list(Reallocation.objects.filter(plan=plan).order_by("number"))
    assert [(r.status, r.deciding_body) for r in reallocations] == [
        ("genomford", "kf"),
        ("beredd", "kf"),
        ("avslagen", "kf"),
    ]
    assert all(r.demo for r in reallocations)
    applied = FrameEntry.objects.filter(source__startswith="omfordelning-rad-")
    assert sorted((e.activity.code, e.amount) for e in applied) == [
        ("kommunstyrelsen", Decimal("1200000.00")),
        ("omsorgsnamnden", Decimal("-1200000.00")),
    ]
    assert {e.decided_on for e in applied} == {datetime.date(2026, 4, 27)}


def test_the_demo_reallocations_are_decided_and_applied_by_another_than_their_author(
    plan, demo_finance, finance_colleague
):
    load_demo_reallocations(read_toml(DEMO), plan=plan)

    applied = Reallocation.objects.get(plan=plan, number=1)
    assert (applied.created_by, applied.prepared_by) == (demo_finance, demo_finance)
    assert (applied.decision_recorded_by, applied.applied_by) == (
        finance_colleague,
        finance_colleague,
    )


def test_loading_the_demo_reallocations_twice_adds_nothing(plan, demo_finance):
    load_demo_reallocations(read_toml(DEMO), plan=plan)

    assert load_demo_reallocations(read_toml(DEMO), plan=plan) == 0
    assert Reallocation.objects.filter(plan=plan).count() == 3


def test_a_demo_reallocation_says_so_on_its_page(client, plan, demo_finance):
    load_demo_reallocations(read_toml(DEMO), plan=plan)
    client.force_login(demo_finance)

    detail = client.get(reverse("followup:reallocation", kwargs={"year": 2026, "number": 1}))
    listing = client.get(reverse("followup:reallocations", kwargs={"year": 2026}))

    assert "Demodata:" in detail.text
    assert "Demodata:" in listing.text
    assert "2026:1 (demo)" in listing.text
