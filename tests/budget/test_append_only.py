"""The audit trail is append-only: nothing in the application, the admin or (on PostgreSQL)
the database itself can change or delete an entry."""

import pytest
from django.contrib import admin
from django.urls import reverse

from budget.models import AppendOnlyError, AuditEntry
from tests.database import assert_refused_by_the_database, require_postgresql


@pytest.fixture
def entry(plan):
    return AuditEntry.objects.order_by("id").first()


@pytest.fixture
def superuser_client(client, django_user_model, plan):
    root = django_user_model.objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(root)
    return client


def test_saving_an_existing_entry_is_refused(entry):
    entry.reason = "Efterhandskonstruktion"

    with pytest.raises(AppendOnlyError):
        entry.save()

    entry.refresh_from_db()
    assert entry.reason == ""


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_updating_entries_through_a_queryset_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="Ändrad i efterhand")

    entry.refresh_from_db()
    assert entry.reason == ""


def test_deleting_entries_through_a_queryset_is_refused(entry):
    count = AuditEntry.objects.count()

    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.count() == count


def test_the_admin_offers_neither_add_change_nor_delete(rf, django_user_model):
    request = rf.get("/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    entry_admin = admin.site._registry[AuditEntry]

    assert entry_admin.has_add_permission(request) is False
    assert entry_admin.has_change_permission(request) is False
    assert entry_admin.has_delete_permission(request) is False


def test_the_admin_lists_entries_read_only(superuser_client, entry):
    changelist = superuser_client.get(reverse("admin:budget_auditentry_changelist"))
    change = superuser_client.get(reverse("admin:budget_auditentry_change", args=[entry.pk]))

    assert changelist.status_code == 200
    assert reverse("admin:budget_auditentry_add") not in changelist.text
    assert "delete_selected" not in changelist.text
    assert change.status_code == 200
    assert 'name="_save"' not in change.text


def test_a_superuser_cannot_delete_an_entry_through_the_admin(superuser_client, entry):
    url = reverse("admin:budget_auditentry_delete", args=[entry.pk])

    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_superuser_cannot_add_or_change_an_entry_through_the_admin(superuser_client, entry):
    add = superuser_client.post(reverse("admin:budget_auditentry_add"), {"reason": "Ny"})
    change = superuser_client.post(
        reverse("admin:budget_auditentry_change", args=[entry.pk]), {"reason": "Ändrad"}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


TRIGGER = "the append-only trigger of budget migration 0004"


@pytest.mark.postgres
def test_the_database_refuses_a_raw_update(entry):
    require_postgresql(TRIGGER)

    assert_refused_by_the_database(
        "UPDATE budget_auditentry SET reason = %s WHERE id = %s",
        ["Ändrad", entry.pk],
        "append-only",
    )

    entry.refresh_from_db()
    assert entry.reason == ""


@pytest.mark.postgres
def test_the_database_refuses_a_raw_delete(entry):
    require_postgresql(TRIGGER)

    assert_refused_by_the_database(
        "DELETE FROM budget_auditentry WHERE id = %s", [entry.pk], "append-only"
    )

    assert AuditEntry.objects.filter(pk=entry.pk).exists()
