"""The demo follow-up of make run: reported through the real workflow, labelled as demo."""

from decimal import Decimal

from django.conf import settings

from budget.loader import read_toml
from followup.models import ActionPlan, Report, ReportingPeriod
from followup.reports.demo import load_demo_followup
from followup.reports.figures import report_figures

DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-uppfoljning-2026.toml"


def test_the_demo_year_is_reported_approved_and_labelled(plan):
    created = load_demo_followup(read_toml(DEMO), plan=plan)

    assert created == 63  # 9 units × 7 periods
    assert set(Report.objects.filter(period__month__lt=10).values_list("status", flat=True)) == {
        Report.Status.APPROVED
    }
    october = dict(Report.objects.filter(period__month=10).values_list("committee__code", "status"))
    assert october["omsorgsnamnden"] == Report.Status.SUBMITTED
    assert october["bildningsnamnden"] == october["finansforvaltningen"] == Report.Status.DRAFT
    assert ReportingPeriod.objects.get(plan=plan, month=9).status == "publicerad"
    assert ReportingPeriod.objects.get(plan=plan, month=10).status == "oppen"
    assert ReportingPeriod.objects.get(plan=plan, month=12).demo is False
    assert all(p.demo for p in ReportingPeriod.objects.filter(plan=plan, month__lte=10))
    assert ActionPlan.objects.count() == 2


def test_the_demo_has_negative_deviations_with_action_plans(demo_year):
    august = Report.objects.get(committee__code="omsorgsnamnden", period__month=8)

    figures = report_figures(august)

    assert figures.needs_action_plan
    assert figures.deviation == Decimal("-11200000.00")


def test_loading_the_demo_twice_adds_nothing(plan):
    load_demo_followup(read_toml(DEMO), plan=plan)

    assert load_demo_followup(read_toml(DEMO), plan=plan) == 0
    assert Report.objects.count() == 63


def test_a_demo_period_says_so_on_its_pages(client, demo_year, finance_officer):
    client.force_login(finance_officer)

    response = client.get("/uppfoljning/2026/8/granskning/")

    assert "Demodata:" in response.text


def test_the_demo_plans_are_followed_up_in_august_and_october(demo_year):
    from followup.models import Measure

    vacancies = Measure.objects.get(description__startswith="Vakanta tjänster")

    follow_ups = {f.period.month: f for f in vacancies.follow_ups.all()}

    assert set(follow_ups) == {3, 8, 10}
    assert follow_ups[8].realised_effect == Decimal("1900000.00")
    assert (follow_ups[10].status, vacancies.status) == ("genomford", "genomford")
