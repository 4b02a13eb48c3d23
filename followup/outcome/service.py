"""Loading a file of outcome into a period's reports: all of it, or nothing."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.models import Activity, AuditEntry, Committee
from budget.money import format_tkr
from followup.models import OutcomeImport, OutcomeMapping, Report, ReportingPeriod
from followup.outcome import csv, files, sie
from followup.outcome.problems import OutcomeFileError, OutcomeProblem, Problems, refuse
from followup.reports import workflow

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a file says: the outcome to date per activity (net kronor, costs negative)."""

    file_format: str
    rows: int
    amounts: dict  # activity id → amount
    first_line: dict  # activity id → the first line that gave it an amount


@dataclass(frozen=True)
class CommitteeOutcome:
    committee: Committee
    activities: int
    total: Decimal


def genitive(name: str) -> str:
    """ "Bildningsnämndens" for "Bildningsnämnden"."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def read_outcome(*, period, data: bytes, file_format: str, problems: Problems) -> Outcome:
    """The file's outcome per activity of the period's municipality."""
    municipality = period.plan.municipality
    if file_format == files.SIE:
        return _from_sie(period, municipality, data, problems)
    return _from_csv(municipality, data, problems)


def _from_csv(municipality, data, problems) -> Outcome:
    rows = csv.read_csv(data, problems)
    committees = {c.code.lower(): c for c in Committee.objects.filter(municipality=municipality)}
    activities = defaultdict(list)  # code → activities of any committee with that code
    for a in Activity.objects.filter(committee__municipality=municipality).select_related(
        "committee"
    ):
        activities[a.code.lower()].append(a)
    amounts = defaultdict(Decimal)
    first_line = {}
    for row in rows:
        committee = committees.get(row.committee.lower())
        candidates = activities.get(row.activity.lower(), [])
        activity = next((a for a in candidates if a.committee == committee), None)
        if committee is None:
            problems.add(f"nämnden ”{row.committee}” finns inte.", row.line)
        elif activity is None and candidates:
            owners = ", ".join(sorted(a.committee.name for a in candidates))
            problems.add(
                f"verksamheten ”{row.activity}” hör till {owners}, inte till {committee.name}.",
                row.line,
            )
        elif activity is None:
            problems.add(
                f"verksamheten ”{row.activity}” finns inte hos {committee.name}.", row.line
            )
        else:
            amounts[activity.pk] += row.amount
            first_line.setdefault(activity.pk, row.line)
    return Outcome(files.CSV, len(rows), dict(amounts), first_line)


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
    result = sie.outcome_from_sie(
        parsed,
        year=period.year,
        month=period.month,
        dimension=dimensions[0],
        mapping=mapping,
        problems=problems,
    )
    return Outcome(files.SIE, result.rows, result.amounts, result.first_line)


def _working_report(committee, period):
    return (
        Report.objects.filter(committee=committee, period=period)
        .exclude(status=Report.Status.SUPERSEDED)
        .order_by("-version", "-id")
        .first()
    )


def _check_period_and_reports(period, committees, problems):
    if period.status != ReportingPeriod.Status.OPEN:
        problems.add(
            f"Perioden {period.month_name} {period.year} är "
            f"{period.get_status_display().lower()} och inte öppen för rapportering; utfallet "
            "kan inte läsas in."
        )
        return
    if not period.asks_outcome:
        problems.add(f"Perioden {period.month_name} {period.year} efterfrågar inte utfall.")
    for committee in committees:
        report = _working_report(committee, period)
        if report is None or report.is_editable:
            continue
        whose = genitive(committee.name)
        if report.status == Report.Status.SUBMITTED:
            problems.add(
                f"{whose} rapport är inlämnad; utfallet kan inte läsas in förrän rapporten "
                "har skickats tillbaka till nämnden."
            )
        else:
            problems.add(
                f"{whose} rapport är {report.get_status_display().lower()}; utfallet kan inte "
                "läsas in. Gör en rättelse av rapporten om utfallet ska ändras."
            )


def _committees(amounts) -> list:
    ids = Activity.objects.filter(pk__in=amounts).values_list("committee_id", flat=True)
    return list(Committee.objects.filter(pk__in=set(ids)).order_by("position", "id"))


class _DryRun(Exception):
    """Not an error: carries a dry run's result out of the rolled-back transaction."""

    def __init__(self, record):
        self.record = record


def import_outcome(
    *,
    period,
    fileobj,
    file_name: str,
    file_format: str | None = None,
    actor: Actor,
    dry_run: bool = False,
    max_bytes: int = files.MAX_BYTES,
    now=None,
) -> OutcomeImport:
    """Read the file and save its outcome in the period's reports, in one transaction.

    For every committee with rows in the file, its working report is opened (created as a
    draft if there is none) and saved with the new outcome of every activity; forecasts
    and comments stay as they are. The file is the committee's whole outcome: an activity
    of that committee without rows gets 0. Committees without rows are not touched.

    Returns the OutcomeImport row (unsaved after a dry run); its ``committees`` attribute
    (not stored) lists each committee's activities and total. Raises OutcomeFileError
    listing every problem (in Swedish); then nothing is saved.
    """
    data = files.read_upload(fileobj, max_bytes=max_bytes)
    file_format = files.check_format(data, file_format)
    problems = Problems()
    outcome = read_outcome(period=period, data=data, file_format=file_format, problems=problems)
    committees = _committees(outcome.amounts)
    if not outcome.amounts and not problems:
        problems.add("Filen innehåller inget utfall för någon verksamhet.")
    _check_period_and_reports(period, committees, problems)
    problems.raise_if_any()
    try:
        with transaction.atomic():
            record = _save(
                period=period,
                committees=committees,
                outcome=outcome,
                file_name=Path(file_name or "").name[:255] or "fil",
                sha256=files.sha256(data),
                actor=actor,
                now=now or timezone.now(),
            )
            if dry_run:
                raise _DryRun(record)
    except _DryRun as rolled_back:
        record = rolled_back.record
        record.pk = record.id = None
    except DatabaseError as exc:
        # The checks above cover what the database would refuse; this is the last line.
        logger.exception("Outcome file passed the checks but could not be saved")
        raise OutcomeFileError(
            [OutcomeProblem("Utfallet kunde inte sparas; ingenting har ändrats.")]
        ) from exc
    return record


def _save(*, period, committees, outcome, file_name, sha256, actor, now) -> OutcomeImport:
    period = ReportingPeriod.objects.select_for_update().select_related("plan").get(pk=period.pk)
    problems = Problems()
    _check_period_and_reports(period, committees, problems)
    problems.raise_if_any()
    summaries = []
    for committee in committees:
        try:
            report = workflow.open_report(committee=committee, period=period, actor=actor)
            lines = list(report.lines.all())
            missing = set(
                Activity.objects.filter(committee=committee, pk__in=outcome.amounts).values_list(
                    "pk", flat=True
                )
            ) - {line.activity_id for line in lines}
            for activity in Activity.objects.filter(pk__in=missing).order_by("position"):
                problems.add(
                    f"verksamheten ”{activity.name}” finns inte i {genitive(committee.name)} "
                    "rapport (den lades till efter att rapporten skapades).",
                    outcome.first_line.get(activity.pk),
                )
            values = {
                line.activity_id: (
                    outcome.amounts.get(line.activity_id, Decimal(0)),
                    line.forecast,
                    line.comment,
                )
                for line in lines
            }
            workflow.save_report(
                report=report, row_version=report.row_version, values=values, actor=actor, now=now
            )
        except workflow.WorkflowError as exc:
            problems.add(f"{committee.name}: {exc}")
            continue
        summaries.append(
            CommitteeOutcome(
                committee=committee,
                activities=len(values),
                total=sum((v[0] for v in values.values()), Decimal(0)),
            )
        )
    if problems:
        raise problems.error()
    record = OutcomeImport.objects.create(
        period=period,
        file_name=file_name,
        file_format=outcome.file_format,
        sha256=sha256,
        rows=outcome.rows,
        activities=sum(s.activities for s in summaries),
        total=sum((s.total for s in summaries), Decimal(0)),
        imported_at=now,
        imported_by=actor.person,
    )
    history = History(actor=actor, at=now)
    history.add(
        obj=record,
        action=AuditEntry.Action.CREATED,
        scope=Scope(area=Area.OUTCOME, plan=period.plan),
        new=(
            f"{record.get_file_format_display()}, {record.rows} rader, {record.activities} "
            f"verksamheter, summa {record.total} kr, SHA-256 {sha256}"
        ),
    )
    history.write()
    record.committees = summaries
    return record


def summary(record: OutcomeImport) -> str:
    """ "Utfallet för mars 2026 är inläst från ”utfall.csv” (CSV): 12 rader, …"; after a
    dry run: "… kan läsas in från …"."""
    period = record.period
    committees = getattr(record, "committees", [])
    verb = "är inläst" if record.pk else "kan läsas in"
    return (
        f"Utfallet för {period.month_name} {period.year} {verb} från ”{record.file_name}” "
        f"({record.get_file_format_display()}): {record.rows} rader, {record.activities} "
        f"verksamheter i {len(committees)} nämnder, summa {format_tkr(record.total)} tkr."
    )
