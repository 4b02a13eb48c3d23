"""Investment projects: kept by finance, followed up each period, unspent budget carried over.

Every action is a keyword-only function that checks its input, works inside one
transaction with the rows it changes locked, records what changed in the audit trail
(budget.audit) and raises ``InvestmentError`` with Swedish messages when something is
not allowed. Views call one function and show its errors; they hold no rules.

- What counts as an investment is the plan's rule (budget.rules.InvestmentRule): at
  least 100 000 kr and a life of at least three years; anything less is operating cost
  and is refused with that reason. The database holds the same floor (CheckConstraint).
- A committee's controller records the follow-up of the committee's projects while the
  period is open; finance may also correct it while the period is closed, and nobody
  once it is published. The permission itself is checked by the view
  ("followup.follow_up_investments").
- Carry-over (överflyttade medel): finance proposes to carry a project's unspent budget
  of a year into the next; only a recorded decision of the council (KF, with date and
  paragraph) makes it count, as its own column of the next year's budget.

Figures (budget, forecast, deviation per committee) are read in followup/investments/figures.py.
"""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from budget import money
from budget.audit import Actor, Area, History, Scope, display, field_label, record_each
from budget.concurrency import check_version
from budget.models import AuditEntry, BudgetYear, Committee
from budget.rules import MISSING_RULE, InvestmentRule
from followup.errors import FieldErrors
from followup.models import (
    CarryOver,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
)
from followup.periods.entry import check_open

Action = AuditEntry.Action
Status = InvestmentProject.Status

# The fields of a project that finance keeps, in the order the history lists them.
PROJECT_FIELDS = (
    "code",
    "name",
    "description",
    "line",
    "total_budget",
    "life_years",
    "status",
    "responsible",
)
# A change of any of these needs a reason: they are the project's money and its course.
NEEDS_REASON = {"total_budget", "life_years", "status", "budgets"}

# A project moves forward only; a finished or cancelled project stays so.
TRANSITIONS = {
    Status.PLANNED: {Status.ONGOING, Status.CANCELLED},
    Status.ONGOING: {Status.FINISHED, Status.CANCELLED},
    Status.FINISHED: set(),
    Status.CANCELLED: set(),
}

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")


class InvestmentError(FieldErrors):
    """One or more reasons an action is refused: ``errors`` is [(field or None, message)]."""


class StaleProject(InvestmentError):
    """Someone else saved the project after this user opened it."""


def _scope(project) -> Scope:
    return Scope(area=Area.INVESTMENTS, plan=project.plan, committee=project.committee)


def _kr(amount) -> str:
    return f"{money.format_number(amount, 2 if amount % 1 else 0)} kr"


def budget_years(plan) -> list[int]:
    """The years a project's budget is given for: the plan's budget year and plan years."""
    years = (
        BudgetYear.objects.filter(
            plan=plan, kind__in=[BudgetYear.Kind.BUDGET, BudgetYear.Kind.PLAN], year__gte=plan.year
        )
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years) or [plan.year]


# Projects -----------------------------------------------------------------------


def _validate(*, plan, committee, values: dict, budgets: dict, project=None) -> None:
    errors = []
    if (
        committee.municipality_id != plan.municipality_id
        or committee.kind != Committee.Kind.COMMITTEE
    ):
        errors.append(("committee", "Ett investeringsprojekt hör till en av kommunens nämnder."))
    line = values.get("line")
    if line is not None and (line.plan_id != plan.pk or line.committee_id != committee.pk):
        errors.append(("line", "Posten i investeringsbudgeten hör inte till nämnden."))
    code = values.get("code") or ""
    if not CODE.match(code):
        errors.append(
            (
                "code",
                "Projektnumret består av bokstäver, siffror och bindestreck (högst 20 tecken).",
            )
        )
    else:
        taken = InvestmentProject.objects.filter(plan=plan, code__iexact=code)
        if project is not None:
            taken = taken.exclude(pk=project.pk)
        if taken.exists():
            errors.append(("code", f"Projektnummer {code} finns redan i {plan}."))
    for name, label in (("name", "Projektets namn"), ("responsible", "Ansvarig")):
        if not (values.get(name) or "").strip():
            errors.append((name, f"{label} saknas."))
    total = values.get("total_budget")
    life = values.get("life_years")
    if total is None:
        errors.append(("total_budget", "Projektets totala budget saknas."))
    if life is None:
        errors.append(("life_years", "Projektets livslängd saknas."))
    if total is not None and life is not None:
        errors += _investment_rule(plan, total, life)
    allowed = set(budget_years(plan))
    for year, amount in budgets.items():
        if year not in allowed:
            errors.append(("budgets", f"Budget kan bara anges för åren {_years(allowed)}."))
        elif amount is not None and amount < 0:
            errors.append((f"budget_{year}", f"Budgeten för {year} kan inte vara negativ."))
    given = sum((a for a in budgets.values() if a), Decimal(0))
    if total is not None and given > total:
        errors.append(
            (
                "budgets",
                f"Budgeten per år är sammanlagt {_kr(given)}, mer än projektets "
                f"totala budget {_kr(total)}.",
            )
        )
    if errors:
        raise InvestmentError(*errors)


def _years(years) -> str:
    ordered = sorted(years)
    return (
        ", ".join(str(y) for y in ordered[:-1]) + f" och {ordered[-1]}"
        if len(ordered) > 1
        else str(ordered[0])
    )


def _investment_rule(plan, total, life) -> list:
    """The plan's definition of an investment, as (field, message) pairs."""
    rule = InvestmentRule.for_plan(plan)
    if rule is None:
        return [(None, MISSING_RULE)]
    try:
        rule.check(amount=total, life_years=Decimal(life))
    except ValidationError as exc:
        fields = {
            "investment_too_small": "total_budget",
            "investment_too_short_lived": "life_years",
        }
        return [(fields.get(e.code), message) for e in exc.error_list for message in e.messages]
    return []


@transaction.atomic
def create_project(
    *,
    plan,
    committee,
    values: dict,
    budgets: dict,
    actor: Actor,
    now=None,
    demo: bool = False,
) -> InvestmentProject:
    """A new project of ``committee`` in ``plan``.

    ``values``: the PROJECT_FIELDS (status defaults to planerad); ``budgets``: year →
    kronor for the years the project has a budget.
    """
    values = {name: values.get(name) for name in PROJECT_FIELDS if name in values}
    values.setdefault("status", Status.PLANNED)
    values.setdefault("description", "")
    _validate(plan=plan, committee=committee, values=values, budgets=budgets)
    now = now or timezone.now()
    project = InvestmentProject.objects.create(
        plan=plan,
        committee=committee,
        created_at=now,
        created_by=actor.person,
        demo=demo,
        **values,
    )
    history = History(actor=actor, at=now)
    summary = ", ".join(
        f"{field_label(InvestmentProject, k)}: {display(v)}"
        for k, v in values.items()
        if v not in ("", None)
    )
    history.add(obj=project, action=Action.CREATED, scope=_scope(project), new=summary)
    for year, amount in sorted(budgets.items()):
        if amount is None:
            continue
        row = ProjectBudget.objects.create(project=project, year=year, amount=amount)
        history.add(obj=row, action=Action.CREATED, scope=_scope(project), new=display(amount))
    history.write()
    return project


@transaction.atomic
def update_project(
    *,
    project,
    values: dict,
    budgets: dict,
    actor: Actor,
    reason: str = "",
    now=None,
    row_version: int | None = None,
) -> list[str]:
    """Change a project's fields and budget per year; returns the names of what changed.

    A change of budget, life or status needs a reason; the status moves only forward
    (TRANSITIONS). A year's budget is never removed: an emptied year becomes 0 kr.
    ``row_version`` is the version the form was shown with: a project saved by someone
    else since is not overwritten (StaleProject).
    """
    project = (
        InvestmentProject.objects.select_for_update().select_related("plan").get(pk=project.pk)
    )
    check_version(
        shown=row_version,
        current=project.row_version,
        stale=lambda: StaleProject(
            (
                None,
                "Någon annan har ändrat projektet efter att du öppnade det. Ingenting av det "
                "du skrev har sparats; det står kvar i formuläret. Jämför med det sparade "
                "projektet och spara igen.",
            )
        ),
    )
    values = {name: values[name] for name in PROJECT_FIELDS if name in values}
    merged = {name: getattr(project, name) for name in PROJECT_FIELDS} | values
    existing = {b.year: b for b in project.budgets.select_for_update().order_by("year")}
    budgets = {
        year: (Decimal(0) if amount is None and year in existing else amount)
        for year, amount in budgets.items()
    }
    _validate(
        plan=project.plan,
        committee=project.committee,
        values=merged,
        budgets={y: a for y, a in ({y: b.amount for y, b in existing.items()} | budgets).items()},
        project=project,
    )
    changed = [name for name, value in values.items() if getattr(project, name) != value]
    changed_years = [
        year
        for year, amount in budgets.items()
        if amount is not None and (year not in existing or existing[year].amount != amount)
    ]
    if "status" in changed and values["status"] not in TRANSITIONS[Status(project.status)]:
        raise InvestmentError(
            (
                "status",
                f"Ett projekt som är {project.get_status_display().lower()} kan inte bli "
                f"{Status(values['status']).label.lower()}.",
            )
        )
    reason = (reason or "").strip()
    if not reason and (NEEDS_REASON & set(changed) or changed_years):
        raise InvestmentError(
            ("reason", "Skriv varför budgeten, livslängden eller statusen ändras.")
        )
    history = History(actor=actor, reason=reason, at=now)
    scope = _scope(project)
    for name in changed:
        old = getattr(project, name)
        setattr(project, name, values[name])
        history.add(
            obj=project,
            action=Action.CANCELLED
            if name == "status" and values[name] == Status.CANCELLED
            else Action.CHANGED,
            scope=scope,
            field_label=field_label(InvestmentProject, name),
            old=_shown(project, name, old),
            new=_shown(project, name, values[name]),
        )
    if changed or changed_years:
        project.row_version += 1
        project.save(update_fields=[*changed, "row_version"])
    for year in changed_years:
        row = existing.get(year)
        if row is None:
            row = ProjectBudget.objects.create(project=project, year=year, amount=budgets[year])
            history.add(obj=row, action=Action.CREATED, scope=scope, new=display(budgets[year]))
            continue
        history.add(
            obj=row,
            action=Action.CHANGED,
            scope=scope,
            field_label=field_label(ProjectBudget, "amount"),
            old=row.amount,
            new=budgets[year],
        )
        row.amount = budgets[year]
        row.save(update_fields=["amount"])
    history.write()
    return changed + [f"budget {year}" for year in changed_years]


def _shown(project, name, value):
    if name == "status":
        return Status(value).label
    return value


# Follow-up per period ------------------------------------------------------------


FOLLOW_UP_FIELDS = ("outcome", "forecast", "comment")


@transaction.atomic
def record_follow_ups(
    *, committee, period, values: dict, actor: Actor, now=None
) -> list[ProjectFollowUp]:
    """Record the period's follow-up of the committee's projects.

    ``values``: project id → (outcome to date, full-year forecast, comment), in kronor.
    The outcome is required; so is the forecast when the period asks for one, and the
    forecast cannot be lower than what is already spent. Returns the follow-ups that
    were created or changed; each change is one history entry per figure.
    """
    check_open(period, actor, InvestmentError)
    projects = {
        p.pk: p
        for p in InvestmentProject.objects.select_for_update()
        .filter(plan=period.plan, committee=committee, pk__in=list(values))
        .select_related("plan", "committee")
        .order_by("code", "id")
    }
    unknown = set(values) - set(projects)
    if unknown:
        raise InvestmentError("Projektet hör inte till nämnden eller budgetåret.")
    errors = []
    for pk, (outcome, forecast, _comment) in values.items():
        code = projects[pk].code
        if outcome is None:
            errors.append((f"outcome_{pk}", f"{code}: utfallet hittills saknas."))
        elif outcome < 0:
            errors.append((f"outcome_{pk}", f"{code}: utfallet kan inte vara negativt."))
        if forecast is None and period.asks_forecast:
            errors.append((f"forecast_{pk}", f"{code}: perioden efterfrågar en helårsprognos."))
        elif forecast is not None and forecast < 0:
            errors.append((f"forecast_{pk}", f"{code}: prognosen kan inte vara negativ."))
        elif forecast is not None and outcome is not None and forecast < outcome:
            errors.append(
                (
                    f"forecast_{pk}",
                    f"{code}: helårsprognosen ({_kr(forecast)}) kan inte vara lägre än "
                    f"utfallet hittills ({_kr(outcome)}).",
                )
            )
    if errors:
        raise InvestmentError(*errors)
    now = now or timezone.now()
    history = History(actor=actor, at=now)
    existing = {
        f.project_id: f
        for f in ProjectFollowUp.objects.select_for_update().filter(
            period=period, project_id__in=list(projects)
        )
    }
    saved = record_each(
        ProjectFollowUp,
        (
            (
                existing.get(pk),
                {"project": projects[pk], "period": period},
                {"outcome": outcome, "forecast": forecast, "comment": (comment or "").strip()},
                _scope(projects[pk]),
            )
            for pk, (outcome, forecast, comment) in values.items()
        ),
        history=history,
        now=now,
        user=actor.person,
    )
    history.write()
    return saved


# Carry-over (överflyttade medel) --------------------------------------------------


def unspent(project, year: int):
    """What is left of the project's budget for ``year`` (incl. carry-over into it) after
    the latest recorded outcome of that year; None when the year is not followed here."""
    if year != project.plan.year:
        return None
    budget = ProjectBudget.objects.filter(project=project, year=year).values_list(
        "amount", flat=True
    ).first() or Decimal(0)
    carried = sum(
        CarryOver.objects.decided()
        .filter(project=project, from_year=year - 1)
        .values_list("amount", flat=True),
        Decimal(0),
    )
    latest = (
        ProjectFollowUp.objects.filter(project=project, period__year=year)
        .order_by("-period__month", "-id")
        .values_list("outcome", flat=True)
        .first()
    )
    return budget + carried - (latest or Decimal(0))


@transaction.atomic
def propose_carry_over(
    *, project, from_year: int, amount, reason: str, actor: Actor, now=None
) -> CarryOver:
    """Finance proposes carrying ``amount`` of the project's unspent budget of
    ``from_year`` into the next year. It counts only once KF has decided it."""
    project = (
        InvestmentProject.objects.select_for_update().select_related("plan").get(pk=project.pk)
    )
    plan_year = project.plan.year
    errors = []
    if from_year not in (plan_year - 1, plan_year):
        errors.append(
            ("from_year", f"Medel kan föras över från {plan_year - 1} eller {plan_year}.")
        )
    if project.status in (Status.CANCELLED, Status.FINISHED):
        errors.append(
            f"Projektet är {project.get_status_display().lower()}; inga medel förs över till det."
        )
    if amount is None or amount <= 0:
        errors.append(("amount", "Ange ett belopp större än noll."))
    if not (reason or "").strip():
        errors.append(("reason", "Skriv varför medlen behövs nästa år."))
    if CarryOver.objects.filter(
        project=project,
        from_year=from_year,
        status__in=[CarryOver.Status.PROPOSED, CarryOver.Status.DECIDED],
    ).exists():
        errors.append(
            f"Det finns redan ett förslag eller beslut om överflyttning från {from_year} "
            "för projektet."
        )
    if not errors and amount is not None:
        left = unspent(project, from_year)
        limit = project.total_budget if left is None else left
        if amount > limit:
            what = (
                "det som återstår av årets budget"
                if left is not None
                else "projektets totala budget"
            )
            errors.append(
                ("amount", f"Överflyttningen ({_kr(amount)}) är större än {what} ({_kr(limit)}).")
            )
    if errors:
        raise InvestmentError(*errors)
    now = now or timezone.now()
    carry_over = CarryOver.objects.create(
        project=project,
        from_year=from_year,
        amount=amount,
        reason=reason.strip(),
        proposed_at=now,
        proposed_by=actor.person,
    )
    history = History(actor=actor, reason=reason.strip(), at=now)
    history.add(
        obj=carry_over,
        action=Action.CREATED,
        scope=_scope(project),
        new=f"{field_label(CarryOver, 'amount')}: {display(amount)}, status: Förslag",
    )
    history.write()
    return carry_over


PARAGRAPH = re.compile(r"^§?\s*(\d+[a-z]?)$")


@transaction.atomic
def decide_carry_over(
    *,
    carry_over,
    approved: bool,
    decided_on: date | None,
    paragraph: str,
    actor: Actor,
    now=None,
    today: date | None = None,
) -> CarryOver:
    """Record the council's decision on a proposed carry-over: approved (beslutad) or
    rejected (avslagen), with the date and paragraph of KF's minutes (e.g. "§ 12")."""
    carry_over = (
        CarryOver.objects.select_for_update().select_related("project__plan").get(pk=carry_over.pk)
    )
    if carry_over.status != CarryOver.Status.PROPOSED:
        raise InvestmentError(
            f"Överflyttningen är redan {carry_over.get_status_display().lower()}."
        )
    today = today or timezone.localdate()
    errors = []
    if decided_on is None:
        errors.append(("decided_on", "Ange datum för kommunfullmäktiges beslut."))
    elif decided_on > today:
        errors.append(("decided_on", "Beslutsdatum kan inte ligga i framtiden."))
    match = PARAGRAPH.match((paragraph or "").strip())
    if match is None:
        errors.append(("paragraph", "Ange paragrafen i protokollet, till exempel § 12."))
    if errors:
        raise InvestmentError(*errors)
    now = now or timezone.now()
    status = CarryOver.Status.DECIDED if approved else CarryOver.Status.REJECTED
    old = carry_over.get_status_display()
    carry_over.status = status
    carry_over.decided_on = decided_on
    carry_over.decision_paragraph = f"§ {match.group(1)}"
    carry_over.decision_recorded_at = now
    carry_over.decision_recorded_by = actor.person
    carry_over.save(
        update_fields=[
            "status",
            "decided_on",
            "decision_paragraph",
            "decision_recorded_at",
            "decision_recorded_by",
        ]
    )
    history = History(actor=actor, reason=carry_over.decision, at=now)
    history.add(
        obj=carry_over,
        action=Action.CHANGED,
        scope=_scope(carry_over.project),
        field_label="status",
        old=old,
        new=status.label,
    )
    history.write()
    return carry_over
