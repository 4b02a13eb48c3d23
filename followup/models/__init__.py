from .accounts import BalanceInputs, EarlierDeficit, StatementFigure
from .actions import ActionPlan, Measure, MeasureFollowUp
from .calendar import ReportingPeriod
from .indicators import FinancialIndicatorValue, GoalAnalysis, IndicatorValue, KoladaMapping
from .investments import (
    CarryOver,
    CompanyPeriodForecast,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
)
from .outcome import OutcomeImport, OutcomeMapping
from .reallocations import Reallocation, ReallocationLine
from .reminders import Reminder
from .reports import BudgetProfile, Report, ReportLine

__all__ = [
    "ActionPlan",
    "BalanceInputs",
    "EarlierDeficit",
    "FinancialIndicatorValue",
    "GoalAnalysis",
    "IndicatorValue",
    "KoladaMapping",
    "StatementFigure",
    "BudgetProfile",
    "CarryOver",
    "CompanyPeriodForecast",
    "InvestmentProject",
    "Measure",
    "MeasureFollowUp",
    "OutcomeImport",
    "OutcomeMapping",
    "ProjectBudget",
    "ProjectFollowUp",
    "Reallocation",
    "ReallocationLine",
    "Reminder",
    "Report",
    "ReportLine",
    "ReportingPeriod",
]
