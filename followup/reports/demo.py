"""A demo follow-up year for a development machine, from a data file.

Everything goes through the same workflow functions as real reporting, so the demo
reports have history like any other. Loaded once: if the plan's year already has
reports, nothing is done.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget import money
from budget.audit import Actor, Source
from budget.models import Committee
from followup.models import Report, ReportingPeriod
from followup.periods.calendar import set_period_status
from followup.reports import actions, workflow
from followup.reports.figures import report_figures


def _on(deadline, *, days):
    """A plausible moment around the deadline: a demo report is submitted on time."""
    if deadline is None:
        return None
    day = deadline + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(14, 30)))


def _latest(mapping: dict, month: int):
    months = sorted(int(m) for m in mapping if int(m) <= month)
    return Decimal(mapping[str(months[-1])]) if months else None


@transaction.atomic
def load_demo_followup(data: dict, *, plan) -> int:
    """Create, submit and approve the demo reports; returns how many were created.

    The ``open`` month stays open with its reports submitted, not yet approved, and
    the ``drafts`` committees' reports in it still drafts.
    """
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
            if plan_spec:
                _action_plan(plan_spec, committee=committee, period=period, actor=controller)
            created += 1
            if month == data.get("open") and committee.code in data.get("drafts", []):
                continue
            report = workflow.submit_report(
                report=report,
                actor=controller,
                now=_on(period.deadline, days=-1),
                shortfall_reason=spec.get("shortfall_reason", ""),
            )
            if month != data.get("open"):
                workflow.approve_report(
                    report=report, actor=finance, now=_on(period.deadline, days=3)
                )
        if month == data.get("open"):
            continue
        period = set_period_status(
            period=period, status=ReportingPeriod.Status.CLOSED, actor=finance
        )
        if month in data.get("published", []):
            set_period_status(period=period, status=ReportingPeriod.Status.PUBLISHED, actor=finance)
    return created


def _action_plan(spec, *, committee, period, actor):
    """Draw up the plan in its month; follow its measures up in the months that say so."""
    if spec["month"] == period.month:
        actions.save_measures(
            committee=committee,
            period=period,
            summary=spec.get("summary", ""),
            actor=actor,
            measures=[
                {
                    "id": None,
                    "description": m["description"],
                    "expected_effect": money.to_kronor(m["effect"], "mkr"),
                    "responsible": m["responsible"],
                    "due_date": date.fromisoformat(m["due"]),
                    "status": m.get("status", "planerad"),
                }
                for m in spec["measures"]
            ],
        )
        return
    current = actions.plan_for(committee=committee, period=period)
    follow_ups = [m.get("follow_up", {}).get(str(period.month)) for m in spec["measures"]]
    if current is None or not any(follow_ups):
        return
    measures = list(current.measures.order_by("id"))
    actions.save_measures(
        committee=committee,
        period=period,
        summary=current.summary,
        actor=actor,
        measures=[
            {
                "id": measure.pk,
                "status": follow_up["status"],
                "realised_effect": (
                    money.to_kronor(follow_up["realised"], "mkr")
                    if "realised" in follow_up
                    else measure.realised_effect
                ),
                "comment": follow_up.get("comment", ""),
            }
            for measure, follow_up in zip(measures, follow_ups, strict=True)
            if follow_up
        ],
    )
