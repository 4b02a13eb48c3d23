"""The budget workbook: the adopted plan as an Excel council paper."""

from budget.exports.workbook import (
    CONTENT_TYPE,
    build_workbook,
    filename,
    workbook_bytes,
    write_budget_workbook,
)

__all__ = ["CONTENT_TYPE", "build_workbook", "filename", "workbook_bytes", "write_budget_workbook"]
