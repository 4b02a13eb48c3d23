"""What can be wrong with an outcome file, said in Swedish with the line it is on."""

from dataclasses import dataclass

# A garbage file can have a problem on every line: list this many, then say there are more.
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class OutcomeProblem:
    message: str
    line: int | None = None

    def __str__(self):
        return f"Rad {self.line}: {self.message}" if self.line else self.message


class OutcomeFileError(Exception):
    """The file cannot be read in; ``problems`` lists every problem found. Nothing is saved."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Problems collected while a file is read, so that all of them are reported at once."""

    def __init__(self):
        self.items: list[OutcomeProblem] = []
        self.more = 0

    def add(self, message: str, line: int | None = None) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(OutcomeProblem(message=message, line=line))
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.items)

    def error(self) -> OutcomeFileError:
        """The problems in the file's order; those of the whole file (no line) first."""
        items = sorted(self.items, key=lambda p: (p.line is not None, p.line or 0))
        if self.more:
            items.append(OutcomeProblem(f"… och {self.more} fel till som inte visas."))
        return OutcomeFileError(items)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()


def refuse(message: str, line: int | None = None):
    raise OutcomeFileError([OutcomeProblem(message=message, line=line)])
