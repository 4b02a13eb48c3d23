"""A demo follow-up year for a development machine, from a data file.

Everything goes through the same workflow functions as real reporting, so the demo
reports have history like any other. Loaded once: if the plan's year already has
reports, nothing is done.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from budget import money
from budget.audit import Actor, Source
from budget.models import Committee

from . import actions, workflow
from .calendar import set_period_status
from .figures import report_figures
from .models import Report, ReportingPeriod


def _latest(mapping: dict, month: int):
    months = sorted(int(m) for m in mapping if int(m) <= month)
    return Decimal(mapping[str(months[-1])]) if months else None


@transaction.atomic
def load_demo_followup(data: dict, *, plan) -> int:
    """Create, submit and approve the demo reports; returns how many were created."""
    if Report.objects.filter(period__plan=plan).exists():
        return 0
    controller = Actor(source=Source.COMMAND, name="Demodata (controller)")
    finance = Actor(source=Source.COMMAND, name="Demodata (ekonomiavdelningen)")
    specs = {c["code"]: c for c in data["committees"]}
    committees = Committee.objects.filter(municipality=plan.municipality, code__in=specs)
    created = 0
    for month in data["months"]:
        period = ReportingPeriod.objects.get(plan=plan, year=data["year"], month=month)
        period.demo = True
        period.save(update_fields=["demo"])
        if period.status != ReportingPeriod.Status.OPEN:
            period = set_period_status(
                period=period, status=ReportingPeriod.Status.OPEN, actor=finance
            )
        for committee in committees:
            spec = specs[committee.code]
            report = workflow.open_report(committee=committee, period=period, actor=controller)
            figures = report_figures(report)
            deviation = _latest(spec.get("deviation", {}), month)
            values = {}
            for index, line in enumerate(figures.lines):
                ratio = Decimal(spec["outcome"][str(month)])
                outcome = None if line.budget_to_date is None else line.budget_to_date * ratio
                forecast = None
                if period.asks_forecast and line.budget is not None:
                    extra = money.to_kronor(deviation or 0, "mkr") if index == 0 else 0
                    forecast = line.budget + extra
                values[line.activity.pk] = (
                    None if outcome is None else outcome.quantize(Decimal("1")),
                    forecast,
                    "Demodata." if index == 0 else "",
                )
            report = workflow.save_report(
                report=report, row_version=report.row_version, values=values, actor=controller
            )
            plan_spec = spec.get("action_plan")
            if plan_spec and plan_spec["month"] == month:
                actions.save_measures(
                    committee=committee,
                    period=period,
                    summary=plan_spec.get("summary", ""),
                    actor=controller,
                    measures=[
                        {
                            "id": None,
                            "description": m["description"],
                            "expected_effect": money.to_kronor(m["effect"], "mkr"),
                            "responsible": m["responsible"],
                            "due_date": date.fromisoformat(m["due"]),
                            "status": m.get("status", "planerad"),
                            "realised_effect": (
                                money.to_kronor(m["realised"], "mkr") if "realised" in m else None
                            ),
                        }
                        for m in plan_spec["measures"]
                    ],
                )
            report = workflow.submit_report(report=report, actor=controller)
            workflow.approve_report(report=report, actor=finance)
            created += 1
        period = set_period_status(
            period=period, status=ReportingPeriod.Status.CLOSED, actor=finance
        )
        if month in data.get("published", []):
            set_period_status(period=period, status=ReportingPeriod.Status.PUBLISHED, actor=finance)
    return created
