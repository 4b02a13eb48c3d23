"""What can be wrong with an uploaded workbook, said in Swedish with its place."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem: the sheet, row and column it is in (where it has one) and a message."""

    sheet: str = ""
    row: int | None = None
    column_letter: str = ""
    message: str = ""

    @property
    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Blad ”{self.sheet}”")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column_letter:
            parts.append(f"kolumn {self.column_letter}")
        return ", ".join(parts)

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message


class BudgetWorkbookError(Exception):
    """The workbook cannot be read in; ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
