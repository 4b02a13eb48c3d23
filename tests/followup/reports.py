"""A committee's report as a test needs it: filled in and handed in through the workflow."""

from budget.audit import Actor, Source
from followup.reports.workflow import open_report, save_report, submit_report


def submitted(period, committee, controller, *, at=None, comment=""):
    """``committee``'s report for ``period`` (one activity), filled in and submitted by
    ``controller`` through the page's steps, ``at`` a given moment (default: now), with an
    optional ``comment`` to finance."""
    actor = Actor(user=controller, source=Source.PAGE)
    report = open_report(committee=committee, period=period, actor=actor)
    line = report.lines.get()
    report = save_report(
        report=report,
        row_version=report.row_version,
        values={line.activity_id: (-1000, -523_300_000, "")},
        actor=actor,
    )
    return submit_report(report=report, actor=actor, now=at, comment=comment)
