from budget.models.access import Membership
from budget.models.audit import AppendOnlyError, AuditEntry
from budget.models.facts import Company, CompanyForecast, KeyFact, StatedFigure
from budget.models.frames import FrameEntry
from budget.models.goals import FinancialIndicator, Goal, Indicator, Perspective, Vision
from budget.models.investments import InvestmentAmount, InvestmentLine
from budget.models.organisation import Activity, Administration, Committee, Municipality
from budget.models.plans import BudgetPlan, BudgetYear
from budget.models.statements import Statement, StatementAmount, StatementLine, SubtotalComponent
from budget.roles import Role  # not a model: kept here for the code that reads it from here

__all__ = [
    "AppendOnlyError",
    "AuditEntry",
    "Activity",
    "Administration",
    "BudgetPlan",
    "BudgetYear",
    "Committee",
    "Company",
    "CompanyForecast",
    "FinancialIndicator",
    "FrameEntry",
    "Goal",
    "Indicator",
    "InvestmentAmount",
    "InvestmentLine",
    "KeyFact",
    "Membership",
    "Municipality",
    "Perspective",
    "Role",
    "Statement",
    "StatementAmount",
    "StatementLine",
    "StatedFigure",
    "SubtotalComponent",
    "Vision",
]
