from .actions import ActionPlan, Measure, MeasureFollowUp
from .calendar import ReportingPeriod
from .outcome import OutcomeImport, OutcomeMapping
from .reminders import Reminder
from .reports import BudgetProfile, Report, ReportLine

__all__ = [
    "ActionPlan",
    "BudgetProfile",
    "Measure",
    "MeasureFollowUp",
    "OutcomeImport",
    "OutcomeMapping",
    "Reminder",
    "Report",
    "ReportLine",
    "ReportingPeriod",
]
