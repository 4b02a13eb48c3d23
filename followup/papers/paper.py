"""The council paper of a reporting period: the interim report (Delårsrapport) or the
annual accounts (Årsbokslut) for periods of those kinds, else the month report.

A paper of a period that is not published is made, marked preliminary (followup.papers.common).
The annual accounts are the one exception: they report the year's outcome, so while no
outcome for the year exists (no report with outcome for the period, no statement figure
entered by finance) they are refused with the reason rather than made from the budget and
other periods' figures (``PaperRefused``).
"""

from datetime import date

from budget import xlsx
from followup.models import ReportingPeriod
from followup.papers import interim_report_workbook, month_report_workbook
from followup.papers.interim_report import has_outcome, is_paper_period


class PaperRefused(Exception):
    """The period's paper cannot be made now (Swedish message)."""


def _writer(period):
    return interim_report_workbook if is_paper_period(period) else month_report_workbook


def filename(period) -> str:
    """ "delarsrapport-2026.xlsx", "arsbokslut-2026.xlsx" or "manadsrapport-2026-10.xlsx"."""
    return _writer(period).filename(period)


def refusal(period) -> str:
    """Why ``period``'s paper cannot be made now; "" when it can."""
    if period.kind != ReportingPeriod.Kind.ANNUAL or has_outcome(period):
        return ""
    status = period.get_status_display().lower()
    return (
        f"Årsbokslutet {period.year} kan inte tas fram ännu: perioden är {status} och inget "
        "utfall för året är rapporterat eller registrerat. Det kan laddas ned när nämnderna "
        "har rapporterat utfall för perioden eller ekonomiavdelningen har registrerat "
        "budgetställningarnas utfall."
    )


def workbook_bytes(period, *, today: date | None = None, corrections=()) -> bytes:
    """The period's paper; ``PaperRefused`` with the reason when it cannot be made.
    ``corrections``: a paper corrected after publication lists them (sheet "Rättelser")."""
    reason = refusal(period)
    if reason:
        raise PaperRefused(reason)
    with xlsx.collection_paused():
        return _writer(period).workbook_bytes(period, today=today, corrections=corrections)
