from .actions import ActionPlan, Measure
from .calendar import ReportingPeriod
from .reports import BudgetProfile, Report, ReportLine

__all__ = ["ActionPlan", "BudgetProfile", "Measure", "Report", "ReportLine", "ReportingPeriod"]
