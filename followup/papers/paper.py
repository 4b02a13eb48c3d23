"""The council paper of a reporting period: the interim report (Delårsrapport) or the
annual accounts (Årsbokslut) for periods of those kinds, else the month report."""

from datetime import date

from followup.papers import interim_report_workbook, month_report_workbook
from followup.papers.interim_report import is_paper_period


def _writer(period):
    return interim_report_workbook if is_paper_period(period) else month_report_workbook


def filename(period) -> str:
    """ "delarsrapport-2026.xlsx", "arsbokslut-2026.xlsx" or "manadsrapport-2026-10.xlsx"."""
    return _writer(period).filename(period)


def workbook_bytes(period, *, today: date | None = None) -> bytes:
    return _writer(period).workbook_bytes(period, today=today)
