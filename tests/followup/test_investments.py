"""Investment projects: what counts as an investment, the budget per committee and year, the
follow-up per period, and carry-over of unspent budget (överflyttade medel) that only a
decision of kommunfullmäktige makes count.

The rules are the domain's (followup/investments/projects.py) and the database's own constraints;
every change writes its audit entries with the person who made it.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budget.loader import read_toml
from budget.models import AuditEntry, Committee, InvestmentLine, StatedFigure
from budget.money import kronor_to_mkr
from followup.investments.demo import load_demo_investments
from followup.investments.figures import follow_up
from followup.investments.projects import (
    InvestmentError,
    create_project,
    decide_carry_over,
    propose_carry_over,
    record_follow_ups,
    unspent,
    update_project,
)
from followup.models import (
    CarryOver,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
    ReportingPeriod,
)
from tests.followup.investments import (
    DEMO,
    MKR,
    SUMMA_INVESTERINGAR_2026,
    TKR,
    actor,
    entries_since,
    last_entry_id,
    new_project,
    record_follow_up,
)

# The council's decision on a carry-over from 2025, and the day it is recorded.
KF_DECISION = datetime.date(2026, 3, 30)
TODAY = datetime.date(2026, 4, 2)


def committee(code):
    return Committee.objects.get(code=code)


def change_status(project, status, *, reason, by):
    return update_project(
        project=project, values={"status": status}, budgets={}, reason=reason, actor=actor(by)
    )


@pytest.fixture
def project(finance_officer):
    """Bildningsnämnden's school furniture: 800 tkr in all, 600 tkr of it in 2026."""
    return new_project(finance_officer, name="Skolmöbler")


def set_status(period, status):
    period.status = status
    period.save(update_fields=["status"])
    return period


# --- What counts as an investment --------------------------------------------------------


def test_finance_creates_a_project_with_its_total_budget_and_budget_per_year(plan, finance_officer):
    before = last_entry_id()

    project = new_project(
        finance_officer,
        total_budget=Decimal("1500000.00"),
        budgets={2026: Decimal("900000.00"), 2027: Decimal("600000.00")},
    )

    project.refresh_from_db()
    assert project.plan == plan
    assert project.committee.code == "bildningsnamnden"
    assert project.total_budget == Decimal("1500000.00")
    assert project.status == InvestmentProject.Status.PLANNED
    assert project.created_by == finance_officer
    assert dict(project.budgets.values_list("year", "amount")) == {
        2026: Decimal("900000.00"),
        2027: Decimal("600000.00"),
    }
    entries = entries_since(before)
    assert [(e.action, e.content_type.model) for e in entries] == [
        ("skapad", "investmentproject"),
        ("skapad", "projectbudget"),
        ("skapad", "projectbudget"),
    ]
    assert {(e.user, e.area, e.committee.code) for e in entries} == {
        (finance_officer, "investeringar", "bildningsnamnden")
    }


def test_an_investment_of_exactly_100_000_kr_and_three_years_is_accepted(plan, finance_officer):
    project = new_project(finance_officer, total_budget=Decimal("100000"), life_years=3, budgets={})

    assert InvestmentProject.objects.get(pk=project.pk).total_budget == Decimal("100000")


@pytest.mark.parametrize(
    ("total", "life", "reasons"),
    [
        (
            Decimal("99999.99"),
            10,
            ["En investering ska uppgå till minst 100 000 kr; 99 999,99 kr är driftkostnad."],
        ),
        (Decimal("500000"), 2, ["En investering ska ha en livslängd om minst 3 år."]),
        (
            Decimal("50000"),
            1,
            [
                "En investering ska uppgå till minst 100 000 kr; 50 000 kr är driftkostnad.",
                "En investering ska ha en livslängd om minst 3 år.",
            ],
        ),
    ],
    ids=["under 100 000 kr", "life under three years", "both"],
)
def test_operating_cost_is_refused_as_an_investment_with_the_reason_and_nothing_is_saved(
    plan, finance_officer, total, life, reasons
):
    before = last_entry_id()

    with pytest.raises(InvestmentError) as refused:
        new_project(finance_officer, total_budget=total, life_years=life, budgets={})

    assert [m.replace("\u00a0", " ") for m in refused.value.messages] == reasons
    assert not InvestmentProject.objects.exists()
    assert entries_since(before) == []


def test_a_municipality_with_a_lower_limit_records_a_smaller_investment(plan, finance_officer):
    """The database holds no municipality's limit: the plan's own rule decides."""
    plan.facts.filter(code="investering-minsta-belopp").update(value=Decimal(50_000))

    project = new_project(finance_officer, total_budget=Decimal("60000"), life_years=3, budgets={})

    assert InvestmentProject.objects.get(pk=project.pk).total_budget == Decimal("60000")


def test_without_the_plans_own_rule_no_project_is_created_and_finance_is_told_why(
    plan, finance_officer
):
    plan.facts.filter(code__startswith="investering-minsta").delete()

    with pytest.raises(
        InvestmentError, match="Planen anger inte vad som räknas som en investering"
    ):
        new_project(finance_officer, total_budget=Decimal("500000"), life_years=10, budgets={})

    assert not InvestmentProject.objects.exists()


def test_a_change_that_makes_a_project_operating_cost_is_refused(plan, project, finance_officer):
    with pytest.raises(InvestmentError, match="livslängd om minst 3 år"):
        update_project(
            project=project,
            values={"life_years": 2},
            budgets={},
            reason="Kortare livslängd",
            actor=actor(finance_officer),
        )

    project.refresh_from_db()
    assert project.life_years == 10


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("total_budget", Decimal("0"), "investment_project_positive_amount"),
        ("life_years", 0, "investment_project_positive_life"),
    ],
)
def test_the_database_refuses_an_investment_of_nothing_whatever_the_plans_rule(
    plan, finance_officer, field, value, constraint
):
    row = {
        "plan": plan,
        "committee": committee("bildningsnamnden"),
        "code": "X-1",
        "name": "Inköp som inte är en investering",
        "total_budget": Decimal("500000"),
        "life_years": 10,
        "responsible": "Någon",
        "created_at": datetime.datetime(2026, 1, 15, 10, tzinfo=datetime.UTC),
    } | {field: value}

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        InvestmentProject.objects.create(**row)

    assert not InvestmentProject.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("total_budget", Decimal("0"), "En investering ska ha en budget över 0 kr."),
        ("life_years", 0, "En investering ska ha en livslängd över 0 år."),
    ],
)
def test_the_database_constraint_gives_the_swedish_reason(plan, field, value, message):
    project = InvestmentProject(
        plan=plan,
        committee=committee("bildningsnamnden"),
        code="X-1",
        name="Inköp",
        total_budget=Decimal("500000"),
        life_years=10,
        responsible="Någon",
    )
    setattr(project, field, value)

    with pytest.raises(ValidationError) as refused:
        project.validate_constraints()

    assert refused.value.messages == [message]


def test_the_budget_per_year_cannot_exceed_the_total_budget(plan, finance_officer):
    with pytest.raises(InvestmentError) as refused:
        new_project(
            finance_officer,
            total_budget=Decimal(800) * TKR,
            budgets={2026: Decimal(600) * TKR, 2027: Decimal(300) * TKR},
        )

    assert refused.value.errors[0][0] == "budgets"
    assert "sammanlagt 900" in refused.value.messages[0]
    assert not InvestmentProject.objects.exists()
    assert not ProjectBudget.objects.exists()


def test_a_budget_for_a_year_outside_the_plan_is_refused(plan, finance_officer):
    with pytest.raises(InvestmentError, match="Budget kan bara anges för åren 2026, 2027 och 2028"):
        new_project(finance_officer, budgets={2030: Decimal(100) * TKR})

    assert not InvestmentProject.objects.exists()


def test_a_project_number_is_unique_in_the_plan_whatever_the_case(plan, project, finance_officer):
    with pytest.raises(InvestmentError, match="Projektnummer bn-t1 finns redan"):
        new_project(finance_officer, code="bn-t1")

    assert InvestmentProject.objects.count() == 1


def test_a_project_cannot_use_another_committees_line(plan, finance_officer):
    with pytest.raises(
        InvestmentError, match="Posten i investeringsbudgeten hör inte till nämnden"
    ):
        new_project(finance_officer, line=InvestmentLine.objects.get(code="omsorgsnamnden"))

    assert not InvestmentProject.objects.exists()


def test_only_a_committee_has_investment_projects(plan, finance_officer):
    with pytest.raises(InvestmentError, match="hör till en av kommunens nämnder"):
        create_project(
            plan=plan,
            committee=committee("finansforvaltningen"),
            values={
                "code": "F-1",
                "name": "Något",
                "total_budget": Decimal(500) * TKR,
                "life_years": 5,
                "responsible": "Ekonomichef",
            },
            budgets={},
            actor=actor(finance_officer),
        )

    assert not InvestmentProject.objects.exists()


# --- Changing a project --------------------------------------------------------------------


def test_a_change_of_the_budget_is_recorded_with_the_reason_old_and_new_value(
    plan, project, finance_officer
):
    before = last_entry_id()

    changed = update_project(
        project=project,
        values={"total_budget": Decimal(900) * TKR},
        budgets={2026: Decimal(700) * TKR},
        reason="Anbuden blev dyrare",
        actor=actor(finance_officer),
    )

    assert changed == ["total_budget", "budget 2026"]
    project.refresh_from_db()
    assert project.total_budget == Decimal(900) * TKR
    assert project.budgets.get(year=2026).amount == Decimal(700) * TKR
    entries = entries_since(before)
    assert [(e.action, e.field, Decimal(e.old_value), Decimal(e.new_value)) for e in entries] == [
        ("andrad", "total budget (kr)", Decimal(800) * TKR, Decimal(900) * TKR),
        ("andrad", "budget (kr)", Decimal(600) * TKR, Decimal(700) * TKR),
    ]
    assert {(e.user, e.reason) for e in entries} == {(finance_officer, "Anbuden blev dyrare")}


def test_a_change_of_budget_without_a_reason_is_refused_and_nothing_changes(
    plan, project, finance_officer
):
    before = last_entry_id()

    with pytest.raises(InvestmentError, match="Skriv varför budgeten"):
        update_project(
            project=project,
            values={"total_budget": Decimal(900) * TKR},
            budgets={},
            actor=actor(finance_officer),
        )

    project.refresh_from_db()
    assert project.total_budget == Decimal(800) * TKR
    assert entries_since(before) == []


def test_a_name_may_change_without_a_reason_and_an_unchanged_save_writes_nothing(
    plan, project, finance_officer
):
    before = last_entry_id()

    renamed = update_project(
        project=project,
        values={"name": "Skolmöbler etapp 1"},
        budgets={2026: Decimal(600) * TKR},
        actor=actor(finance_officer),
    )
    unchanged = update_project(
        project=project,
        values={"name": "Skolmöbler etapp 1"},
        budgets={2026: Decimal(600) * TKR},
        actor=actor(finance_officer),
    )

    assert (renamed, unchanged) == (["name"], [])
    assert [(e.field, e.old_value, e.new_value) for e in entries_since(before)] == [
        ("projekt", "Skolmöbler", "Skolmöbler etapp 1")
    ]


def test_an_emptied_year_keeps_its_row_with_zero(plan, project, finance_officer):
    update_project(
        project=project,
        values={},
        budgets={2026: None},
        reason="Skjuts upp",
        actor=actor(finance_officer),
    )

    assert project.budgets.get(year=2026).amount == 0


def test_a_project_moves_forward_and_a_cancellation_is_recorded_as_such(
    plan, project, finance_officer
):
    before = last_entry_id()

    change_status(
        project, InvestmentProject.Status.ONGOING, reason="Upphandlat", by=finance_officer
    )
    change_status(
        project, InvestmentProject.Status.CANCELLED, reason="Behovet försvann", by=finance_officer
    )

    project.refresh_from_db()
    assert project.status == InvestmentProject.Status.CANCELLED
    assert [(e.action, e.old_value, e.new_value) for e in entries_since(before)] == [
        ("andrad", "Planerad", "Pågår"),
        ("makulerad", "Pågår", "Avbruten"),
    ]
    assert InvestmentProject.objects.filter(pk=project.pk).exists()  # cancelled, never deleted


def test_a_finished_project_cannot_be_reopened(plan, finance_officer):
    finished = new_project(finance_officer, status=InvestmentProject.Status.FINISHED)

    with pytest.raises(InvestmentError, match="Ett projekt som är avslutad kan inte bli pågår"):
        change_status(finished, InvestmentProject.Status.ONGOING, reason="Fel", by=finance_officer)

    finished.refresh_from_db()
    assert finished.status == InvestmentProject.Status.FINISHED


# --- Follow-up per period --------------------------------------------------------------------


def test_a_controller_records_outcome_and_forecast_of_the_committees_project(
    plan, project, march, bildning, bildning_controller
):
    before = last_entry_id()

    saved = record_follow_ups(
        committee=bildning,
        period=march,
        values={project.pk: (Decimal(100) * TKR, Decimal(550) * TKR, "Enligt plan")},
        actor=actor(bildning_controller),
    )

    assert len(saved) == 1
    recorded = ProjectFollowUp.objects.get(project=project, period=march)
    assert (recorded.outcome, recorded.forecast, recorded.comment) == (
        Decimal(100) * TKR,
        Decimal(550) * TKR,
        "Enligt plan",
    )
    assert recorded.recorded_by == bildning_controller
    entries = entries_since(before)
    assert [(e.action, e.content_type.model, e.user) for e in entries] == [
        ("skapad", "projectfollowup", bildning_controller)
    ]


def test_a_changed_follow_up_writes_one_entry_per_changed_figure(
    plan, project, march, bildning, bildning_controller
):
    record_follow_up(
        project, march, bildning_controller, outcome=Decimal(100) * TKR, forecast=Decimal(550) * TKR
    )
    before = last_entry_id()

    record_follow_ups(
        committee=bildning,
        period=march,
        values={project.pk: (Decimal(100) * TKR, Decimal(500) * TKR, "Billigare")},
        actor=actor(bildning_controller),
    )

    forecast, comment = entries_since(before)
    assert (forecast.field, Decimal(forecast.old_value), Decimal(forecast.new_value)) == (
        "helårsprognos (kr)",
        Decimal(550) * TKR,
        Decimal(500) * TKR,
    )
    assert (comment.field, comment.old_value, comment.new_value) == ("kommentar", "", "Billigare")
    assert ProjectFollowUp.objects.get(project=project).forecast == Decimal(500) * TKR


@pytest.mark.parametrize(
    ("outcome", "forecast", "message"),
    [
        (Decimal(300) * TKR, Decimal(200) * TKR, "kan inte vara lägre än utfallet hittills"),
        (Decimal(100) * TKR, None, "perioden efterfrågar en helårsprognos"),
        (None, Decimal(500) * TKR, "utfallet hittills saknas"),
        (Decimal(-1) * TKR, Decimal(500) * TKR, "utfallet kan inte vara negativt"),
    ],
    ids=["forecast below outcome", "no forecast", "no outcome", "negative outcome"],
)
def test_a_follow_up_the_rules_refuse_is_not_saved(
    plan, project, march, bildning, bildning_controller, outcome, forecast, message
):
    before = last_entry_id()

    with pytest.raises(InvestmentError, match=message):
        record_follow_ups(
            committee=bildning,
            period=march,
            values={project.pk: (outcome, forecast, "")},
            actor=actor(bildning_controller),
        )

    assert not ProjectFollowUp.objects.exists()
    assert entries_since(before) == []


def test_a_month_without_forecast_takes_the_outcome_alone(
    plan, project, april, bildning, bildning_controller
):
    record_follow_ups(
        committee=bildning,
        period=april,
        values={project.pk: (Decimal(120) * TKR, None, "")},
        actor=actor(bildning_controller),
    )

    assert ProjectFollowUp.objects.get(project=project).forecast is None


def test_another_committees_project_cannot_be_followed_up_under_ones_own(
    plan, project, march, finance_officer, omsorg_controller
):
    omsorg = committee("omsorgsnamnden")

    with pytest.raises(InvestmentError, match="Projektet hör inte till nämnden"):
        record_follow_ups(
            committee=omsorg,
            period=march,
            values={project.pk: (Decimal(100) * TKR, Decimal(600) * TKR, "")},
            actor=actor(omsorg_controller),
        )

    assert not ProjectFollowUp.objects.exists()


def test_a_closed_period_is_corrected_by_finance_only(
    plan, project, march, bildning, bildning_controller, finance_officer
):
    set_status(march, ReportingPeriod.Status.CLOSED)
    figures = {"outcome": Decimal(100) * TKR, "forecast": Decimal(600) * TKR}

    with pytest.raises(InvestmentError, match="bara ekonomiavdelningen kan rätta"):
        record_follow_up(project, march, bildning_controller, **figures)
    assert not ProjectFollowUp.objects.exists()

    record_follow_up(project, march, finance_officer, **figures)

    assert ProjectFollowUp.objects.get(project=project).recorded_by == finance_officer


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ReportingPeriod.Status.PLANNED, "Perioden är inte öppnad ännu"),
        (ReportingPeriod.Status.PUBLISHED, "Perioden är publicerad"),
    ],
)
def test_nobody_records_a_follow_up_in_a_planned_or_published_period(
    plan, project, march, bildning, finance_officer, status, message
):
    set_status(march, status)

    with pytest.raises(InvestmentError, match=message):
        record_follow_up(
            project, march, finance_officer, outcome=Decimal(100) * TKR, forecast=Decimal(600) * TKR
        )

    assert not ProjectFollowUp.objects.exists()


# --- Figures: budget, forecast, deviation ------------------------------------------------------


def test_a_committees_investment_budget_is_the_sum_of_its_projects(plan, finance_officer):
    first = new_project(finance_officer, code="BN-T1", budgets={2026: Decimal(600) * TKR})
    second = new_project(
        finance_officer,
        code="BN-T2",
        total_budget=Decimal(2) * MKR,
        budgets={2026: Decimal(1_250) * TKR, 2027: Decimal(750) * TKR},
    )

    figures = follow_up(plan=plan)

    bildning = next(c for c in figures.committees if c.committee.code == "bildningsnamnden")
    assert [p.project for p in bildning.projects] == [first, second]
    assert bildning.budget == Decimal(600) * TKR + Decimal(1_250) * TKR
    adopted = plan.investment_lines.get(code="bildningsnamnden").amounts.get(
        budget_year__year=2026, budget_year__kind="budget"
    )
    assert bildning.adopted == adopted.amount
    assert bildning.difference == bildning.budget - adopted.amount
    assert bildning in figures.differing


def test_a_project_without_forecast_counts_its_budget_and_says_so(plan, project, march):
    figures = follow_up(plan=plan, period=march).committees

    row = next(c for c in figures if c.committee.code == "bildningsnamnden")
    (only,) = row.projects
    assert only.estimated
    assert only.forecast == only.budget_incl == Decimal(600) * TKR
    assert only.deviation == 0
    assert row.estimated == [only]


def test_the_figures_as_of_a_period_take_each_projects_latest_follow_up(
    plan, project, march, april, august, bildning, bildning_controller
):
    for period, outcome, forecast in [
        (march, 100 * TKR, 600 * TKR),
        (april, 180 * TKR, None),
        (august, 420 * TKR, 650 * TKR),
    ]:
        record_follow_up(project, period, bildning_controller, outcome=outcome, forecast=forecast)

    as_of_march = follow_up(plan=plan, period=march, project=project).total.projects[0]
    as_of_april = follow_up(plan=plan, period=april, project=project).total.projects[0]
    as_of_august = follow_up(plan=plan, period=august, project=project).total.projects[0]

    assert (as_of_march.outcome, as_of_march.forecast) == (100 * TKR, 600 * TKR)
    assert (as_of_april.outcome, as_of_april.forecast) == (180 * TKR, 600 * TKR)
    assert as_of_april.forecast_period == march
    assert (as_of_august.outcome, as_of_august.forecast) == (420 * TKR, 650 * TKR)
    # avvikelse = budget inkl. överflyttade medel − prognos: an overspend is negative.
    assert as_of_august.deviation == Decimal(600) * TKR - Decimal(650) * TKR


def test_the_default_period_is_the_latest_with_a_recorded_forecast(
    plan, project, march, august, bildning, bildning_controller
):
    record_follow_up(
        project, march, bildning_controller, outcome=Decimal(100) * TKR, forecast=Decimal(600) * TKR
    )

    assert follow_up(plan=plan).period == march


def test_the_total_is_the_sum_of_the_committees_and_each_committee_the_sum_of_its_projects(
    plan, finance_officer, march, bildning_controller, omsorg_controller
):
    bn = new_project(finance_officer, code="BN-T1", budgets={2026: Decimal(600) * TKR})
    on = new_project(
        finance_officer,
        code="ON-T1",
        committee_code="omsorgsnamnden",
        total_budget=Decimal(1_400) * TKR,
        budgets={2026: Decimal(1_400) * TKR},
    )
    new_project(finance_officer, code="ON-T2", committee_code="omsorgsnamnden", budgets={})
    record_follow_up(
        bn, march, bildning_controller, outcome=Decimal(100) * TKR, forecast=Decimal(650) * TKR
    )
    record_follow_up(
        on, march, omsorg_controller, outcome=Decimal(300) * TKR, forecast=Decimal(1_200) * TKR
    )

    figures = follow_up(plan=plan, period=march)

    for row in figures.committees:
        assert row.budget == sum((p.budget for p in row.projects), Decimal(0))
        assert row.forecast == sum((p.forecast for p in row.projects), Decimal(0))
        assert row.deviation == row.budget_incl - row.forecast
    for name in ("budget", "carried", "budget_incl", "forecast", "deviation"):
        assert getattr(figures.total, name) == sum(
            (getattr(row, name) for row in figures.committees), Decimal(0)
        ), name
    assert figures.total.outcome == Decimal(100) * TKR + Decimal(300) * TKR
    assert figures.total.budget == Decimal(600) * TKR + Decimal(1_400) * TKR
    assert figures.total.deviation == (Decimal(600) - 650 + 1_400 - 1_200) * TKR


def test_the_adopted_investment_budget_2026_adds_up_to_the_documents_45_2_mkr(plan):
    figures = follow_up(plan=plan)

    assert kronor_to_mkr(figures.total.adopted) == SUMMA_INVESTERINGAR_2026
    stated = StatedFigure.objects.get(
        plan=plan,
        table="investeringsbudget",
        row="summa-investeringar",
        budget_year__year=2026,
        budget_year__kind="budget",
    )
    assert kronor_to_mkr(stated.value) == SUMMA_INVESTERINGAR_2026
    assert figures.total.plan == {
        2027: Decimal("66.9") * MKR,
        2028: Decimal("99.3") * MKR,
    }


def test_the_demo_projects_add_up_to_each_committees_adopted_budget_and_to_45_2_mkr(plan):
    load_demo_investments(read_toml(DEMO), plan=plan)

    figures = follow_up(plan=plan)

    assert figures.differing == []
    assert kronor_to_mkr(figures.total.budget) == SUMMA_INVESTERINGAR_2026
    assert figures.total.budget == figures.total.adopted


# --- Carry-over (överflyttade medel) ------------------------------------------------------------


def proposal(project, user, *, from_year=2025, amount=Decimal(200) * TKR, now=None):
    return propose_carry_over(
        project=project,
        from_year=from_year,
        amount=amount,
        reason="Upphandlingen försenades",
        actor=actor(user),
        now=now,
    )


def decide(carry_over, user, *, approved=True, decided_on=KF_DECISION, paragraph="§ 41"):
    return decide_carry_over(
        carry_over=carry_over,
        approved=approved,
        decided_on=decided_on,
        paragraph=paragraph,
        actor=actor(user),
        today=TODAY,
    )


def project_figures(plan, project):
    return follow_up(plan=plan, project=project).total.projects[0]


def test_a_proposed_carry_over_is_recorded_but_does_not_count(plan, project, finance_officer):
    before = last_entry_id()

    carry_over = proposal(project, finance_officer)

    carry_over.refresh_from_db()
    assert (carry_over.status, carry_over.from_year, carry_over.to_year) == ("forslag", 2025, 2026)
    assert carry_over.proposed_by == finance_officer
    figures = project_figures(plan, project)
    assert (figures.budget, figures.carried) == (Decimal(600) * TKR, 0)
    entries = entries_since(before)
    assert [(e.action, e.content_type.model, e.user) for e in entries] == [
        ("skapad", "carryover", finance_officer)
    ]
    assert entries[0].reason == "Upphandlingen försenades"


def test_a_carry_over_kf_decided_counts_in_its_own_column_beside_the_budget(
    plan, project, finance_officer
):
    carry_over = proposal(project, finance_officer)
    before = last_entry_id()

    decide(carry_over, finance_officer)

    carry_over.refresh_from_db()
    assert carry_over.status == CarryOver.Status.DECIDED
    assert (carry_over.decided_on, carry_over.decision_paragraph) == (KF_DECISION, "§ 41")
    assert carry_over.decision == "KF 2026-03-30 § 41"
    assert carry_over.decision_recorded_by == finance_officer
    figures = project_figures(plan, project)
    assert figures.budget == Decimal(600) * TKR  # budget excl. överflyttade medel
    assert figures.carried == Decimal(200) * TKR
    assert figures.budget_incl == Decimal(800) * TKR
    entries = entries_since(before)
    assert [(e.action, e.field, e.old_value, e.new_value, e.reason, e.user) for e in entries] == [
        ("andrad", "status", "Förslag", "Beslutad", "KF 2026-03-30 § 41", finance_officer)
    ]


def test_a_rejected_carry_over_is_kept_does_not_count_and_may_be_proposed_anew(
    plan, project, finance_officer
):
    rejected = decide(proposal(project, finance_officer), finance_officer, approved=False)

    again = proposal(project, finance_officer, amount=Decimal(100) * TKR)

    rejected.refresh_from_db()
    assert rejected.status == CarryOver.Status.REJECTED
    assert rejected.decision == "KF 2026-03-30 § 41"
    assert again.status == CarryOver.Status.PROPOSED
    assert CarryOver.objects.filter(project=project).count() == 2
    assert project_figures(plan, project).carried == 0


def test_a_carry_over_out_of_the_plan_year_counts_in_next_years_budget_not_this(
    plan, project, finance_officer
):
    decide(proposal(project, finance_officer, from_year=2026), finance_officer)

    assert project_figures(plan, project).carried == 0
    assert CarryOver.objects.decided().into_year(2027).get().project == project


def test_a_carry_over_out_of_2026_shows_in_2027s_plan_for_the_project_with_that_number(
    plan, project, finance_officer
):
    from budget.models import BudgetPlan, BudgetYear

    plan_2027 = BudgetPlan.objects.create(
        municipality=plan.municipality, year=2027, title="Mål och budget 2027"
    )
    BudgetYear.objects.create(
        plan=plan_2027, year=2027, kind=BudgetYear.Kind.BUDGET, status="faststalld"
    )
    for fact in plan.facts.filter(code__startswith="investering-minsta"):  # its own rule
        fact.pk, fact.plan = None, plan_2027
        fact.save()
    next_year = new_project(
        finance_officer,
        plan=plan_2027,
        line=None,
        code=project.code,
        budgets={2027: Decimal(150) * TKR},
    )
    other = new_project(
        finance_officer, plan=plan_2027, line=None, code="BN-T2", budgets={2027: Decimal(0)}
    )
    carry_over = proposal(project, finance_officer, from_year=2026)

    decide_carry_over(
        carry_over=carry_over,
        approved=True,
        decided_on=datetime.date(2027, 2, 22),
        paragraph="§ 12",
        actor=actor(finance_officer),
        today=datetime.date(2027, 2, 23),
    )

    figures = project_figures(plan_2027, next_year)
    assert (figures.budget, figures.carried) == (Decimal(150) * TKR, Decimal(200) * TKR)
    assert figures.budget_incl == Decimal(350) * TKR
    assert project_figures(plan_2027, other).carried == 0
    assert project_figures(plan, project).carried == 0


def test_only_one_live_proposal_per_project_and_year(plan, project, finance_officer):
    decide(proposal(project, finance_officer), finance_officer)

    with pytest.raises(InvestmentError, match="Det finns redan ett förslag eller beslut"):
        proposal(project, finance_officer, amount=Decimal(50) * TKR)

    assert CarryOver.objects.count() == 1


def test_the_database_holds_one_live_carry_over_per_project_and_year(
    plan, project, finance_officer
):
    first = proposal(project, finance_officer)

    with pytest.raises(IntegrityError), transaction.atomic():
        CarryOver.objects.create(
            project=project,
            from_year=first.from_year,
            amount=Decimal(1),
            reason="Dubblett",
            proposed_at=first.proposed_at,
        )

    assert CarryOver.objects.count() == 1


def test_the_database_refuses_a_decided_carry_over_without_date_and_paragraph(
    plan, project, finance_officer
):
    carry_over = proposal(project, finance_officer)
    carry_over.status = CarryOver.Status.DECIDED

    with pytest.raises(IntegrityError, match="carry_over_decision_recorded"), transaction.atomic():
        carry_over.save()

    assert CarryOver.objects.get().status == CarryOver.Status.PROPOSED


def test_no_more_than_the_unspent_budget_of_the_year_can_be_carried_over(
    plan, project, march, bildning, bildning_controller, finance_officer
):
    spent = Decimal(450) * TKR
    record_follow_up(
        project, march, bildning_controller, outcome=spent, forecast=Decimal(600) * TKR
    )
    left = Decimal(600) * TKR - spent
    assert unspent(project, 2026) == left

    with pytest.raises(InvestmentError, match="större än det som återstår av årets budget"):
        proposal(project, finance_officer, from_year=2026, amount=left + Decimal("0.01"))
    assert not CarryOver.objects.exists()

    exactly = proposal(project, finance_officer, from_year=2026, amount=left)

    assert exactly.amount == left


def test_the_unspent_budget_includes_what_kf_carried_into_the_year(plan, project, finance_officer):
    decide(proposal(project, finance_officer, amount=Decimal(200) * TKR), finance_officer)

    assert unspent(project, 2026) == Decimal(600) * TKR + Decimal(200) * TKR


def test_a_carry_over_from_last_year_is_bounded_by_the_projects_total_budget(
    plan, project, finance_officer
):
    """Last year's outcome is not followed here: the project's total budget is the limit."""
    with pytest.raises(InvestmentError, match="större än projektets totala budget"):
        proposal(project, finance_officer, from_year=2025, amount=project.total_budget + 1)

    assert not CarryOver.objects.exists()


@pytest.mark.parametrize(
    ("from_year", "amount", "message"),
    [
        (2024, Decimal(100) * TKR, "Medel kan föras över från 2025 eller 2026"),
        (2025, Decimal(0), "Ange ett belopp större än noll"),
        (2025, None, "Ange ett belopp större än noll"),
    ],
)
def test_a_carry_over_proposal_the_rules_refuse_is_not_saved(
    plan, project, finance_officer, from_year, amount, message
):
    before = last_entry_id()

    with pytest.raises(InvestmentError, match=message):
        proposal(project, finance_officer, from_year=from_year, amount=amount)

    assert not CarryOver.objects.exists()
    assert entries_since(before) == []


def test_nothing_is_carried_over_to_a_cancelled_project(plan, finance_officer):
    cancelled = new_project(finance_officer, status=InvestmentProject.Status.CANCELLED)

    with pytest.raises(InvestmentError, match="Projektet är avbruten"):
        proposal(cancelled, finance_officer)

    assert not CarryOver.objects.exists()


@pytest.mark.parametrize(
    ("decided_on", "paragraph", "message"),
    [
        (None, "§ 41", "Ange datum för kommunfullmäktiges beslut"),
        (TODAY + datetime.timedelta(days=1), "§ 41", "Beslutsdatum kan inte ligga i framtiden"),
        (KF_DECISION, "", "Ange paragrafen i protokollet"),
        (KF_DECISION, "fyrtioett", "Ange paragrafen i protokollet"),
    ],
    ids=["no date", "future date", "no paragraph", "not a paragraph"],
)
def test_a_decision_without_date_and_paragraph_is_refused_and_the_proposal_stays(
    plan, project, finance_officer, decided_on, paragraph, message
):
    carry_over = proposal(project, finance_officer)
    before = last_entry_id()

    with pytest.raises(InvestmentError, match=message):
        decide(carry_over, finance_officer, decided_on=decided_on, paragraph=paragraph)

    carry_over.refresh_from_db()
    assert carry_over.status == CarryOver.Status.PROPOSED
    assert entries_since(before) == []


def test_the_paragraph_is_written_as_the_minutes_cite_it(plan, project, finance_officer):
    carry_over = decide(proposal(project, finance_officer), finance_officer, paragraph="41")

    assert carry_over.decision_paragraph == "§ 41"


def test_a_decided_carry_over_cannot_be_decided_again(plan, project, finance_officer):
    carry_over = decide(proposal(project, finance_officer), finance_officer)
    before = last_entry_id()

    with pytest.raises(InvestmentError, match="Överflyttningen är redan beslutad"):
        decide(carry_over, finance_officer, approved=False)

    carry_over.refresh_from_db()
    assert carry_over.status == CarryOver.Status.DECIDED
    assert entries_since(before) == []


# --- The demo data ---------------------------------------------------------------------------------


def test_the_demo_projects_are_loaded_through_the_services_once_and_labelled(plan):
    data = read_toml(DEMO)

    result = load_demo_investments(data, plan=plan)
    again = load_demo_investments(data, plan=plan)

    assert result.projects == len(data["projects"]) == InvestmentProject.objects.count()
    assert again.projects == 0
    assert set(InvestmentProject.objects.values_list("demo", flat=True)) == {True}
    assert AuditEntry.objects.filter(
        area="investeringar", content_type__model="investmentproject", action="skapad"
    ).count() == len(data["projects"])
    decided = CarryOver.objects.decided().get()
    assert (decided.project.code, decided.decision) == ("MSB-2602", "KF 2026-03-30 § 41")
    assert CarryOver.objects.get(status="forslag").project.code == "KS-2602"


def test_a_plan_without_projects_is_followed_up_without_reading_budgets_or_follow_ups(
    plan, march, django_assert_num_queries
):
    # The projects, the plan years and the adopted investment budget: nothing to add to.
    with django_assert_num_queries(3):
        figures = follow_up(plan=plan, period=march, periods=[march])

    assert figures.total.projects == []
    assert (figures.total.budget_incl, figures.total.forecast, figures.total.outcome) == (
        0,
        0,
        None,
    )
    assert figures.total.adopted == SUMMA_INVESTERINGAR_2026 * MKR
