"""A reallocation as an Excel template: download it blank for a year, fill it in, upload it
(or load it with ``manage.py import_reallocation``). Both paths save through
``followup.reallocations.workflow.save_draft``, so an unbalanced reallocation is never saved.

See layout.py for the template's sheets, writer.py for the download and reader.py for
reading it back.
"""

from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from followup.reallocations.workbook.reader import (
    FilledTemplate,
    ImportResult,
    budget_year_of,
    import_reallocation_workbook,
    read_reallocation_workbook,
)
from followup.reallocations.workbook.writer import build_template, filename, template_bytes

__all__ = [
    "BudgetWorkbookError",
    "FilledTemplate",
    "ImportResult",
    "WorkbookProblem",
    "budget_year_of",
    "build_template",
    "filename",
    "import_reallocation_workbook",
    "read_reallocation_workbook",
    "template_bytes",
]
