"""Shared fixtures: the municipality's adopted plan, the demo year and the personas of STYLE.md.

Data that many tests read is built once per test process and shared (``SharedData``): the
plan (with its calendar), and on top of it the demo follow-up year and the demo investment
projects. Each test still runs in its own transaction (a savepoint inside the shared one),
so whatever a test changes is gone before the next test, exactly as if the data had been
loaded for it alone. Tests that need real transactions (``transactional_db``, the live
server) get an empty database and load what they need themselves.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from budget.loader import load_plan, read_toml
from budget.models import BudgetPlan, Committee, Membership, Role
from budget.reports.snapshot import PlanSnapshot
from followup.investments.demo import load_demo_investments
from followup.periods.calendar import load_plan_calendar
from followup.reports.demo import load_demo_followup

# The asserts of the shared helpers report their values as the tests' own asserts do.
pytest.register_assert_rewrite("tests.pages")

# Tests open connections from threads (the live server, concurrency tests): with
# persistent connections one may outlive its thread and keep PostgreSQL from dropping
# the test database at the end of the run.
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "hedemora"
PLAN_FILE = FIXTURES / "mal-och-budget-2026.toml"
DEMO_FOLLOWUP = FIXTURES / "demo-uppfoljning-2026.toml"
DEMO_INVESTMENTS = FIXTURES / "demo-investeringar-2026.toml"


@pytest.fixture(scope="session")
def plan_data():
    """The source document's figures, as the data file holds them (read once)."""
    return read_toml(PLAN_FILE)


# --- Data shared by the tests of one process ------------------------------------------------
#
# A level is what a test finds in the database before it starts; each level holds the one
# before it. The fixture that asks for a level names it here.
PLAN, DEMO, DEMO_WITH_INVESTMENTS = "plan", "demo", "demo+investments"
DEMO_AS_RUN = "setup_demo"  # all that make run loads: also reallocations, finance's figures
LEVELS = (PLAN, DEMO, DEMO_WITH_INVESTMENTS, DEMO_AS_RUN)
LEVEL_OF_FIXTURE = {
    "plan": PLAN,
    "demo_year": DEMO,
    "demo_investments": DEMO_WITH_INVESTMENTS,
    "demo_as_run": DEMO_AS_RUN,
}
# Not a level: leave the database as it is (a test that never touches it).
UNTOUCHED = "untouched"


def needs_real_transactions(item) -> bool:
    """A test with real transactions (transactional_db, the live server) shares nothing."""
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return bool(
        names & {"transactional_db", "live_server", "django_db_reset_sequences"}
        or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


def level_of(item) -> str | None:
    """What ``item`` needs in the database: a level, None (empty) or UNTOUCHED."""
    if needs_real_transactions(item):
        return None
    names = set(getattr(item, "fixturenames", ()))
    wanted = [LEVELS.index(LEVEL_OF_FIXTURE[n]) for n in names if n in LEVEL_OF_FIXTURE]
    if wanted:
        return LEVELS[max(wanted)]
    return None if (item.get_closest_marker("django_db") or "db" in names) else UNTOUCHED


class SharedData:
    """The shared data of one test process, in a transaction that is never committed."""

    def __init__(self, blocker, plan_data):
        self._blocker = blocker
        self._plan_data = plan_data
        self._atomic = None
        self.level = None
        self.plan_pk = None
        self._computed = {}

    def switch(self, level) -> None:
        if level == UNTOUCHED or level == self.level:
            return
        self._computed.clear()
        if self._can_add_up_to(level):
            self._add_up_to(level)
            return
        self.release()
        if level is None:
            return
        with self._blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                plan = _load_plan(self._plan_data)
                if level == DEMO_AS_RUN:
                    _setup_demo()
                else:
                    for added in LEVELS[1 : LEVELS.index(level) + 1]:
                        ADDED_BY[added](plan)
            except BaseException:
                # A level that cannot be built leaves no open transaction behind: on
                # PostgreSQL that would hold locks a later test's flush waits for.
                self.release()
                raise
        self.plan_pk = plan.pk
        self.level = level

    def _can_add_up_to(self, level) -> bool:
        """The level holds the present one and more (the demo year, its investments): what it
        adds is loaded on top, the same rows as a level built from scratch (each test's
        savepoint took back whatever the test did) without loading the plan again."""
        return (
            self.level is not None
            and level in ADDED_BY
            and LEVELS.index(self.level) < LEVELS.index(level)
        )

    def _add_up_to(self, level) -> None:
        with self._blocker.unblock():
            plan = BudgetPlan.objects.get(pk=self.plan_pk)
            try:
                for added in LEVELS[LEVELS.index(self.level) + 1 : LEVELS.index(level) + 1]:
                    ADDED_BY[added](plan)
            except BaseException:
                self.release()
                raise
        self.level = level

    def release(self) -> None:
        """Roll the shared data back: the database is empty again."""
        if self._atomic is None:
            return
        with self._blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None
        self.level = None
        self.plan_pk = None

    def has(self, level) -> bool:
        return self.level is not None and LEVELS.index(self.level) >= LEVELS.index(level)

    def computed_once(self, key: str, compute):
        """``compute()``, computed by the first test that asks and handed to the next ones as
        long as the shared data stays as it is. Only for what is read from the shared data as
        every test finds it, before the test changes anything; without shared data (a test
        with real transactions) it is computed each time."""
        if self.level is None:
            return compute()
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]


def _add_demo_year(plan) -> None:
    load_demo_followup(read_toml(DEMO_FOLLOWUP), plan=plan)


def _add_demo_investments(plan) -> None:
    load_demo_investments(read_toml(DEMO_INVESTMENTS), plan=plan)


# What each level adds to the one before it. DEMO_AS_RUN is not among them: setup_demo loads
# everything in an order of its own, so that level is always built from scratch.
ADDED_BY = {DEMO: _add_demo_year, DEMO_WITH_INVESTMENTS: _add_demo_investments}


def _setup_demo():
    """The demo as ``make run`` loads it, in its order (finance's figures for August
    before the follow-up publishes it)."""
    call_command("setup_demo", stdout=StringIO())


def _load_plan(plan_data):
    result = load_plan(plan_data)
    load_plan_calendar(plan=result.plan, data=plan_data)
    return result.plan


_shared: SharedData | None = None
_wanted = UNTOUCHED


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a test's fixtures: bring the shared data to what the test needs."""
    global _wanted
    _wanted = level_of(item)
    if _shared is not None:
        _shared.switch(_wanted)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that need the same shared data run one after the other; those that need real
    transactions last (after pytest-django's own order, which this keeps)."""
    rank = {None: 0, UNTOUCHED: 0, **{level: i + 1 for i, level in enumerate(LEVELS)}}

    def key(item):
        return (needs_real_transactions(item), rank[level_of(item)])

    items[:] = sorted(items, key=key)


@pytest.fixture(scope="session")
def shared_data(django_db_setup, django_db_blocker, plan_data):
    """The shared data, built for the first test that asks for it (before its transaction)."""
    global _shared
    _shared = SharedData(django_db_blocker, plan_data)
    _shared.switch(_wanted)
    yield _shared
    _shared.release()
    _shared = None


@pytest.fixture
def plan(shared_data, db, plan_data):
    """The municipality's adopted Mål och budget 2026, with its follow-up calendar.

    Shared between tests (see SharedData); in a test with real transactions, loaded for it.
    """
    if shared_data.has(PLAN):
        return BudgetPlan.objects.select_related("municipality").get(pk=shared_data.plan_pk)
    return _load_plan(plan_data)


@pytest.fixture
def demo_year(plan, shared_data):
    """The demo follow-up year on the plan: Feb–Sep reported, approved and published,
    October open with two drafts and one submitted report; action plans for
    Bildningsnämnden and Omsorgsnämnden. Returns the plan."""
    if not shared_data.has(DEMO):
        _add_demo_year(plan)
    return plan


@pytest.fixture
def demo_investments(demo_year, shared_data):
    """The demo year with the demo investment projects followed up. Returns the plan."""
    if not shared_data.has(DEMO_WITH_INVESTMENTS):
        _add_demo_investments(demo_year)
    return demo_year


@pytest.fixture
def demo_as_run(plan, shared_data):
    """All that ``make run`` loads (setup_demo): the demo year, the investments, the
    reallocations, finance's figures for the interim report and the demo users. Returns
    the plan."""
    if not shared_data.has(DEMO_AS_RUN):
        _setup_demo()
    return plan


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
def finance_colleague(plan, django_user_model):
    """A second finance officer: the four eyes that approve what the first one handed in."""
    return _user(django_user_model, "erik", Role.FINANCE)


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
def _own_cache_keys_emptied_at_the_start():
    """The cache holds nothing of an earlier run of this worker (Redis outlives a run);
    each worker empties only its own keys (tests/cache.py)."""
    from tests.cache import clear_own_keys

    clear_own_keys()


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
