"""Make a generated municipality ready for the load test (bench/load/run.sh).

    DATABASE_URL=... LOAD_PASSWORD=... .venv/bin/python bench/load/prepare.py \\
        --councillors 20 --out bench/load/out/plan.json

Run after ``bench/generate.py --open-drafts`` on a fresh database. It

- gives every controller and every councillor the password in ``LOAD_PASSWORD`` (the
  generator makes them with unusable passwords) and adds councillors ``politiker-01``…
  until there are ``--councillors`` of them;
- writes the plan the locust users and verify.py read: per controller the committee,
  its draft report in the open period with each line's activity, frame (the budget the
  report is measured against) and figures as they are before the run; the published
  periods and the committees the councillors read; and the last audit entry before the
  run, so that verify.py can tell the run's history from the generated one.

TEST DATA for a bench database only, like bench/generate.py.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Max  # noqa: E402

from budget.models import AuditEntry, BudgetPlan, Committee, Membership, Role  # noqa: E402
from followup.models import Report, ReportingPeriod  # noqa: E402
from followup.reports.figures import current_frames  # noqa: E402


def amount(value) -> str | None:
    return None if value is None else format(value, "f")


@transaction.atomic
def prepare(*, password: str, councillors: int) -> dict:
    User = get_user_model()
    plan = BudgetPlan.objects.order_by("-year", "id").first()
    if plan is None:
        sys.exit("prepare.py: no plan; run bench/generate.py first.")
    period = ReportingPeriod.objects.filter(plan=plan, status=ReportingPeriod.Status.OPEN).first()
    if period is None:
        sys.exit("prepare.py: no open reporting period.")
    published = sorted(
        ReportingPeriod.objects.filter(
            plan=plan, status=ReportingPeriod.Status.PUBLISHED
        ).values_list("month", flat=True)
    )
    if not published:
        sys.exit("prepare.py: no published period for the councillors to read.")

    # One hash for all: a PBKDF2 hash takes a fifth of a second here, and each login
    # checks it in full anyway.
    hashed = make_password(password)
    group = Group.objects.get(name=Role.COUNCILLOR.value)
    existing = set(User.objects.values_list("username", flat=True))
    for n in range(1, councillors + 1):
        username = f"politiker-{n:02d}"
        if username in existing:
            continue
        user = User.objects.create(
            username=username,
            first_name="Politiker",
            last_name=f"{n:02d}",
            email=f"{username}@example.org",
        )
        user.groups.add(group)
    councillor_names = [f"politiker-{n:02d}" for n in range(1, councillors + 1)]
    memberships = (
        Membership.objects.filter(
            committee__municipality=plan.municipality, committee__kind=Committee.Kind.COMMITTEE
        )
        .select_related("user", "committee")
        .order_by("committee__position", "user__username")
    )
    controllers = []
    for membership in memberships:
        committee = membership.committee
        report = Report.objects.get(committee=committee, period=period, status__in=Report.EDITABLE)
        lines = list(report.lines.select_related("activity").order_by("activity__position"))
        frames = current_frames([line.activity for line in lines], period)
        controllers.append(
            {
                "username": membership.user.username,
                "committee": committee.code,
                "committee_name": committee.name,
                "report": report.pk,
                "row_version": report.row_version,
                "lines": [
                    {
                        "activity": line.activity_id,
                        "line": line.pk,
                        "frame": amount(frames.get(line.activity_id)),
                        "outcome": amount(line.outcome),
                        "forecast": amount(line.forecast),
                        "comment": line.comment,
                    }
                    for line in lines
                ],
            }
        )
    names = [c["username"] for c in controllers] + councillor_names
    User.objects.filter(username__in=names).update(password=hashed)
    return {
        "year": plan.year,
        "month": period.month,
        "asks_forecast": period.asks_forecast,
        "published_months": published,
        "committees": list(Committee.objects.of_plan(plan).values("code", "name")),
        "controllers": controllers,
        "councillors": councillor_names,
        "audit_before": AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councillors", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    password = os.environ.get("LOAD_PASSWORD", "")
    if len(password) < 12:
        sys.exit("prepare.py: set LOAD_PASSWORD (at least 12 characters).")
    plan = prepare(password=password, councillors=args.councillors)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = sum(len(c["lines"]) for c in plan["controllers"])
    print(
        f"prepare.py: {len(plan['controllers'])} controllers ({lines} report lines in "
        f"{plan['year']}-{plan['month']:02d}), {len(plan['councillors'])} councillors, "
        f"published months {plan['published_months']} -> {args.out}"
    )


if __name__ == "__main__":
    main()
