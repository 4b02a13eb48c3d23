"""Action plans: measures with an effect, a responsible person and a date; never deleted."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.audit import Actor, Source
from budget.models import AuditEntry, Committee
from followup.models import ActionPlan, Measure, MeasureFollowUp, ReportingPeriod
from followup.reports.actions import ActionPlanError, coverage, plan_for, save_measures

URL = reverse("followup:action_plan", kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})


def measure_post(**overrides):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "50",
        "summary": "Återhållsamhet under våren",
        "form-0-id": "",
        "form-0-description": "Vakanser tillsätts inte",
        "form-0-expected_effect": "4 000",
        "form-0-responsible": "Förvaltningschef",
        "form-0-due_date": "2026-06-30",
        "form-0-status": "planerad",
        "form-0-realised_effect": "",
        "form-0-comment": "",
    }
    data.update(overrides)
    return data


def test_a_controller_draws_up_a_plan_with_a_measure(client, march, bildning_controller):
    client.force_login(bildning_controller)

    response = client.post(URL, measure_post())

    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.expected_effect == Decimal("4000000.00")
    assert measure.plan.summary == "Återhållsamhet under våren"
    assert AuditEntry.objects.filter(area="atgarder", action="skapad").count() == 2


def test_a_negative_effect_is_refused_and_nothing_is_saved(client, march, bildning_controller):
    client.force_login(bildning_controller)

    response = client.post(URL, measure_post(**{"form-0-expected_effect": "-5"}))

    assert response.status_code == 200
    assert "positivt belopp" in response.text
    assert not Measure.objects.exists()


@pytest.mark.parametrize("persona", ["omsorg_controller", "councillor"])
def test_others_cannot_change_the_committees_plan(client, march, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(URL, measure_post())

    assert response.status_code == 403
    assert not Measure.objects.exists()


def test_the_plan_is_followed_up_in_later_periods_and_shows_its_coverage(
    client, plan, march, bildning_controller
):
    client.force_login(bildning_controller)
    client.post(URL, measure_post())
    april = ReportingPeriod.objects.get(plan=plan, month=4)
    bildning = Committee.objects.get(code="bildningsnamnden")

    followed = plan_for(committee=bildning, period=april)

    assert followed is not None
    assert followed.period == march
    assert coverage(followed, Decimal("-8000000")) == Decimal("0.5")
    assert coverage(followed, Decimal("1000000")) is None


def test_a_measure_is_cancelled_never_deleted(client, march, bildning_controller):
    client.force_login(bildning_controller)
    client.post(URL, measure_post())
    measure = Measure.objects.get()

    client.post(
        URL,
        measure_post(
            **{
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(measure.pk),
                "form-0-status": "avbruten",
                "form-0-due_date": date(2026, 6, 30).isoformat(),
            }
        ),
    )

    measure.refresh_from_db()
    assert measure.status == Measure.Status.CANCELLED
    assert Measure.objects.count() == 1


@pytest.fixture
def august_with_plan(client, plan, march, bildning_controller):
    """A plan drawn up in March; March closed and August open for reporting."""
    client.force_login(bildning_controller)
    client.post(URL, measure_post())
    march.status = ReportingPeriod.Status.CLOSED
    march.save()
    august = ReportingPeriod.objects.get(plan=plan, month=8)
    august.status = ReportingPeriod.Status.OPEN
    august.save()
    return august


AUGUST_URL = reverse(
    "followup:action_plan", kwargs={"year": 2026, "month": 8, "code": "bildningsnamnden"}
)


def follow_up_post(measure, **overrides):
    return measure_post(
        **{
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(measure.pk),
            "form-0-status": "pagar",
            "form-0-realised_effect": "1 250",
            "form-0-comment": "Tre tjänster vakanta sedan maj",
            **overrides,
        }
    )


def test_a_measure_is_followed_up_in_a_later_period_and_the_first_follow_up_is_kept(
    client, march, august_with_plan
):
    measure = Measure.objects.get()

    response = client.post(AUGUST_URL, follow_up_post(measure))

    assert response.status_code == 302
    follow_ups = {f.period.month: f for f in MeasureFollowUp.objects.filter(measure=measure)}
    assert set(follow_ups) == {3, 8}
    assert (follow_ups[3].status, follow_ups[3].realised_effect) == ("planerad", None)
    assert (follow_ups[8].status, follow_ups[8].realised_effect) == ("pagar", Decimal("1250000"))
    measure.refresh_from_db()
    assert measure.realised_effect == Decimal("1250000.00")
    assert AuditEntry.objects.filter(area="atgarder", field="uppnådd effekt (kr)").count() == 1


def test_a_negative_achieved_effect_is_refused_and_nothing_is_saved(
    client, march, august_with_plan
):
    measure = Measure.objects.get()
    entries = AuditEntry.objects.count()

    response = client.post(
        AUGUST_URL, follow_up_post(measure, **{"form-0-realised_effect": "-1 250"})
    )

    assert response.status_code == 200
    assert "Ange uppnådd effekt som ett positivt belopp" in response.text
    measure.refresh_from_db()
    assert measure.realised_effect is None
    assert AuditEntry.objects.count() == entries


def test_the_domain_refuses_a_negative_achieved_effect_too(august_with_plan, bildning_controller):
    measure = Measure.objects.get()

    with pytest.raises(ActionPlanError, match="Uppnådd effekt kan inte vara negativ"):
        save_measures(
            committee=measure.plan.committee,
            period=august_with_plan,
            measures=[{"id": measure.pk, "realised_effect": Decimal("-1")}],
            actor=Actor(user=bildning_controller, source=Source.PAGE),
        )

    measure.refresh_from_db()
    assert measure.realised_effect is None


def test_the_untouched_blank_row_for_a_new_measure_is_left_out(client, august_with_plan):
    measure = Measure.objects.get()
    blank = {
        f"form-1-{name}": ""
        for name in ("id", "description", "expected_effect", "responsible", "due_date")
    }

    response = client.post(
        AUGUST_URL,
        follow_up_post(measure, **{"form-TOTAL_FORMS": "2", "form-1-status": "planerad", **blank}),
    )

    assert response.status_code == 302
    assert Measure.objects.count() == 1


def test_the_plan_page_shows_each_periods_follow_up(client, august_with_plan):
    measure = Measure.objects.get()
    client.post(AUGUST_URL, follow_up_post(measure))

    response = client.get(AUGUST_URL)

    assert [p.month for p in response.context["follow_up_periods"]] == [3, 8]
    assert "Planen upprättades i mars 2026 och pågår; den följs upp i augusti." in response.text
    assert response.context["realised"] == Decimal("1250000.00")


def test_a_closed_plan_is_not_carried_forward(client, plan, august_with_plan):
    response = client.post(AUGUST_URL, {"action": "avsluta", "reason": "Åtgärderna genomförda"})

    assert response.status_code == 302
    bildning = Committee.objects.get(code="bildningsnamnden")
    assert plan_for(committee=bildning, period=august_with_plan) is None
    entry = AuditEntry.objects.get(area="atgarder", field="status")
    assert (entry.new_value, entry.reason) == ("Avslutad", "Åtgärderna genomförda")


def test_closing_a_plan_needs_a_reason(client, august_with_plan):
    response = client.post(AUGUST_URL, {"action": "avsluta", "reason": " "}, follow=True)

    assert "Skriv varför åtgärdsplanen avslutas." in response.text
    assert ActionPlan.objects.get().status == ActionPlan.Status.OPEN


def test_another_committees_controller_cannot_close_the_plan(
    client, august_with_plan, omsorg_controller
):
    client.force_login(omsorg_controller)

    response = client.post(AUGUST_URL, {"action": "avsluta", "reason": "Fel nämnd"})

    assert response.status_code == 403
    assert ActionPlan.objects.get().status == ActionPlan.Status.OPEN
