"""The admin site: administrators manage the organisation, every save is audited,
amounts are read-only and nothing financial can be deleted."""

import pytest
from django.urls import reverse

from budget.models import AuditEntry, Committee, FrameEntry


def test_administrator_renames_a_committee_and_the_change_is_audited(staff_client, administrator):
    committee = Committee.objects.get(code="valnamnden")
    url = reverse("admin:budget_committee_change", args=[committee.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": "Valnämnden (ny)",
            "municipality": committee.municipality_id,
            "activities-TOTAL_FORMS": "1",
            "activities-INITIAL_FORMS": "1",
            "activities-0-id": committee.activities.get().pk,
            "activities-0-committee": committee.pk,
            "activities-0-code": "valnamnden",
            "activities-0-name": "Allmänna val",
            "activities-0-position": "0",
        }
    )
    data.pop("administration", None)

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    committee.refresh_from_db()
    assert committee.name == "Valnämnden (ny)"
    entry = AuditEntry.objects.get(field="namn", content_type__model="committee")
    assert entry.old_value == "Valnämnden"
    assert entry.new_value == "Valnämnden (ny)"
    assert entry.user == administrator
    assert entry.source == AuditEntry.Source.ADMIN


def test_nothing_financial_can_be_deleted_in_the_admin(staff_client):
    entry = FrameEntry.objects.first()
    committee = Committee.objects.first()

    frame_delete = staff_client.post(
        reverse("admin:budget_frameentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    committee_delete = staff_client.post(
        reverse("admin:budget_committee_delete", args=[committee.pk]), {"post": "yes"}
    )

    assert frame_delete.status_code == 403
    assert committee_delete.status_code == 403
    assert FrameEntry.objects.filter(pk=entry.pk).exists()


def test_amounts_are_read_only_in_the_admin(staff_client):
    entry = FrameEntry.objects.first()

    response = staff_client.post(
        reverse("admin:budget_frameentry_change", args=[entry.pk]), {"amount": "1"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.amount != 1


@pytest.mark.parametrize("persona", ["bildning_controller", "councillor", "outsider"])
def test_other_roles_cannot_use_the_admin_even_as_staff(client, request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(user)

    index = client.get(reverse("admin:index"))
    committees = client.get(reverse("admin:budget_committee_changelist"))

    assert "budget" not in [app["app_label"] for app in index.context["app_list"]]
    assert committees.status_code == 403


def test_finance_can_read_the_ledger_in_the_admin_but_not_change_the_organisation(
    client, finance_officer
):
    finance_officer.is_staff = True
    finance_officer.save()
    client.force_login(finance_officer)

    ledger = client.get(reverse("admin:budget_frameentry_changelist"))
    committee = client.get(
        reverse("admin:budget_committee_change", args=[Committee.objects.first().pk])
    )

    assert ledger.status_code == 200
    assert committee.status_code == 403
