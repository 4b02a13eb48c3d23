"""Loading a budget from data: idempotent, validated, and free of municipality code."""

import copy
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from budget.loader import PlanDataError, load_plan
from budget.models import Activity, BudgetPlan, Committee, FrameEntry, Municipality
from budget.reports.snapshot import ADOPTED, CURRENT


def refusal(data) -> str:
    """What ``load_plan`` says when it refuses ``data`` (it must refuse it): its errors, one a
    line."""
    with pytest.raises(PlanDataError) as error:
        load_plan(data)
    return "\n".join(error.value.errors)


def test_loading_twice_creates_nothing_new(plan, plan_data):
    frames_before = FrameEntry.objects.count()

    result = load_plan(plan_data)

    assert result.created == 0
    assert result.updated == 0
    assert FrameEntry.objects.count() == frames_before


def test_every_committee_starts_with_one_activity_and_finance_has_its_lines(plan):
    bildning = Committee.objects.get(code="bildningsnamnden")
    finance = Committee.objects.get(kind=Committee.Kind.FINANCE)

    assert bildning.activities.count() == 1
    assert list(finance.activities.values_list("code", flat=True)) == [
        "skatteintakter",
        "generella-bidrag-och-utjamning",
        "finansnetto",
        "gemensamma-kostnader",
        "avsatt-for-oforutsedda-kostnader",
    ]
    assert Committee.objects.get(code="politisk-utfordelning").kind == Committee.Kind.RESERVE


def test_amounts_are_stored_as_exact_kronor(plan):
    entry = FrameEntry.objects.get(
        activity__code="bildningsnamnden", budget_year__kind="budget", budget_year__year=2026
    )

    assert entry.amount == Decimal("-523300000.00")
    assert entry.kind == FrameEntry.Kind.ORIGINAL


def test_a_changed_figure_updates_only_that_figure(plan, plan_data):
    data = copy.deepcopy(plan_data)
    data["committees"][4]["activities"][0]["frames"]["budget-2026"] = Decimal("-524.0")

    result = load_plan(data)

    assert result.updated == 1
    assert result.created == 0
    entry = FrameEntry.objects.get(activity__code="bildningsnamnden", budget_year__year=2026)
    assert entry.amount == Decimal("-524000000.00")


def test_invalid_data_is_refused_with_swedish_errors_and_nothing_is_written(db, plan_data):
    data = copy.deepcopy(plan_data)
    data["committees"][0]["activities"][0]["frames"]["budget-2099"] = Decimal(1)
    data["committees"][1]["activities"][0]["frames"]["budget-2026"] = "tjugo"
    data["committees"][2]["kind"] = "bolag"

    messages = refusal(data)

    assert "kolumnen ”budget-2099” finns inte" in messages
    assert "”tjugo” är inte ett belopp" in messages
    assert "okänt slag ”bolag”" in messages
    assert not BudgetPlan.objects.exists()
    assert not Committee.objects.exists()


def test_another_municipality_with_other_committees_loads_without_code_changes(db):
    data = {
        "municipality": {"name": "Exempelby kommun", "kolada_id": "9999"},
        "plan": {"year": 2027, "title": "Budget 2027", "unit": "tkr"},
        "years": [{"year": 2027, "kind": "budget", "status": "faststalld"}],
        "committees": [
            {
                "code": "tekniska-namnden",
                "name": "Tekniska nämnden",
                "kind": "namnd",
                "activities": [
                    {"code": "gata", "name": "Gata och park", "frames": {"budget-2027": -1500}},
                    {"code": "va", "name": "Vatten", "frames": {"budget-2027": Decimal("-250.5")}},
                ],
            },
            {
                "code": "finans",
                "name": "Finansförvaltningen",
                "kind": "finans",
                "activities": [
                    {
                        "code": "skatt",
                        "name": "Skatt",
                        "tax_base": True,
                        "frames": {"budget-2027": 1800},
                    }
                ],
            },
        ],
    }

    load_plan(data)

    assert Municipality.objects.get().name == "Exempelby kommun"
    assert Activity.objects.filter(committee__code="tekniska-namnden").count() == 2
    va = FrameEntry.objects.get(activity__code="va")
    assert va.amount == Decimal("-250500.00")


def test_an_activity_has_only_one_adopted_frame_per_year(plan):
    entry = FrameEntry.objects.filter(kind=FrameEntry.Kind.ORIGINAL).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        FrameEntry.objects.create(
            activity=entry.activity,
            budget_year=entry.budget_year,
            kind=FrameEntry.Kind.ORIGINAL,
            amount=Decimal(1),
        )


def test_current_frame_is_the_adopted_frame_plus_decided_changes(plan):
    from budget.reports.snapshot import PlanSnapshot

    entry = FrameEntry.objects.get(activity__code="omsorgsnamnden", budget_year__year=2026)
    FrameEntry.objects.create(
        activity=entry.activity,
        budget_year=entry.budget_year,
        kind=FrameEntry.Kind.CHANGE,
        amount=Decimal("-2000000"),
        decision="KF 2026-04-27 § 45",
    )

    snapshot = PlanSnapshot(plan)

    assert snapshot.activity_frame(entry.activity, "budget-2026", ADOPTED) == Decimal(
        "-534100000.00"
    )
    assert snapshot.activity_frame(entry.activity, "budget-2026", CURRENT) == Decimal(
        "-536100000.00"
    )
    assert snapshot.activity_frame(entry.activity, "budget-2026") == Decimal("-534100000.00")


def test_a_fresh_load_reports_everything_as_created(db, plan_data):
    result = load_plan(plan_data)

    assert result.updated == 0
    assert result.unchanged == 0
    assert result.created > 300


def test_a_subtotal_cannot_sum_itself(db, plan_data):
    data = copy.deepcopy(plan_data)
    lines = data["statements"][0]["lines"]
    subtotal = next(line for line in lines if line.get("type") == "summa")
    subtotal["sum"] = [*subtotal["sum"], subtotal["code"]]

    with pytest.raises(PlanDataError) as error:
        load_plan(data)

    assert f"summan avser ”{subtotal['code']}”, som inte står ovanför" in error.value.errors[0]


def test_unknown_statuses_units_and_methods_are_refused_before_the_database(db, plan_data):
    data = copy.deepcopy(plan_data)
    data["years"][0]["status"] = "okand"
    data["facts"][0]["unit"] = "liter"
    data["goals"][0]["indicators"][0]["direction"] = "upp"
    data["statements"][0]["lines"][0]["reference_sign"] = 2

    messages = refusal(data)

    assert "okänt värde ”okand” för status" in messages
    assert "okänt värde ”liter” för enhet" in messages
    assert "okänt värde ”upp” för önskad riktning" in messages
    assert "okänt värde ”2” för tecken mot referens" in messages
