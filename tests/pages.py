"""Pages as a persona sees them."""


def page_as(client, user, *args, **kwargs):
    """The page ``client.get(*args, **kwargs)`` fetches for ``user``, logged in; the page must be
    shown (status 200)."""
    client.force_login(user)
    response = client.get(*args, **kwargs)
    assert response.status_code == 200
    return response
