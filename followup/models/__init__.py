from .actions import ActionPlan, Measure, MeasureFollowUp
from .calendar import ReportingPeriod
from .outcome import OutcomeImport, OutcomeMapping
from .reallocations import Reallocation, ReallocationLine
from .reminders import Reminder
from .reports import BudgetProfile, Report, ReportLine

__all__ = [
    "ActionPlan",
    "BudgetProfile",
    "Measure",
    "MeasureFollowUp",
    "OutcomeImport",
    "OutcomeMapping",
    "Reallocation",
    "ReallocationLine",
    "Reminder",
    "Report",
    "ReportLine",
    "ReportingPeriod",
]
