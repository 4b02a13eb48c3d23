"""Login is required everywhere, and the login page speaks Swedish."""

from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    make_password,
)
from django.urls import reverse


def test_login_page_is_in_swedish(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Logga in" in response.text
    assert "Användarnamn" in response.text


def test_wrong_password_gets_a_swedish_error(client, councillor):
    response = client.post(reverse("login"), {"username": "pia", "password": "fel"})

    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.text


def test_right_password_leads_to_the_years_dashboard(client, councillor):
    response = client.post(
        reverse("login"), {"username": "pia", "password": "pw-for-tests-1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("followup:dashboard", kwargs={"year": 2026})
    assert response.status_code == 200


def test_admin_requires_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302


def test_logout_is_a_post(client, councillor):
    client.force_login(councillor)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("budget:start")).status_code == 302


def test_repeated_wrong_passwords_lock_the_login(client, councillor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "pia", "password": "fel"})

    response = client.post(reverse("login"), {"username": "pia", "password": "pw-for-tests-1"})

    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.text
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_swedish_email_with_a_link(client, councillor, mailoutbox):
    councillor.email = "pia@example.org"
    councillor.save()

    response = client.post(reverse("password_reset"), {"email": "pia@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/konto/reset/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["pia@example.org"]


def test_a_signed_in_user_without_a_role_sees_no_budget(client, outsider):
    client.force_login(outsider)

    response = client.get(reverse("budget:overview", kwargs={"year": 2026}))

    assert response.status_code == 403
    assert "behörighet" in response.text


PRODUCTION_HASHERS = [
    "hedemora.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_a_new_password_is_hashed_with_argon2id_at_owasps_minimum(settings, db):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS

    encoded = make_password("ett-långt-lösenord")

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("ett-långt-lösenord", encoded)
    assert not check_password("ett-annat-lösenord", encoded)


def test_an_older_pbkdf2_hash_becomes_argon2id_at_the_next_login(client, councillor, settings):
    councillor.password = PBKDF2PasswordHasher().encode("pw-for-tests-1", "saltsaltsalt", 1000)
    councillor.save(update_fields=["password"])
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS

    response = client.post(reverse("login"), {"username": "pia", "password": "pw-for-tests-1"})

    assert response.status_code == 302
    councillor.refresh_from_db()
    assert councillor.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_argon2_hash_with_other_parameters_is_brought_to_ours_at_the_next_login(
    client, councillor, settings
):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    councillor.password = Argon2PasswordHasher().encode("pw-for-tests-1", "saltsaltsalt")
    councillor.save(update_fields=["password"])
    assert "m=102400" in councillor.password

    client.post(reverse("login"), {"username": "pia", "password": "pw-for-tests-1"})

    councillor.refresh_from_db()
    assert "m=19456,t=2,p=1" in councillor.password
