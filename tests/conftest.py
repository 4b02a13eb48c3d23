"""Shared fixtures: the municipality's adopted plan and the personas of STYLE.md."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from budget.loader import load_plan, read_toml
from budget.models import Committee, Membership, Role
from budget.reports.snapshot import PlanSnapshot
from followup.periods.calendar import load_plan_calendar

# Tests open connections from threads (the live server, concurrency tests): with
# persistent connections one may outlive its thread and keep PostgreSQL from dropping
# the test database at the end of the run.
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0

PLAN_FILE = Path(settings.BASE_DIR) / "fixtures" / "hedemora" / "mal-och-budget-2026.toml"


@pytest.fixture(scope="session")
def plan_data():
    """The source document's figures, as the data file holds them (read once)."""
    return read_toml(PLAN_FILE)


@pytest.fixture
def plan(db, plan_data):
    """Hedemora's adopted Mål och budget 2026, loaded into the test database."""
    result = load_plan(plan_data)
    load_plan_calendar(plan=result.plan, data=plan_data)
    return result.plan


@pytest.fixture
def snapshot(plan):
    return PlanSnapshot(plan)


def _user(django_user_model, username, role=None, committees=()):
    user = django_user_model.objects.create_user(username=username, password="pw-for-tests-1")
    if role is not None:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    for code in committees:
        Membership.objects.create(user=user, committee=Committee.objects.get(code=code))
    return user


@pytest.fixture
def bildning_controller(plan, django_user_model):
    """A controller of Bildningsnämnden."""
    return _user(django_user_model, "cecilia", Role.CONTROLLER, ["bildningsnamnden"])


@pytest.fixture
def omsorg_controller(plan, django_user_model):
    """A controller of Omsorgsnämnden."""
    return _user(django_user_model, "oskar", Role.CONTROLLER, ["omsorgsnamnden"])


@pytest.fixture
def finance_officer(plan, django_user_model):
    return _user(django_user_model, "eva", Role.FINANCE)


@pytest.fixture
def councillor(plan, django_user_model):
    return _user(django_user_model, "pia", Role.COUNCILLOR)


@pytest.fixture
def council_secretary(plan, django_user_model):
    """The council secretary (kommunsekreterare), who prepares kommunfullmäktige's agenda."""
    return _user(django_user_model, "sara", Role.SECRETARY)


@pytest.fixture
def administrator(plan, django_user_model):
    return _user(django_user_model, "adam", Role.ADMINISTRATOR)


@pytest.fixture
def outsider(plan, django_user_model):
    """Signed in, but with no role at all."""
    return _user(django_user_model, "olle")


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Close connections other threads left open before the test database is dropped.

    A browser may keep an HTTP connection to the live server alive past its test; the
    server's request thread then still holds a database connection, and PostgreSQL
    refuses to drop a database in use.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
