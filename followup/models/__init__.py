from followup.models.actions import ActionPlan, Measure, MeasureFollowUp
from followup.models.calendar import ReportingPeriod
from followup.models.indicators import (
    FinancialIndicatorValue,
    GoalAnalysis,
    IndicatorValue,
    KoladaMapping,
)
from followup.models.investments import (
    CarryOver,
    CompanyPeriodForecast,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
)
from followup.models.kolada import KoladaFigure, KoladaGroup, KoladaReference
from followup.models.notes import ReportNote
from followup.models.outcome import OutcomeImport, OutcomeMapping
from followup.models.reallocations import Reallocation, ReallocationLine
from followup.models.records import PeriodRecord
from followup.models.reminders import Reminder
from followup.models.reports import BudgetProfile, Report, ReportLine
from followup.models.statements import BalanceInputs, EarlierDeficit, StatementFigure

__all__ = [
    "ActionPlan",
    "BalanceInputs",
    "EarlierDeficit",
    "FinancialIndicatorValue",
    "GoalAnalysis",
    "IndicatorValue",
    "KoladaFigure",
    "KoladaGroup",
    "KoladaMapping",
    "KoladaReference",
    "StatementFigure",
    "BudgetProfile",
    "CarryOver",
    "CompanyPeriodForecast",
    "InvestmentProject",
    "Measure",
    "MeasureFollowUp",
    "OutcomeImport",
    "OutcomeMapping",
    "PeriodRecord",
    "ProjectBudget",
    "ProjectFollowUp",
    "Reallocation",
    "ReallocationLine",
    "Reminder",
    "Report",
    "ReportLine",
    "ReportNote",
    "ReportingPeriod",
]
