"""Reading a filled-in report template back, and saving it: all of it or nothing.

The file first passes the budget import's checks on hostile files (size, zip bombs,
macros, links; budget/imports/safety.py). Then: is it our template, for this report?
Then every data row, collecting every problem with its sheet, row and column. Amounts
are read in tkr, from numbers or from text as people type it ("−1 207,5").
"""

from dataclasses import dataclass

from django.conf import settings

from budget import money
from budget.concurrency import check_version
from budget.forms import whole_number
from budget.imports.problems import BudgetWorkbookError
from budget.imports.safety import check_upload, read_named_sheets
from budget.imports.sheets import Problems, Row, find_sections
from followup.models import ReportingPeriod
from followup.models.calendar import MONTH_NAMES
from followup.reports.workbook import layout
from followup.reports.workflow import StaleReport, WorkflowError, form_lines, save_report
from followup.upload_templates import integer, read_identity

SHEETS = (layout.REPORT_SHEET, layout.ABOUT_SHEET)


@dataclass(frozen=True)
class FilledTemplate:
    """What a valid template holds: activity id → (outcome, forecast, comment) in kronor,
    and the row version of the report when the template was downloaded."""

    values: dict
    row_version: int


@dataclass(frozen=True)
class ImportResult:
    report: object
    changed: int  # how many figures and comments differ from what was saved


def read_report_workbook(
    fileobj, *, report, max_bytes: int | None = None, lines=None
) -> FilledTemplate:
    """The template's values for ``report``; raises BudgetWorkbookError listing every problem.
    ``lines``: the report's form lines (``form_lines``), when the caller has read them."""
    if max_bytes is None:
        max_bytes = settings.BUDGET_UPLOAD_MAX_BYTES
    buffer = check_upload(fileobj, max_bytes=max_bytes)
    rows = _sheet_rows(buffer)
    problems = Problems()
    identity = _identity(rows[layout.ABOUT_SHEET], report, problems)
    if problems:
        raise BudgetWorkbookError(problems.items)
    if lines is None:
        lines = form_lines(committee=report.committee, report=report)
    values = _values(rows[layout.REPORT_SHEET], report, lines, problems)
    if problems:
        raise BudgetWorkbookError(problems.items)
    return FilledTemplate(values=values, row_version=identity["row_version"])


def import_report_workbook(*, report, fileobj, actor, max_bytes: int | None = None):
    """Save the template's figures in the report's draft, only if every row is valid and
    the report has not been saved since the template was downloaded.

    Raises BudgetWorkbookError (problems in the file) or WorkflowError/StaleReport (the
    report cannot take them now); then nothing is saved.
    """
    if report.period.status != ReportingPeriod.Status.OPEN:
        raise WorkflowError("Perioden är inte öppen för rapportering; ingenting har sparats.")
    if not report.is_editable:
        raise WorkflowError(
            f"Rapporten är {report.get_status_display().lower()} och kan inte ändras; "
            "ingenting har sparats."
        )
    lines = form_lines(committee=report.committee, report=report)
    filled = read_report_workbook(fileobj, report=report, max_bytes=max_bytes, lines=lines)
    check_version(
        shown=filled.row_version, current=report.row_version, stale=lambda: _stale(report)
    )
    changed = _count_changes(lines, filled.values)
    if not changed:
        return ImportResult(report=report, changed=0)
    try:
        report = save_report(
            report=report, row_version=filled.row_version, values=filled.values, actor=actor
        )
    except StaleReport as exc:  # saved by someone else between the check and the lock
        report.refresh_from_db()
        raise _stale(report) from exc
    return ImportResult(report=report, changed=changed)


def _stale(report) -> StaleReport:
    """Saved, submitted or returned since the download: the template is out of date."""
    who = f" (senast sparad av {report.saved_by.get_username()})" if report.saved_by else ""
    return StaleReport(
        f"Rapporten har ändrats efter att mallen laddades ned{who}. Ingenting har sparats: "
        "ladda ned en ny mall, för över dina uppgifter till den och ladda upp den igen."
    )


def _count_changes(lines, values) -> int:
    """How many figures and comments of ``values`` differ from the report's ``lines``."""
    lines = {line.activity_id: line for line in lines}
    changed = 0
    for activity_id, new in values.items():
        line = lines[activity_id]
        old = (line.outcome, line.forecast, line.comment)
        changed += sum(before != after for before, after in zip(old, new, strict=True))
    return changed


def _sheet_rows(buffer) -> dict:
    """{sheet name: rows} of the template's two sheets; refuses any other workbook."""
    return read_named_sheets(buffer, SHEETS, missing=lambda _: layout.NOT_A_TEMPLATE)


def _identity(rows, report, problems) -> dict:
    """The identity section's values; problems when the template is for another report."""
    identity = read_identity(rows, layout, problems)
    if identity is None:
        return {}
    if not identity.wrong_municipality(report.committee.municipality.name):
        _same_report(identity, report)
    row_version = integer(identity.values.get("row_version"))
    if row_version is None:
        identity.problem(
            "row_version", "Radversionen saknas eller är inget heltal. Ladda ned en ny mall."
        )
    return {"row_version": row_version}


def _same_report(identity, report):
    """Problems when the template is for another committee, period or report version."""
    values, committee, period = identity.values, report.committee, report.period
    if values.get("committee") != committee.code:
        other = values.get("committee_name") or values.get("committee") or "en annan nämnd"
        identity.problem("committee", f"Mallen gäller {other}, inte {committee.name}.")
    elif values.get("period") != period.key:
        identity.problem(
            "period",
            f"Mallen gäller {_period_label(values.get('period', ''))}, inte "
            f"{period.month_name} {period.year}.",
        )
    elif integer(values.get("report")) != report.pk:
        identity.problem(
            "report",
            f"Mallen gäller en annan version av rapporten än den som nu är öppen (version "
            f"{report.version}). Ladda ned en ny mall från rapportsidan.",
        )


def _period_label(key: str) -> str:
    """ "februari 2026" for "2026-02"; the text itself if it is no period key."""
    year, _, month = key.partition("-")
    number = whole_number(month, low=1, high=12)
    if whole_number(year, low=1, high=9999) is not None and number is not None:
        return f"{MONTH_NAMES[number]} {year}"
    return f"perioden ”{key}”"


def _values(rows, report, lines, problems) -> dict:
    """activity id → (outcome, forecast, comment) of every row of the report sheet, for the
    report's form ``lines``."""
    period, committee = report.period, report.committee
    section = layout.report_section(period)
    data = find_sections(layout.REPORT_SHEET, rows, (section,), problems, frozenset()).get(
        section.title
    )
    if data is None:  # missing section or wrong headers: noted by find_sections
        return {}
    lines = {line.activity.code: line for line in lines}
    values, seen = {}, {}
    for number, cells in data.rows:
        row = Row(data, number, cells, problems)
        code = row.text("code")
        if not code:
            if _is_total(row):
                break
            row.problem(row.columns["code"], "Raden saknar verksamhetens kod.")
            continue
        line = lines.get(code)
        if line is None:
            row.problem(
                row.columns["code"],
                f"Verksamheten med koden ”{code}” hör inte till rapporten för {committee.name}.",
            )
            continue
        if code in seen:
            row.problem(
                row.columns["code"],
                f"Verksamheten ”{line.activity.name}” finns redan på rad {seen[code]}.",
            )
            continue
        seen[code] = number
        outcome = _amount(row, "outcome")
        forecast = _amount(row, "forecast") if period.asks_forecast else line.forecast
        comment = row.text("comment", max_length=layout.COMMENT_MAX_LENGTH)
        values[line.activity_id] = (outcome, forecast, comment)
    for code, line in lines.items():
        if code not in seen:
            problems.add(
                layout.REPORT_SHEET,
                None,
                None,
                f"Verksamheten ”{line.activity.name}” (kod ”{code}”) saknas i mallen.",
            )
    return values


def _is_total(row) -> bool:
    name = row.values[1] if len(row.values) > 1 else None
    return isinstance(name, str) and name.strip().startswith(layout.TOTAL_LABEL)


def _amount(row, name):
    """An amount typed in tkr, as exact kronor; None for an empty cell."""
    index = row.columns[name]
    value = row.number_at(index)
    if value is None:
        return None
    if row.check_decimal(index, value, limit=layout.AMOUNT_LIMIT) is None:
        return None
    return money.to_kronor(value, layout.UNIT)
