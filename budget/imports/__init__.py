"""Loading a budget from a budget workbook (the export's detail sheets)."""

from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from budget.imports.reader import read_budget_workbook
from budget.imports.safety import check_upload
from budget.imports.service import import_budget_workbook, summary

__all__ = [
    "BudgetWorkbookError",
    "WorkbookProblem",
    "check_upload",
    "import_budget_workbook",
    "read_budget_workbook",
    "summary",
]
