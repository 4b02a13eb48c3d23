"""What loading a file would do, shown before anything is saved.

Per committee with rows in the file: imported (its activities, rows and sum) or left out,
with why (a wrong row of the committee, its report submitted or approved). Rows that
belong to no committee and what is not counted are listed too. Reading a preview writes
nothing. Its ``fingerprint`` stands for everything it shows and for the state of the
reports it would change: the confirmation is refused when the fingerprint of the same file
is no longer the same (a report was saved, submitted or returned since, a mapping changed).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget.models import Activity, Committee
from budget.money import format_tkr
from followup.models import OutcomeImport, Report, ReportingPeriod
from followup.outcome import files
from followup.outcome.problems import OutcomeFileError, OutcomeProblem, Problems
from followup.outcome.read import Outcome, read_outcome
from followup.reports.workflow import form_lines

STALE = (
    "Förhandsgranskningen gäller inte längre: filen, en nämnds rapport eller kopplingarna "
    "har ändrats sedan filen förhandsgranskades. Ingenting har sparats. Läs in filen igen "
    "och kontrollera den nya förhandsgranskningen innan du bekräftar."
)


class StalePreview(OutcomeFileError):
    """The confirmed preview is not what the file would do now; nothing is saved."""

    def __init__(self, problems=()):
        super().__init__([OutcomeProblem(STALE), *problems])


@dataclass(frozen=True)
class CommitteePreview:
    committee: Committee
    activities: int  # the report's lines: every activity of the committee gets an outcome
    rows: int
    total: Decimal
    report: tuple | None  # (id, status, row_version) of the working report; None: none yet
    reasons: tuple = ()  # OutcomeProblems: why the committee gets nothing from the file

    @property
    def imported(self) -> bool:
        return not self.reasons


@dataclass
class Preview:
    period: ReportingPeriod
    file_name: str
    file_format: str
    sha256: str
    outcome: Outcome
    committees: list  # CommitteePreview, in the committees' order
    fingerprint: str = ""

    @property
    def imported(self) -> list:
        return [c for c in self.committees if c.imported]

    @property
    def skipped(self) -> list:
        return [c for c in self.committees if not c.imported]

    @property
    def skipped_rows(self) -> list:
        return self.outcome.skipped_rows.error().problems

    @property
    def ignored(self) -> list:
        return self.outcome.ignored

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.imported)

    @property
    def activities(self) -> int:
        return sum(c.activities for c in self.imported)

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.imported), Decimal(0))

    def summary(self) -> str:
        """ "Utfallet för mars 2026 kan läsas in från ”utfall.csv” (CSV): …"."""
        period = self.period
        text = (
            f"Utfallet för {period.month_name} {period.year} kan läsas in från "
            f"”{self.file_name}” ({OutcomeImport.Format(self.file_format).label}): {self.rows} rader, "
            f"{self.activities} verksamheter i {len(self.imported)} nämnder, summa "
            f"{format_tkr(self.total)} tkr."
        )
        listed = left_out(self.skipped, self.skipped_rows)
        return f"{text} Läses inte in: {listed}." if listed else text


def left_out(skipped, skipped_rows) -> str:
    """ "Bildningsnämnden och 2 rader utan nämnd": what a load leaves out ("" for nothing)."""
    parts = [c.committee.name for c in skipped]
    if skipped_rows:
        count = len(skipped_rows)
        parts.append("1 rad utan nämnd" if count == 1 else f"{count} rader utan nämnd")
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def genitive(name: str) -> str:
    """ "Bildningsnämndens" for "Bildningsnämnden"."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def working_report(committee, period) -> Report | None:
    return (
        Report.objects.filter(committee=committee, period=period)
        .exclude(status=Report.Status.SUPERSEDED)
        .order_by("-version", "-id")
        .first()
    )


def report_state(report) -> tuple | None:
    return None if report is None else (report.pk, report.status, report.row_version)


def check_period(period, problems: Problems) -> None:
    if period.status != ReportingPeriod.Status.OPEN:
        problems.add(
            f"Perioden {period.month_name} {period.year} är "
            f"{period.get_status_display().lower()} och inte öppen för rapportering; utfallet "
            "kan inte läsas in."
        )
        return
    if not period.asks_outcome:
        problems.add(f"Perioden {period.month_name} {period.year} efterfrågar inte utfall.")


def _report_reason(committee, report) -> str | None:
    if report is None or report.is_editable:
        return None
    whose = genitive(committee.name)
    if report.status == Report.Status.SUBMITTED:
        return (
            f"{whose} rapport är inlämnad; utfallet kan inte läsas in förrän rapporten "
            "har skickats tillbaka till nämnden."
        )
    return (
        f"{whose} rapport är {report.get_status_display().lower()}; utfallet kan inte "
        "läsas in. Gör en rättelse av rapporten om utfallet ska ändras."
    )


def _committee(period, committee, outcome) -> CommitteePreview:
    report = working_report(committee, period)
    problems = outcome.committee_problems.get(committee.pk)
    reasons = list(problems.error().problems) if problems else []
    reason = _report_reason(committee, report)
    if reason:
        reasons.insert(0, OutcomeProblem(reason))
    lines = form_lines(
        committee=committee, report=report or Report(committee=committee, period=period)
    )
    ids = [line.activity_id for line in lines]
    return CommitteePreview(
        committee=committee,
        activities=len(ids),
        rows=sum(outcome.rows.get(pk, 0) for pk in ids),
        total=sum((outcome.amounts.get(pk, Decimal(0)) for pk in ids), Decimal(0)),
        report=report_state(report),
        reasons=tuple(reasons),
    )


def _committees(outcome) -> list:
    ids = set(
        Activity.objects.filter(pk__in=outcome.amounts).values_list("committee_id", flat=True)
    )
    ids |= set(outcome.committee_problems)
    return list(Committee.objects.filter(pk__in=ids).order_by("position", "id"))


def fingerprint(preview: Preview) -> str:
    """A digest of the file, what the preview shows and the reports it would change."""
    shown = {
        "file": preview.sha256,
        "format": preview.file_format,
        "period": preview.period.pk,
        "amounts": sorted((pk, str(v)) for pk, v in preview.outcome.amounts.items()),
        "committees": [
            [c.committee.pk, c.activities, c.rows, str(c.total), c.report]
            + [str(r) for r in c.reasons]
            for c in preview.committees
        ],
        "skipped_rows": [str(p) for p in preview.skipped_rows],
        "ignored": preview.ignored,
    }
    return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()[:32]


def preview_outcome(*, period, data: bytes, file_name: str, file_format=None) -> Preview:
    """What loading ``data`` into the period would do; writes nothing.

    Raises OutcomeFileError listing every problem (in Swedish) when no committee can be
    loaded: the file cannot be read, the period is not open, or every committee of the
    file is left out.
    """
    file_format = files.check_format(data, file_format)
    problems = Problems()
    outcome = read_outcome(period=period, data=data, file_format=file_format, problems=problems)
    check_period(period, problems)
    problems.raise_if_any()
    preview = Preview(
        period=period,
        file_name=Path(file_name or "").name[:255] or "fil",
        file_format=file_format,
        sha256=files.sha256(data),
        outcome=outcome,
        committees=[_committee(period, c, outcome) for c in _committees(outcome)],
    )
    if not preview.imported:
        for committee in preview.skipped:
            for reason in committee.reasons:
                problems.add(reason.message, reason.line)
        for row in preview.skipped_rows:
            problems.add(row.message, row.line)
        if not problems:
            problems.add("Filen innehåller inget utfall för någon verksamhet.")
        raise problems.error()
    preview.fingerprint = fingerprint(preview)
    return preview
