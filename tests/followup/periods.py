"""The plan's reporting periods as the tests need them."""

from followup.models import ReportingPeriod


def period_of(plan, month, status=None):
    """The plan's period of ``month``, given ``status`` first when one is named."""
    period = ReportingPeriod.objects.get(plan=plan, month=month)
    if status is not None:
        period.status = status
        period.save()
    return period
