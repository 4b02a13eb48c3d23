"""The plan's reporting periods as the tests need them."""

from budget.models import Committee
from followup.models import ReportingPeriod
from followup.reports.figures import MunicipalityResult, period_overview, surplus_target_share


def period_of(plan, month, status=None):
    """The plan's period of ``month``, given ``status`` first when one is named."""
    period = ReportingPeriod.objects.get(plan=plan, month=month)
    if status is not None:
        period.status = status
        period.save()
    return period


def overview(period):
    """``period``'s overview from the domain (period_overview): a row per committee of its
    plan."""
    return period_overview(period, Committee.objects.of_plan(period.plan).with_activities())


def municipality_result(period, rows):
    """The municipality's result of ``rows`` (``period``'s overview), measured against its
    plan's surplus target."""
    return MunicipalityResult.of(rows, target_share=surplus_target_share(period.plan))
