"""Whether a period's figures are preliminary, and how its papers and pages say so.

A period's figures are final once finance publishes it. Before that (planned, open or
closed) they may still change: reports are drafted, submitted, returned and approved, and a
closed period can be opened again. Finance works with the papers of such a period while it
prepares the council's, so they are not withheld; instead every paper and page of the period
says "PRELIMINÄR – perioden är inte publicerad" and marks each committee whose report finance
has not approved with that report's status ("Utkast", "Inlämnad", "Återskickad", "Ej
påbörjad"). A published period is not marked: its papers are the record.

One rule, used by the papers (followup.papers.common: the sheets' heading lines, the printed
page header, the report statuses) and by the period pages (the include
``includes/preliminary_notice.html`` through the ``preliminary`` template tags).
"""

from dataclasses import dataclass

from budget.models import Committee
from followup.models import Report, ReportingPeriod

PRELIMINARY = "PRELIMINÄR"
NOT_STARTED = "Ej påbörjad"


def is_preliminary(period) -> bool:
    """Whether ``period``'s figures may still change: every period not yet published."""
    return period.status != ReportingPeriod.Status.PUBLISHED


def preliminary_heading(period) -> str:
    """ "PRELIMINÄR – perioden är inte publicerad (öppen)"; "" for a published period."""
    if not is_preliminary(period):
        return ""
    return f"{PRELIMINARY} – perioden är inte publicerad ({period.get_status_display().lower()})"


def is_approved(report) -> bool:
    return report is not None and report.status == Report.Status.APPROVED


def marked_status(period, report, text: str) -> str:
    """A report's status text (``text``) as a paper or page of ``period`` shows it: in a
    preliminary period a report finance has not approved reads "PRELIMINÄR: Utkast · sen"."""
    if is_preliminary(period) and not is_approved(report):
        return f"{PRELIMINARY}: {text}"
    return text


def status_text(period, report) -> str:
    """ "Utkast", "Godkänd"; for a committee without a report "Ej påbörjad" while the
    period is preliminary, "Ingen rapport" once it is published."""
    if report is not None:
        return report.status_label  # "Inlämnad igen" after a return, never "sen" for it
    return NOT_STARTED if is_preliminary(period) else "Ingen rapport"


@dataclass(frozen=True)
class Unapproved:
    committee: Committee
    status: str  # "Utkast", "Inlämnad", "Återskickad", "Ej påbörjad"


@dataclass(frozen=True)
class PreliminaryState:
    """What a page of a preliminary period says about it."""

    period: ReportingPeriod
    heading: str  # preliminary_heading
    committees: int  # how many committees report for the period
    unapproved: tuple  # Unapproved, in the committees' order

    @property
    def started(self) -> bool:
        """Whether any committee has begun reporting for the period."""
        return (
            any(u.status != NOT_STARTED for u in self.unapproved)
            or len(self.unapproved) < self.committees
        )

    @property
    def summary(self) -> str:
        """ "Rapporten är inte godkänd för 2 av 9 nämnder." or "Alla 9 nämnders rapporter
        är godkända, men perioden kan ännu ändras." """
        if not self.started:
            return "Ingen nämnd har börjat rapportera för perioden."
        if not self.unapproved:
            return (
                f"Alla {self.committees} nämnders rapporter är godkända, men perioden kan "
                "ännu ändras."
            )
        return f"Rapporten är inte godkänd för {len(self.unapproved)} av {self.committees} nämnder."


def preliminary_state(period, rows=None) -> PreliminaryState | None:
    """The period's preliminary state, None once it is published: which committees'
    reports finance has not approved, with their status. ``rows``: the period's committee
    rows (``figures.period_overview``: each committee with its current report) when the
    caller has read them, else two queries. Kept on the period object: a page that asks
    again (the notice's template tag) reads nothing."""
    if not is_preliminary(period):
        return None
    known = period.__dict__.get("_preliminary_state")
    if known is not None:
        return known
    if rows is None:
        committees = list(Committee.objects.of_plan(period.plan))
        reports = {
            r.committee_id: r
            for r in Report.objects.current()
            .filter(period=period, committee__in=committees)
            .order_by("committee_id", "version", "id")
        }
        rows = [_Row(committee=c, report=reports.get(c.pk)) for c in committees]
    state = period.__dict__["_preliminary_state"] = PreliminaryState(
        period=period,
        heading=preliminary_heading(period),
        committees=len(rows),
        unapproved=tuple(
            Unapproved(committee=r.committee, status=status_text(period, r.report))
            for r in rows
            if not is_approved(r.report)
        ),
    )
    return state


@dataclass(frozen=True)
class _Row:
    """A committee and its current report in the period (as ``CommitteeRow`` has them)."""

    committee: Committee
    report: Report | None
