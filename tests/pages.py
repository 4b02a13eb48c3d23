"""Pages as a persona sees them."""

from django.urls import reverse


def page_as(client, user, *args, **kwargs):
    """The page ``client.get(*args, **kwargs)`` fetches for ``user``, logged in; the page must be
    shown (status 200)."""
    client.force_login(user)
    response = client.get(*args, **kwargs)
    assert response.status_code == 200
    return response


def assert_sent_to_login(response):
    """``response`` sends a visitor who is not signed in to the login page."""
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The personas by role, as the tests name them: role -> the fixture of that persona.
PERSONAS = {
    "outsider": "outsider",
    "controller": "bildning_controller",
    "finance": "finance_officer",
    "councillor": "councillor",
    "secretary": "council_secretary",
    "administrator": "administrator",
}


def log_in_as(client, request, role):
    """Logs ``client`` in as the persona of ``role`` (a key of PERSONAS); "anonymous" stays
    logged out."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(PERSONAS[role]))
