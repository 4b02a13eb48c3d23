"""Loading a budget from a budget workbook (the export's detail sheets)."""

from .problems import BudgetWorkbookError, WorkbookProblem
from .reader import read_budget_workbook
from .safety import check_upload
from .service import import_budget_workbook, summary

__all__ = [
    "BudgetWorkbookError",
    "WorkbookProblem",
    "check_upload",
    "import_budget_workbook",
    "read_budget_workbook",
    "summary",
]
