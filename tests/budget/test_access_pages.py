"""Access pages: Mina nämnder for controllers; users, roles and committees for administrators."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from budget import accounts
from budget.audit import Actor, Source
from budget.models import AuditEntry, Committee, Membership, Role
from budget.views import access
from tests.pages import assert_sent_to_login, page_as

User = get_user_model()

ADMIN_PAGES = [
    ("budget:users", False),
    ("budget:user_create", False),
    ("budget:user_edit", True),
]


def admin_url(name, needs_pk, user):
    return reverse(name, kwargs={"pk": user.pk}) if needs_pk else reverse(name)


def password_link_url(user):
    return reverse("budget:user_reset_password", kwargs={"pk": user.pk})


def send_password_link(client, user, capture_on_commit, **kwargs):
    """POST to the user's password link page, running the on-commit callbacks (the e-mail)."""
    with capture_on_commit(execute=True):
        return client.post(password_link_url(user), **kwargs)


def committee(code):
    return Committee.objects.get(code=code)


def access_entries(user):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        area=AuditEntry.Area.ACCESS,
    ).order_by("at", "id")


def edit_data(client, user, **changes):
    """The edit form as the page shows it (version token included), with changes.

    The fixtures' users have no names or e-mail, which the form requires: they get some.
    """
    initial = (
        client.get(reverse("budget:user_edit", kwargs={"pk": user.pk})).context["form"].initial
    )
    data = {
        "first_name": initial["first_name"] or "Förnamn",
        "last_name": initial["last_name"] or "Efternamn",
        "email": initial["email"] or "person@example.se",
        "is_active": "on" if initial["is_active"] else "",
        "roles": initial["roles"],
        "committees": initial["committees"],
        "version": initial["version"],
        "reason": "Ärende KS 2026/40",
        **changes,
    }
    return {k: v for k, v in data.items() if v != ""}


# --- Who may open the pages -------------------------------------------------------------


@pytest.mark.parametrize(("name", "needs_pk"), [*ADMIN_PAGES, ("budget:my_committees", False)])
def test_anonymous_visitor_is_sent_to_the_login_page(client, plan, outsider, name, needs_pk):
    response = client.get(admin_url(name, needs_pk, outsider))

    assert_sent_to_login(response)


@pytest.mark.parametrize("persona", ["finance_officer", "councillor", "outsider"])
@pytest.mark.parametrize(("name", "needs_pk"), [*ADMIN_PAGES, ("budget:my_committees", False)])
def test_finance_councillor_and_outsider_get_403_on_every_access_page(
    client, request, persona, name, needs_pk, bildning_controller
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(admin_url(name, needs_pk, bildning_controller))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "needs_pk"), ADMIN_PAGES)
def test_controller_gets_403_on_the_user_pages(
    client, bildning_controller, omsorg_controller, name, needs_pk
):
    client.force_login(bildning_controller)

    response = client.get(admin_url(name, needs_pk, omsorg_controller))

    assert response.status_code == 403


def test_unknown_user_is_404(client, administrator):
    client.force_login(administrator)
    missing = User.objects.order_by("-pk").first().pk + 1

    edit = client.get(reverse("budget:user_edit", kwargs={"pk": missing}))
    reset = client.post(reverse("budget:user_reset_password", kwargs={"pk": missing}))

    assert edit.status_code == 404
    assert reset.status_code == 404


# --- Mina nämnder -----------------------------------------------------------------------


def test_controller_sees_only_own_committees_with_this_years_frame(
    client, bildning_controller, omsorg_controller
):
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    assert response.status_code == 200
    assert [r["committee"].code for r in response.context["rows"]] == ["bildningsnamnden"]
    assert "Bildningsnämnden" in response.text
    assert "Omsorgsnämnden" not in response.text
    assert "\u2212523,3" in response.text
    assert reverse("budget:committee", kwargs={"year": 2026, "code": "bildningsnamnden"}) in (
        response.text
    )


def test_controllers_committees_are_shown_in_the_documents_order(client, bildning_controller):
    Membership.objects.create(user=bildning_controller, committee=committee("omsorgsnamnden"))
    Membership.objects.create(user=bildning_controller, committee=committee("valnamnden"))
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    shown = [r["committee"] for r in response.context["rows"]]
    assert shown == sorted(shown, key=lambda c: (c.position, c.pk))
    assert len(shown) == 3


def test_mina_namnder_says_reporting_opens_with_the_next_period(
    client, bildning_controller, monkeypatch
):
    monkeypatch.setattr(access, "today", lambda: datetime.date(2026, 3, 15))
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    assert "när ekonomiavdelningen öppnar en period" in response.text
    assert "Månadsrapport mars 2026" in response.text
    assert "ekonomisk uppföljning med prognos och planerade åtgärder" in response.text


def test_mina_namnder_lists_the_open_and_late_report_to_hand_in(
    client, bildning_controller, monkeypatch
):
    """October is open and its deadline passed; the controller's report is a draft."""
    from followup.models import ReportingPeriod
    from followup.reports.workflow import open_report

    october = ReportingPeriod.objects.get(plan__year=2026, month=10)
    october.status = ReportingPeriod.Status.OPEN
    october.save()
    open_report(
        committee=committee("bildningsnamnden"),
        period=october,
        actor=Actor(user=bildning_controller),
    )
    monkeypatch.setattr(access, "today", lambda: datetime.date(2026, 11, 20))
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    (item,) = response.context["to_do"]
    assert (item["committee"].code, item["period"].month, item["state"]) == (
        "bildningsnamnden",
        10,
        "Utkast",
    )
    assert item["late"] is True
    assert "Försenad" in response.text
    assert (
        reverse("followup:report", kwargs={"year": 2026, "month": 10, "code": "bildningsnamnden"})
        in response.text
    )
    assert "inget för dig att fylla i" not in response.text


def test_after_the_last_period_mina_namnder_says_there_are_no_more(
    client, bildning_controller, monkeypatch
):
    monkeypatch.setattr(access, "today", lambda: datetime.date(2027, 1, 10))
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    assert response.context["period"] is None
    assert "inga fler rapportperioder" in response.text


def test_controller_without_committees_is_told_to_contact_the_administrator(
    client, bildning_controller
):
    bildning_controller.memberships.all().delete()
    client.force_login(bildning_controller)

    response = client.get(reverse("budget:my_committees"))

    assert response.status_code == 200
    assert "Kontakta administratören" in response.text


def test_administrator_who_is_no_controller_gets_403_on_mina_namnder(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("budget:my_committees"))

    assert response.status_code == 403


# --- The list of users --------------------------------------------------------------------


def test_users_list_shows_names_roles_and_committees(client, administrator, bildning_controller):
    bildning_controller.first_name, bildning_controller.last_name = "Cecilia", "Ek"
    bildning_controller.save()
    client.force_login(administrator)

    response = client.get(reverse("budget:users"))

    assert response.status_code == 200
    row = next(r for r in response.context["table"].rows if r.record == bildning_controller)
    assert row.get_cell("roles") == "Controller"
    assert row.get_cell("committees") == "Bildningsnämnden"
    edit_url = reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk})
    assert f'<a href="{edit_url}">Cecilia Ek</a>' in response.text


def test_users_list_filters_by_role_and_by_active(
    client, administrator, bildning_controller, omsorg_controller, councillor
):
    omsorg_controller.is_active = False
    omsorg_controller.save()
    client.force_login(administrator)

    controllers = client.get(reverse("budget:users"), {"roll": Role.CONTROLLER.value})
    active_controllers = client.get(
        reverse("budget:users"), {"roll": Role.CONTROLLER.value, "aktiv": "ja"}
    )
    inactive = client.get(reverse("budget:users"), {"aktiv": "nej"})

    def usernames(response):
        return {u.username for u in response.context["table"].data}

    assert usernames(controllers) == {"cecilia", "oskar"}
    assert usernames(active_controllers) == {"cecilia"}
    assert usernames(inactive) == {"oskar"}


def test_users_list_sorts_by_a_column(client, administrator, bildning_controller, councillor):
    client.force_login(administrator)

    response = client.get(reverse("budget:users"), {"sort": "-username"})

    names = [row.record.username for row in response.context["table"].page.object_list]
    assert names == sorted(names, reverse=True)


def test_users_list_pages_by_25_with_a_bounded_number_of_queries(
    client, administrator, django_assert_max_num_queries
):
    for i in range(40):
        accounts.create_user(
            username=f"user{i:02d}",
            first_name="Test",
            last_name=f"Person {i:02d}",
            roles=[Role.CONTROLLER],
            committees=[committee("bildningsnamnden"), committee("omsorgsnamnden")],
            actor=Actor(source=Source.COMMAND),
        )
    client.force_login(administrator)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("budget:users"))

    assert response.status_code == 200
    table = response.context["table"]
    assert len(table.page.object_list) == 25
    assert table.paginator.num_pages == 2


# --- Creating a user ----------------------------------------------------------------------


NEW_CONTROLLER = {
    "username": "karin",
    "first_name": "Karin",
    "last_name": "Berg",
    "email": "karin.berg@example.se",
    "roles": [Role.CONTROLLER.value],
    "reason": "Ny controller, ärende KS 2026/12",
}


def test_administrator_creates_a_controller_who_gets_a_link_to_choose_a_password(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    bildning = committee("bildningsnamnden")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budget:user_create"), {**NEW_CONTROLLER, "committees": [bildning.pk]}
        )

    assert response.status_code == 302
    assert response.url == reverse("budget:users")
    user = User.objects.get(username="karin")
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == (
        "Karin",
        "Berg",
        NEW_CONTROLLER["email"],
    )
    assert accounts.roles_of(user) == {Role.CONTROLLER.value}
    assert [m.committee for m in user.memberships.all()] == [bildning]
    entries = list(access_entries(user))
    assert [(e.action, e.field, e.new_value) for e in entries] == [
        ("skapad", "", "Karin Berg (karin) karin.berg@example.se"),
        ("andrad", "roll", "Controller"),
        ("andrad", "nämnd", "Bildningsnämnden"),
    ]
    assert {(e.reason, e.user, e.source) for e in entries} == {
        (NEW_CONTROLLER["reason"], administrator, Source.PAGE)
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["karin.berg@example.se"]
    assert mail.outbox[0].subject == "Ditt konto i Budgetuppföljning"
    link = re.search(r"http://testserver(/konto/reset/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    confirm = client.get(link, follow=True)
    assert confirm.context["validlink"] is True


def test_created_user_is_announced_in_swedish(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("budget:user_create"),
        {**NEW_CONTROLLER, "committees": [committee("bildningsnamnden").pk]},
        follow=True,
    )

    assert "Användaren Karin Berg (karin) är skapad" in response.text


def test_committees_without_the_controller_role_are_refused_and_nothing_is_saved(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    before = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budget:user_create"),
            {
                **NEW_CONTROLLER,
                "roles": [Role.FINANCE.value],
                "committees": [committee("bildningsnamnden").pk],
            },
        )

    assert response.status_code == 200
    assert "Bara en controller kan knytas till nämnder." in response.text
    assert 'value="karin"' in response.text
    assert not User.objects.filter(username="karin").exists()
    assert AuditEntry.objects.count() == before
    assert mail.outbox == []


def test_a_username_taken_in_other_letter_case_is_refused(
    client, administrator, bildning_controller
):
    client.force_login(administrator)

    response = client.post(reverse("budget:user_create"), {**NEW_CONTROLLER, "username": "Cecilia"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Användarnamnet ”Cecilia” finns redan."]
    assert User.objects.filter(username__iexact="cecilia").count() == 1


def test_an_invalid_email_address_is_refused(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("budget:user_create"), {**NEW_CONTROLLER, "email": "karin.example.se"}
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="karin").exists()


def test_creating_without_a_reason_is_refused(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("budget:user_create"), {**NEW_CONTROLLER, "reason": ""})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not User.objects.filter(username="karin").exists()


def test_a_controller_cannot_create_users(client, bildning_controller):
    client.force_login(bildning_controller)

    response = client.post(reverse("budget:user_create"), NEW_CONTROLLER)

    assert response.status_code == 403
    assert not User.objects.filter(username="karin").exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_user_create_refuses_other_methods(client, administrator, method):
    client.force_login(administrator)

    response = getattr(client, method)(reverse("budget:user_create"))

    assert response.status_code == 405


# --- Editing a user -----------------------------------------------------------------------


def test_edit_page_shows_the_current_access_and_its_history(client, administrator):
    user = accounts.create_user(
        username="karin",
        roles=[Role.CONTROLLER],
        committees=[committee("bildningsnamnden")],
        actor=Actor(user=administrator, source=Source.PAGE),
        reason="Ny controller",
    )
    response = page_as(client, administrator, reverse("budget:user_edit", kwargs={"pk": user.pk}))

    form = response.context["form"]
    assert form.initial["roles"] == [Role.CONTROLLER.value]
    assert form.initial["committees"] == [committee("bildningsnamnden").pk]
    assert [e.field for e in response.context["entries"]] == ["nämnd", "roll", ""]
    assert "Ny controller" in response.text


def test_removing_a_committee_deletes_the_membership_and_records_the_old_value(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    data = edit_data(client, bildning_controller, committees=[committee("omsorgsnamnden").pk])
    entries_before = access_entries(bildning_controller).count()

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 302
    assert set(bildning_controller.memberships.values_list("committee__code", flat=True)) == {
        "omsorgsnamnden"
    }
    new = list(access_entries(bildning_controller)[entries_before:])
    removed = [e for e in new if e.field == "nämnd" and e.old_value]
    assert [(e.old_value, e.new_value, e.reason, e.user) for e in removed] == [
        ("Bildningsnämnden", "", "Ärende KS 2026/40", administrator)
    ]
    assert sorted(e.field for e in new) == [
        "e-postadress",
        "efternamn",
        "förnamn",
        "nämnd",
        "nämnd",
    ]


def test_a_stale_version_token_is_refused_and_nothing_changes(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    data = edit_data(client, bildning_controller, committees=[])
    data["roles"] = [Role.COUNCILLOR.value]
    # Meanwhile another administrator adds Omsorgsnämnden.
    accounts.set_access(
        user=bildning_controller,
        roles=[Role.CONTROLLER],
        committees=[committee("bildningsnamnden"), committee("omsorgsnamnden")],
        actor=Actor(user=administrator, source=Source.PAGE),
    )
    entries_before = access_entries(bildning_controller).count()

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 200
    assert "Någon annan har ändrat användaren" in response.text
    assert "Ärende KS 2026/40</textarea>" in response.text
    assert accounts.roles_of(bildning_controller) == {Role.CONTROLLER.value}
    assert set(bildning_controller.memberships.values_list("committee__code", flat=True)) == {
        "bildningsnamnden",
        "omsorgsnamnden",
    }
    assert access_entries(bildning_controller).count() == entries_before


def test_a_missing_version_token_is_refused_as_stale(client, administrator, bildning_controller):
    client.force_login(administrator)
    data = edit_data(client, bildning_controller, committees=[], roles=[], version="")

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 200
    assert "Någon annan har ändrat användaren" in response.text
    assert bildning_controller.memberships.count() == 1


def test_administrator_cannot_deactivate_themselves(client, administrator):
    client.force_login(administrator)
    data = edit_data(client, administrator, is_active="")

    response = client.post(reverse("budget:user_edit", kwargs={"pk": administrator.pk}), data)

    assert response.status_code == 200
    assert "Du kan inte stänga av ditt eget konto." in response.text
    administrator.refresh_from_db()
    assert administrator.is_active
    assert administrator.first_name == ""
    assert access_entries(administrator).count() == 0


def test_administrator_deactivates_another_user(client, administrator, omsorg_controller):
    client.force_login(administrator)
    data = edit_data(client, omsorg_controller, is_active="")

    response = client.post(reverse("budget:user_edit", kwargs={"pk": omsorg_controller.pk}), data)

    assert response.status_code == 302
    omsorg_controller.refresh_from_db()
    assert not omsorg_controller.is_active
    assert access_entries(omsorg_controller).filter(field="aktiv").get().new_value == "nej"


def test_a_committee_that_does_not_exist_is_a_form_error_and_nothing_changes(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    missing = Committee.objects.order_by("-pk").first().pk + 1
    data = edit_data(client, bildning_controller, committees=[missing])

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 200
    assert "committees" in response.context["form"].errors
    assert bildning_controller.memberships.get().committee.code == "bildningsnamnden"
    assert access_entries(bildning_controller).count() == 0


def test_the_finance_administration_cannot_be_chosen_as_a_committee(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    finance = Committee.objects.finance().first()
    data = edit_data(client, bildning_controller, committees=[finance.pk])

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 200
    assert "committees" in response.context["form"].errors
    assert not Membership.objects.filter(committee=finance).exists()


def test_a_controller_posting_to_another_users_edit_page_gets_403_and_nothing_changes(
    client, bildning_controller, omsorg_controller
):
    client.force_login(bildning_controller)

    response = client.post(
        reverse("budget:user_edit", kwargs={"pk": omsorg_controller.pk}),
        {
            "first_name": "X",
            "last_name": "Y",
            "email": "x@example.se",
            "is_active": "on",
            "roles": [Role.ADMINISTRATOR.value],
            "committees": [committee("bildningsnamnden").pk],
            "reason": "Försök",
        },
    )

    assert response.status_code == 403
    omsorg_controller.refresh_from_db()
    assert omsorg_controller.first_name == ""
    assert accounts.roles_of(omsorg_controller) == {Role.CONTROLLER.value}
    assert access_entries(omsorg_controller).count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_user_edit_refuses_other_methods(client, administrator, bildning_controller, method):
    client.force_login(administrator)

    response = getattr(client, method)(
        reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk})
    )

    assert response.status_code == 405


# --- Sending a password link --------------------------------------------------------------


def test_administrator_sends_a_password_link_and_it_is_audited(
    client, administrator, bildning_controller, django_capture_on_commit_callbacks
):
    bildning_controller.email = "cecilia@example.se"
    bildning_controller.save()
    client.force_login(administrator)

    response = send_password_link(client, bildning_controller, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk})
    entry = access_entries(bildning_controller).get()
    assert entry.field == "lösenordsåterställning skickad"
    assert entry.user == administrator
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cecilia@example.se"]
    assert "/konto/reset/" in mail.outbox[0].body


def test_no_password_link_for_a_user_without_email(
    client, administrator, bildning_controller, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    response = send_password_link(
        client, bildning_controller, django_capture_on_commit_callbacks, follow=True
    )

    assert response.status_code == 200
    assert "har ingen e-postadress" in response.text
    assert access_entries(bildning_controller).count() == 0
    assert mail.outbox == []


def test_get_on_reset_password_is_405(client, administrator, bildning_controller):
    client.force_login(administrator)

    response = client.get(password_link_url(bildning_controller))

    assert response.status_code == 405


def test_a_controller_cannot_send_password_links(
    client, bildning_controller, omsorg_controller, django_capture_on_commit_callbacks
):
    omsorg_controller.email = "oskar@example.se"
    omsorg_controller.save()
    client.force_login(bildning_controller)

    response = send_password_link(client, omsorg_controller, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert access_entries(omsorg_controller).count() == 0
    assert mail.outbox == []


# --- The admin site's user pages ----------------------------------------------------------


def test_admin_shows_roles_read_only_with_a_link_to_the_user_page(
    staff_client, bildning_controller
):
    response = staff_client.get(reverse("admin:auth_user_change", args=[bildning_controller.pk]))

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "groups" not in form_fields
    assert "user_permissions" not in form_fields
    assert "is_superuser" not in form_fields
    assert "Roller och nämnder ändras under Användare i Budgetuppföljning" in response.text
    assert reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}) in response.text


def test_admin_cannot_add_or_delete_users(staff_client, bildning_controller):
    add = staff_client.get(reverse("admin:auth_user_add"))
    delete = staff_client.post(
        reverse("admin:auth_user_delete", args=[bildning_controller.pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert User.objects.filter(pk=bildning_controller.pk).exists()


def test_admin_edit_of_name_email_and_active_is_audited_field_by_field(
    staff_client, administrator, bildning_controller
):
    url = reverse("admin:auth_user_change", args=[bildning_controller.pk])
    form = staff_client.get(url).context["adminform"].form
    assert {"username", "first_name", "email", "is_active"} <= set(form.fields)
    data = {"username": "cecilia", "first_name": "Cecilia", "email": "cecilia@example.se"}
    # is_active is left out: unchecked.

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    bildning_controller.refresh_from_db()
    assert not bildning_controller.is_active
    assert accounts.roles_of(bildning_controller) == {Role.CONTROLLER.value}
    entries = access_entries(bildning_controller)
    assert sorted((e.field, e.old_value, e.new_value) for e in entries) == [
        ("aktiv", "ja", "nej"),
        ("e-postadress", "", "cecilia@example.se"),
        ("förnamn", "", "Cecilia"),
    ]
    assert {(e.user, e.source) for e in entries} == {(administrator, Source.ADMIN)}


def test_admin_cannot_deactivate_their_own_account(staff_client, administrator):
    url = reverse("admin:auth_user_change", args=[administrator.pk])

    form = staff_client.get(url).context["adminform"].form

    assert "is_active" not in form.fields


def test_admin_setting_a_password_is_audited(staff_client, administrator, bildning_controller):
    url = reverse("admin:auth_user_password_change", args=[bildning_controller.pk])

    response = staff_client.post(
        url,
        {
            "usable_password": "true",
            "password1": "Sk0g-och-sjö-2026",
            "password2": "Sk0g-och-sjö-2026",
        },
    )

    assert response.status_code == 302
    bildning_controller.refresh_from_db()
    assert bildning_controller.check_password("Sk0g-och-sjö-2026")
    entry = access_entries(bildning_controller).get()
    assert (entry.field, entry.new_value, entry.source) == (
        "lösenord",
        "nytt lösenord satt",
        Source.ADMIN,
    )
