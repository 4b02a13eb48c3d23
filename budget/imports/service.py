"""Reading a budget workbook into the database: all of it, or nothing."""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction

from budget.audit import Actor, Source
from budget.imports.parts import load_parts
from budget.imports.problems import BudgetWorkbookError, WorkbookProblem
from budget.imports.reader import read_budget_workbook
from budget.imports.signs import check_cost_signs
from budget.loader import LoadResult, PlanDataError, load_plan

logger = logging.getLogger(__name__)


def import_budget_workbook(
    fileobj,
    *,
    actor: Actor | None = None,
    reason: str = "",
    max_bytes: int | None = None,
    flip_cost_signs: bool = False,
) -> LoadResult:
    """Check the file, read the plan from it and load it in one transaction.

    Raises BudgetWorkbookError listing every problem (in Swedish); then nothing is saved.
    A workbook whose committees' net costs are printed positive is refused
    (signs.CostSignsPrintedPositive) unless ``flip_cost_signs``: then they are turned
    (budget.imports.signs says which figures), the summary says what was turned and every
    history entry of the import gives it as part of its reason.
    """
    if max_bytes is None:
        max_bytes = settings.BUDGET_UPLOAD_MAX_BYTES
    actor = actor or Actor(source=Source.IMPORT, name="Inläsning av arbetsbok")
    data = read_budget_workbook(fileobj, max_bytes=max_bytes)
    turned = check_cost_signs(data, turn=flip_cost_signs)
    if turned:
        reason = " ".join(part for part in (reason, turned.sentence()) if part)
    try:
        with transaction.atomic():
            result = load_plan(data, actor=actor, reason=reason)
            if flip_cost_signs:
                result.notes.append(turned.sentence())
            result.notes.extend(load_parts(plan=result.plan, data=data, actor=actor))
            return result
    except PlanDataError as exc:
        raise BudgetWorkbookError([WorkbookProblem(message=m) for m in exc.errors]) from exc
    except DatabaseError as exc:
        # The reader checks what the database would refuse; this is the last line.
        logger.exception("Budget workbook passed the checks but could not be saved")
        raise BudgetWorkbookError(
            [WorkbookProblem(message="Arbetsboken kunde inte sparas; ingenting har ändrats.")]
        ) from exc


def summary(result: LoadResult) -> str:
    """ "Mål och budget 2026 (Hedemora kommun): 3 nya, 1 ändrad och 370 oförändrade uppgifter.\""""
    plan = result.plan
    changed = "ändrad" if result.updated == 1 else "ändrade"
    unchanged = "oförändrad" if result.unchanged == 1 else "oförändrade"
    new = "ny" if result.created == 1 else "nya"
    return " ".join(
        (
            f"{plan.title} ({plan.municipality.name}): {result.created} {new}, "
            f"{result.updated} {changed} och {result.unchanged} {unchanged} uppgifter.",
            *result.notes,
        )
    )
