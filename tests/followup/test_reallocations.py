"""Reallocations: balanced by every path, decided by the body the lines call for, applied
once into the frame ledger, corrected by reversal."""

import datetime

import pytest

from budget.models import AuditEntry, BudgetYear, FrameEntry
from followup.models import Reallocation
from followup.reallocations.workflow import (
    ReallocationError,
    StaleReallocation,
    apply_reallocation,
    awaiting_council,
    pending,
    prepare_reallocation,
    record_decision,
    reject_reallocation,
    reverse_reallocation,
)
from tests.followup.reallocations import (
    BETWEEN_COMMITTEES,
    MKR,
    activity,
    actor,
    between_committees,
    colleague,
    decided,
    draft,
    edited,
    frame,
    prepared,
    split_bildning_in_two,
)


def test_finance_drafts_a_balanced_reallocation_between_committees_for_the_council(
    plan, budget_2026, finance_officer
):
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)

    assert reallocation.status == Reallocation.Status.DRAFT
    assert reallocation.deciding_body == Reallocation.Body.COUNCIL
    assert reallocation.number == 1
    assert sum(line.amount for line in reallocation.lines.all()) == 0
    assert AuditEntry.objects.filter(area="omfordelningar", action="skapad").count() == 3


@pytest.mark.parametrize(
    "lines",
    [
        [("kommunstyrelsen", "2.0"), ("bildningsnamnden", "-1.9")],
        [("kommunstyrelsen", "2.0")],
        [("kommunstyrelsen", "0"), ("bildningsnamnden", "0")],
    ],
    ids=["unbalanced", "one line", "zero lines"],
)
def test_an_unbalanced_or_empty_reallocation_is_refused_and_nothing_is_saved(
    plan, budget_2026, finance_officer, lines
):
    with pytest.raises(ReallocationError):
        draft(plan, budget_2026, finance_officer, lines)

    assert not Reallocation.objects.exists()
    assert not AuditEntry.objects.filter(area="omfordelningar").exists()


def test_the_refusal_says_what_the_lines_sum_to(plan, budget_2026, finance_officer):
    with pytest.raises(ReallocationError, match="summerar till 100 tkr, inte 0"):
        draft(
            plan,
            budget_2026,
            finance_officer,
            [("kommunstyrelsen", "2.0"), ("bildningsnamnden", "-1.9")],
        )


def test_money_from_finansforvaltningen_is_decided_by_the_council(
    plan, budget_2026, finance_officer
):
    reallocation = draft(
        plan,
        budget_2026,
        finance_officer,
        [("generella-bidrag-och-utjamning", "1.2"), ("omsorgsnamnden", "-1.2")],
        kind=Reallocation.Kind.STATE_GRANT,
        title="Statsbidrag för äldreomsorgen",
    )

    assert reallocation.deciding_body == Reallocation.Body.COUNCIL
    assert reallocation.deciding_committee is None


def test_within_one_committee_the_committee_decides(plan, budget_2026, bildning_controller):
    split_bildning_in_two()
    reallocation = draft(
        plan, budget_2026, bildning_controller, [("grundskola", "0.5"), ("forskola", "-0.5")]
    )

    assert reallocation.deciding_body == Reallocation.Body.COMMITTEE
    assert reallocation.deciding_committee.code == "bildningsnamnden"


def test_a_controller_cannot_draw_up_a_reallocation_between_committees(
    plan, budget_2026, bildning_controller
):
    with pytest.raises(ReallocationError, match="din egen nämnd"):
        draft(plan, budget_2026, bildning_controller, BETWEEN_COMMITTEES)

    assert not Reallocation.objects.exists()


def test_a_controller_cannot_draw_up_one_in_another_committee(plan, budget_2026, omsorg_controller):
    split_bildning_in_two()
    with pytest.raises(ReallocationError):
        draft(plan, budget_2026, omsorg_controller, [("grundskola", "0.5"), ("forskola", "-0.5")])


def test_only_applied_changes_move_the_frames(plan, budget_2026, finance_officer):
    before = frame("bildningsnamnden", budget_2026)
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)
    decided(reallocation, finance_officer)

    assert frame("bildningsnamnden", budget_2026) == before
    assert [r.pk for r in pending(plan)] == [reallocation.pk]

    apply_reallocation(reallocation=reallocation, actor=actor(colleague()))

    assert frame("bildningsnamnden", budget_2026) == before - 2 * MKR
    assert list(pending(plan)) == []
    entry = FrameEntry.objects.get(activity__code="bildningsnamnden", kind="andring")
    assert entry.decision == "KF 2026-04-27 § 45"


def test_a_change_counts_in_the_follow_up_from_the_day_it_was_decided(
    plan, budget_2026, finance_officer
):
    from followup.models import ReportingPeriod
    from followup.reports.figures import current_frames

    bildning = activity("bildningsnamnden")
    adopted = frame("bildningsnamnden", budget_2026)
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)
    decided(reallocation, finance_officer)  # KF 2026-04-27

    apply_reallocation(reallocation=reallocation, actor=actor(colleague()))

    march, april, may = (ReportingPeriod.objects.get(plan=plan, month=month) for month in (3, 4, 5))
    assert current_frames([bildning], march) == {bildning.pk: adopted}
    assert current_frames([bildning], april) == {bildning.pk: adopted - 2 * MKR}
    assert current_frames([bildning], may) == {bildning.pk: adopted - 2 * MKR}
    entry = FrameEntry.objects.get(activity=bildning, kind="andring")
    assert entry.decided_on == datetime.date(2026, 4, 27)


def test_applying_twice_is_refused_and_the_ledger_has_one_entry_per_line(
    plan, budget_2026, finance_officer
):
    reallocation = decided(
        draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES), finance_officer
    )
    apply_reallocation(reallocation=reallocation, actor=actor(colleague()))

    with pytest.raises(ReallocationError, match="redan genomförd"):
        apply_reallocation(reallocation=reallocation, actor=actor(colleague()))

    assert FrameEntry.objects.filter(source__startswith="omfordelning-rad-").count() == 2


def test_the_ledger_itself_refuses_a_second_entry_for_the_same_line(
    plan, budget_2026, finance_officer
):
    from django.db import IntegrityError, transaction

    reallocation = decided(
        draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES), finance_officer
    )
    apply_reallocation(reallocation=reallocation, actor=actor(colleague()))
    line = reallocation.lines.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        FrameEntry.objects.create(
            activity=line.activity,
            budget_year=budget_2026,
            kind="andring",
            amount=line.amount,
            source=line.ledger_source,
        )


@pytest.mark.parametrize(
    ("decided_on", "paragraph", "message"),
    [
        (None, "§ 45", "Ange beslutsdatum och paragraf"),
        (datetime.date(2026, 4, 27), " ", "Ange beslutsdatum och paragraf"),
        (datetime.date(2026, 5, 1), "§ 45", "2026-05-01 har inte kommit än"),
    ],
    ids=["without a date", "without a paragraph", "dated in the future"],
)
def test_a_decision_needs_a_date_that_has_come_and_a_paragraph_or_nothing_changes(
    plan, budget_2026, finance_officer, decided_on, paragraph, message
):
    reallocation = prepared(draft(plan, budget_2026, finance_officer), finance_officer)

    with pytest.raises(ReallocationError, match=message):
        record_decision(
            reallocation=reallocation,
            actor=actor(finance_officer),
            decided_on=decided_on,
            paragraph=paragraph,
            today=datetime.date(2026, 4, 30),
        )

    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.PREPARED
    assert reallocation.decided_on is None


def test_a_draft_cannot_be_decided_or_applied_before_it_is_prepared(
    plan, budget_2026, finance_officer
):
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)

    with pytest.raises(ReallocationError):
        apply_reallocation(reallocation=reallocation, actor=actor(colleague()))
    with pytest.raises(ReallocationError):
        record_decision(
            reallocation=reallocation,
            actor=actor(finance_officer),
            decided_on=datetime.date(2026, 4, 27),
            paragraph="§ 45",
        )

    assert not FrameEntry.objects.filter(kind="andring").exists()


def test_a_controller_cannot_prepare_decide_or_apply(plan, budget_2026, bildning_controller):
    split_bildning_in_two()
    reallocation = draft(
        plan, budget_2026, bildning_controller, [("grundskola", "0.5"), ("forskola", "-0.5")]
    )

    with pytest.raises(ReallocationError, match="ekonomiavdelningen"):
        prepare_reallocation(reallocation=reallocation, actor=actor(bildning_controller))


def test_a_decided_reallocation_cannot_be_edited(plan, budget_2026, finance_officer):
    reallocation = decided(
        draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES), finance_officer
    )

    with pytest.raises(ReallocationError, match="bara ett utkast kan ändras"):
        edited(reallocation, finance_officer, between_committees("3.0"))


def test_a_stale_edit_is_refused(plan, budget_2026, finance_officer):
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)
    old_version = reallocation.row_version
    edited(reallocation, finance_officer, between_committees("3.0"), row_version=old_version)

    with pytest.raises(StaleReallocation):
        edited(reallocation, finance_officer, between_committees("1.0"), row_version=old_version)


def test_a_line_taken_out_of_a_draft_is_kept_withdrawn(plan, budget_2026, finance_officer):
    from followup.models import ReallocationLine

    reallocation = draft(
        plan,
        budget_2026,
        finance_officer,
        [("kommunstyrelsen", "2.0"), ("bildningsnamnden", "-1.0"), ("omsorgsnamnden", "-1.0")],
    )

    draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES, reallocation=reallocation)

    assert reallocation.lines.count() == 2
    withdrawn = ReallocationLine.every_line.get(withdrawn=True)
    assert withdrawn.activity.code == "omsorgsnamnden"


def test_an_applied_reallocation_is_corrected_by_a_reversal(plan, budget_2026, finance_officer):
    before = frame("bildningsnamnden", budget_2026)
    original = decided(
        draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES), finance_officer
    )
    apply_reallocation(reallocation=original, actor=actor(colleague()))

    reversal = reverse_reallocation(
        reallocation=original, actor=actor(finance_officer), reason="Fel nämnd"
    )
    decided(reversal, finance_officer)
    apply_reallocation(reallocation=reversal, actor=actor(colleague()))

    assert reversal.reverses == original
    assert frame("bildningsnamnden", budget_2026) == before
    original.refresh_from_db()
    assert original.status == Reallocation.Status.APPLIED
    with pytest.raises(ReallocationError, match="redan en återföring"):
        reverse_reallocation(reallocation=original, actor=actor(finance_officer), reason="Igen")


def test_a_rejected_reallocation_is_kept_with_its_reason(plan, budget_2026, finance_officer):
    reallocation = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)
    prepare_reallocation(reallocation=reallocation, actor=actor(finance_officer))

    reject_reallocation(
        reallocation=reallocation, actor=actor(finance_officer), reason="KF avslog § 46"
    )

    reallocation.refresh_from_db()
    assert (reallocation.status, reallocation.rejection_reason) == ("avslagen", "KF avslog § 46")
    assert not FrameEntry.objects.filter(kind="andring").exists()


def test_the_council_list_holds_prepared_reallocations_for_the_council_only(
    plan, budget_2026, finance_officer, bildning_controller
):
    split_bildning_in_two()
    for_council = draft(plan, budget_2026, finance_officer, BETWEEN_COMMITTEES)
    prepare_reallocation(reallocation=for_council, actor=actor(finance_officer))
    for_committee = draft(
        plan, budget_2026, bildning_controller, [("grundskola", "0.5"), ("forskola", "-0.5")]
    )
    prepare_reallocation(reallocation=for_committee, actor=actor(finance_officer))

    assert [r.pk for r in awaiting_council(plan)] == [for_council.pk]


def test_only_the_plans_own_budget_year_can_be_changed(plan, finance_officer):
    budget_2025 = BudgetYear.objects.get(plan=plan, year=2025, kind=BudgetYear.Kind.BUDGET)

    with pytest.raises(ReallocationError, match="ändrar budgetåret 2026"):
        draft(plan, budget_2025, finance_officer, BETWEEN_COMMITTEES)

    assert not Reallocation.objects.exists()
