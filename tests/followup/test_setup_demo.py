"""make run's demo: the budget, the demo year and a login for each role, printed."""

from io import StringIO

from django.core.management import call_command

from budget.loader import read_toml
from tests.conftest import FIXTURES


def test_the_demo_prints_the_address_it_is_served_on_and_a_login_for_each_role(db):
    out = StringIO()

    call_command("setup_demo", "--url", "http://127.0.0.1:8001/", stdout=out)

    printed = out.getvalue()
    assert "Budgetuppföljning: http://127.0.0.1:8001/" in printed
    users = read_toml(FIXTURES / "demo-users.toml")
    assert f"Demoanvändare (lösenord: {users['password']}):" in printed
    for user in users["users"]:
        assert f"  {user['username']}" in printed
