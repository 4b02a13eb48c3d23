from .calendar import ReportingPeriod

__all__ = ["ReportingPeriod"]
