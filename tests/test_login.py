"""Login is required everywhere, and the login page speaks Swedish."""

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
