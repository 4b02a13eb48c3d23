"""Lists start from what the user may see: visible_to(user), never all rows then hidden."""

from budget.models import BudgetPlan, Committee, Membership


def test_a_user_without_a_role_sees_no_committee_and_no_plan(outsider):
    assert not Committee.objects.visible_to(outsider).exists()
    assert not BudgetPlan.objects.visible_to(outsider).exists()


def test_every_role_sees_the_adopted_plan_and_its_committees(councillor, bildning_controller):
    for user in (councillor, bildning_controller):
        assert BudgetPlan.objects.visible_to(user).count() == 1
        assert Committee.objects.visible_to(user).count() == Committee.objects.count()


def test_a_controller_sees_only_their_own_memberships(bildning_controller, omsorg_controller):
    visible = Membership.objects.visible_to(bildning_controller)

    assert [m.committee.code for m in visible] == ["bildningsnamnden"]


def test_an_administrator_sees_every_membership(
    administrator, bildning_controller, omsorg_controller
):
    assert Membership.objects.visible_to(administrator).count() == 2
