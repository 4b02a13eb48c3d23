"""What a file of outcome says per activity, and what in it belongs to no activity."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budget.models import Activity, Committee
from followup.models import OutcomeMapping
from followup.outcome import csv, files, sie
from followup.outcome.problems import Problems, refuse


@dataclass
class Outcome:
    """What a file says: the outcome to date per activity (net kronor, costs negative).

    A wrong row whose committee is known is that committee's problem
    (``committee_problems``): the committee gets nothing from the file. A row that belongs
    to no committee (an unknown committee, an SIE object without a mapping, money without
    an object) is in ``skipped_rows``. ``ignored`` says, in Swedish, what the file holds
    that is not outcome of the period (later months, earlier years).
    """

    file_format: str
    amounts: dict  # activity id → amount
    first_line: dict  # activity id → the first line that gave it an amount
    rows: dict  # activity id → how many of the file's rows gave its amount
    committee_problems: dict = field(default_factory=dict)  # committee id → Problems
    skipped_rows: Problems = field(default_factory=Problems)
    ignored: list = field(default_factory=list)


def read_outcome(*, period, data: bytes, file_format: str, problems: Problems) -> Outcome:
    """The file's outcome per activity of the period's municipality; problems of the whole
    file are added to ``problems`` (or refused at once with OutcomeFileError)."""
    municipality = period.plan.municipality
    if file_format == files.SIE:
        return _from_sie(period, municipality, data, problems)
    return _from_csv(municipality, data)


def _from_csv(municipality, data) -> Outcome:
    rows = csv.read_csv(data)
    committees = {c.code.lower(): c for c in Committee.objects.filter(municipality=municipality)}
    activities = defaultdict(list)  # code → activities of any committee with that code
    for a in Activity.objects.filter(committee__municipality=municipality).select_related(
        "committee"
    ):
        activities[a.code.lower()].append(a)
    outcome = Outcome(files.CSV, amounts=defaultdict(Decimal), first_line={}, rows={})
    for row in rows:
        committee = committees.get(row.committee.lower())
        errors = list(row.errors)
        activity = None
        if committee is None:
            if row.committee:
                errors.insert(0, f"nämnden ”{row.committee}” finns inte.")
            for error in errors:
                outcome.skipped_rows.add(error, row.line)
            continue
        if row.activity:
            candidates = activities.get(row.activity.lower(), [])
            activity = next((a for a in candidates if a.committee == committee), None)
            if activity is None and candidates:
                owners = ", ".join(sorted(a.committee.name for a in candidates))
                errors.append(
                    f"verksamheten ”{row.activity}” hör till {owners}, inte till {committee.name}."
                )
            elif activity is None:
                errors.append(f"verksamheten ”{row.activity}” finns inte hos {committee.name}.")
        if errors:
            problems = outcome.committee_problems.setdefault(committee.pk, Problems())
            for error in errors:
                problems.add(error, row.line)
            continue
        outcome.amounts[activity.pk] += row.amount
        outcome.first_line.setdefault(activity.pk, row.line)
        outcome.rows[activity.pk] = outcome.rows.get(activity.pk, 0) + 1
    outcome.amounts = dict(outcome.amounts)
    return outcome


def _from_sie(period, municipality, data, problems) -> Outcome:
    parsed = sie.read_sie(data)
    mappings = OutcomeMapping.objects.filter(municipality=municipality)
    dimensions = sorted(set(mappings.values_list("dimension", flat=True)))
    if not dimensions:
        refuse(
            f"{municipality} har inga kopplingar mellan ekonomisystemets objekt och "
            "verksamheterna. Lägg in dem under Kopplingar till ekonomisystemet i "
            "administrationen innan en SIE-fil läses in."
        )
    if len(dimensions) > 1:
        refuse(
            "Kopplingarna till ekonomisystemet använder flera dimensioner ("
            + ", ".join(str(d) for d in dimensions)
            + "). Varje dimension redovisar samma pengar en gång till, så utfallet läses från "
            "en dimension: koppla alla verksamheter i samma dimension."
        )
    mapping = dict(mappings.values_list("object_code", "activity_id"))
    skipped = Problems()
    result = sie.outcome_from_sie(
        parsed,
        year=period.year,
        month=period.month,
        dimension=dimensions[0],
        mapping=mapping,
        problems=problems,
        skipped=skipped,
    )
    ignored = []
    if result.later_months:
        ignored.append(
            f"{_balances(result.later_months)} på resultatkonton gäller månader efter "
            f"{period.month_name} och räknas inte."
        )
    if parsed.earlier_years:
        ignored.append(
            f"{_balances(parsed.earlier_years)} gäller tidigare räkenskapsår och räknas inte."
        )
    return Outcome(
        files.SIE,
        amounts=result.amounts,
        first_line=result.first_line,
        rows=result.rows,
        skipped_rows=skipped,
        ignored=ignored,
    )


def _balances(count: int) -> str:
    return "1 periodsaldo" if count == 1 else f"{count} periodsaldon"
