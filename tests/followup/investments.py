"""Investment projects as the tests arrange them: made and followed up through the services,
with the audit entries they write."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Max

from budget.audit import Actor, Source
from budget.models import AuditEntry, Committee, InvestmentLine
from followup.investments.projects import create_project, record_follow_ups

TKR = Decimal(1_000)
MKR = Decimal(1_000_000)
DEMO = settings.BASE_DIR / "fixtures" / "hedemora" / "demo-investeringar-2026.toml"
# Mål och budget 2026, Investeringsbudget: "Summa investeringar", budget 2026 (mkr).
SUMMA_INVESTERINGAR_2026 = Decimal("45.2")


def actor(user):
    return Actor(user=user, source=Source.PAGE)


def last_entry_id():
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def entries_since(entry_id):
    """The audit entries written after ``entry_id``, in the order they were written."""
    return list(AuditEntry.objects.filter(id__gt=entry_id).order_by("id"))


def new_project(user, *, code="BN-T1", committee_code="bildningsnamnden", **overrides):
    """A project made by the service (arrange): 800 tkr in all, 600 tkr of it in 2026 unless
    ``overrides`` say otherwise; amounts in kronor."""
    budgets = overrides.pop("budgets", {2026: Decimal(600) * TKR})
    plan = overrides.pop("plan", None) or InvestmentLine.objects.get(code=committee_code).plan
    values = {
        "code": code,
        "name": f"Projekt {code}",
        "total_budget": Decimal(800) * TKR,
        "life_years": 10,
        "responsible": "Verksamhetschef",
    } | overrides
    if "line" not in values:
        values["line"] = InvestmentLine.objects.get(plan=plan, code=committee_code)
    return create_project(
        plan=plan,
        committee=Committee.objects.get(code=committee_code),
        values=values,
        budgets=budgets,
        actor=actor(user),
    )


def record_follow_up(project, period, by, *, outcome, forecast, comment=""):
    """``by`` records one project's outcome and forecast (kronor) for ``period``."""
    return record_follow_ups(
        committee=project.committee,
        period=period,
        values={project.pk: (outcome, forecast, comment)},
        actor=actor(by),
    )
