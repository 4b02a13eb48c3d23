from .access import Membership, Role
from .audit import AppendOnlyError, AuditEntry
from .facts import Company, CompanyForecast, KeyFact, StatedFigure
from .frames import FrameEntry
from .goals import FinancialIndicator, Goal, Indicator, Perspective, Vision
from .investments import InvestmentAmount, InvestmentLine
from .organisation import Activity, Administration, Committee, Municipality
from .plans import BudgetPlan, BudgetYear
from .statements import Statement, StatementAmount, StatementLine, SubtotalComponent

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
