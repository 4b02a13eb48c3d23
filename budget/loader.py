"""Load an adopted budget ("Mål och budget") from plain data into the database.

The data is a dict in the layout of ``fixtures/<municipality>/*.toml`` (the
budget workbook import produces the same dict). Loading is idempotent:
organisation and figures are created or updated by their codes, so running
it again changes nothing and duplicates nothing. Everything is validated
before anything is written, and written in one transaction.
"""

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from budget import money
from budget.audit import Actor, History, Scope, save_with_history
from budget.models import (
    Activity,
    Administration,
    AuditEntry,
    BudgetPlan,
    BudgetYear,
    Committee,
    Company,
    CompanyForecast,
    FinancialIndicator,
    FrameEntry,
    Goal,
    Indicator,
    InvestmentAmount,
    InvestmentLine,
    KeyFact,
    Municipality,
    Perspective,
    StatedFigure,
    Statement,
    StatementAmount,
    StatementLine,
    SubtotalComponent,
    Vision,
)

Source = AuditEntry.Source
Area = AuditEntry.Area


class PlanDataError(Exception):
    """The data cannot be loaded; ``errors`` lists every problem in Swedish."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class LoadResult:
    plan: BudgetPlan
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what else the import saved, in sentences

    def count(self, created: bool, changed: bool, what: str = ""):
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
            if what:
                self.changes.append(what)
        else:
            self.unchanged += 1


def read_toml(path) -> dict:
    with Path(path).open("rb") as fh:
        return tomllib.load(fh, parse_float=Decimal)


def year_key(kind: str, year: int) -> str:
    return f"{kind}-{year}"


def validate(data: dict) -> list[str]:
    """Every problem of the data, as Swedish sentences; empty when it can be loaded."""
    errors = []
    for part in ("municipality", "plan", "years", "committees"):
        if part not in data:
            errors.append(f"Avsnittet ”{part}” saknas.")
    if errors:
        return errors
    unit = data["plan"].get("unit", "mkr")
    if unit not in money.UNITS:
        errors.append(f"Okänd enhet ”{unit}”; ange kr, tkr eller mkr.")

    def check_choice(where, what, value, allowed):
        if value not in allowed:
            errors.append(f"{where}: okänt värde ”{value}” för {what}.")

    def check_text(where, what, value, max_length):
        if value is not None and len(str(value)) > max_length:
            errors.append(f"{where}: {what} får vara högst {max_length} tecken.")

    check_choice(
        "Mål och budget",
        "status",
        data["plan"].get("status", "faststalld"),
        BudgetPlan.Status.values,
    )
    check_text("Mål och budget", "titeln", data["plan"].get("title"), 200)
    if not isinstance(data["plan"].get("year"), int):
        errors.append("Mål och budget: budgetåret måste vara ett årtal.")
    columns = set()
    for y in data["years"]:
        if y.get("kind") not in BudgetYear.Kind.values:
            errors.append(f"Budgetår {y.get('year')}: okänt slag ”{y.get('kind')}”.")
        check_choice(
            f"Budgetår {y.get('year')}", "status", y.get("status"), BudgetYear.Status.values
        )
        if year_key(y.get("kind"), y.get("year")) in columns:
            errors.append(f"Budgetår {y.get('kind')} {y.get('year')} förekommer två gånger.")
        columns.add(year_key(y.get("kind"), y.get("year")))

    def check_amounts(where, amounts):
        for key, value in (amounts or {}).items():
            if key not in columns:
                errors.append(f"{where}: kolumnen ”{key}” finns inte bland budgetåren.")
            if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
                errors.append(f"{where}, {key}: ”{value}” är inte ett belopp.")

    admin_codes = {a["code"] for a in data.get("administrations", [])}
    committee_codes = set()
    for c in data["committees"]:
        name = c.get("name") or c.get("code") or "?"
        if not c.get("code") or not c.get("name"):
            errors.append(f"Nämnd ”{name}”: kod och namn krävs.")
        check_text(f"Nämnd ”{name}”", "namnet", c.get("name"), 150)
        check_text(f"Nämnd ”{name}”", "koden", c.get("code"), 40)
        if c.get("code") in committee_codes:
            errors.append(f"Nämnd ”{name}”: koden ”{c.get('code')}” förekommer två gånger.")
        committee_codes.add(c.get("code"))
        if c.get("kind") not in Committee.Kind.values:
            errors.append(f"Nämnd ”{name}”: okänt slag ”{c.get('kind')}”.")
        if c.get("administration") and c["administration"] not in admin_codes:
            errors.append(f"Nämnd ”{name}”: förvaltningen ”{c['administration']}” finns inte.")
        if not c.get("activities"):
            errors.append(f"Nämnd ”{name}”: minst en verksamhet krävs.")
        codes = set()
        for a in c.get("activities", []):
            if a.get("code") in codes:
                errors.append(f"{name}: verksamhetskoden ”{a.get('code')}” förekommer två gånger.")
            codes.add(a.get("code"))
            check_amounts(f"{name}, {a.get('name')}", a.get("frames"))
    for s in data.get("statements", []):
        if s.get("kind") not in Statement.Kind.values:
            errors.append(f"Okänd budgetställning ”{s.get('kind')}”.")
        line_codes = set()
        for line in s.get("lines", []):
            where = f"{s.get('title')}, {line.get('label') or line.get('code')}"
            if line.get("code") in line_codes:
                errors.append(f"{where}: radkoden förekommer två gånger.")
            if line.get("type", "belopp") not in StatementLine.Type.values:
                errors.append(f"{where}: okänd radtyp ”{line.get('type')}”.")
            for part in line.get("sum", []):
                if part.lstrip("-") not in line_codes:
                    errors.append(f"{where}: summan avser ”{part}”, som inte står ovanför.")
            line_codes.add(line.get("code"))
            check_choice(where, "tecken mot referens", line.get("reference_sign", 1), [1, -1])
            check_choice(where, "roll", line.get("role", ""), ["", *StatementLine.Role.values])
            check_amounts(where, line.get("amounts"))
    for line in data.get("investments", {}).get("lines", []):
        if line.get("committee") not in committee_codes:
            errors.append(f"Investering ”{line.get('name')}”: nämnden finns inte.")
        check_amounts(f"Investering ”{line.get('name')}”", line.get("amounts"))
    for s in data.get("stated", []):
        where = f"Angiven uppgift {s.get('table')}/{s.get('row')}"
        check_choice(where, "enhet", s.get("unit", "kr"), StatedFigure.Unit.values)
        check_amounts(where, s.get("values"))
    for f in data.get("facts", []):
        check_choice(
            f"Nyckeluppgift ”{f.get('label')}”", "enhet", f.get("unit"), KeyFact.Unit.values
        )
    for g in data.get("goals", []):
        for i in g.get("indicators", []):
            check_choice(
                f"Nyckeltal ”{i.get('name')}”",
                "önskad riktning",
                i.get("direction"),
                Indicator.Direction.values,
            )
        for fi in g.get("financial_indicators", []):
            check_choice(
                f"Finansiellt nyckeltal ”{fi.get('name')}”",
                "beräkning",
                fi.get("method"),
                FinancialIndicator.Method.values,
            )
    return errors


def load_plan(data: dict, *, actor: Actor | None = None, reason: str = "") -> LoadResult:
    """Create or update the plan in ``data``; raise PlanDataError if it is not valid.

    Every row created or changed is recorded in the audit trail in the same
    transaction, with ``actor`` as its author.
    """
    errors = validate(data)
    if errors:
        raise PlanDataError(errors)
    actor = actor or Actor(source=Source.COMMAND, name="Inläsning av budget")
    with transaction.atomic():
        loader = _Loader(data, history=History(actor=actor, reason=reason))
        result = loader.run()
        loader.history.write()
        return result


AREAS = {
    Municipality: Area.ORGANISATION,
    Administration: Area.ORGANISATION,
    Committee: Area.ORGANISATION,
    Activity: Area.ORGANISATION,
    BudgetPlan: Area.PLAN,
    BudgetYear: Area.PLAN,
    FrameEntry: Area.FRAMES,
    Statement: Area.STATEMENTS,
    StatementLine: Area.STATEMENTS,
    StatementAmount: Area.STATEMENTS,
    InvestmentLine: Area.INVESTMENTS,
    InvestmentAmount: Area.INVESTMENTS,
    StatedFigure: Area.STATED,
    KeyFact: Area.FACTS,
    Company: Area.FACTS,
    CompanyForecast: Area.FACTS,
    Vision: Area.GOALS,
    Perspective: Area.GOALS,
    Goal: Area.GOALS,
    Indicator: Area.GOALS,
    FinancialIndicator: Area.GOALS,
}


# Rows that belong to one plan: none can exist while the plan itself is new.
PLAN_OWNED = {
    BudgetYear,
    FrameEntry,
    Statement,
    StatementLine,
    StatementAmount,
    InvestmentLine,
    InvestmentAmount,
    StatedFigure,
    KeyFact,
    CompanyForecast,
    Vision,
    Perspective,
    Goal,
    Indicator,
    FinancialIndicator,
}


class _Loader:
    def __init__(self, data, *, history):
        self.data = data
        self.history = history
        self.unit = data["plan"].get("unit", "mkr")
        self.plan = None
        self.new_municipality = False
        self.new_plan = False

    def kr(self, value) -> Decimal:
        return money.to_kronor(value, self.unit)

    def scope(self, model, fields: dict) -> Scope:
        committee = fields.get("committee")
        if committee is None and "activity" in fields:
            committee = fields["activity"].committee
        if committee is None and "line" in fields:
            committee = getattr(fields["line"], "committee", None)
        return Scope(area=AREAS[model], plan=self.plan, committee=committee)

    def upsert(self, model, lookup: dict, values: dict, what: str = ""):
        fresh_parent = self.new_plan if model in PLAN_OWNED else self.new_municipality
        obj, created, changed = save_with_history(
            model,
            lookup,
            values,
            history=self.history,
            scope=self.scope(model, {**lookup, **values}),
            known_new=fresh_parent and model not in (Municipality, BudgetPlan),
        )
        self.result.count(created=created, changed=bool(changed), what=what if changed else "")
        return obj

    def upsert_amounts(self, model, obj, line: dict, *, what: str):
        """A statement or investment line's ``line["amounts"]`` (year column → amount) as
        ``model`` rows of ``obj``; a change is reported as ``what`` and the column."""
        for key, value in line.get("amounts", {}).items():
            self.upsert(
                model,
                {"line": obj, "budget_year": self.years[key]},
                {"amount": self.kr(value)},
                what=f"{what} {key}",
            )

    def run(self) -> LoadResult:
        d = self.data
        self.result = LoadResult(plan=None)
        municipality = self.upsert(
            Municipality,
            {"name": d["municipality"]["name"]},
            {"kolada_id": d["municipality"].get("kolada_id", "")},
        )
        self.new_municipality = self.result.created == 1
        p = d["plan"]
        plan = self.upsert(
            BudgetPlan,
            {"municipality": municipality, "year": p["year"]},
            {
                "title": p["title"],
                "status": p.get("status", BudgetPlan.Status.ADOPTED),
                "adopted_by": p.get("adopted_by", ""),
                "source": p.get("source", ""),
                "investment_note": self.data.get("investments", {}).get("note", ""),
            },
        )
        self.result.plan = plan
        self.new_plan = self.result.created == 1 + int(self.new_municipality)
        self.plan = plan
        self.years = {}
        for position, y in enumerate(d["years"]):
            obj = self.upsert(
                BudgetYear,
                {"plan": plan, "year": y["year"], "kind": y["kind"]},
                {"status": y["status"], "note": y.get("note", ""), "position": position},
            )
            self.years[obj.key] = obj
        self.load_organisation(municipality)
        self.load_statements()
        self.load_investments()
        self.load_stated()
        self.load_facts(municipality)
        self.load_goals()
        return self.result

    def load_organisation(self, municipality):
        administrations = {
            a["code"]: self.upsert(
                Administration,
                {"municipality": municipality, "code": a["code"]},
                {"name": a["name"]},
            )
            for a in self.data.get("administrations", [])
        }
        self.committees = {}
        for position, c in enumerate(self.data["committees"]):
            committee = self.upsert(
                Committee,
                {"municipality": municipality, "code": c["code"]},
                {
                    "name": c["name"],
                    "kind": c["kind"],
                    "administration": administrations.get(c.get("administration")),
                    "description": c.get("description", ""),
                    "position": position,
                },
            )
            self.committees[c["code"]] = committee
            for a_position, a in enumerate(c["activities"]):
                activity = self.upsert(
                    Activity,
                    {"committee": committee, "code": a["code"]},
                    {
                        "name": a["name"],
                        "tax_base": bool(a.get("tax_base", False)),
                        "position": a_position,
                    },
                )
                for key, value in a.get("frames", {}).items():
                    self.set_original_frame(activity, self.years[key], self.kr(value))

    def set_original_frame(self, activity, budget_year, amount):
        """The adopted frame: the one ORIGINAL entry of the ledger."""
        self.upsert(
            FrameEntry,
            {"activity": activity, "budget_year": budget_year, "kind": FrameEntry.Kind.ORIGINAL},
            {"amount": amount},
            what=f"{activity} {budget_year}",
        )

    def load_statements(self):
        for position, s in enumerate(self.data.get("statements", [])):
            statement = self.upsert(
                Statement,
                {"plan": self.plan, "kind": s["kind"]},
                {"title": s["title"], "position": position},
            )
            lines = {}
            for l_position, line in enumerate(s.get("lines", [])):
                obj = self.upsert(
                    StatementLine,
                    {"statement": statement, "code": line["code"]},
                    {
                        "label": line.get("label", ""),
                        "line_type": line.get("type", StatementLine.Type.AMOUNT),
                        "position": l_position,
                        "reference": line.get("reference", ""),
                        "reference_sign": int(line.get("reference_sign", 1)),
                        "role": line.get("role", ""),
                    },
                )
                lines[line["code"]] = obj
                wanted = {}
                for part in line.get("sum", []):
                    sign = -1 if part.startswith("-") else 1
                    wanted[lines[part.lstrip("-")].pk] = sign
                existing = {c.component_id: c for c in obj.components.all()}
                for component_id, sign in wanted.items():
                    if component_id in existing:
                        if existing[component_id].sign != sign:
                            existing[component_id].sign = sign
                            existing[component_id].save(update_fields=["sign"])
                    else:
                        SubtotalComponent.objects.create(
                            subtotal=obj, component_id=component_id, sign=sign
                        )
                obj.components.exclude(component_id__in=wanted).delete()
                self.upsert_amounts(
                    StatementAmount, obj, line, what=f"{statement.title}, {obj.label}"
                )

    def load_investments(self):
        inv = self.data.get("investments", {})
        for position, line in enumerate(inv.get("lines", [])):
            obj = self.upsert(
                InvestmentLine,
                {"plan": self.plan, "code": line["code"]},
                {
                    "name": line["name"],
                    "committee": self.committees[line["committee"]],
                    "position": position,
                },
            )
            self.upsert_amounts(InvestmentAmount, obj, line, what=f"Investering {obj.name}")

    def load_stated(self):
        for s in self.data.get("stated", []):
            unit = s.get("unit", StatedFigure.Unit.KRONOR)
            for key, value in s["values"].items():
                stored = self.kr(value) if unit == StatedFigure.Unit.KRONOR else Decimal(value)
                self.upsert(
                    StatedFigure,
                    {
                        "plan": self.plan,
                        "table": s["table"],
                        "row": s["row"],
                        "budget_year": self.years[key],
                    },
                    {"value": stored, "unit": unit},
                )

    def load_facts(self, municipality):
        for position, f in enumerate(self.data.get("facts", [])):
            value = self.kr(f["value"]) if f["unit"] == "kr" else Decimal(f["value"])
            self.upsert(
                KeyFact,
                {"plan": self.plan, "code": f["code"]},
                {
                    "label": f["label"],
                    "value": value,
                    "unit": f["unit"],
                    "year": f.get("year"),
                    "note": f.get("note", ""),
                    "position": position,
                },
            )
        for position, c in enumerate(self.data.get("companies", [])):
            company = self.upsert(
                Company,
                {"municipality": municipality, "code": c["code"]},
                {"name": c["name"], "position": position},
            )
            for f in c.get("forecasts", []):
                self.upsert(
                    CompanyForecast,
                    {
                        "company": company,
                        "plan": self.plan,
                        "year": f["year"],
                        "source": f["source"],
                    },
                    {"amount": self.kr(f["amount"])},
                )

    def load_goals(self):
        d = self.data
        if "vision" in d:
            self.upsert(
                Vision,
                {"plan": self.plan},
                {"title": d["vision"]["title"], "text": d["vision"]["text"]},
            )
        for position, p in enumerate(d.get("perspectives", [])):
            self.upsert(
                Perspective,
                {"plan": self.plan, "code": p["code"]},
                {"name": p["name"], "description": p.get("description", ""), "position": position},
            )
        fi_position = 0
        for g in d.get("goals", []):
            goal = self.upsert(
                Goal,
                {"plan": self.plan, "number": g["number"]},
                {"title": g["title"], "description": g.get("description", "")},
            )
            for i in g.get("indicators", []):
                self.upsert(
                    Indicator,
                    {"goal": goal, "code": i["code"]},
                    {
                        "name": i["name"],
                        "description": i.get("description", ""),
                        "baseline_value": Decimal(i["baseline"]["value"]),
                        "baseline_year": i["baseline"]["year"],
                        "target_value": Decimal(i["target"]["value"]),
                        "target_year": i["target"]["year"],
                        "direction": i["direction"],
                        "source": i.get("source", ""),
                    },
                )
            for fi in g.get("financial_indicators", []):
                self.upsert(
                    FinancialIndicator,
                    {"plan": self.plan, "code": fi["code"]},
                    {
                        "goal": goal,
                        "name": fi["name"],
                        "method": fi["method"],
                        "position": fi_position,
                    },
                )
                fi_position += 1
