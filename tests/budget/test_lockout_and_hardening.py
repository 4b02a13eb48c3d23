"""A lock-out that protects rather than excludes, and small hardening.

Failed logins lock a user name from the client's own address, also behind the reverse
proxy; an administrator sees a locked user and unlocks them; signed-in pages are never
cached; the database refuses to empty the history; a controller has a committee.
"""

import ipaddress

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from budget import accounts
from budget.append_only import ALLOW_TRUNCATE
from budget.models import AuditEntry, Committee, Role
from hedemora.security import client_ip, parse_networks
from tests.budget.test_access_pages import NEW_CONTROLLER, edit_data
from tests.database import require_postgresql
from tests.test_settings import fresh_process

User = get_user_model()

PROXY = "127.0.0.1"
FINANCE_DESK = "10.20.0.15"
ATTACKER = "10.20.0.99"


def sign_in(client, username, password, *, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail_until_locked(client, settings, username, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "fel", **where)


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = parse_networks(PROXY)
    settings.AXES_FAILURE_LIMIT = 3


# --- The client's address behind the proxy --------------------------------------------------


def request_from(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.post("/konto/login/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from(rf, PROXY, f"{FINANCE_DESK}")) == PROXY


def test_a_trusted_proxy_names_the_client(rf, settings):
    settings.TRUSTED_PROXIES = parse_networks(PROXY)

    assert client_ip(request_from(rf, PROXY, FINANCE_DESK)) == FINANCE_DESK


def test_the_rightmost_untrusted_address_counts_not_what_the_client_wrote(rf, settings):
    """The client writes what it likes to the left; the proxy appends the real address."""
    settings.TRUSTED_PROXIES = parse_networks(f"{PROXY}, 192.168.5.0/24")

    request = request_from(rf, PROXY, f"{FINANCE_DESK}, {ATTACKER}, 192.168.5.7")

    assert client_ip(request) == ATTACKER


def test_a_header_from_an_untrusted_address_is_not_believed(rf, settings):
    settings.TRUSTED_PROXIES = parse_networks(PROXY)

    assert client_ip(request_from(rf, ATTACKER, FINANCE_DESK)) == ATTACKER


@pytest.mark.parametrize("forwarded", [None, "", "inte-en-adress", f"{PROXY}"])
def test_without_a_usable_client_address_the_proxy_address_stays(rf, settings, forwarded):
    settings.TRUSTED_PROXIES = parse_networks(PROXY)

    assert client_ip(request_from(rf, PROXY, forwarded)) == PROXY


def test_trusted_proxies_are_addresses_or_networks():
    assert parse_networks(" 127.0.0.1 , 10.0.0.0/8,::1 ,") == [
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    ]
    with pytest.raises(ValueError):
        parse_networks("proxy.hedemora.se")


def test_the_settings_read_trusted_proxies_and_refuse_a_name():
    def settings_with(value):
        return fresh_process(
            ["-c", "from django.conf import settings; print(settings.TRUSTED_PROXIES)"],
            {"DJANGO_SETTINGS_MODULE": "hedemora.settings", "TRUSTED_PROXIES": value},
        )

    read = settings_with("127.0.0.1,10.1.0.0/16")
    refused = settings_with("proxy.hedemora.se")

    assert read.returncode == 0, read.stderr
    assert "IPv4Network('10.1.0.0/16')" in read.stdout
    assert refused.returncode != 0
    assert "TRUSTED_PROXIES must list addresses or networks" in refused.stderr


def test_an_attacker_behind_the_proxy_cannot_lock_out_the_finance_officer(
    client, finance_officer, behind_the_proxy, settings
):
    fail_until_locked(client, settings, "eva", forwarded=ATTACKER)
    # Writing the finance desk's address into the header does not help either.
    fail_until_locked(client, settings, "eva", forwarded=f"{FINANCE_DESK}, {ATTACKER}")

    response = sign_in(client, "eva", "pw-for-tests-1", forwarded=FINANCE_DESK)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(finance_officer.pk)


def test_the_attacker_is_locked_out_from_their_own_address(
    client, finance_officer, behind_the_proxy, settings
):
    fail_until_locked(client, settings, "eva", forwarded=ATTACKER)

    response = sign_in(client, "eva", "pw-for-tests-1", forwarded=ATTACKER)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- Signed-in pages are never cached -------------------------------------------------------


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "url",
    [
        reverse("budget:overview", kwargs={"year": 2026}),
        reverse("budget:export", kwargs={"year": 2026}),
        reverse("budget:comparison", kwargs={"year": 2026}) + "?export=xlsx",
        reverse("budget:users"),  # refused: a councillor is no administrator
    ],
)
def test_every_answer_to_a_signed_in_user_is_no_store(client, councillor, url):
    client.force_login(councillor)

    response = client.get(url)

    assert response.status_code in (200, 403)
    assert {"no-store", "private"} <= cache_control(response)


def test_the_answer_that_signs_someone_in_is_no_store(client, councillor):
    response = sign_in(client, "pia", "pw-for-tests-1")

    assert response.status_code == 302
    assert "no-store" in cache_control(response)


# --- A controller has a committee -----------------------------------------------------------

NO_COMMITTEE = "En controller måste knytas till minst en nämnd."


def test_a_controller_without_a_committee_is_not_created(client, administrator):
    client.force_login(administrator)
    before = AuditEntry.objects.count()

    response = client.post(reverse("budget:user_create"), NEW_CONTROLLER)

    assert response.status_code == 200
    assert NO_COMMITTEE in response.context["form"].non_field_errors()
    assert NO_COMMITTEE in response.text
    assert not User.objects.filter(username=NEW_CONTROLLER["username"]).exists()
    assert AuditEntry.objects.count() == before


def test_the_last_committee_of_a_controller_is_not_taken_away(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    data = edit_data(client, bildning_controller, committees=[], first_name="Cecilia")
    before = AuditEntry.objects.count()

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 200
    assert NO_COMMITTEE in response.context["form"].non_field_errors()
    bildning_controller.refresh_from_db()
    assert bildning_controller.first_name == ""
    assert [m.committee.code for m in bildning_controller.memberships.all()] == ["bildningsnamnden"]
    assert AuditEntry.objects.count() == before


def test_a_councillor_is_not_made_controller_without_a_committee(client, administrator, councillor):
    client.force_login(administrator)
    data = edit_data(client, councillor, roles=[Role.COUNCILLOR.value, Role.CONTROLLER.value])

    response = client.post(reverse("budget:user_edit", kwargs={"pk": councillor.pk}), data)

    assert NO_COMMITTEE in response.context["form"].non_field_errors()
    assert accounts.roles_of(councillor) == {Role.COUNCILLOR.value}


def test_a_controller_keeps_the_role_with_another_committee(
    client, administrator, bildning_controller
):
    client.force_login(administrator)
    omsorg = Committee.objects.get(code="omsorgsnamnden")
    data = edit_data(client, bildning_controller, committees=[omsorg.pk])

    response = client.post(reverse("budget:user_edit", kwargs={"pk": bildning_controller.pk}), data)

    assert response.status_code == 302
    assert [m.committee for m in bildning_controller.memberships.all()] == [omsorg]


# --- The database refuses to empty the history ----------------------------------------------

TRUNCATE_TRIGGER = "the TRUNCATE trigger of budget migration 0011"


def session_allows_truncate(cursor, allowed: bool) -> None:
    """The test suite's connections allow TRUNCATE (tests/settings.py); a production
    session does not."""
    cursor.execute(f"SET LOCAL {ALLOW_TRUNCATE} = '{'on' if allowed else 'off'}'")
    # The shared data's foreign keys are checked now: TRUNCATE refuses pending checks.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
def test_the_database_refuses_to_truncate_the_history(plan):
    require_postgresql(TRUNCATE_TRIGGER)
    count = AuditEntry.objects.count()

    with pytest.raises(DatabaseError, match="Historiken kan inte tömmas"):
        with transaction.atomic(), connection.cursor() as cursor:
            session_allows_truncate(cursor, False)
            cursor.execute("TRUNCATE budget_auditentry CASCADE")

    assert count > 0
    assert AuditEntry.objects.count() == count


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("followup_reportnote", "Rapporternas trådar kan inte tömmas"),
        ("followup_periodrecord", "Publicerade periodernas uppgifter kan inte tömmas"),
    ],
)
def test_the_database_refuses_to_truncate_the_report_threads_and_period_records(
    plan, table, message
):
    require_postgresql("the TRUNCATE triggers of followup migration 0022")

    with pytest.raises(DatabaseError, match=message):
        with transaction.atomic(), connection.cursor() as cursor:
            session_allows_truncate(cursor, False)
            cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.postgres
def test_manage_py_flush_leaves_the_history_and_everything_else(plan):
    require_postgresql(TRUNCATE_TRIGGER)
    count = AuditEntry.objects.count()

    with transaction.atomic():
        with connection.cursor() as cursor:
            session_allows_truncate(cursor, False)
        with pytest.raises(CommandError, match="couldn't be flushed"):
            call_command("flush", interactive=False, verbosity=0)
        # Back to the savepoint: the session's settings above must not outlive the test
        # (the shared data's transaction goes on; immediate constraints would break the
        # deferred balance check of reallocations in later tests).
        transaction.set_rollback(True)

    assert AuditEntry.objects.count() == count
    assert Committee.objects.exists()


@pytest.mark.postgres
def test_a_session_that_says_so_may_empty_the_history(plan):
    require_postgresql(TRUNCATE_TRIGGER)

    with transaction.atomic():
        with connection.cursor() as cursor:
            session_allows_truncate(cursor, True)
            cursor.execute("TRUNCATE budget_auditentry CASCADE")
        assert not AuditEntry.objects.exists()
        transaction.set_rollback(True)

    assert AuditEntry.objects.exists()


# --- An administrator unlocks a user --------------------------------------------------------


def unlock_url(user):
    return reverse("budget:user_unlock", kwargs={"pk": user.pk})


def edit_page(client, user):
    return client.get(reverse("budget:user_edit", kwargs={"pk": user.pk}))


def test_the_user_page_shows_where_a_user_is_locked_out(
    client, finance_officer, administrator, behind_the_proxy, settings
):
    fail_until_locked(client, settings, "eva", forwarded=ATTACKER)
    client.force_login(administrator)

    page = edit_page(client, finance_officer)

    assert [lock.address for lock in page.context["lockouts"]] == [ATTACKER]
    assert page.context["lockouts"][0].failures == settings.AXES_FAILURE_LIMIT
    assert "Spärrad för inloggning" in page.text
    assert ATTACKER in page.text
    assert f'action="{unlock_url(finance_officer)}"' in page.text
    assert ">Lås upp</button>" in page.text


def test_the_list_of_users_marks_who_is_locked_out(
    client, finance_officer, councillor, administrator, behind_the_proxy, settings
):
    fail_until_locked(client, settings, "eva", forwarded=ATTACKER)
    sign_in(client, "pia", "fel", forwarded=ATTACKER)
    client.force_login(administrator)

    response = client.get(reverse("budget:users"))

    account = {r.record.username: r.get_cell("is_active") for r in response.context["table"].rows}
    assert "Spärrad för inloggning" in account["eva"]
    assert "Aktivt" in account["pia"]
    assert "Aktivt" in account["adam"]


def test_fewer_failures_than_the_limit_lock_nobody(
    client, finance_officer, administrator, behind_the_proxy
):
    sign_in(client, "eva", "fel", forwarded=ATTACKER)
    client.force_login(administrator)

    page = edit_page(client, finance_officer)

    assert page.context["lockouts"] == []
    assert "Lås upp" not in page.text


def test_unlocking_lets_the_user_in_again_and_is_recorded(
    client, finance_officer, administrator, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    fail_until_locked(client, settings, "eva")
    assert sign_in(client, "eva", "pw-for-tests-1").status_code == 429
    client.force_login(administrator)

    response = client.post(unlock_url(finance_officer), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "budget:user_edit", kwargs={"pk": finance_officer.pk}
    )
    assert "eva är upplåst och kan logga in igen." in response.text
    assert response.context["lockouts"] == []
    entry = AuditEntry.objects.filter(field="inloggningsspärr").get()
    assert (entry.user, entry.object_id, entry.area) == (
        administrator,
        str(finance_officer.pk),
        AuditEntry.Area.ACCESS,
    )
    assert (entry.old_value, entry.new_value) == ("spärrad från 127.0.0.1", "upplåst")
    assert entry in response.context["entries"]
    client.logout()
    signed_in = sign_in(client, "eva", "pw-for-tests-1")
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(finance_officer.pk)


def test_unlocking_a_user_who_is_not_locked_records_nothing(client, finance_officer, administrator):
    client.force_login(administrator)
    before = AuditEntry.objects.count()

    response = client.post(unlock_url(finance_officer), follow=True)

    assert "eva var inte spärrad för inloggning." in response.text
    assert AuditEntry.objects.count() == before


def test_unlocking_forgets_only_that_user_name(
    client, finance_officer, councillor, administrator, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    fail_until_locked(client, settings, "eva")
    fail_until_locked(client, settings, "pia")
    client.force_login(administrator)

    client.post(unlock_url(finance_officer))

    assert accounts.login_lockouts(finance_officer) == []
    assert [lock.address for lock in accounts.login_lockouts(councillor)] == [PROXY]


@pytest.mark.parametrize("who", ["councillor", "finance_officer", "bildning_controller"])
def test_only_an_administrator_unlocks(client, request, finance_officer, settings, who):
    settings.AXES_FAILURE_LIMIT = 3
    fail_until_locked(client, settings, "eva")
    client.force_login(request.getfixturevalue(who))

    response = client.post(unlock_url(finance_officer))

    assert response.status_code == 403
    assert len(accounts.login_lockouts(finance_officer)) == 1
    assert not AuditEntry.objects.filter(field="inloggningsspärr").exists()


def test_unlocking_is_a_post_with_the_csrf_token(client, finance_officer, administrator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail_until_locked(client, settings, "eva")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(administrator)

    assert strict.get(unlock_url(finance_officer)).status_code == 405
    assert strict.post(unlock_url(finance_officer)).status_code == 403
    assert len(accounts.login_lockouts(finance_officer)) == 1
