"""Reading the figures: statement lines, investments, stated figures, key facts and companies."""

from budget.exports import layout
from budget.imports.sheets import YEAR_RANGE, max_length
from budget.models import (
    Company,
    CompanyForecast,
    InvestmentLine,
    KeyFact,
    StatedFigure,
    Statement,
    StatementLine,
)

REFERENCE_KINDS = ("total", "line", "statement", "previous")
MONEY_UNITS = {"mkr": 1, "tkr": 1000, "kr": 1_000_000}  # value / divisor = mkr


def read(ctx, data):
    keys = ctx.year_keys
    read_lines(ctx, data, keys)
    read_investments(ctx, data, keys)
    read_stated(ctx, data, keys)
    read_facts(ctx, data)


def money_unit(row, name, *, allow_percent=False, other_units=()):
    """("kr" or another unit, divisor to mkr) for the row's unit cell."""
    text = row.text(name, required=True).casefold()
    if text in MONEY_UNITS:
        return "kr", MONEY_UNITS[text]
    if allow_percent and text in ("procent", "%"):
        return "procent", None
    for value, label in other_units:
        if text in (value, label.casefold()):
            return value, None
    if text:
        allowed = ["mkr", *(["procent"] if allow_percent else []), *(v for v, _ in other_units)]
        row.problem(row.columns[name], f"Okänd enhet ”{text}” ({', '.join(allowed)}).")
    return None, None


def first_amount_column(row):
    for index, _ in row.data.year_columns:
        if index < len(row.values) and row.values[index] not in (None, ""):
            return index
    return None


def read_lines(ctx, data, keys):
    sections = ctx.sections(layout.LINES_SHEET, keys)
    codes = {}  # statement kind -> codes of the lines so far
    seen = {}  # statement kind -> {code: row number}
    for row in ctx.each(sections.get(layout.LINES.title)):
        kind = row.choice("statement", Statement.Kind.choices)
        code = row.text(
            "code", required=True, slug=True, max_length=max_length(StatementLine, "code")
        )
        label = row.text("label", max_length=max_length(StatementLine, "label"))
        line_type = row.choice(
            "type", StatementLine.Type.choices, default=StatementLine.Type.AMOUNT
        )
        parts = [p.strip() for p in row.text("sum").replace(";", ",").split(",") if p.strip()]
        reference = row.text("reference", max_length=max_length(StatementLine, "reference"))
        sign = row.integer("reference_sign", required=False)
        role = row.choice("role", StatementLine.Role.choices, required=False)
        amounts = row.amounts()
        if kind and kind not in ctx.statement_kinds and row.ok:
            row.problem(
                row.columns["statement"],
                f"Budgetställningen ”{kind}” finns inte under ”Budgetställningar” på bladet ”{layout.ORGANISATION_SHEET}”.",
            )
        above = codes.setdefault(kind, set())  # also codes of rows with problems
        if parts and line_type != StatementLine.Type.SUBTOTAL:
            row.problem(row.columns["sum"], "Bara summarader (radtyp ”summa”) har ”Summa av”.")
        for part in parts:
            if part.lstrip("-") not in above:
                row.problem(
                    row.columns["sum"],
                    f"Summan avser ”{part.lstrip('-')}”, som inte är en rad ovanför i samma budgetställning.",
                )
        if reference and reference.partition(":")[0] not in REFERENCE_KINDS:
            row.problem(
                row.columns["reference"],
                f"”{reference}” är ingen hänvisning; den börjar med {', '.join(k + ':' for k in REFERENCE_KINDS)}",
            )
        if sign not in (None, 1, -1):
            row.problem(row.columns["reference_sign"], "Tecknet mot referensen är 1 eller -1.")
        if line_type != StatementLine.Type.AMOUNT and row.has_amounts():
            row.problem(
                first_amount_column(row),
                f"En rad av typen ”{line_type}” har inga belopp; summor räknas fram ur sina delar.",
            )
        duplicate = ctx.duplicate(seen.setdefault(kind, {}), code, row, "code", f"Raden ”{code}”")
        above.add(code)
        if not row.ok or duplicate:
            continue
        if kind not in ctx.statements:
            continue  # its row on "Organisation" has a problem already
        line = {"code": code, "label": label, "type": line_type}
        if parts:
            line["sum"] = parts
        if reference:
            line["reference"] = reference
            line["reference_sign"] = sign or 1
        if role:
            line["role"] = role
        if amounts:
            line["amounts"] = amounts
        ctx.statements[kind][0]["lines"].append(line)


def read_investments(ctx, data, keys):
    sections = ctx.sections(layout.INVESTMENTS_SHEET, keys)
    seen = {}
    lines = data.setdefault("investments", {"note": "", "lines": []})["lines"]
    for row in ctx.each(sections.get(layout.INVESTMENTS.title)):
        code = row.text(
            "code", required=True, slug=True, max_length=max_length(InvestmentLine, "code")
        )
        name = row.text("name", required=True, max_length=max_length(InvestmentLine, "name"))
        committee = row.text("committee", required=True)
        amounts = row.amounts()
        ctx.check_committee(row, committee)
        if row.ok and not ctx.duplicate(seen, code, row, "code", f"Investeringsposten ”{code}”"):
            line = {"code": code, "name": name, "committee": committee}
            if amounts:
                line["amounts"] = amounts
            lines.append(line)


def read_stated(ctx, data, keys):
    sections = ctx.sections(layout.STATED_SHEET, keys)
    data["stated"] = []
    seen = {}
    for row in ctx.each(sections.get(layout.STATED.title)):
        table = row.text(
            "table", required=True, slug=True, max_length=max_length(StatedFigure, "table")
        )
        row_code = row.text(
            "row", required=True, slug=True, max_length=max_length(StatedFigure, "row")
        )
        unit, divisor = money_unit(row, "unit", allow_percent=True)
        values = {}
        for index, key in row.data.year_columns:
            if unit == "kr":
                value = row.amount_mkr(index, divisor=divisor)
            else:
                value = row.number_at(index)
                if value is not None:
                    value = row.check_decimal(index, value, places=4, limit=10**14)
            if value is not None:
                values[key] = value
        if row.ok and not ctx.duplicate(
            seen, (table, row_code), row, "row", f"Uppgiften {table}/{row_code}"
        ):
            data["stated"].append({"table": table, "row": row_code, "unit": unit, "values": values})


def read_facts(ctx, data):
    sections = ctx.sections(layout.FACTS_SHEET)
    data["facts"] = []
    seen = {}
    other_units = [(v, label) for v, label in KeyFact.Unit.choices if v != KeyFact.Unit.KRONOR]
    for row in ctx.each(sections.get(layout.FACTS.title)):
        code = row.text("code", required=True, slug=True, max_length=max_length(KeyFact, "code"))
        label = row.text("label", required=True, max_length=max_length(KeyFact, "label"))
        unit, divisor = money_unit(row, "unit", other_units=other_units)
        if unit == "kr":
            value = row.amount_mkr(row.columns["value"], divisor=divisor)
            if value is None and row.ok:
                row.problem(row.columns["value"], "”Värde” saknas.")
        else:
            value = row.decimal("value", places=4, limit=10**14)
        year = row.integer("year", required=False, **YEAR_RANGE)
        note = row.text("note")
        if row.ok and not ctx.duplicate(seen, code, row, "code", f"Nyckeluppgiften ”{code}”"):
            fact = {"code": code, "label": label, "value": value, "unit": unit}
            if year is not None:
                fact["year"] = year
            if note:
                fact["note"] = note
            data["facts"].append(fact)
    data["companies"] = []
    companies = {}
    for row in ctx.each(sections.get(layout.COMPANIES.title)):
        code = row.text("code", required=True, slug=True, max_length=max_length(Company, "code"))
        name = row.text("name", required=True, max_length=max_length(Company, "name"))
        if row.ok and code in companies:
            row.problem(row.columns["code"], f"Bolaget ”{code}” finns redan.")
        if row.ok:
            companies[code] = {"code": code, "name": name, "forecasts": []}
            data["companies"].append(companies[code])
    seen = {}
    for row in ctx.each(sections.get(layout.COMPANY_FORECASTS.title)):
        company = row.text("company", required=True)
        year = row.integer("year", **YEAR_RANGE)
        source = row.text("source", required=True, max_length=max_length(CompanyForecast, "source"))
        amount = row.amount_mkr(row.columns["amount"])
        if amount is None and row.ok:
            row.problem(row.columns["amount"], "”Resultat, mkr” saknas.")
        if company and company not in companies:
            row.problem(row.columns["company"], f"Bolaget ”{company}” finns inte under ”Bolag”.")
        if row.ok and not ctx.duplicate(seen, (company, year, source), row, "source", "Prognosen"):
            companies[company]["forecasts"].append(
                {"year": year, "source": source, "amount": amount}
            )
