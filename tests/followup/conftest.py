"""Fixtures of the follow-up year: an open period, the committees the personas work for and
finance as the author of what it enters."""

from datetime import date

import pytest

from budget.audit import Actor, Source
from budget.loader import read_toml
from budget.models import Committee
from followup.goals.kolada.mappings import load_kolada_mappings
from followup.models import ReportingPeriod
from followup.papers import interim_report_workbook
from tests.followup.kolada import MAPPING_FILE, FakeOpener, fake_client
from tests.followup.periods import period_of
from tests.followup.reallocations import budget_year


@pytest.fixture
def march(plan):
    """The March period, open for reporting (it asks for outcome and a forecast)."""
    return period_of(plan, 3, ReportingPeriod.Status.OPEN)


@pytest.fixture
def by_finance(finance_officer):
    """The finance officer as the author of what finance enters on a page."""
    return Actor(user=finance_officer, source=Source.PAGE)


@pytest.fixture
def bildning(plan):
    return Committee.objects.get(code="bildningsnamnden")


@pytest.fixture
def finance_lines(plan):
    return Committee.objects.get(code="finansforvaltningen")


@pytest.fixture
def budget_2026(plan):
    """The plan's budget year 2026, the year the reallocations change."""
    return budget_year(plan, 2026)


@pytest.fixture
def april(plan):
    """An open month that asks for outcome only."""
    return period_of(plan, 4, ReportingPeriod.Status.OPEN)


@pytest.fixture
def august(plan):
    """The interim report's period (delårsrapporten), open: it asks for a forecast."""
    return period_of(plan, 8, ReportingPeriod.Status.OPEN)


@pytest.fixture
def published_august(plan):
    """The interim report's period, published."""
    return period_of(plan, 8, ReportingPeriod.Status.PUBLISHED)


# The day the tests' interim report of August is made on.
INTERIM_REPORT_DAY = date(2026, 11, 20)


@pytest.fixture
def august_interim_report(published_august, shared_data) -> bytes:
    """The interim report of published_august, made on INTERIM_REPORT_DAY from the data as
    the test finds it: the same for every test that reads it before changing anything, so
    made once per test process."""
    return shared_data.computed_once(
        "interim report of August",
        lambda: interim_report_workbook.workbook_bytes(published_august, today=INTERIM_REPORT_DAY),
    )


@pytest.fixture
def kolada_mappings(plan):
    """The plan's Kolada mappings, comparison group and references as Hedemora's data file
    (MAPPING_FILE) gives them."""
    load_kolada_mappings(plan=plan, data=read_toml(MAPPING_FILE))


@pytest.fixture
def kolada_answers(monkeypatch):
    """Kolada as the page and the command import_kolada reach it: their client answers from
    this opener's list (add to its answers) instead of the network."""
    opener = FakeOpener()
    for module in ("followup.views.kolada", "followup.management.commands.import_kolada"):
        monkeypatch.setattr(f"{module}.KoladaClient", lambda: fake_client(opener))
    return opener
