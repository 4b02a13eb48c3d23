"""Fixtures shared by the budget tests."""

from datetime import date

import pytest

from budget.exports import workbook_bytes

# The day the tests' budget workbook of the plan is exported on.
EXPORTED_ON = date(2026, 11, 27)


@pytest.fixture
def exported(plan, shared_data) -> bytes:
    """The plan's budget workbook as exported on EXPORTED_ON, from the plan as the test finds
    it: the same for every test, so made once per test process."""
    return shared_data.computed_once(
        "budget workbook", lambda: workbook_bytes(plan, today=EXPORTED_ON)
    )


@pytest.fixture
def staff_client(client, administrator):
    """The client logged in as the administrator, made staff so the admin site opens."""
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    return client
