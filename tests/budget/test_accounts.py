"""budget.accounts: users, roles and committees change only here, and every change is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from budget import accounts
from budget.accounts import AccessError
from budget.audit import Actor, Source
from budget.models import AuditEntry, Committee, Membership, Role

User = get_user_model()


@pytest.fixture
def actor(administrator):
    return Actor(user=administrator, source=Source.PAGE)


def committee(code):
    return Committee.objects.get(code=code)


def history_of(user):
    """(action, field, old, new) of the user's access entries, oldest first."""
    return [
        (e.action, e.field, e.old_value, e.new_value)
        for e in AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).order_by("at", "id")
    ]


def test_create_user_makes_an_account_without_a_password_with_its_roles_and_committees(
    actor, administrator
):
    user = accounts.create_user(
        username="karin",
        first_name="Karin",
        last_name="Berg",
        email="karin@example.se",
        roles=[Role.CONTROLLER],
        committees=[committee("bildningsnamnden")],
        actor=actor,
        reason="Ny controller, ärende KS 2026/12",
    )

    user.refresh_from_db()
    assert not user.has_usable_password()
    assert accounts.roles_of(user) == {Role.CONTROLLER.value}
    assert list(user.memberships.values_list("committee__code", flat=True)) == ["bildningsnamnden"]
    assert history_of(user) == [
        ("skapad", "", "", "Karin Berg (karin) karin@example.se"),
        ("andrad", "roll", "", "Controller"),
        ("andrad", "nämnd", "", "Bildningsnämnden"),
    ]
    entries = AuditEntry.objects.filter(object_id=str(user.pk), content_type__model="user")
    assert {e.reason for e in entries} == {"Ny controller, ärende KS 2026/12"}
    assert {e.user for e in entries} == {administrator}
    assert {e.source for e in entries} == {Source.PAGE}
    assert {e.area for e in entries} == {AuditEntry.Area.ACCESS}
    assert entries.get(field="nämnd").committee == committee("bildningsnamnden")


def test_create_user_refuses_a_username_taken_in_other_letter_case(actor, bildning_controller):
    before = User.objects.count()

    with pytest.raises(AccessError, match="finns redan"):
        accounts.create_user(username="CECILIA", actor=actor)

    assert User.objects.count() == before


def test_create_user_refuses_committees_without_the_controller_role_and_saves_nothing(actor):
    before = AuditEntry.objects.count()

    with pytest.raises(AccessError, match="Bara en controller"):
        accounts.create_user(
            username="per",
            roles=[Role.FINANCE],
            committees=[committee("bildningsnamnden")],
            actor=actor,
        )

    assert not User.objects.filter(username="per").exists()
    assert AuditEntry.objects.count() == before


def test_set_access_writes_only_the_difference(actor, bildning_controller):
    changes = accounts.set_access(
        user=bildning_controller,
        roles=[Role.CONTROLLER, Role.COUNCILLOR],
        committees=[committee("omsorgsnamnden")],
        actor=actor,
        reason="Byter nämnd",
    )

    assert changes == [
        "roll Förtroendevald tillagd",
        "Omsorgsnämnden tillagd",
        "Bildningsnämnden borttagen",
    ]
    assert set(bildning_controller.memberships.values_list("committee__code", flat=True)) == {
        "omsorgsnamnden"
    }
    assert history_of(bildning_controller) == [
        ("andrad", "roll", "", "Förtroendevald"),
        ("andrad", "nämnd", "", "Omsorgsnämnden"),
        ("andrad", "nämnd", "Bildningsnämnden", ""),
    ]


def test_set_access_without_a_difference_writes_nothing(actor, bildning_controller):
    changes = accounts.set_access(
        user=bildning_controller,
        roles=[Role.CONTROLLER],
        committees=[committee("bildningsnamnden")],
        actor=actor,
    )

    assert changes == []
    assert history_of(bildning_controller) == []


def test_set_access_removing_the_controller_role_requires_removing_the_committees(
    actor, bildning_controller
):
    with pytest.raises(AccessError, match="Bara en controller"):
        accounts.set_access(
            user=bildning_controller,
            roles=[Role.COUNCILLOR],
            committees=[committee("bildningsnamnden")],
            actor=actor,
        )

    assert accounts.roles_of(bildning_controller) == {Role.CONTROLLER.value}
    assert history_of(bildning_controller) == []


def test_set_access_refuses_the_finance_administration_as_a_committee(actor, bildning_controller):
    finance = Committee.objects.finance().first()

    with pytest.raises(AccessError, match="Finansförvaltningen"):
        accounts.set_access(
            user=bildning_controller,
            roles=[Role.CONTROLLER],
            committees=[finance],
            actor=actor,
        )

    assert not Membership.objects.filter(committee=finance).exists()
    assert history_of(bildning_controller) == []


def test_update_user_records_each_changed_field_with_old_and_new_value(actor, omsorg_controller):
    changes = accounts.update_user(
        user=omsorg_controller,
        first_name="Oskar",
        last_name="",
        email="oskar@example.se",
        is_active=False,
        roles=[Role.CONTROLLER],
        committees=[committee("omsorgsnamnden")],
        actor=actor,
        reason="Slutar",
    )

    omsorg_controller.refresh_from_db()
    assert not omsorg_controller.is_active
    assert omsorg_controller.email == "oskar@example.se"
    assert changes == ["förnamn", "e-postadress", "aktiv"]
    assert history_of(omsorg_controller) == [
        ("andrad", "förnamn", "", "Oskar"),
        ("andrad", "e-postadress", "", "oskar@example.se"),
        ("andrad", "aktiv", "ja", "nej"),
    ]


def test_update_user_refuses_to_deactivate_the_actor_themselves(actor, administrator):
    with pytest.raises(AccessError, match="ditt eget konto"):
        accounts.update_user(
            user=administrator,
            first_name="Adam",
            last_name="",
            email="",
            is_active=False,
            roles=[Role.ADMINISTRATOR],
            committees=[],
            actor=actor,
        )

    administrator.refresh_from_db()
    assert administrator.is_active
    assert administrator.first_name == ""
    assert history_of(administrator) == []


def test_the_last_administrator_cannot_lose_the_role(administrator):
    from budget.accounts import AccessError, set_access
    from budget.audit import Actor

    with pytest.raises(AccessError, match="minst en aktiv administratör"):
        set_access(user=administrator, roles=[], committees=[], actor=Actor(user=administrator))

    assert administrator.groups.filter(name="Administratör").exists()
