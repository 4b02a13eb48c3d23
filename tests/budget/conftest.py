"""Fixtures shared by the budget tests."""

import pytest


@pytest.fixture
def staff_client(client, administrator):
    """The client logged in as the administrator, made staff so the admin site opens."""
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    return client
