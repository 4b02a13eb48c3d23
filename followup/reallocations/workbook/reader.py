"""Reading a filled-in reallocation template, and saving it as a draft: all or nothing.

The file first passes the budget import's checks on hostile files (size, zip bombs,
macros, links; budget/imports/safety.py). Then: is it our template, for this plan? Then
every field and line, collecting every problem with its sheet, row and column. Amounts
are read in tkr, from numbers or from text as people type it ("−1 207,5"), exact to the
öre. What may be saved, balance and permission included, is then ``save_draft``'s to say:
the same rules as on the pages.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from budget import money
from budget.imports.problems import BudgetWorkbookError
from budget.imports.safety import check_upload, read_named_sheets
from budget.imports.sheets import Problems, Row, find_sections
from budget.models import Activity, BudgetYear
from followup.models import Reallocation
from followup.reallocations.workbook import layout
from followup.reallocations.workflow import Line, ReallocationError, save_draft
from followup.upload_templates import VALUE, integer, key_values, read_identity

SHEETS = (layout.FORM_SHEET, layout.ABOUT_SHEET)


@dataclass(frozen=True)
class FilledTemplate:
    """What a valid template holds: the reallocation's text and its lines (kronor)."""

    kind: str
    title: str
    purpose: str
    funding: str
    lines: list = field(default_factory=list)  # followup.reallocations.workflow.Line


def read_reallocation_workbook(fileobj, *, plan, max_bytes: int | None = None) -> FilledTemplate:
    """The template's reallocation for ``plan``; raises BudgetWorkbookError listing every
    problem. Nothing is saved."""
    if max_bytes is None:
        max_bytes = settings.BUDGET_UPLOAD_MAX_BYTES
    buffer = check_upload(fileobj, max_bytes=max_bytes)
    rows = read_named_sheets(buffer, SHEETS, missing=lambda _: layout.NOT_A_TEMPLATE)
    problems = Problems()
    _identity(rows[layout.ABOUT_SHEET], plan, problems)
    if problems:
        raise BudgetWorkbookError(problems.items)
    found = find_sections(
        layout.FORM_SHEET, rows[layout.FORM_SHEET], (layout.DETAILS, layout.LINES), problems, ()
    )
    details = _details(found.get(layout.DETAILS.title), problems)
    lines = _lines(found.get(layout.LINES.title), plan, problems)
    if problems:
        raise BudgetWorkbookError(problems.items)
    return FilledTemplate(lines=lines, **details)


@dataclass(frozen=True)
class ImportResult:
    """The draft (with ``dry_run``: as it would have been, not saved) and its lines."""

    reallocation: Reallocation
    lines: list
    saved: bool


def import_reallocation_workbook(
    *, plan, fileobj, actor, budget_year=None, dry_run=False, max_bytes=None
) -> ImportResult:
    """A new draft from the filled-in template, through ``save_draft``.

    Raises BudgetWorkbookError (problems in the file) or ReallocationError (the draft is
    not allowed: unbalanced, or lines outside the user's committee); then nothing is saved.
    With ``dry_run`` everything is checked, the number it would get included, and nothing
    is kept.
    """
    filled = read_reallocation_workbook(fileobj, plan=plan, max_bytes=max_bytes)
    with transaction.atomic():
        reallocation = save_draft(
            plan=plan,
            budget_year=budget_year or budget_year_of(plan),
            kind=filled.kind,
            title=filled.title,
            purpose=filled.purpose,
            funding=filled.funding,
            lines=filled.lines,
            actor=actor,
        )
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(reallocation=reallocation, lines=filled.lines, saved=not dry_run)


def budget_year_of(plan, year: int | None = None) -> BudgetYear:
    """The plan's budget year that a reallocation changes: the plan's own year by default."""
    year = plan.year if year is None else year
    found = BudgetYear.objects.filter(plan=plan, year=year, kind=BudgetYear.Kind.BUDGET).first()
    if found is None:
        raise ReallocationError(f"{plan.title} har inget budgetår {year} att ändra.")
    return found


def _identity(rows, plan, problems):
    """Refuses a workbook that is not our template; problems when it is for another plan."""
    identity = read_identity(rows, layout, problems)
    if identity is None or identity.wrong_municipality(plan.municipality.name):
        return
    year = identity.values.get("year")
    if integer(year) != plan.year:
        identity.problem(
            "year",
            f"Mallen gäller Mål och budget {year or '(okänt år)'}, inte "
            f"{plan.title}. Ladda ned mallen för {plan.year}.",
        )


def _details(data, problems) -> dict:
    """kind, title, purpose and funding, each checked with its place."""
    if data is None:  # missing section or wrong headers: noted by find_sections
        return {}
    values, places = key_values(data, layout.DETAILS, problems)
    labels = dict(layout.DETAILS.columns)
    for name, label in layout.DETAILS.columns:
        if name not in places:
            problems.add(
                layout.FORM_SHEET,
                None,
                None,
                f"Fel mall: raden ”{label}” saknas i avsnittet ”{layout.DETAILS.title}”.",
            )

    def problem(name, message):
        problems.add(layout.FORM_SHEET, places.get(name), VALUE, message)

    limits = {
        "title": layout.TITLE_MAX_LENGTH,
        "purpose": layout.TEXT_MAX_LENGTH,
        "funding": layout.TEXT_MAX_LENGTH,
    }
    result = {}
    for name, limit in limits.items():
        text = values.get(name, "")
        if name in places and not text:
            problem(name, f"”{labels[name]}” saknas.")
        elif len(text) > limit:
            problem(name, f"”{labels[name]}” är för lång ({len(text)} tecken; högst {limit}).")
        result[name] = text
    kind = values.get("kind", "")
    result["kind"] = _kind(kind)
    if "kind" in places and result["kind"] is None:
        allowed = ", ".join(f"”{label}”" for label in Reallocation.Kind.labels)
        problem("kind", f"”{kind}” är inget slag av omfördelning; välj {allowed}.")
    return result


def _kind(text: str) -> str | None:
    for value, label in Reallocation.Kind.choices:
        if text.casefold() in (value.casefold(), label.casefold()):
            return value
    return None


def _lines(data, plan, problems) -> list[Line]:
    """The lines above the sum row, each activity looked up by committee and activity code."""
    if data is None:
        return []
    activities = {
        (a.committee.code, a.code): a
        for a in Activity.objects.filter(committee__municipality=plan.municipality)
        .select_related("committee")
        .order_by("id")
    }
    committees = {a.committee.code: a.committee for a in activities.values()}
    lines, seen, total_row = [], {}, None
    for number, cells in data.rows:
        row = Row(data, number, cells, problems)
        committee_code = row.text("committee")
        if total_row is not None:
            row.problem(
                row.columns["committee"],
                f"Raden står under summaraden (rad {total_row}) och läses inte; flytta den "
                "ovanför summaraden.",
            )
            continue
        if committee_code.casefold() == layout.TOTAL_LABEL.casefold():
            total_row = number
            continue
        activity = _activity(row, committee_code, committees, activities)
        amount = _amount(row)
        note = row.text("note", max_length=layout.NOTE_MAX_LENGTH)
        if activity is None or amount is None or not row.ok:
            continue
        if activity.pk in seen:
            row.problem(
                row.columns["activity"],
                f"{activity.name} står redan på rad {seen[activity.pk]}; slå ihop raderna.",
            )
            continue
        seen[activity.pk] = number
        lines.append(Line(activity=activity, amount=amount, note=note))
    return lines


def _activity(row, committee_code, committees, activities):
    activity_code = row.text("activity")
    if not committee_code:
        row.problem(row.columns["committee"], "Nämndkoden saknas.")
        return None
    committee = committees.get(committee_code)
    if committee is None:
        row.problem(
            row.columns["committee"],
            f"Det finns ingen nämnd med koden ”{committee_code}”; se bladet "
            f"”{layout.ACTIVITIES_SHEET}”.",
        )
        return None
    if not activity_code:
        row.problem(row.columns["activity"], "Verksamhetskoden saknas.")
        return None
    activity = activities.get((committee_code, activity_code))
    if activity is None:
        row.problem(
            row.columns["activity"],
            f"{committee.name} har ingen verksamhet med koden ”{activity_code}”; se bladet "
            f"”{layout.ACTIVITIES_SHEET}”.",
        )
    return activity


def _amount(row):
    """The amount typed in tkr, as exact kronor; a problem when it is missing or zero."""
    index = row.columns["amount"]
    noted = len(row.problems.items)
    value = row.number_at(index)  # notes text, dates and formulas without a value
    if value is None:
        if len(row.problems.items) == noted:
            row.problem(index, "Beloppet saknas.")
        return None
    value = row.check_decimal(index, value, places=layout.AMOUNT_PLACES, limit=layout.AMOUNT_LIMIT)
    if value is None:
        return None
    if value == 0:
        row.problem(index, "Beloppet är 0; ta bort raden eller skriv ett belopp.")
        return None
    return money.to_kronor(value, layout.UNIT)
