"""A committee's report as an Excel template: download it prefilled, fill it in, upload it.

See layout.py for the template's sheets, writer.py for the download and reader.py for
reading it back and saving it through the report workflow.
"""

from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from followup.reports.workbook.reader import (
    FilledTemplate,
    ImportResult,
    import_report_workbook,
    read_report_workbook,
)
from followup.reports.workbook.writer import build_report_workbook, filename, workbook_bytes

__all__ = [
    "BudgetWorkbookError",
    "FilledTemplate",
    "ImportResult",
    "WorkbookProblem",
    "build_report_workbook",
    "filename",
    "import_report_workbook",
    "read_report_workbook",
    "workbook_bytes",
]
