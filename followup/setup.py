"""A municipality's set-up from its own files, in production as in the demo.

A folder holds the municipality's files (fixtures/<kommun>/ is one):

- ``mal-och-budget-<år>.xlsx``, the budget workbook (export_budget's form, with the sheet
  Uppföljningskalender), or ``mal-och-budget-<år>.toml``, the data file (with
  ``[[calendar]]`` entries): the organisation, frames, finance lines, statements,
  investments, facts, goals and indicators, and the reporting calendar;
- ``ekonomisystem-kopplingar.toml`` (optional): the financial system's accounts and
  dimension values per activity, for outcome from SIE or CSV;
- ``kolada-kopplingar.toml`` (optional): which Kolada KPI gives each indicator's values.

Everything is loaded in one transaction, or nothing. Loading again changes only what the
files changed; nothing is removed, and what finance has changed in the application since
(a deadline, a mapping it stopped using) is kept. Demo data (users, reports) is never
loaded here: that is setup_demo's.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from budget.imports import BudgetWorkbookError, import_budget_workbook, summary
from budget.loader import PlanDataError, load_plan, read_toml
from followup.goals.kolada.mappings import KoladaMappingError, load_kolada_mappings
from followup.goals.kolada.references import comparison_group, references
from followup.outcome import MappingError, load_outcome_mapping_data
from followup.periods.calendar import load_plan_calendar

OUTCOME_MAPPINGS = "ekonomisystem-kopplingar.toml"
KOLADA_MAPPINGS = "kolada-kopplingar.toml"


class SetupError(PlanDataError):
    """The files cannot be loaded; ``errors`` lists every problem, in Swedish, with its file."""


@dataclass
class Loaded:
    """What was loaded: the plan, and a sentence per file."""

    plan: object = None
    sentences: list[str] = field(default_factory=list)


def budget_files(folder: Path) -> list[Path]:
    """The plan files of ``folder``: each year's workbook, or its data file."""
    by_year = {}
    for path in sorted(folder.glob("mal-och-budget-*.toml")) + sorted(
        folder.glob("mal-och-budget-*.xlsx")
    ):
        by_year.setdefault(path.stem, []).append(path)
    doubled = [paths for paths in by_year.values() if len(paths) > 1]
    if doubled:
        names = " och ".join(p.name for p in doubled[0])
        raise SetupError([f"{folder}: både {names}; ta bort den som inte gäller."])
    return [paths[0] for paths in by_year.values()]


@transaction.atomic
def load_municipality(path: Path, *, actor, flip_cost_signs: bool = False) -> Loaded:
    """Load the plan file ``path`` (a workbook or a data file) and the mapping files beside
    it. Raises SetupError, and saves nothing, when any file is wrong."""
    loaded = Loaded()
    if path.suffix == ".xlsx":
        try:
            with path.open("rb") as fh:
                result = import_budget_workbook(fh, actor=actor, flip_cost_signs=flip_cost_signs)
        except BudgetWorkbookError as exc:
            raise SetupError([f"{path.name}: {problem}" for problem in exc.problems]) from exc
        loaded.plan = result.plan
        loaded.sentences.append(summary(result))
    else:
        data = read_toml(path)
        try:
            result = load_plan(data, actor=actor)
        except PlanDataError as exc:
            raise SetupError([f"{path.name}: {error}" for error in exc.errors]) from exc
        periods = load_plan_calendar(plan=result.plan, data=data, actor=actor)
        loaded.plan = result.plan
        loaded.sentences.append(f"{summary(result)} Uppföljningskalendern: {periods} perioder.")
    folder = path.parent
    outcome_file = folder / OUTCOME_MAPPINGS
    if outcome_file.exists():
        try:
            count = load_outcome_mapping_data(
                municipality=loaded.plan.municipality, data=read_toml(outcome_file), actor=actor
            )
        except MappingError as exc:
            raise SetupError([f"{outcome_file.name}: {error}" for error in exc.errors]) from exc
        loaded.sentences.append(f"Kopplingar till ekonomisystemet: {count}.")
    kolada_file = folder / KOLADA_MAPPINGS
    if kolada_file.exists():
        try:
            made = load_kolada_mappings(plan=loaded.plan, data=read_toml(kolada_file), actor=actor)
        except KoladaMappingError as exc:
            raise SetupError([f"{kolada_file.name}: {error}" for error in exc.errors]) from exc
        sentence = f"Kopplingar till Kolada: {made} nya"
        group = comparison_group(loaded.plan)
        if group is not None:
            sentence += f", jämförelsegrupp {group.group_id}"
        count = len(references(loaded.plan))
        if count:
            sentence += f", {count} jämförelsetal (finansiella nyckeltal m.m.)"
        loaded.sentences.append(sentence + ".")
    return loaded
