"""The budget workbook: the adopted plan as an Excel council paper."""

from budget.exports.workbook import (
    build_workbook,
    filename,
    workbook_bytes,
    write_budget_workbook,
)

__all__ = ["build_workbook", "filename", "workbook_bytes", "write_budget_workbook"]
