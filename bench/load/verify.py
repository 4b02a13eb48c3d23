"""After the load test: was anything lost, and was there any error? (bench/load/run.sh)

    DATABASE_URL=... .venv/bin/python bench/load/verify.py --plan out/plan.json \\
        --results out/results.json --stats out/locust --access-log out/access.log \\
        --error-log out/gunicorn.log --summary out/verify.json

For every controller it replays what the locust user recorded (bench/load/locustfile.py)
over the report as it was before the run (bench/load/prepare.py's plan) and compares the
result with the database:

- each line's outcome, forecast and comment equal those of the last save that got a
  success answer (“Utkastet är sparat.” / “Rapporten är inlämnad.”);
- the report's row_version went up by exactly one per successful save and two per
  successful submission (save, then submit), and the report is submitted exactly when a
  submission succeeded;
- the history holds exactly one entry per changed field of every successful save
  (line, field, old and new value, by that controller) and one status entry
  “Utkast → Inlämnad” per submission: none missing, none extra. Every audit entry written
  during the run must be one of those.

A save whose answer never came (the run stopped, or the request failed) may or may not
have happened; the check accepts either, but such a save is a failure in itself.

It also fails on any failure or exception in locust's statistics (--stats, the prefix of
locust's --csv files), any 5xx in gunicorn's access log and any traceback or worker
timeout in gunicorn's error log. Exit status 0 only when all is well.
"""

import argparse
import csv
import itertools
import json
import os
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402

from budget.models import AuditEntry  # noqa: E402
from followup.models import Report, ReportLine  # noqa: E402

CENT = Decimal("0.01")
FIELDS = ("outcome", "forecast", "comment")
LABELS = {name: str(ReportLine._meta.get_field(name).verbose_name) for name in FIELDS}
AMOUNT_LABELS = {LABELS["outcome"], LABELS["forecast"]}
# What an attempt whose answer was not a success may have done on the server.
MAYBE = {"spara": ("none", "saved"), "lamna_in": ("none", "saved", "submitted")}
MAX_UNCERTAIN = 6  # attempts; 3**6 combinations at most
# Plain strings: a TextChoices member hashes by its name, not as the string it equals.
PAGE = str(AuditEntry.Source.PAGE.value)


def amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(value).quantize(CENT)


def history_value(label, text):
    return amount(text) if label in AMOUNT_LABELS else text


class Controller:
    def __init__(self, plan_entry, record, *, before, user_id, ct_line, ct_report):
        self.plan = plan_entry
        self.username = plan_entry["username"]
        self.attempts = record["attempts"] if record else []
        self.user_id = user_id
        self.report = Report.objects.get(pk=plan_entry["report"])
        self.line_pk = {line["activity"]: line["line"] for line in plan_entry["lines"]}
        self.initial = {
            line["activity"]: (amount(line["outcome"]), amount(line["forecast"]), line["comment"])
            for line in plan_entry["lines"]
        }
        self.db_lines = {
            line.activity_id: (amount(line.outcome), amount(line.forecast), line.comment)
            for line in ReportLine.objects.filter(report=self.report)
        }
        self.line_entries = Counter(
            (int(e.object_id), e.field, history_value(e.field, e.old_value),
             history_value(e.field, e.new_value), e.user_id, e.source)
            for e in AuditEntry.objects.filter(
                id__gt=before, content_type=ct_line, object_id__in=[str(pk) for pk in self.line_pk.values()]
            )
        )  # fmt: skip
        self.report_entries = Counter(
            (e.field, e.old_value, e.new_value, e.user_id, e.source)
            for e in AuditEntry.objects.filter(
                id__gt=before, content_type=ct_report, object_id=str(self.report.pk)
            )
        )

    def replay(self, outcomes):
        """What the database should hold if the attempts ended as ``outcomes``."""
        state = dict(self.initial)
        row_version = self.plan["row_version"]
        status = str(Report.Status.DRAFT.value)
        lines, report = Counter(), Counter()
        for attempt, outcome in zip(self.attempts, outcomes, strict=True):
            if outcome == "none":
                continue
            for aid, values in attempt["values"].items():
                aid = int(aid)
                new = (amount(values[0]), amount(values[1]), values[2])
                for name, old_value, new_value in zip(FIELDS, state[aid], new, strict=True):
                    if old_value != new_value:
                        key = (self.line_pk[aid], LABELS[name], old_value, new_value)
                        lines[(*key, self.user_id, PAGE)] += 1
                state[aid] = new
            row_version += 1
            if outcome == "submitted":
                row_version += 1
                status = str(Report.Status.SUBMITTED.value)
                report[("status", "Utkast", "Inlämnad", self.user_id, PAGE)] += 1
        return state, row_version, status, lines, report

    def differences(self, expected) -> list[str]:
        state, row_version, status, lines, report = expected
        problems = []
        wrong = [aid for aid in state if self.db_lines.get(aid) != state[aid]]
        if wrong:
            aid = wrong[0]
            problems.append(
                f"{len(wrong)} lines differ from the last successful save, e.g. activity {aid}: "
                f"database {self.db_lines.get(aid)}, saved {state[aid]}"
            )
        if self.report.row_version != row_version:
            problems.append(f"row_version {self.report.row_version}, expected {row_version}")
        if self.report.status != status:
            problems.append(f"status {self.report.status}, expected {status}")
        missing, extra = lines - self.line_entries, self.line_entries - lines
        if missing:
            problems.append(
                f"{sum(missing.values())} history entries missing, e.g. {next(iter(missing))}"
            )
        if extra:
            problems.append(
                f"{sum(extra.values())} unexpected history entries, e.g. {next(iter(extra))}"
            )
        if report != self.report_entries:
            problems.append(
                f"report status history {dict(self.report_entries)}, expected {dict(report)}"
            )
        return problems

    def check(self):
        """(problems, facts) for this controller."""
        fixed = {
            "ok": {"spara": ("saved",), "lamna_in": ("submitted",)},
        }
        choices = []
        for attempt in self.attempts:
            if attempt["result"] == "ok":
                choices.append(fixed["ok"][attempt["action"]])
            else:
                choices.append(MAYBE[attempt["action"]])
        uncertain = sum(1 for a in self.attempts if a["result"] != "ok")
        facts = {
            "saves_ok": sum(1 for a in self.attempts if a["result"] == "ok"),
            "submitted_ok": any(
                a["result"] == "ok" and a["action"] == "lamna_in" for a in self.attempts
            ),
            "uncertain": uncertain,
            "history_entries": sum(self.line_entries.values()) + sum(self.report_entries.values()),
        }
        problems = []
        if uncertain:
            problems.append(
                f"{uncertain} save(s) without a success answer: "
                + "; ".join(
                    f"{a['action']} {a['result']} {a.get('detail', '')}".strip()
                    for a in self.attempts
                    if a["result"] != "ok"
                )
            )
        if uncertain > MAX_UNCERTAIN:
            problems.append("too many uncertain saves to replay")
            return problems, facts
        first = None
        for outcomes in itertools.product(*choices):
            found = self.differences(self.replay(outcomes))
            if not found:
                return problems, facts
            first = first or found
        return problems + ["LOST OR WRONG: " + p for p in first], facts


def locust_problems(prefix: Path) -> tuple[list[str], dict]:
    problems = []
    stats = list(csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()))
    total = next(row for row in stats if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    if failures:
        problems.append(f"locust counted {failures} failed requests")
    failure_rows = list(csv.DictReader(prefix.with_name(prefix.name + "_failures.csv").open()))
    for row in failure_rows:
        problems.append(
            f"locust failure: {row['Method']} {row['Name']}: {row['Error']} × {row['Occurrences']}"
        )
    exceptions = list(csv.DictReader(prefix.with_name(prefix.name + "_exceptions.csv").open()))
    for row in exceptions:
        problems.append(f"locust exception × {row['Count']}: {row['Message']}")
    return problems, {"requests": int(total["Request Count"]), "failures": failures}


ACCESS_RE = re.compile(r"^(\d{3}) ")
PROBE = " run.sh-probe"  # the user agent of run.sh's "is gunicorn up?" requests


def access_problems(path: Path) -> tuple[list[str], dict]:
    """gunicorn's access log, in run.sh's format "status ms method path user-agent"."""
    statuses = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = ACCESS_RE.match(line)
        if match and not line.endswith(PROBE):
            statuses[match.group(1)] += 1
    server_errors = {s: n for s, n in statuses.items() if s.startswith("5")}
    problems = [f"gunicorn answered {s} {n} times" for s, n in sorted(server_errors.items())]
    return problems, {
        "statuses": dict(sorted(statuses.items())),
        "requests": sum(statuses.values()),
    }


ERROR_MARKS = ("Traceback", "Internal Server Error", "WORKER TIMEOUT", "[CRITICAL]", "[ERROR]")


def error_log_problems(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    marked = [i for i, line in enumerate(lines) if any(m in line for m in ERROR_MARKS)]
    if not marked:
        return []
    first = marked[0]
    excerpt = "\n".join(lines[max(0, first - 2) : first + 40])
    return [f"gunicorn's log has {len(marked)} error lines; the first:\n{excerpt}"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True, help="locust's --csv prefix")
    parser.add_argument("--access-log", type=Path, required=True)
    parser.add_argument("--error-log", type=Path, required=True)
    parser.add_argument("--summary", type=Path, required=True)
    args = parser.parse_args(argv)

    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    results = json.loads(args.results.read_text(encoding="utf-8"))["controllers"]
    before = plan["audit_before"]
    users = dict(
        get_user_model()
        .objects.filter(username__in=[c["username"] for c in plan["controllers"]])
        .values_list("username", "pk")
    )
    ct_line = ContentType.objects.get_for_model(ReportLine)
    ct_report = ContentType.objects.get_for_model(Report)

    problems = []
    totals = Counter()
    checked_entries = 0
    for entry in plan["controllers"]:
        record = results.get(entry["username"])
        if record is None:
            problems.append(f"{entry['username']}: no locust user ran for this controller")
        controller = Controller(
            entry, record, before=before, user_id=users[entry["username"]],
            ct_line=ct_line, ct_report=ct_report,
        )  # fmt: skip
        found, facts = controller.check()
        problems += [f"{entry['username']}: {p}" for p in found]
        totals["controllers"] += 1
        totals["saves_ok"] += facts["saves_ok"]
        totals["submissions_ok"] += facts["submitted_ok"]
        totals["uncertain"] += facts["uncertain"]
        checked_entries += facts["history_entries"]
    run_entries = AuditEntry.objects.filter(id__gt=before).count()
    if run_entries != checked_entries:
        problems.append(
            f"{run_entries} audit entries written during the run, {checked_entries} accounted for"
        )

    found, locust_facts = locust_problems(args.stats)
    problems += found
    # locust writes its CSV before the users stopping in --stop-timeout are done; the
    # users' own record (locustfile.py) has every request, those last ones too.
    recorded = json.loads(args.results.read_text(encoding="utf-8"))["requests"]
    failed = Counter(name for name, _method, _start, _ms, ok in recorded if not ok)
    problems += [f"failed request (users' record): {n} × {name}" for name, n in failed.items()]
    locust_facts |= {"recorded": len(recorded), "recorded_failures": sum(failed.values())}
    found, access_facts = access_problems(args.access_log)
    problems += found
    if access_facts["requests"] != len(recorded):
        # Each locust request is one HTTP request: none followed redirects on the way.
        problems.append(
            f"gunicorn logged {access_facts['requests']} requests, the users sent {len(recorded)}"
        )
    problems += error_log_problems(args.error_log)

    summary = {
        "ok": not problems,
        "controllers": totals["controllers"],
        "saves_ok": totals["saves_ok"],
        "submissions_ok": totals["submissions_ok"],
        "uncertain_saves": totals["uncertain"],
        "history_entries_checked": checked_entries,
        "history_entries_in_run": run_entries,
        "locust": locust_facts,
        "gunicorn_statuses": access_facts["statuses"],
        "problems": problems,
    }
    args.summary.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"verify.py: {totals['controllers']} controllers, {totals['saves_ok']} successful saves "
        f"(of which {totals['submissions_ok']} submissions), {checked_entries} history entries "
        f"checked of {run_entries} written in the run; {len(recorded)} requests "
        f"({locust_facts['requests']} in locust's CSV), {locust_facts['failures']} + "
        f"{locust_facts['recorded_failures']} failures; gunicorn statuses "
        f"{access_facts['statuses']}"
    )
    if problems:
        print(f"verify.py: FAILED, {len(problems)} problems:")
        for p in problems:
            print(f"  - {p}")
        sys.exit(1)
    print("verify.py: OK, nothing lost, no errors.")


if __name__ == "__main__":
    main()
