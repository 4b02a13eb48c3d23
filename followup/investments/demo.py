"""Demo investment projects for a development machine, from a data file.

Everything goes through the same functions as real work (followup/investments/projects.py), so
the demo projects have history like any other. Loaded once: if the plan already has
investment projects, nothing is done. The demo follow-up of the year
(followup/reports/demo.py) may run after this: the periods opened here stay open for it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from budget import money
from budget.audit import Actor, Source
from budget.models import Committee, InvestmentLine
from followup.investments import projects as investments
from followup.models import InvestmentProject, ReportingPeriod
from followup.periods.calendar import set_period_status


@dataclass
class DemoInvestments:
    projects: int = 0
    follow_ups: int = 0
    skipped_periods: int = 0


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _mkr(value):
    return None if value is None else money.to_kronor(value, "mkr")


@transaction.atomic
def load_demo_investments(data: dict, *, plan) -> DemoInvestments:
    result = DemoInvestments()
    if InvestmentProject.objects.filter(plan=plan).exists():
        return result
    finance = Actor(source=Source.COMMAND, name="Demodata (ekonomiavdelningen)")
    controller = Actor(source=Source.COMMAND, name="Demodata (controller)")
    committees = {c.code: c for c in Committee.objects.filter(municipality=plan.municipality)}
    lines = {line.code: line for line in InvestmentLine.objects.filter(plan=plan)}
    projects = {}
    for spec in data["projects"]:
        projects[spec["code"]] = investments.create_project(
            plan=plan,
            committee=committees[spec["committee"]],
            values={
                "code": spec["code"],
                "name": spec["name"],
                "description": spec.get("description", ""),
                "line": lines.get(spec.get("line")),
                "total_budget": _mkr(spec["total"]),
                "life_years": spec["life"],
                "status": spec.get("status", InvestmentProject.Status.PLANNED),
                "responsible": spec["responsible"],
            },
            budgets={int(year): _mkr(amount) for year, amount in spec["budget"].items()},
            actor=finance,
            now=_at(date(plan.year, 1, 15)),
            demo=True,
        )
        result.projects += 1
    _follow_ups(data, plan, projects, controller, finance, result)
    for spec in data.get("carry_overs", []):
        proposed = spec["proposed"]
        carry_over = investments.propose_carry_over(
            project=projects[spec["project"]],
            from_year=spec["from_year"],
            amount=_mkr(spec["amount"]),
            reason=spec["reason"],
            actor=finance,
            now=_at(proposed),
        )
        decision = spec.get("decision")
        if decision:
            investments.decide_carry_over(
                carry_over=carry_over,
                approved=decision.get("approved", True),
                decided_on=decision["date"],
                paragraph=decision["paragraph"],
                actor=finance,
                now=_at(decision["date"], 15),
                today=decision["date"],
            )
    return result


def _follow_ups(data, plan, projects, controller, finance, result):
    months = sorted({int(m) for spec in data["projects"] for m in spec.get("follow_up", {})})
    for month in months:
        period = ReportingPeriod.objects.get(plan=plan, month=month)
        if period.status == ReportingPeriod.Status.PLANNED:
            period = set_period_status(
                period=period, status=ReportingPeriod.Status.OPEN, actor=finance
            )
        if period.status == ReportingPeriod.Status.PUBLISHED:
            result.skipped_periods += 1
            continue
        by_committee = {}
        for spec in data["projects"]:
            entry = spec.get("follow_up", {}).get(str(month))
            if entry is None:
                continue
            project = projects[spec["code"]]
            by_committee.setdefault(project.committee, {})[project.pk] = (
                _mkr(entry["outcome"]),
                _mkr(entry.get("forecast")),
                entry.get("comment", ""),
            )
        day = (period.deadline or period.last_day) - timedelta(days=2)
        for committee, values in by_committee.items():
            saved = investments.record_follow_ups(
                committee=committee, period=period, values=values, actor=controller, now=_at(day)
            )
            result.follow_ups += len(saved)
