"""Generate a large, invented municipality for the benchmarks (bench/measure.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_budget \\
        .venv/bin/python bench/generate.py            # 15 committees × 60 activities, 8 periods, 1 year
    ... bench/generate.py --full                      # 15 × 300 × 8 periods × 5 years

The database must be migrated and hold no municipality yet (the application has one
municipality per installation; see budget.views.pages.plan_for).

This is TEST DATA, written straight into the tables with ``bulk_create``: it does not go
through the workflow functions (``followup.reports.workflow``), the calendar, the audit helpers
or the budget loader, and so it bypasses their checks, locks and one-entry-per-change
history. What it writes obeys the database constraints and the domain's shape (one
report per committee and period, corrections that supersede an approved report, an
original frame per activity and column, decided changes with a source, twelve profile
shares summing to one, audit entries for what the workflow would have recorded), but it
is not evidence that the workflow produced it. Never run it against a real database.

Deterministic: every figure comes from ``random.Random(--seed)``; only the columns the
models fill themselves (``created_at``, ``recorded_at``) carry the time of the run.

What it makes, for each of ``--years`` budget years ending with ``--last-year``:

- a plan (Mål och budget) with columns bokslut Y-2, budget Y, plan Y+1, plan Y+2 and the
  surplus target (2 %);
- the committees (the last is finansförvaltningen, whose first three activities are the
  tax base; the one before it a political reserve), their activities (a flat list) and a
  controller per proper committee, a finance officer and a councillor; five goals with
  two indicators each;
- the frame ledger: the original frame of every activity and column, decided changes
  (about 5 % of the activities a year) and carry-overs (about 2 %);
- budget profiles (periodisering) for about 10 % of the activities;
- the reporting periods (Hedemora's calendar, months 2, 3, 4, 5, 8, 9, 10, 12, cut or
  extended to ``--periods``): earlier years published; in the last year every period
  before the second-last published, the second-last open (reports submitted, a few still
  drafts; with ``--open-drafts`` every report of the open period is a draft, as at the
  start of a reporting round: bench/load/ has each controller work on one) and the last
  planned;
- per committee and begun period a report with a line per activity: outcome to date,
  the forecast where the period asks for one, comments on about 15 % of the lines; one
  approved correction a year (version 2 superseding version 1);
- action plans for committees that forecast a deficit, with measures and their
  follow-ups in later periods (the first committee draws up two in the year);
- audit history: report created, submitted, approved, superseded; each line's outcome,
  forecast and comment as saved; every frame change; the periods' status changes;
- the record of every published period (followup.periods.record: what its pages and its
  paper show, as ``record_earlier_publications`` writes it at a deployment, "sparad i
  efterhand"), so that a published period's pages and paper are read as in production.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from budget.audit import Actor, Source  # noqa: E402
from budget.models import (  # noqa: E402
    Activity,
    Administration,
    AuditEntry,
    BudgetPlan,
    BudgetYear,
    Committee,
    FrameEntry,
    Goal,
    Indicator,
    KeyFact,
    Membership,
    Municipality,
    Role,
)
from followup.models import (  # noqa: E402
    ActionPlan,
    BudgetProfile,
    Measure,
    MeasureFollowUp,
    Report,
    ReportingPeriod,
    ReportLine,
)
from followup.periods.calendar import working_day_after  # noqa: E402
from followup.periods.record import record_earlier_publications  # noqa: E402

MUNICIPALITY = "Benchmark kommun"
# Hedemora's calendar (fixtures/hedemora/mal-och-budget-2026.toml) first; the other
# months only when more than eight periods are asked for.
CALENDAR = [
    (2, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (3, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning med prognos och åtgärder", True),
    (4, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (5, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (8, ReportingPeriod.Kind.INTERIM, "Mål och resultatuppföljning med prognos", True),
    (9, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (10, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning med prognos", True),
    (12, ReportingPeriod.Kind.ANNUAL, "Mål- och resultatuppföljning", False),
    (1, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (6, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning med prognos", True),
    (7, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
    (11, ReportingPeriod.Kind.MONTHLY, "Ekonomisk uppföljning", False),
]
COMMENTS = [
    "Högre personalkostnader än budgeterat på grund av sjukfrånvaro.",
    "Vakanser under våren ger ett tillfälligt överskott.",
    "Ökade kostnader för köpta platser.",
    "Energikostnaderna har sjunkit jämfört med fjolåret.",
    "Intäkterna från avgifter är lägre än väntat.",
    "Periodiseringen av statsbidraget ger en avvikelse som jämnas ut under hösten.",
    "Prognosen bygger på oförändrad verksamhet resten av året.",
    "Åtgärder för att minska övertiden har påbörjats.",
]
MEASURES = [
    "Vakanta tjänster tillsätts inte",
    "Översyn av bemanningen",
    "Samordnade inköp",
    "Minskade externa konsulter",
    "Senarelagt underhåll",
]
THOUSAND = Decimal(1000)
CENT = Decimal("0.01")


def aware(day: date, hour: int = 14, minute: int = 30) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def kronor(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def text(amount) -> str:
    """An amount as the history shows it (budget.audit.display)."""
    return "" if amount is None else format(amount, "f")


class Generator:
    def __init__(
        self, *, committees, activities, periods, years, last_year, seed, open_drafts=False
    ):
        self.open_drafts = open_drafts
        self.n_committees = committees
        self.n_activities = activities
        self.n_periods = periods
        self.years = list(range(last_year - years + 1, last_year + 1))
        self.rng = random.Random(seed)  # noqa: S311 - invented test data, not secrets
        self.counts = {}
        self.audit = []
        self.ct = {
            model: ContentType.objects.get_for_model(model)
            for model in (Report, ReportLine, FrameEntry, ReportingPeriod, ActionPlan)
        }

    # --- helpers ------------------------------------------------------------------

    def add(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    def bulk(self, model, objects):
        objects = list(objects)
        model.objects.bulk_create(objects, batch_size=2000)
        self.add(model._meta.verbose_name_plural, len(objects))
        return objects

    def entry(self, *, at, obj, ct, repr_, action, area, plan, committee, user=None,
              actor="Benchmarkdata", field="", old="", new="", source=AuditEntry.Source.PAGE):  # fmt: skip
        self.audit.append(
            AuditEntry(
                at=at,
                user=user,
                actor=actor,
                action=action,
                source=source,
                area=area,
                content_type=self.ct[ct],
                object_id=str(obj.pk),
                object_repr=repr_[:300],
                field=field,
                old_value=old,
                new_value=new,
                plan=plan,
                committee=committee,
            )
        )
        if len(self.audit) >= 20000:
            self.flush_audit()

    def flush_audit(self):
        if self.audit:
            self.bulk(AuditEntry, self.audit)
            self.audit = []

    # --- organisation ---------------------------------------------------------------

    def organisation(self):
        self.municipality = Municipality.objects.create(name=MUNICIPALITY)
        n = self.n_committees
        specs = []
        for i in range(1, n + 1):
            if i == n:
                specs.append(("finansforvaltningen", "Finansförvaltningen", Committee.Kind.FINANCE))
            elif i == n - 1 and n >= 3:
                specs.append(("politisk-reserv", "Politisk reserv", Committee.Kind.RESERVE))
            else:
                specs.append((f"namnd-{i:02d}", f"Nämnd {i:02d}", Committee.Kind.COMMITTEE))
        administrations = self.bulk(
            Administration,
            (
                Administration(
                    municipality=self.municipality,
                    code=f"forvaltning-{i:02d}",
                    name=f"Förvaltning {i:02d}",
                )
                for i in range(1, n + 1)
            ),
        )
        self.committees = self.bulk(
            Committee,
            (
                Committee(
                    municipality=self.municipality,
                    code=code,
                    name=name,
                    kind=kind,
                    administration=administrations[i],
                    position=i + 1,
                )
                for i, (code, name, kind) in enumerate(specs)
            ),
        )
        activities = []
        for committee in self.committees:
            finance = committee.kind == Committee.Kind.FINANCE
            for j in range(1, self.n_activities + 1):
                activities.append(
                    Activity(
                        committee=committee,
                        code=f"{committee.code}-v{j:04d}",
                        name=f"{committee.name}, verksamhet {j}",
                        tax_base=finance and j <= 3,
                        position=j,
                    )
                )
        self.bulk(Activity, activities)
        self.activities = {c.pk: [] for c in self.committees}
        by_pk = {c.pk: c for c in self.committees}
        for activity in Activity.objects.filter(committee__in=self.committees).order_by(
            "committee__position", "position", "id"
        ):
            activity.committee = by_pk[activity.committee_id]
            self.activities[activity.committee_id].append(activity)
        self.base_frame = {}  # activity id → frame of the first year, kronor (costs negative)
        costs = Decimal(0)
        for committee in self.committees:
            if committee.kind == Committee.Kind.FINANCE:
                continue
            for activity in self.activities[committee.pk]:
                low, high = (
                    (100, 2_000) if committee.kind == Committee.Kind.RESERVE else (1_000, 80_000)
                )
                amount = -Decimal(self.rng.randint(low, high)) * THOUSAND  # tkr → kr
                self.base_frame[activity.pk] = amount
                costs += amount
        finance = self.committees[-1]
        for j, activity in enumerate(self.activities[finance.pk]):
            if j < 3:  # skatteintäkter, generella statsbidrag, utjämning: 103 % of the costs
                amount = (-costs * Decimal("1.03") / 3 / THOUSAND).quantize(1) * THOUSAND
            else:  # finansnetto, pensioner, …: small, either sign
                amount = Decimal(self.rng.randint(-20_000, 5_000)) * THOUSAND
            self.base_frame[activity.pk] = amount

    def users(self):
        User = get_user_model()
        groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
        specs = [
            ("ekonom", "Eva", "Ekonom", Role.FINANCE),
            ("politiker", "Pia", "Politiker", Role.COUNCILLOR),
        ]
        proper = [c for c in self.committees if c.kind == Committee.Kind.COMMITTEE]
        specs += [(f"controller-{c.code}", "Controller", c.name, Role.CONTROLLER) for c in proper]
        users = self.bulk(
            User,
            (
                User(
                    username=u,
                    first_name=f,
                    last_name=last,
                    email=f"{u}@example.org",
                    password="!",  # noqa: S106 - "!" is Django's unusable password
                )
                for u, f, last, _ in specs
            ),
        )
        users = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=users[u].pk, group_id=groups[role].pk)
            for u, _, _, role in specs
        )
        self.bulk(
            Membership,
            (Membership(user=users[f"controller-{c.code}"], committee=c) for c in proper),
        )
        self.finance_user = users["ekonom"]
        self.controller = {c.pk: users[f"controller-{c.code}"] for c in proper}

    # --- one budget year ------------------------------------------------------------

    def year(self, year, *, last):
        growth = Decimal("1.03") ** (year - self.years[0])
        plan = BudgetPlan.objects.create(
            municipality=self.municipality,
            year=year,
            title=f"Mål och budget {year}",
            adopted_by=f"KF {year - 1}-11-20 § 99",
            source="bench/generate.py",
        )
        self.add("mål och budget", 1)
        KeyFact.objects.create(
            plan=plan,
            code="overskottsmal",
            label="Överskottsmål",
            value=Decimal("2.0"),
            unit="procent",
        )
        goals = self.bulk(
            Goal, (Goal(plan=plan, number=n, title=f"Inriktningsmål {n}") for n in range(1, 6))
        )
        self.bulk(
            Indicator,
            (
                Indicator(
                    goal=goal,
                    code=f"nyckeltal-{goal.number}-{k}",
                    name=f"Nyckeltal {goal.number}.{k}",
                    baseline_value=Decimal(50),
                    baseline_year=year - 3,
                    target_value=Decimal(60),
                    target_year=year,
                    direction=Indicator.Direction.INCREASE,
                    source="Kolada",
                )
                for goal in goals
                for k in (1, 2)
            ),
        )
        columns = self.bulk(
            BudgetYear,
            [
                BudgetYear(plan=plan, year=year - 2, kind=BudgetYear.Kind.OUTCOME, status=BudgetYear.Status.CLOSED, position=1),
                BudgetYear(plan=plan, year=year, kind=BudgetYear.Kind.BUDGET, status=BudgetYear.Status.ADOPTED, position=2),
                BudgetYear(plan=plan, year=year + 1, kind=BudgetYear.Kind.PLAN, status=BudgetYear.Status.PRELIMINARY, position=3),
                BudgetYear(plan=plan, year=year + 2, kind=BudgetYear.Kind.PLAN, status=BudgetYear.Status.PRELIMINARY, position=4),
            ],
        )  # fmt: skip
        budget_column = columns[1]
        all_activities = [a for c in self.committees for a in self.activities[c.pk]]
        frames = {}
        originals = []
        for activity in all_activities:
            base = self.base_frame[activity.pk] * growth
            for column, factor in zip(columns, ("0.97", "1", "1.02", "1.04"), strict=True):
                amount = (base * Decimal(factor) / THOUSAND).quantize(1) * THOUSAND
                if column is budget_column:
                    frames[activity.pk] = amount
                originals.append(
                    FrameEntry(
                        activity=activity,
                        budget_year=column,
                        kind=FrameEntry.Kind.ORIGINAL,
                        amount=amount,
                        decision=plan.adopted_by,
                    )
                )
        self.bulk(FrameEntry, originals)
        changes = []
        for n, activity in enumerate(
            self.rng.sample(all_activities, max(1, len(all_activities) // 14))
        ):
            kind = FrameEntry.Kind.CARRYOVER if n % 3 == 0 else FrameEntry.Kind.CHANGE
            amount = Decimal(self.rng.randint(-3_000, 3_000)) * THOUSAND
            decided = date(year, self.rng.randint(2, 11), self.rng.randint(1, 28))
            frames[activity.pk] += amount
            changes.append(
                FrameEntry(
                    activity=activity,
                    budget_year=budget_column,
                    kind=kind,
                    amount=amount,
                    decision=f"KS {decided.isoformat()} § {n + 10}",
                    decided_on=decided,
                    source=f"bench-{year}-{n}",
                    recorded_by=self.finance_user,
                )
            )
        self.bulk(FrameEntry, changes)
        for entry in changes:
            self.entry(
                at=aware(entry.decided_on),
                obj=entry,
                ct=FrameEntry,
                repr_=f"{entry.activity.name} budget {year} (beslutad förändring)",
                action=AuditEntry.Action.CREATED,
                area=AuditEntry.Area.FRAMES,
                plan=plan,
                committee=entry.activity.committee,
                user=self.finance_user,
                actor="Eva Ekonom (ekonom)",
                new=f"belopp: {text(entry.amount)}",
            )
        self.profiles(year, all_activities)
        periods = self.periods(plan, year, last=last)
        self.reports(plan, year, periods, frames, last=last)

    def profiles(self, year, activities):
        rows = []
        for activity in self.rng.sample(activities, len(activities) // 10):
            weights = [Decimal(self.rng.randint(70, 130)) for _ in range(12)]
            total = sum(weights)
            shares = [(w / total).quantize(Decimal("0.00000001")) for w in weights[:11]]
            shares.append(Decimal(1) - sum(shares))
            rows += [
                BudgetProfile(activity=activity, year=year, month=m, share=s)
                for m, s in enumerate(shares, start=1)
            ]
        self.bulk(BudgetProfile, rows)

    def periods(self, plan, year, *, last):
        chosen = sorted(CALENDAR[: self.n_periods], key=lambda c: c[0])
        open_index = len(chosen) - 2 if len(chosen) >= 2 else 0
        periods = []
        for i, (month, kind, content, forecast) in enumerate(chosen):
            if not last:
                status = ReportingPeriod.Status.PUBLISHED
            elif i < open_index:
                status = ReportingPeriod.Status.PUBLISHED
            elif i == open_index:
                status = ReportingPeriod.Status.OPEN
            else:
                status = ReportingPeriod.Status.PLANNED
            periods.append(
                ReportingPeriod(
                    plan=plan,
                    year=year,
                    month=month,
                    kind=kind,
                    content=content,
                    asks_outcome=True,
                    asks_forecast=forecast,
                    asks_actions=forecast,
                    asks_goals=kind != ReportingPeriod.Kind.MONTHLY,
                    deadline=working_day_after(year=year, month=month, working_day=8),
                    status=status,
                )
            )
        self.bulk(ReportingPeriod, periods)
        steps = {
            ReportingPeriod.Status.OPEN: ["Planerad", "Öppen"],
            ReportingPeriod.Status.PUBLISHED: ["Planerad", "Öppen", "Stängd", "Publicerad"],
        }
        for p in periods:
            labels = steps.get(p.status, [])
            for old, new in zip(labels, labels[1:], strict=False):
                self.entry(
                    at=aware(p.deadline + timedelta(days=len(new))),
                    obj=p,
                    ct=ReportingPeriod,
                    repr_=str(p),
                    action=AuditEntry.Action.CHANGED,
                    area=AuditEntry.Area.CALENDAR,
                    plan=plan,
                    committee=None,
                    user=self.finance_user,
                    actor="Eva Ekonom (ekonom)",
                    field="status",
                    old=old,
                    new=new,
                )
        return periods

    def reports(self, plan, year, periods, frames, *, last):
        begun = [p for p in periods if p.status != ReportingPeriod.Status.PLANNED]
        proper = [c for c in self.committees if c.kind == Committee.Kind.COMMITTEE]
        # A committee's result for the year as a share of its budget (negative: deficit).
        result = {c.pk: Decimal(self.rng.randint(-40, 15)) / 1000 for c in self.committees}
        # The first committee (the one measure.py opens as its controller) always has a
        # deficit and so an action plan, as Bildningsnämnden has in the demo.
        result[self.committees[0].pk] = Decimal("-0.02")
        drafts = {self.committees[0].pk, self.committees[-1].pk} | {
            c.pk for c in self.rng.sample(proper, max(1, len(proper) // 5))
        }
        if self.open_drafts:  # after the sample, so that the other figures stay the same
            drafts = {c.pk for c in self.committees}
        corrected = (
            (self.rng.choice(proper).pk, self.rng.choice(begun[:-1]).pk) if len(begun) > 1 else None
        )
        shares = {}
        for p in BudgetProfile.objects.filter(year=year).values_list(
            "activity_id", "month", "share"
        ):
            shares.setdefault(p[0], {})[p[1]] = p[2]
        plans_made = {}
        plan_months = [p.month for p in begun if p.asks_forecast]
        for period in begun:
            is_open = period.status == ReportingPeriod.Status.OPEN
            reports = []
            for committee in self.committees:
                controller = self.controller.get(committee.pk, self.finance_user)
                submitted = aware(period.deadline - timedelta(days=self.rng.randint(0, 4)))
                status = Report.Status.APPROVED
                if is_open:
                    status = (
                        Report.Status.DRAFT if committee.pk in drafts else Report.Status.SUBMITTED
                    )
                correction = corrected == (committee.pk, period.pk)
                report = Report(
                    committee=committee,
                    period=period,
                    status=Report.Status.SUPERSEDED if correction else status,
                    row_version=3 if status == Report.Status.DRAFT else 4,
                    saved_at=submitted - timedelta(hours=2),
                    saved_by=controller,
                    submitted_at=None if status == Report.Status.DRAFT else submitted,
                    submitted_by=None if status == Report.Status.DRAFT else controller,
                    approved_at=submitted + timedelta(days=3) if status == Report.Status.APPROVED else None,
                    approved_by=self.finance_user if status == Report.Status.APPROVED else None,
                )  # fmt: skip
                reports.append(report)
            self.bulk(Report, reports)
            corrections = []
            for report in reports:
                if report.status == Report.Status.SUPERSEDED:
                    corrections.append(
                        Report(
                            committee=report.committee,
                            period=period,
                            version=2,
                            corrects=report,
                            status=Report.Status.APPROVED,
                            row_version=4,
                            saved_at=report.approved_at + timedelta(days=10),
                            saved_by=report.saved_by,
                            submitted_at=report.approved_at + timedelta(days=10),
                            submitted_by=report.saved_by,
                            approved_at=report.approved_at + timedelta(days=12),
                            approved_by=self.finance_user,
                        )
                    )
            self.bulk(Report, corrections)
            lines = []
            for report in reports + corrections:
                lines += self.lines(report, period, frames, shares, result[report.committee_id])
            self.bulk(ReportLine, lines)
            self.report_history(plan, reports + corrections, lines)
            for committee in proper:
                self.action_plan(
                    plan, period, committee, frames, result[committee.pk], plans_made,
                    plan_months=plan_months, last=last,
                )  # fmt: skip

    def lines(self, report, period, frames, shares, result):
        draft = report.status == Report.Status.DRAFT
        lines = []
        for activity in self.activities[report.committee_id]:
            frame = frames[activity.pk]
            months = shares.get(activity.pk)
            share = (
                sum((months.get(m, 0) for m in range(1, period.month + 1)), Decimal(0))
                if months
                else Decimal(period.month) / 12
            )
            noise = Decimal(self.rng.randint(-25, 25)) / 1000
            # Half a draft's lines are still empty; the first committee's draft is complete,
            # as Bildningsnämnden's is in the demo.
            empty = (
                self.rng.random() < 0.5 and draft and report.committee_id != self.committees[0].pk
            )
            outcome = None if empty else kronor(frame * share * (1 - result + noise))
            forecast = None
            if period.asks_forecast and not empty:
                forecast = (frame * (1 - result + noise / 2) / THOUSAND).quantize(1) * THOUSAND
            comment = self.rng.choice(COMMENTS) if self.rng.random() < 0.15 else ""
            lines.append(
                ReportLine(
                    report=report,
                    activity=activity,
                    outcome=outcome,
                    forecast=forecast,
                    comment=comment,
                )
            )
        return lines

    def report_history(self, plan, reports, lines):
        by_report = {r.pk: r for r in reports}
        for report in reports:
            user = report.saved_by
            who = f"{user.first_name} {user.last_name} ({user.username})"
            common = {
                "obj": report,
                "ct": Report,
                "repr_": f"{report.committee.name} – {report.period}",
                "plan": plan,
                "committee": report.committee,
            }
            area = AuditEntry.Area.REPORTS
            opened = report.saved_at - timedelta(days=5)
            self.entry(at=opened, action=AuditEntry.Action.CREATED, area=area, user=user, actor=who, new="Utkast", **common)  # fmt: skip
            if report.submitted_at:
                self.entry(at=report.submitted_at, action=AuditEntry.Action.CHANGED, area=area, user=user, actor=who, field="status", old="Utkast", new="Inlämnad", **common)  # fmt: skip
            if report.approved_at:
                self.entry(at=report.approved_at, action=AuditEntry.Action.CHANGED, area=area, user=self.finance_user, actor="Eva Ekonom (ekonom)", field="status", old="Inlämnad", new="Godkänd", **common)  # fmt: skip
            if report.status == Report.Status.SUPERSEDED:
                self.entry(at=report.approved_at + timedelta(days=12), action=AuditEntry.Action.CHANGED, area=area, user=self.finance_user, actor="Eva Ekonom (ekonom)", field="status", old="Godkänd", new="Ersatt av rättelse", **common)  # fmt: skip
        for line in lines:
            report = by_report[line.report_id]
            user = report.saved_by
            for label, value in (
                ("utfall ackumulerat (kr)", line.outcome),
                ("helårsprognos (kr)", line.forecast),
                ("kommentar", line.comment or None),
            ):
                if value is None:
                    continue
                self.entry(
                    at=report.saved_at,
                    obj=line,
                    ct=ReportLine,
                    repr_=f"{report.committee.name} – {report.period}: {line.activity.name}",
                    action=AuditEntry.Action.CHANGED,
                    area=AuditEntry.Area.REPORTS,
                    plan=plan,
                    committee=report.committee,
                    user=user,
                    actor=f"{user.first_name} {user.last_name} ({user.username})",
                    field=label,
                    new=text(value) if not isinstance(value, str) else value,
                )

    def action_plan(
        self, plan, period, committee, frames, result, plans_made, *, plan_months, last
    ):
        """A committee with a deficit draws up a plan in the first forecast period (the
        first committee a second one in the next forecast period, closing the first) and
        follows the measures of its latest plan up in every later period."""
        made = plans_made.get(committee.pk)
        months = plan_months[:2] if committee.pk == self.committees[0].pk else plan_months[:1]
        if result < 0 and period.month in months:
            deficit = -sum(frames[a.pk] for a in self.activities[committee.pk]) * -result
            latest = period.month == months[-1]
            status = ActionPlan.Status.OPEN if last and latest else ActionPlan.Status.CLOSED
            action_plan = ActionPlan.objects.create(
                committee=committee,
                period=period,
                status=status,
                summary="Åtgärder för att nå budget i balans.",
            )
            self.add("åtgärdsplaner", 1)
            count = self.rng.randint(1, 3)
            measures = self.bulk(
                Measure,
                (
                    Measure(
                        plan=action_plan,
                        description=f"{self.rng.choice(MEASURES)} ({i + 1})",
                        expected_effect=kronor(
                            abs(deficit) * Decimal(self.rng.randint(20, 45)) / 100
                        ),
                        responsible="Förvaltningschef",
                        due_date=date(period.year, 11, 30),
                        status=Measure.Status.STARTED,
                    )
                    for i in range(count)
                ),
            )
            plans_made[committee.pk] = measures
            self.entry(
                at=aware(period.deadline - timedelta(days=2)),
                obj=action_plan,
                ct=ActionPlan,
                repr_=f"Åtgärdsplan {committee.name} {period}",
                action=AuditEntry.Action.CREATED,
                area=AuditEntry.Area.ACTIONS,
                plan=plan,
                committee=committee,
                user=self.controller[committee.pk],
                actor=self.controller[committee.pk].username,
                new=action_plan.summary,
            )
            return
        if made is None:
            return
        self.bulk(
            MeasureFollowUp,
            (
                MeasureFollowUp(
                    measure=m,
                    period=period,
                    status=Measure.Status.STARTED,
                    realised_effect=kronor(m.expected_effect * Decimal(period.month) / 12),
                    comment="Följs upp enligt plan.",
                    recorded_at=aware(period.deadline - timedelta(days=1)),
                    recorded_by=self.controller[committee.pk],
                )
                for m in made
            ),
        )

    def run(self):
        with transaction.atomic():
            self.organisation()
            self.users()
            for year in self.years:
                self.year(year, last=year == self.years[-1])
                self.flush_audit()
        # Through the application, from the tables just written: each published period's
        # figures and paper.
        records = record_earlier_publications(
            actor=Actor(source=Source.COMMAND, name="bench/generate.py")
        )
        self.add("sparade publiceringar", len(records))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--committees", type=int, default=15)
    parser.add_argument("--activities", type=int, default=60, help="per committee")
    parser.add_argument("--periods", type=int, default=8, help="reporting periods a year (1–12)")
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--last-year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--full", action="store_true", help="15 × 300 activities, 8 periods, 5 years"
    )
    parser.add_argument(
        "--open-drafts",
        action="store_true",
        help="every report of the open period a draft (bench/load/: one per controller)",
    )
    args = parser.parse_args(argv)
    if args.full:
        args.committees, args.activities, args.periods, args.years = 15, 300, 8, 5
    if not 1 <= args.periods <= 12 or args.committees < 3 or args.activities < 1 or args.years < 1:
        parser.error("--periods must be 1–12, committees at least 3, activities and years 1")
    if Municipality.objects.exists():
        sys.exit("generate.py: the database already holds a municipality; give it a fresh one.")
    started = time.perf_counter()
    generator = Generator(
        committees=args.committees,
        activities=args.activities,
        periods=args.periods,
        years=args.years,
        last_year=args.last_year,
        seed=args.seed,
        open_drafts=args.open_drafts,
    )
    generator.run()
    seconds = time.perf_counter() - started
    shape = f"{args.committees} × {args.activities} × {args.periods} periods × {args.years} years"
    print(f"generate.py: {shape} on {connection.vendor} in {seconds:.1f} s")
    for name, n in sorted(generator.counts.items()):
        print(f"  {name:28} {n:>9}")


if __name__ == "__main__":
    main()
