"""The report workflow as finance and the controllers live it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from budget.audit import Actor, Source
from budget.models import AuditEntry
from followup.models import ActionPlan, Measure, Report, ReportingPeriod
from followup.reports.figures import report_figures
from followup.reports.workflow import (
    StaleReport,
    WorkflowError,
    approve_report,
    correct_report,
    open_report,
    return_report,
    save_report,
    submit_report,
)

DECEMBER = datetime(2026, 12, 7, 9, tzinfo=UTC)  # after the measures' dates


def actor(user):
    return Actor(user=user, source=Source.PAGE)


def fill(report, user, outcome, forecast, comment=""):
    activity = report.lines.get().activity_id
    return save_report(
        report=report,
        row_version=report.row_version,
        values={activity: (Decimal(outcome), Decimal(forecast), comment)},
        actor=actor(user),
    )


def test_a_controller_opens_a_draft_with_a_line_per_activity(march, bildning, bildning_controller):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))

    assert report.status == Report.Status.DRAFT
    assert report.lines.count() == bildning.activities.count()
    assert AuditEntry.objects.filter(area="rapporter", action="skapad").count() == 1


def test_a_closed_period_cannot_be_reported(plan, bildning, bildning_controller):
    may = ReportingPeriod.objects.get(plan=plan, month=5)

    with pytest.raises(WorkflowError, match="inte öppen"):
        open_report(committee=bildning, period=may, actor=actor(bildning_controller))


def test_budget_to_date_is_a_share_of_the_year_and_deviation_is_forecast_minus_budget(
    march, bildning, bildning_controller
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    report = fill(report, bildning_controller, "-131000000", "-520000000")

    figures = report_figures(report)

    assert figures.budget == Decimal("-523300000.00")
    assert figures.budget_to_date == Decimal("-130825000.00")  # three twelfths
    assert figures.outcome_deviation == Decimal("-175000.00")
    assert figures.deviation == Decimal("3300000.00")  # a surplus
    assert not figures.needs_action_plan


def test_a_second_save_from_a_stale_form_is_refused_and_changes_nothing(
    march, bildning, bildning_controller, finance_officer
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    opened_version = report.row_version
    activity = report.lines.get().activity_id
    save_report(
        report=report,
        row_version=opened_version,
        values={activity: (Decimal(-1), Decimal(-2), "först")},
        actor=actor(bildning_controller),
    )

    with pytest.raises(StaleReport, match="sparats av"):
        save_report(
            report=report,
            row_version=opened_version,
            values={activity: (Decimal(-9), Decimal(-9), "sist")},
            actor=actor(finance_officer),
        )

    assert report.lines.get().comment == "först"


def test_a_negative_committee_forecast_needs_an_action_plan_before_submission(
    march, bildning, bildning_controller
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    report = fill(report, bildning_controller, "-135000000", "-530000000")

    with pytest.raises(WorkflowError, match="åtgärdsplan"):
        submit_report(report=report, actor=actor(bildning_controller))

    plan = ActionPlan.objects.create(committee=bildning, period=march)
    Measure.objects.create(
        plan=plan,
        description="Vakanser tillsätts inte under våren",
        expected_effect=Decimal("4000000"),
        responsible="Förvaltningschef",
        due_date=date(2026, 6, 30),
    )
    with pytest.raises(WorkflowError, match="Åtgärdsplanen räcker inte") as excinfo:
        submit_report(report=report, actor=actor(bildning_controller), now=DECEMBER)
    submitted = submit_report(
        report=report,
        actor=actor(bildning_controller),
        now=DECEMBER,
        shortfall_reason="Fler åtgärder beslutas i nämnden i april.",
    )

    # 4 mkr of a 6,7 mkr deviation; the measure was due by the end of June.
    assert "väntas täcka 60\u00a0% av den prognostiserade avvikelsen" in str(excinfo.value)
    assert "1 åtgärd är försenad" in str(excinfo.value)
    assert submitted.status == Report.Status.SUBMITTED
    entry = AuditEntry.objects.filter(object_id=str(report.pk), new_value="Inlämnad").get()
    assert entry.reason == (
        "Inlämnad trots att åtgärderna väntas täcka 60\u00a0% av den prognostiserade avvikelsen och "
        "1 åtgärd är försenad: Fler åtgärder beslutas i nämnden i april."
    )


def test_a_plan_that_covers_the_deviation_on_time_is_submitted_without_a_question(
    march, bildning, bildning_controller
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    report = fill(report, bildning_controller, "-135000000", "-530000000")
    plan = ActionPlan.objects.create(committee=bildning, period=march)
    Measure.objects.create(
        plan=plan,
        description="Vakanser tillsätts inte under våren",
        expected_effect=Decimal("6700000"),
        responsible="Förvaltningschef",
        due_date=date(2026, 6, 30),
    )

    submitted = submit_report(
        report=report, actor=actor(bildning_controller), now=datetime(2026, 4, 7, 9, tzinfo=UTC)
    )

    assert submitted.status == Report.Status.SUBMITTED


def test_an_incomplete_report_cannot_be_submitted(march, bildning, bildning_controller):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))

    with pytest.raises(WorkflowError, match="utfall saknas"):
        submit_report(report=report, actor=actor(bildning_controller))


def test_finance_returns_with_a_comment_then_approves_and_the_report_locks(
    march, bildning, bildning_controller, finance_officer
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    report = fill(report, bildning_controller, "-130000000", "-523300000")
    submit_report(report=report, actor=actor(bildning_controller))

    with pytest.raises(WorkflowError, match="varför"):
        return_report(report=report, comment="  ", actor=actor(finance_officer))
    returned = return_report(
        report=report, comment="Kommentera lönekostnaderna.", actor=actor(finance_officer)
    )
    assert returned.status == Report.Status.RETURNED
    returned = fill(returned, bildning_controller, "-130000000", "-523300000", "Kommenterat.")
    submit_report(report=returned, actor=actor(bildning_controller))
    approved = approve_report(report=returned, actor=actor(finance_officer))

    assert approved.status == Report.Status.APPROVED
    with pytest.raises(WorkflowError, match="kan inte ändras"):
        fill(approved, bildning_controller, "-1", "-1")
    statuses = list(
        AuditEntry.objects.filter(field="status")
        .order_by("at", "id")
        .values_list("new_value", flat=True)
    )
    assert statuses == ["Inlämnad", "Återskickad", "Inlämnad", "Godkänd"]


def test_a_correction_after_approval_is_a_new_version_and_the_old_stays_visible(
    march, bildning, bildning_controller, finance_officer
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))
    report = fill(report, bildning_controller, "-130000000", "-523300000")
    submit_report(report=report, actor=actor(bildning_controller))
    approve_report(report=report, actor=actor(finance_officer))

    correction = correct_report(
        report=report, actor=actor(bildning_controller), reason="Felbokning i mars"
    )
    correction = fill(correction, bildning_controller, "-129000000", "-523300000")
    submit_report(report=correction, actor=actor(bildning_controller))
    approve_report(report=correction, actor=actor(finance_officer))

    report.refresh_from_db()
    assert report.status == Report.Status.SUPERSEDED
    assert correction.version == 2
    assert report.lines.get().outcome == Decimal("-130000000.00")
    assert Report.objects.current().get(committee=bildning, period=march) == correction


def test_who_sees_a_report_depends_on_role_committee_and_publication(
    march, bildning, bildning_controller, omsorg_controller, councillor, finance_officer
):
    report = open_report(committee=bildning, period=march, actor=actor(bildning_controller))

    def sees(user):
        return Report.objects.visible_to(user).filter(pk=report.pk).exists()

    assert sees(bildning_controller)
    assert sees(finance_officer)
    assert not sees(omsorg_controller)
    assert not sees(councillor)

    report = fill(report, bildning_controller, "-130000000", "-523300000")
    submit_report(report=report, actor=actor(bildning_controller))
    approve_report(report=report, actor=actor(finance_officer))
    assert not sees(councillor)  # approved, but the period is not published
    march.status = ReportingPeriod.Status.PUBLISHED
    march.save()
    assert sees(councillor)
    assert sees(omsorg_controller)
