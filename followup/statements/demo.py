"""The demo interim report's own figures for a development machine, from a data file:
the statements' outcome so far and forecast for the interim report's month, finance's
notes, last year's outcome per statement line and per committee, and the assessment of
god ekonomisk hushållning. The figures are invented (the budget document has no outcome
for the year before the plan's) and marked as demo data: the period is a demo period, and
last year's figures carry ``demo``.

Everything goes through the same functions as finance's pages, so the demo figures have
history like any other. Loaded once: if the plan already has last year's figures, nothing
is done. Run before the demo follow-up (followup/reports/demo.py), which closes and
publishes the month: the period opened here stays open for it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budget import money
from budget.audit import Actor, Source
from budget.models import Committee, StatementLine
from followup.models import ReportingPeriod
from followup.models.statements import PreviousYearFigure
from followup.periods.calendar import set_period_status
from followup.statements.assessment import save_assessment
from followup.statements.companies import companies_of, save_company_forecasts
from followup.statements.entry import save_statement_figures
from followup.statements.previous_year import WHOLE_YEAR, save_previous_year


@dataclass
class DemoAccounts:
    figures: int = 0
    previous: int = 0
    companies: int = 0


def _mkr(value) -> Decimal | None:
    return None if value is None else money.to_kronor(Decimal(str(value)), "mkr")


@transaction.atomic
def load_demo_accounts(data: dict, *, plan) -> DemoAccounts:
    """Enter the demo figures of ``data`` (fixtures/<municipality>/demo-bokslut-<year>.toml)."""
    result = DemoAccounts()
    if PreviousYearFigure.objects.filter(plan=plan).exists():
        return result
    finance = Actor(source=Source.COMMAND, name="Demodata (ekonomiavdelningen)")
    month = data["month"]
    lines = {
        (line.statement.kind, line.code): line
        for line in StatementLine.objects.filter(statement__plan=plan).select_related("statement")
    }
    committees = {c.code: c for c in Committee.objects.of_plan(plan)}
    previous_lines, previous_committees = {}, {}
    values, to_date, notes = {}, {}, {}
    for kind, specs in data["statements"].items():
        for code, spec in specs.items():
            line = lines[(kind, code)]
            if "forecast" in spec:
                values[line.pk] = _mkr(spec["forecast"])
                to_date[line.pk] = _mkr(spec.get("to_date"))
                notes[line.pk] = spec.get("note", "")
            for months, key in ((month, "last_to_date"), (WHOLE_YEAR, "last_year")):
                if key in spec:
                    previous_lines[(line.pk, months)] = _mkr(spec[key])
    for code, spec in data.get("committees", {}).items():
        committee = committees[code]
        previous_committees[(committee.pk, month)] = _mkr(spec["last_to_date"])
        previous_committees[(committee.pk, WHOLE_YEAR)] = _mkr(spec["last_year"])
    result.previous = len(
        save_previous_year(
            plan=plan,
            lines=previous_lines,
            committees=previous_committees,
            actor=finance,
            demo=True,
        )
    )
    period = ReportingPeriod.objects.get(plan=plan, year=data["year"], month=month)
    if period.status == ReportingPeriod.Status.PLANNED:
        period = set_period_status(period=period, status=ReportingPeriod.Status.OPEN, actor=finance)
    if period.status != ReportingPeriod.Status.OPEN:
        return result  # closed or published already: its figures are a record
    period.demo = True
    period.save(update_fields=["demo"])
    result.figures = len(
        save_statement_figures(
            period=period, values=values, to_date=to_date, notes=notes, actor=finance
        )
    )
    if data.get("assessment"):
        save_assessment(period=period, text=data["assessment"].strip(), actor=finance)
    companies = {c.code: c for c in companies_of(plan)}
    result.companies = len(
        save_company_forecasts(
            period=period,
            values={
                companies[code].pk: (_mkr(spec["forecast"]), spec.get("comment", ""))
                for code, spec in data.get("companies", {}).items()
            },
            actor=finance,
        )
    )
    return result
