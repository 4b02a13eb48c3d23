"""Reading the organisation and the frames: sheets "Organisation" and "Ramar per verksamhet"."""

from budget.exports import layout
from budget.forms import whole_number
from budget.imports.sheets import YEAR_RANGE, max_length
from budget.models import (
    Activity,
    Administration,
    BudgetPlan,
    BudgetYear,
    Committee,
    Municipality,
    Statement,
)


def read(ctx, data):
    read_organisation(ctx, data)
    read_frames(ctx, data, ctx.year_keys)


def read_organisation(ctx, data):
    sheet = layout.ORGANISATION_SHEET
    sections = ctx.sections(sheet)
    plan_section = sections.get(layout.PLAN.title)
    if plan_section is not None:
        read_plan(ctx, data, plan_section)
    data["years"] = []
    seen = {}
    for row in ctx.each(sections.get(layout.YEARS.title)):
        kind = row.choice("kind", BudgetYear.Kind.choices)
        year = row.integer("year", **YEAR_RANGE)
        status = row.choice("status", BudgetYear.Status.choices)
        note = row.text("note")
        if row.ok and not ctx.duplicate(
            seen, (kind, year), row, "kind", f"Budgetåret {kind} {year}"
        ):
            data["years"].append({"year": year, "kind": kind, "status": status, "note": note})
            ctx.year_keys.add(f"{kind}-{year}")
    data["administrations"] = []
    administrations = {}
    administration_codes = set()  # also those on rows with problems
    for row in ctx.each(sections.get(layout.ADMINISTRATIONS.title)):
        code = row.text(
            "code", required=True, slug=True, max_length=max_length(Administration, "code")
        )
        name = row.text("name", required=True, max_length=max_length(Administration, "name"))
        administration_codes.add(code)
        if row.ok and not ctx.duplicate(
            administrations, code, row, "code", f"Förvaltningen ”{code}”"
        ):
            data["administrations"].append({"code": code, "name": name})
    data["committees"] = []
    for row in ctx.each(sections.get(layout.COMMITTEES.title)):
        code = row.text("code", required=True, slug=True, max_length=max_length(Committee, "code"))
        ctx.committee_codes.add(code)
        name = row.text("name", required=True, max_length=max_length(Committee, "name"))
        kind = row.choice("kind", Committee.Kind.choices)
        administration = row.text("administration")
        if administration and administration not in administration_codes:
            row.problem(
                row.columns["administration"],
                f"Förvaltningen ”{administration}” finns inte under ”Förvaltningar”.",
            )
        description = row.text("description")
        if not row.ok:
            continue
        if code in ctx.committees:
            previous = ctx.committees[code][1].number
            row.problem(row.columns["code"], f"Nämnden ”{code}” finns redan på rad {previous}.")
            continue
        committee = {"code": code, "name": name, "kind": kind, "activities": []}
        if administration:
            committee["administration"] = administration
        if description:
            committee["description"] = description
        ctx.committees[code] = (committee, row)
        data["committees"].append(committee)
    data["statements"] = []
    for row in ctx.each(sections.get(layout.STATEMENTS.title)):
        kind = row.choice("kind", Statement.Kind.choices)
        ctx.statement_kinds.add(kind)
        title = row.text("title", required=True, max_length=max_length(Statement, "title"))
        if not row.ok:
            continue
        if kind in ctx.statements:
            previous = ctx.statements[kind][1]
            row.problem(
                row.columns["kind"],
                f"Budgetställningen ”{kind}” finns redan på rad {previous}.",
            )
            continue
        statement = {"kind": kind, "title": title, "lines": []}
        ctx.statements[kind] = (statement, row.number)
        data["statements"].append(statement)


def read_plan(ctx, data, section_data):
    sheet = layout.ORGANISATION_SHEET
    values = ctx.key_values(section_data, layout.PLAN)
    labels = dict(layout.PLAN.columns)

    def text(name, model, field, required=False):
        value, number = values.get(name, (None, section_data.header_row))
        text = "" if value is None else str(value).strip()
        if required and not text:
            ctx.problems.add(sheet, number, 1, f"”{labels[name]}” saknas.")
        elif max_length(model, field) and len(text) > max_length(model, field):
            ctx.problems.add(
                sheet,
                number,
                1,
                f"”{labels[name]}” är för lång (högst {max_length(model, field)} tecken).",
            )
        return text

    data["municipality"] = {
        "name": text("municipality", Municipality, "name", required=True),
        "kolada_id": text("kolada_id", Municipality, "kolada_id"),
    }
    year_value, year_row = values.get("year", (None, section_data.header_row))
    # A number or a text of the digits 0-9 ("²" is a digit to str.isdigit(), not to int()).
    plain = isinstance(year_value, int | str) and not isinstance(year_value, bool)
    year = whole_number(year_value, **YEAR_RANGE) if plain else None
    if year is None:
        ctx.problems.add(sheet, year_row, 1, f"”{labels['year']}” ska vara ett årtal, t.ex. 2026.")
    status_value, status_row = values.get("status", ("", section_data.header_row))
    status = str(status_value or "").strip()
    matches = [
        value
        for value, label in BudgetPlan.Status.choices
        if status.casefold() in (value, label.casefold())
    ]
    if not status:
        ctx.problems.add(sheet, status_row, 1, f"”{labels['status']}” saknas.")
    elif not matches:
        allowed = ", ".join(BudgetPlan.Status.values)
        ctx.problems.add(
            sheet, status_row, 1, f"”{status}” är inte en tillåten status för planen ({allowed})."
        )
    else:
        status = matches[0]
    data["plan"] = {
        "year": year,
        "title": text("title", BudgetPlan, "title", required=True),
        "status": status,
        "adopted_by": text("adopted_by", BudgetPlan, "adopted_by"),
        "source": text("source", BudgetPlan, "source"),
        "unit": layout.MONEY_UNIT,
    }
    data["investments"] = {
        "note": text("investment_note", BudgetPlan, "investment_note"),
        "lines": [],
    }


def read_frames(ctx, data, keys):
    sheet = layout.FRAMES_SHEET
    sections = ctx.sections(sheet, keys)
    seen = {}
    mentioned = set()
    for row in ctx.each(sections.get(layout.FRAMES.title)):
        committee = row.text("committee", required=True)
        mentioned.add(committee)
        code = row.text("code", required=True, slug=True, max_length=max_length(Activity, "code"))
        name = row.text("name", required=True, max_length=max_length(Activity, "name"))
        tax_base = row.boolean("tax_base")
        frames = row.amounts()
        ctx.check_committee(row, committee)
        if not row.ok or ctx.duplicate(
            seen, (committee, code), row, "code", f"Verksamheten ”{code}” i ”{committee}”"
        ):
            continue
        if committee not in ctx.committees:
            continue  # its row on "Organisation" has a problem already
        activity = {"code": code, "name": name, "frames": frames}
        if tax_base:
            activity["tax_base"] = True
        ctx.committees[committee][0]["activities"].append(activity)
    if sections.get(layout.FRAMES.title) is not None:
        for committee, row in ctx.committees.values():
            if committee["code"] not in mentioned:
                row.problem(
                    row.columns["code"],
                    f"Nämnden ”{committee['code']}” har ingen verksamhet på bladet ”{sheet}”; minst en krävs.",
                )
