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


def test_right_password_leads_to_the_budget(client, councillor):
    response = client.post(
        reverse("login"), {"username": "pia", "password": "pw-for-tests-1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("budget:overview", kwargs={"year": 2026})
    assert response.status_code == 200


def test_admin_requires_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302


def test_logout_is_a_post(client, councillor):
    client.force_login(councillor)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("budget:start")).status_code == 302
