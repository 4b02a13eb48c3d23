"""Four eyes: nobody approves a report they submitted or last changed; nobody records the
decision on, or applies, a reallocation they drew up. A municipality with a single finance
officer may turn on an explicit exception; it is off by default, and every use of it is in the
history."""

import datetime

import pytest
from django.contrib import messages
from django.urls import reverse

from budget.audit import Actor, Source
from budget.models import AuditEntry, Municipality
from followup.models import Reallocation, Report
from followup.reallocations.workflow import (
    ReallocationError,
    apply_reallocation,
    prepare_reallocation,
    record_decision,
)
from followup.reports.figures import current_frames
from followup.reports.workflow import (
    WorkflowError,
    approve_report,
    open_report,
    save_report,
    submit_report,
)
from tests.followup.reallocations import BETWEEN_COMMITTEES, budget_year, draft, edited
from tests.pages import page_as

FINANCE_REPORT = reverse(
    "followup:report", kwargs={"year": 2026, "month": 3, "code": "finansforvaltningen"}
)
REVIEW = reverse("followup:review", kwargs={"year": 2026, "month": 3})
FOUR_EYES = "fyraögonsprincipen"


def actor(user):
    return Actor(user=user, source=Source.PAGE)


def finance_report(march, finance_lines, *, saved_by, submitted_by=None):
    """Finansförvaltningen's March report (finance's own lines), saved by ``saved_by`` and
    submitted by ``submitted_by`` (the same person unless named)."""
    report = open_report(committee=finance_lines, period=march, actor=actor(saved_by))
    frames = current_frames(list(finance_lines.activities.all()), march)
    report = save_report(
        report=report,
        row_version=report.row_version,
        values={activity_id: (budget / 4, budget, "") for activity_id, budget in frames.items()},
        actor=actor(saved_by),
    )
    return submit_report(report=report, actor=actor(submitted_by or saved_by))


def exception_uses():
    return AuditEntry.objects.filter(field=FOUR_EYES)


@pytest.fixture
def single_officer(plan):
    """The municipality has turned the single-officer exception on."""
    Municipality.objects.filter(pk=plan.municipality_id).update(single_officer_exception=True)


def test_the_exception_is_off_by_default(plan):
    assert Municipality.objects.get(pk=plan.municipality_id).single_officer_exception is False


# --- Reports ---------------------------------------------------------------------------------


def test_nobody_approves_a_report_they_filled_in_and_submitted(
    march, finance_lines, finance_officer
):
    report = finance_report(march, finance_lines, saved_by=finance_officer)

    with pytest.raises(WorkflowError) as refused:
        approve_report(report=report, actor=actor(finance_officer))

    assert str(refused.value) == (
        "Du kan inte godkänna rapporten eftersom du lämnade in rapporten (fyraögonsprincipen): "
        "en annan person på ekonomiavdelningen godkänner den."
    )
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (Report.Status.SUBMITTED, None)
    assert not AuditEntry.objects.filter(field="status", new_value="Godkänd").exists()


def test_nobody_approves_a_report_they_changed_last_even_if_another_submitted_it(
    march, finance_lines, finance_officer, finance_colleague
):
    report = finance_report(
        march, finance_lines, saved_by=finance_officer, submitted_by=finance_colleague
    )

    with pytest.raises(WorkflowError, match="eftersom du ändrade rapporten senast"):
        approve_report(report=report, actor=actor(finance_officer))
    with pytest.raises(WorkflowError, match="eftersom du lämnade in rapporten"):
        approve_report(report=report, actor=actor(finance_colleague))

    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_another_finance_officer_approves_it(
    march, finance_lines, finance_officer, finance_colleague
):
    report = finance_report(march, finance_lines, saved_by=finance_officer)

    approved = approve_report(report=report, actor=actor(finance_colleague))

    assert (approved.status, approved.approved_by) == (Report.Status.APPROVED, finance_colleague)
    assert not exception_uses().exists()


def test_the_approve_button_posted_by_the_submitter_is_refused_with_the_reason(
    client, march, finance_lines, finance_officer
):
    finance_report(march, finance_lines, saved_by=finance_officer)
    client.force_login(finance_officer)

    response = client.post(FINANCE_REPORT, {"action": "godkann"}, follow=True)

    assert [(m.level, str(m)) for m in response.context["messages"]] == [
        (
            messages.ERROR,
            "Du kan inte godkänna rapporten eftersom du lämnade in rapporten "
            "(fyraögonsprincipen): en annan person på ekonomiavdelningen godkänner den.",
        )
    ]
    assert Report.objects.get(committee=finance_lines).status == Report.Status.SUBMITTED


def test_the_pages_do_not_offer_approval_to_the_submitter_and_say_why(
    client, march, finance_lines, finance_officer, finance_colleague
):
    finance_report(march, finance_lines, saved_by=finance_officer)

    own_review = page_as(client, finance_officer, REVIEW)
    own_report = page_as(client, finance_officer, FINANCE_REPORT)
    colleagues_review = page_as(client, finance_colleague, REVIEW)
    colleagues_report = page_as(client, finance_colleague, FINANCE_REPORT)

    for page in (own_review, own_report):
        assert 'value="godkann"' not in page.text
        assert "eftersom du lämnade in rapporten (fyraögonsprincipen)" in page.text
    for page in (colleagues_review, colleagues_report):
        assert 'value="godkann"' in page.text
        assert FOUR_EYES not in page.text


def test_with_the_exception_the_single_officer_approves_and_the_use_is_in_the_history(
    client, single_officer, march, finance_lines, finance_officer
):
    report = finance_report(march, finance_lines, saved_by=finance_officer)
    page = page_as(client, finance_officer, FINANCE_REPORT)

    approved = approve_report(report=report, actor=actor(finance_officer))

    assert 'value="godkann"' in page.text
    assert "undantag från fyraögonsprincipen (ensam ekonom)" in page.text
    assert approved.status == Report.Status.APPROVED
    [use] = exception_uses()
    assert (use.user, use.object_id, use.area) == (finance_officer, str(report.pk), "rapporter")
    assert use.new_value == (
        "Undantaget för ensam ekonom användes: den som lämnade in rapporten fick också "
        "godkänna rapporten."
    )


def test_an_administrator_turns_the_exception_on_in_the_admin_with_history(
    client, administrator, plan
):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    municipality = plan.municipality
    url = reverse("admin:budget_municipality_change", args=[municipality.pk])

    response = client.post(
        url,
        {
            "name": municipality.name,
            "kolada_id": municipality.kolada_id,
            "single_officer_exception": "on",
        },
    )

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.single_officer_exception is True
    entry = AuditEntry.objects.get(field="undantag från fyraögonsprincipen (ensam ekonom)")
    assert (entry.old_value, entry.new_value, entry.user) == ("nej", "ja", administrator)


# --- Reallocations ---------------------------------------------------------------------------


@pytest.fixture
def prepared_by_officer(plan, finance_officer):
    reallocation = draft(plan, budget_year(plan), finance_officer, BETWEEN_COMMITTEES)
    return prepare_reallocation(reallocation=reallocation, actor=actor(finance_officer))


def decide(reallocation, user):
    return record_decision(
        reallocation=reallocation,
        actor=actor(user),
        decided_on=datetime.date(2026, 4, 27),
        paragraph="§ 45",
    )


def test_nobody_records_the_decision_on_a_reallocation_they_drew_up(
    prepared_by_officer, finance_officer
):
    with pytest.raises(ReallocationError) as refused:
        decide(prepared_by_officer, finance_officer)

    assert str(refused.value) == (
        "Du kan inte registrera beslutet om omfördelningen eftersom du har upprättat "
        "omfördelningen (fyraögonsprincipen): en annan person på ekonomiavdelningen gör det."
    )
    prepared_by_officer.refresh_from_db()
    assert (prepared_by_officer.status, prepared_by_officer.decision_paragraph) == ("beredd", "")


def test_nobody_applies_a_reallocation_they_drew_up(
    prepared_by_officer, finance_officer, finance_colleague
):
    decided = decide(prepared_by_officer, finance_colleague)

    with pytest.raises(ReallocationError, match="Du kan inte genomföra omfördelningen"):
        apply_reallocation(reallocation=decided, actor=actor(finance_officer))

    decided.refresh_from_db()
    assert decided.status == Reallocation.Status.DECIDED
    applied = apply_reallocation(reallocation=decided, actor=actor(finance_colleague))
    assert (applied.status, applied.applied_by) == ("genomford", finance_colleague)


def test_whoever_changed_the_draft_drew_it_up_too(
    plan, finance_officer, finance_colleague, django_user_model
):
    from budget.roles import Role
    from tests.conftest import _user

    third = _user(django_user_model, "frida", Role.FINANCE)
    reallocation = draft(plan, budget_year(plan), finance_officer, BETWEEN_COMMITTEES)
    edited(reallocation, finance_colleague, BETWEEN_COMMITTEES, title="Ny rubrik")
    prepare_reallocation(reallocation=reallocation, actor=actor(third))

    with pytest.raises(ReallocationError, match="har upprättat omfördelningen"):
        decide(reallocation, finance_colleague)
    decided = decide(reallocation, third)

    assert decided.status == Reallocation.Status.DECIDED


def test_with_the_exception_the_single_officer_decides_and_applies_and_each_use_is_recorded(
    single_officer, prepared_by_officer, finance_officer
):
    decided = decide(prepared_by_officer, finance_officer)
    applied = apply_reallocation(reallocation=decided, actor=actor(finance_officer))

    assert applied.status == Reallocation.Status.APPLIED
    assert [e.new_value for e in exception_uses().order_by("at", "id")] == [
        "Undantaget för ensam ekonom användes: den som har upprättat omfördelningen fick också "
        "registrera beslutet om omfördelningen.",
        "Undantaget för ensam ekonom användes: den som har upprättat omfördelningen fick också "
        "genomföra omfördelningen.",
    ]
    assert {e.area for e in exception_uses()} == {"omfordelningar"}


def test_the_reallocation_page_does_not_offer_the_decision_to_its_author_and_says_why(
    client, prepared_by_officer, finance_officer, finance_colleague
):
    url = reverse("followup:reallocation", kwargs={"year": 2026, "number": 1})

    own = page_as(client, finance_officer, url)
    colleagues = page_as(client, finance_colleague, url)

    assert "Registrera beslutet</button>" not in own.text
    assert "eftersom du har upprättat omfördelningen (fyraögonsprincipen)" in own.text
    assert "Registrera beslutet</button>" in colleagues.text
    assert FOUR_EYES not in colleagues.text
