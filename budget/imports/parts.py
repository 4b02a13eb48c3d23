"""The sheets the apps built on budget add to the budget workbook (budget.extensions
``WorkbookPart``): read with the plan's sheets, loaded after the plan."""

from budget import extensions

PARTS = "parts"  # the key of the loader's data under which the parts' data is kept


def part_sheets() -> tuple[str, ...]:
    return tuple(part.sheet for part in extensions.workbook_parts())


def read_parts(rows: dict, data: dict, problems) -> None:
    """Put the data of each part whose sheet the workbook has into ``data[PARTS]``; a
    part's problems are added to ``problems`` with its sheet's name."""
    for part in extensions.workbook_parts():
        if part.sheet not in rows:
            continue

        def problem(row, column, message, sheet=part.sheet):
            problems.add(sheet, row, column, message)

        data.setdefault(PARTS, {})[part.sheet] = part.read(rows[part.sheet], problem)


def load_parts(*, plan, data: dict, actor) -> list[str]:
    """Save each part's data after the plan; the sentences they return for the summary."""
    sentences = []
    read = data.get(PARTS, {})
    for part in extensions.workbook_parts():
        if part.sheet in read:
            sentence = part.load(plan=plan, data=read[part.sheet], actor=actor)
            if sentence:
                sentences.append(sentence)
    return sentences
