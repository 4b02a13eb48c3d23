"""Fixtures of the follow-up year: an open period and the committees the personas work for."""

import pytest

from budget.models import Committee
from followup.models import ReportingPeriod


@pytest.fixture
def march(plan):
    """The March period, open for reporting (it asks for outcome and a forecast)."""
    period = ReportingPeriod.objects.get(plan=plan, month=3)
    period.status = ReportingPeriod.Status.OPEN
    period.save()
    return period


@pytest.fixture
def bildning(plan):
    return Committee.objects.get(code="bildningsnamnden")


@pytest.fixture
def finance_lines(plan):
    return Committee.objects.get(code="finansforvaltningen")
