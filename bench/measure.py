"""Measure the follow-up's heaviest pages on the database DATABASE_URL names.

    DATABASE_URL=... .venv/bin/python bench/measure.py run --label postgres-generated \\
        --out bench/out/postgres-generated.json
    .venv/bin/python bench/measure.py report bench/out/*.json --output bench/RESULTS.md

``run`` works on whatever the database holds: the Hedemora demo (``manage.py setup_demo``)
or a municipality from bench/generate.py. It finds the latest plan, its open period, a
finance officer and a controller whose committee has a draft in the open period, then
through Django's test client (``force_login``, the full middleware stack) measures:

- finance's dashboard (followup:dashboard), finance's review of the open period
  (followup:review), the controller's report form (followup:report, GET), the
  month-report export (followup:month_report, the open period or the latest monthly one)
  and the month report of the latest published monthly period (read from its record,
  followup.periods.record; bench/generate.py writes the records);
- the upload of a filled report template (followup:report_upload, POST) for a committee
  of ``--upload-rows`` activities that it creates for the purpose, inside a transaction
  it rolls back (each run in its own savepoint, also rolled back, so every run saves the
  same file into the same draft). A template sheet may hold at most 10 000 rows
  (MAX_ROWS, budget/imports/safety.py); ``--refusal-check`` confirms that a template of
  that many activities (and so more sheet rows, with its headings) is refused.

For each: the SQL queries of one request (counted with CaptureQueriesContext; the
report compares the count with the other databases'), and the median and 95th
percentile of ``--runs`` timed requests after two warm-up requests. Each is set against
a bare SQL aggregate over the rows the page rests on (``BASELINES``), timed the same way.

DEBUG is off unless the environment sets it (Django keeps no query log then), as in
production. ``report`` turns the JSON files into bench/RESULTS.md, keeping the
hand-written reading between the READING markers of an existing file.
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")
os.environ.setdefault("DEBUG", "0")

PAGES = ("dashboard", "review", "report", "month_report", "month_report_published", "upload")
TITLES = {
    "dashboard": "Dashboard (followup:dashboard), finance",
    "review": "Review (followup:review), finance",
    "report": "Report form (followup:report GET), controller",
    "month_report": "Month-report export (followup:month_report), finance",
    "month_report_published": "Month-report export, published period",
    "upload": "Report template upload (followup:report_upload POST)",
    "upload_small": "Report template upload, 50 rows",
    "upload_parse": "… of which reading the file (read_report_workbook)",
}
BASELINE_TEXT = {
    "dashboard": "Sum(outcome), Sum(forecast) of the year's current report lines, per period and committee",
    "review": "Sum of the period's current report lines and of the frame ledger, per committee",
    "report": "the committee's lines of the report and its frames, per activity",
    "month_report": "Sum of the period's current report lines and of the frame ledger, per committee",
    "month_report_published": "Sum of the period's current report lines and of the frame ledger, per committee",
    "upload": "Sum(outcome), Sum(forecast), Count of the uploaded report's lines",
}
READING_START = "<!-- READING START -->"
READING_END = "<!-- READING END -->"


def setup():
    import django

    django.setup()


# --- what to measure -----------------------------------------------------------------


def subjects():
    """The plan, periods, users and committee the measurements use."""
    from django.contrib.auth import get_user_model

    from budget.models import BudgetPlan, Membership, Role
    from followup.models import Report, ReportingPeriod

    plan = BudgetPlan.objects.select_related("municipality").order_by("-year", "id").first()
    if plan is None:
        sys.exit("measure.py: the database holds no plan; run setup_demo or bench/generate.py")
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("month", "id"))
    open_period = next(p for p in periods if p.status == ReportingPeriod.Status.OPEN)
    monthly = [
        p
        for p in periods
        if p.kind == ReportingPeriod.Kind.MONTHLY and p.status != ReportingPeriod.Status.PLANNED
    ]
    paper_period = open_period if open_period in monthly else monthly[-1]
    published = [p for p in monthly if p.status == ReportingPeriod.Status.PUBLISHED]
    finance = (
        get_user_model()
        .objects.filter(groups__name=Role.FINANCE.value, is_active=True)
        .order_by("id")
        .first()
    )
    drafts = Report.objects.filter(period=open_period, status=Report.Status.DRAFT).values(
        "committee_id"
    )
    membership = (
        Membership.objects.filter(committee_id__in=drafts, user__is_active=True)
        .select_related("committee", "user")
        .order_by("committee__position", "id")
        .first()
    )
    return {
        "plan": plan,
        "open_period": open_period,
        "paper_period": paper_period,
        "published_period": published[-1] if published else None,
        "finance": finance,
        "controller": membership.user,
        "committee": membership.committee,
    }


def page_requests(s):
    from django.urls import reverse

    year = s["plan"].year
    month = s["open_period"].month
    published = s["published_period"]
    return {
        "dashboard": (s["finance"], reverse("followup:dashboard", kwargs={"year": year})),
        "review": (
            s["finance"],
            reverse("followup:review", kwargs={"year": year, "month": month}),
        ),
        "report": (
            s["controller"],
            reverse(
                "followup:report",
                kwargs={"year": year, "month": month, "code": s["committee"].code},
            ),
        ),
        "month_report": (
            s["finance"],
            reverse(
                "followup:month_report",
                kwargs={"year": year, "month": s["paper_period"].month},
            ),
        ),
    } | (
        {
            "month_report_published": (
                s["finance"],
                reverse("followup:month_report", kwargs={"year": year, "month": published.month}),
            )
        }
        if published is not None
        else {}
    )


def _lines_by_committee(period):
    from django.db.models import Count, Sum

    from followup.models import Report, ReportLine

    return list(
        ReportLine.objects.filter(report__period=period)
        .exclude(report__status=Report.Status.SUPERSEDED)
        .values("report__committee_id")
        .annotate(outcome=Sum("outcome"), forecast=Sum("forecast"), n=Count("id"))
        .order_by()
    )


def _frames_by(period, group, **filters):
    from django.db.models import Sum

    from budget.models import BudgetYear, FrameEntry

    return list(
        FrameEntry.objects.filter(
            budget_year__plan=period.plan,
            budget_year__year=period.year,
            budget_year__kind=BudgetYear.Kind.BUDGET,
            **filters,
        )
        .in_force_on(period.last_day)
        .values(group)
        .annotate(total=Sum("amount"))
        .order_by()
    )


def baselines(s):
    """page → a function running the bare aggregate the page rests on."""
    from django.db.models import Sum

    from followup.models import Report, ReportLine

    def dashboard():
        return list(
            ReportLine.objects.filter(report__period__plan=s["plan"])
            .exclude(report__status=Report.Status.SUPERSEDED)
            .values("report__period_id", "report__committee_id")
            .annotate(outcome=Sum("outcome"), forecast=Sum("forecast"))
            .order_by()
        )

    def period_totals(period):
        return _lines_by_committee(period) + _frames_by(period, "activity__committee_id")

    def report():
        return list(
            ReportLine.objects.filter(
                report__period=s["open_period"], report__committee=s["committee"]
            )
            .exclude(report__status=Report.Status.SUPERSEDED)
            .values("activity_id", "outcome", "forecast")
        ) + _frames_by(s["open_period"], "activity_id", activity__committee=s["committee"])

    return {
        "dashboard": dashboard,
        "review": lambda: period_totals(s["open_period"]),
        "report": report,
        "month_report": lambda: period_totals(s["paper_period"]),
        "month_report_published": lambda: period_totals(s["published_period"]),
    }


# --- timing and counting -------------------------------------------------------------


def percentile(values, share):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(seconds):
    return {
        "runs": len(seconds),
        "median_ms": statistics.median(seconds) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
        "min_ms": min(seconds) * 1000,
    }


def timed(function, runs):
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return summary(seconds)


NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
QUOTED = re.compile(r"'(?:[^']|'')*'")
IN_LIST = re.compile(r"IN \((?:[^()]|\([^()]*\))*\)")
SAVEPOINT = re.compile(r'"?s\d+_x\d+"?')
COLUMNS = re.compile(r"^SELECT .*? FROM")  # the column list, left out when a query is shown


def shape(sql: str) -> str:
    """A query with its values blanked, so queries that differ only in values group."""
    sql = IN_LIST.sub("IN (…)", sql)
    sql = QUOTED.sub("?", sql)
    sql = SAVEPOINT.sub("SP", sql)
    return NUMBER.sub("?", sql)


def counted(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = function()
    shapes = Counter(shape(q["sql"]) for q in context.captured_queries)
    return result, len(context.captured_queries), dict(shapes)


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"measure.py: GET {url} answered {response.status_code}")
    if not response.streaming:
        _ = response.content
    return response


def measure_page(name, user, url, baseline, runs, count_only):
    client = client_for(user)
    for _ in range(2):
        get(client, url)
    _, queries, shapes = counted(lambda: get(client, url))
    result = {"url": url, "user": user.get_username(), "queries": queries, "shapes": shapes}
    if not count_only:
        result["time"] = timed(lambda: get(client, url), runs)
        baseline()
        result["baseline"] = timed(baseline, runs)
        result["baseline_text"] = BASELINE_TEXT[name]
    print(
        f"  {name:22} {queries:4} queries"
        + (
            f"  median {result['time']['median_ms']:8.1f} ms  p95 {result['time']['p95_ms']:8.1f} ms"
            f"  baseline {result['baseline']['median_ms']:7.2f} ms"
            if not count_only
            else ""
        ),
        flush=True,
    )
    return result


# --- the template upload -------------------------------------------------------------


def upload_committee(s, rows):
    """A committee of ``rows`` activities with frames, a controller and an empty draft
    in the open period. Only ever called inside a transaction that is rolled back."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from budget.models import Activity, BudgetYear, Committee, FrameEntry, Membership, Role
    from followup.models import Report, ReportLine

    plan, period = s["plan"], s["open_period"]
    committee = Committee.objects.create(
        municipality=plan.municipality,
        code=f"bench-upload-{rows}",
        name=f"Uppladdningsnämnden ({rows} verksamheter)",
        kind=Committee.Kind.COMMITTEE,
        position=10_000,
    )
    Activity.objects.bulk_create(
        Activity(committee=committee, code=f"u{j:05d}", name=f"Verksamhet {j}", position=j)
        for j in range(1, rows + 1)
    )
    activities = list(committee.activities.order_by("position", "id"))
    column = BudgetYear.objects.get(plan=plan, year=period.year, kind=BudgetYear.Kind.BUDGET)
    FrameEntry.objects.bulk_create(
        FrameEntry(
            activity=a,
            budget_year=column,
            kind=FrameEntry.Kind.ORIGINAL,
            amount=Decimal(-1000 * (100 + j % 900)),
        )
        for j, a in enumerate(activities)
    )
    report = Report.objects.create(committee=committee, period=period)
    ReportLine.objects.bulk_create(ReportLine(report=report, activity=a) for a in activities)
    user = get_user_model().objects.create(username=f"bench-upload-{rows}", password="!")  # noqa: S106 - unusable
    user.groups.add(Group.objects.get(name=Role.CONTROLLER.value))
    Membership.objects.create(user=user, committee=committee)
    return committee, report, user


def filled_template(report) -> bytes:
    """The report's downloaded template with every outcome, forecast and every tenth
    comment filled in, as a controller would."""
    from openpyxl import load_workbook

    from budget import xlsx
    from followup.reports.workbook import layout, workbook_bytes

    wb = load_workbook(BytesIO(workbook_bytes(report)))
    ws = wb[layout.REPORT_SHEET]
    section = layout.report_section(report.period)
    headers = [label for _, label in section.columns]
    header_row = next(
        r for r in range(1, 40) if ws.cell(row=r, column=1).value == section.headers[0]
    )
    col = {name: headers.index(label) + 1 for name, label in section.columns}
    row = header_row + 1
    filled = 0
    while ws.cell(row=row, column=1).value:
        budget = ws.cell(row=row, column=col["budget"]).value or 0
        to_date = ws.cell(row=row, column=col["budget_to_date"]).value or 0
        ws.cell(row=row, column=col["outcome"]).value = round(float(to_date) * 1.013, 1)
        if "forecast" in col:
            ws.cell(row=row, column=col["forecast"]).value = round(float(budget) * 1.007, 1)
        if filled % 10 == 0:
            ws.cell(row=row, column=col["comment"]).value = "Prognosen bygger på utfallet hittills."
        filled += 1
        row += 1
    return xlsx.workbook_bytes(wb)


def post_upload(client, url, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from budget.xlsx import CONTENT_TYPE

    upload = SimpleUploadedFile("rapport.xlsx", data, content_type=CONTENT_TYPE)
    return client.post(url, {"file": upload})


def upload_url(s, committee) -> str:
    from django.urls import reverse

    return reverse(
        "followup:report_upload",
        kwargs={"year": s["plan"].year, "month": s["open_period"].month, "code": committee.code},
    )


@contextmanager
def rolled_back():
    """A transaction whose work is undone at its end: nothing of a measurement stays saved."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def measure_upload(s, rows, runs, count_only):
    """Time the upload of a filled template of ``rows`` lines; nothing stays saved."""
    from django.db import transaction
    from django.db.models import Count, Sum

    from followup.reports.workbook import read_report_workbook

    result = {}
    with rolled_back():
        committee, report, user = upload_committee(s, rows)
        started = time.perf_counter()
        data = filled_template(report)
        result["prepare_s"] = time.perf_counter() - started
        result["rows"] = rows
        result["file_bytes"] = len(data)
        url = upload_url(s, committee)
        client = client_for(user)
        before = report.row_version

        def once():
            response = post_upload(client, url, data)
            return response

        def checked_run(measure):
            sid = transaction.savepoint()
            try:
                outcome = measure()
                response = outcome[0] if isinstance(outcome, tuple) else outcome
                saved = type(report).objects.get(pk=report.pk).row_version
                if response.status_code != 302 or saved != before + 1:
                    raise SystemExit(
                        f"measure.py: upload of {rows} rows answered "
                        f"{response.status_code}, row version {saved}"
                    )
            finally:
                transaction.savepoint_rollback(sid)
            return outcome

        checked_run(once)  # warm-up
        _, queries, shapes = checked_run(lambda: counted(once))
        result |= {"url": url, "queries": queries, "shapes": shapes}
        if not count_only:
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                checked_run(once)
                seconds.append(time.perf_counter() - started)
            result["time"] = summary(seconds)
            result["parse"] = timed(
                lambda: read_report_workbook(BytesIO(data), report=report), runs
            )

            def baseline():
                return report.lines.aggregate(
                    outcome=Sum("outcome"), forecast=Sum("forecast"), n=Count("id")
                )

            result["baseline"] = timed(baseline, runs)
            result["baseline_text"] = BASELINE_TEXT["upload"]
    print(
        f"  upload {rows:5} rows {result['queries']:5} queries"
        + (
            f"  median {result['time']['median_ms']:8.1f} ms  p95 {result['time']['p95_ms']:8.1f} ms"
            f"  parse {result['parse']['median_ms']:7.1f} ms"
            if "time" in result
            else ""
        ),
        flush=True,
    )
    return result


def refusal_check(s, rows=None):
    """A template of MAX_ROWS activity rows (more sheet rows, with its headings) is refused
    by the size check."""
    from budget.imports.safety import MAX_ROWS

    rows = rows or MAX_ROWS
    found = {}
    with rolled_back():
        committee, report, user = upload_committee(s, rows)
        data = filled_template(report)
        response = post_upload(client_for(user), upload_url(s, committee), data)
        text = response.content.decode()
        problem = re.search(r"orimligt stort[^<]*", text)
        found = {
            "rows": rows,
            "status": response.status_code,
            "message": problem.group(0).strip() if problem else "",
        }
    print(f"  refusal check: {rows} rows → {found['status']} {found['message']}", flush=True)
    return found


# --- the machine and the data --------------------------------------------------------


def machine():
    import django
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "vendor": connection.vendor,
    }


def data_sizes():
    from budget.models import Activity, AuditEntry, BudgetPlan, Committee, FrameEntry
    from followup.models import ActionPlan, Report, ReportingPeriod, ReportLine

    return {
        "plans (years)": BudgetPlan.objects.count(),
        "committees": Committee.objects.count(),
        "activities": Activity.objects.count(),
        "periods": ReportingPeriod.objects.count(),
        "reports": Report.objects.count(),
        "report lines": ReportLine.objects.count(),
        "frame entries": FrameEntry.objects.count(),
        "action plans": ActionPlan.objects.count(),
        "audit entries": AuditEntry.objects.count(),
    }


def run(args):
    setup()
    s = subjects()
    info = machine()
    print(
        f"measure.py [{args.label}] {info['database']}: {s['plan']}, open period {s['open_period']}, "
        f"report of {s['committee']}",
        flush=True,
    )
    requests = page_requests(s)
    base = baselines(s)
    pages = {
        name: measure_page(name, user, url, base[name], args.runs, args.count_only)
        for name, (user, url) in requests.items()
    }
    if args.upload_rows:
        pages["upload_small"] = measure_upload(s, 50, args.runs, count_only=True)
        pages["upload"] = measure_upload(
            s, args.upload_rows, args.upload_runs, args.count_only or args.upload_count_only
        )
    result = {
        "label": args.label,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "data": data_sizes(),
        "subjects": {
            "plan": str(s["plan"]),
            "period": str(s["open_period"]),
            "paper_period": str(s["paper_period"]),
            "published_period": str(s["published_period"] or "–"),
            "committee": str(s["committee"]),
            "committee_activities": s["committee"].activities.count(),
        },
        "runs": args.runs,
        "pages": pages,
    }
    if args.refusal_check:
        result["refusal"] = refusal_check(s)
    if args.generated:
        result["generated"] = Path(args.generated).read_text()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))


# --- the Markdown report -------------------------------------------------------------


def number(value, decimals=0) -> str:
    """A figure with a space as thousands separator."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f")


def ms(value) -> str:
    if value >= 1000:
        return number(value)
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def upload_label(rows):
    return f"Report template upload, {number(rows)} rows"


def report(args):
    results = [json.loads(Path(p).read_text()) for p in args.files]
    by_label = {r["label"]: r for r in results}
    order = [r["label"] for r in results]
    vendors = {}
    for r in results:
        vendors.setdefault(r["machine"]["vendor"], []).append(r["label"])
    out = []
    w = out.append
    first = results[0]
    w("# Benchmarks")
    w("")
    w(
        f"Written by `make bench` (bench/run.sh); measured {min(r['measured_at'] for r in results)} "
        f"to {max(r['measured_at'] for r in results)} (UTC). Not part of the test suite. "
        "*demo* is Hedemora's demo (`manage.py setup_demo`); *tiny* and *generated* are "
        "invented municipalities from bench/generate.py. Times are wall-clock through "
        "Django's test client with the whole middleware stack, DEBUG off, client and "
        "database on the same machine."
    )
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    m = first["machine"]
    w(f"| CPUs (nproc) | {m['nproc']} |")
    w(f"| CPU | {m['cpu']} |")
    w(f"| Python | {m['python']} |")
    w(f"| Django | {m['django']} |")
    for database in sorted({r["machine"]["database"] for r in results}):
        w(f"| Database | {database} |")
    w(f"| Date | {first['measured_at'][:10]} |")
    w("")
    w("## Data")
    w("")
    w("| | " + " | ".join(order) + " |")
    w("|---|" + "---:|" * len(order))
    for key in first["data"]:
        w(
            f"| {key} | "
            + " | ".join(number(by_label[label]["data"][key]) for label in order)
            + " |"
        )
    w(
        "| activities of the measured report | "
        + " | ".join(str(by_label[label]["subjects"]["committee_activities"]) for label in order)
        + " |"
    )
    w("")
    subjects = {
        label: (
            f"{by_label[label]['subjects']['plan']}; review and report: "
            f"{by_label[label]['subjects']['period']}; the report of "
            f"{by_label[label]['subjects']['committee']}; paper: "
            f"{by_label[label]['subjects']['paper_period']}"
            + (
                f"; published paper: {by_label[label]['subjects']['published_period']}"
                if "published_period" in by_label[label]["subjects"]
                else ""
            )
        )
        for label in order
    }
    for label in order:
        w(f"- {label}: {subjects[label]}.")
    w("")
    w("## SQL queries per request")
    w("")
    w(
        "One request each, counted with `CaptureQueriesContext` (transaction statements and "
        "the session's and user's look-ups included). *Constant* compares the databases of "
        "one engine: the same pages on the demo, the tiny and the generated data."
    )
    w("")
    w("| Page | " + " | ".join(order) + " | constant? |")
    w("|---|" + "---:|" * len(order) + "---|")
    names = [
        n
        for n in (*PAGES[:-1], "upload_small", "upload")
        if any(n in by_label[label]["pages"] for label in order)
    ]
    for name in names:
        counts = [by_label[label]["pages"].get(name, {}).get("queries") for label in order]
        title = TITLES[name]
        if name.startswith("upload"):
            rows = next(
                by_label[lb]["pages"][name]["rows"] for lb in order if name in by_label[lb]["pages"]
            )
            title = upload_label(rows)
        verdicts = []
        for vendor, labels in vendors.items():
            present = {
                by_label[lb]["pages"][name]["queries"]
                for lb in labels
                if name in by_label[lb]["pages"]
            }
            if present:
                verdicts.append(
                    f"{VENDORS.get(vendor, vendor)}: " + ("yes" if len(present) == 1 else "**no**")
                )
        cells = " | ".join("–" if c is None else number(c) for c in counts)
        w(f"| {title} | {cells} | {'; '.join(verdicts)} |")
    w("")
    growth = upload_growth(results)
    if growth:
        w(growth)
        w("")
    diffs = query_differences(results, vendors, names)
    w("Query shapes whose number differs between the databases of one engine (values blanked):")
    w("")
    out.extend(diffs or ["- none"])
    w("")
    for vendor, labels in vendors.items():
        timed_labels = [
            lb for lb in labels if any("time" in p for p in by_label[lb]["pages"].values())
        ]
        generated = [lb for lb in timed_labels if "generated" in lb]
        demo = [lb for lb in timed_labels if "demo" in lb]
        for label in generated:
            r = by_label[label]
            reference = by_label[demo[0]] if demo else None
            w(f"## Times on {VENDORS.get(vendor, vendor)}: {label} ({r['machine']['database']})")
            w("")
            upload_runs = r["pages"].get("upload", {}).get("time", {}).get("runs", "–")
            w(
                f"{r['runs']} timed requests per page after two warm-up requests (the upload: "
                f"{upload_runs}); the bare aggregate is timed as often, through the ORM."
                + (f" *demo median* is the same page on {reference['label']}." if reference else "")
            )
            w("")
            w(
                "| Page | demo median ms | median ms | p95 ms | bare aggregate | aggregate median ms | page ÷ aggregate |"
            )
            w("|---|---:|---:|---:|---|---:|---:|")
            for name in PAGES:
                p = r["pages"].get(name)
                if not p or "time" not in p:
                    continue
                title = TITLES[name] if name != "upload" else upload_label(p["rows"])
                then = (reference or {}).get("pages", {}).get(name, {}).get("time")
                ratio = p["time"]["median_ms"] / p["baseline"]["median_ms"]
                w(
                    f"| {title} | {ms(then['median_ms']) if then else '–'} | "
                    f"{ms(p['time']['median_ms'])} | {ms(p['time']['p95_ms'])} | "
                    f"{p['baseline_text']} | {ms(p['baseline']['median_ms'])} | {number(ratio)}× |"
                )
                if name == "upload":
                    w(
                        f"| {TITLES['upload_parse']} | – | {ms(p['parse']['median_ms'])} | "
                        f"{ms(p['parse']['p95_ms'])} | | | |"
                    )
            w("")
            up = r["pages"].get("upload")
            if up and "file_bytes" in up:
                w(
                    f"The upload: a template of {number(up['rows'])} activity rows "
                    f"({number(up['file_bytes'])} bytes), every outcome and forecast and every "
                    "tenth comment filled in, saved into an empty draft; each run in a savepoint "
                    "that is rolled back afterwards. Preparing the file (download template, "
                    f"fill in with openpyxl) took {up['prepare_s']:.1f} s, not counted."
                )
                w("")
            if "refusal" in r:
                ref = r["refusal"]
                w(
                    f"A template of {number(ref['rows'])} activity rows is refused: status "
                    f"{ref['status']}, “… {ref['message']}”"
                )
                w("")
            if r.get("generated"):
                w("The data:")
                w("")
                w("```")
                w(r["generated"].strip())
                w("```")
                w("")
    reading = ""
    if args.output and Path(args.output).exists():
        old = Path(args.output).read_text()
        if READING_START in old and READING_END in old:
            reading = old[old.index(READING_START) : old.index(READING_END) + len(READING_END)]
    w("## Reading")
    w("")
    w(
        reading
        or f"{READING_START}\n(Write the reading of these figures here; `make bench` keeps it.)\n{READING_END}"
    )
    w("")
    text = "\n".join(out)
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text)


def upload_growth(results) -> str:
    """How the upload's queries grow with its rows, from the 50-row and the big upload."""
    parts, grows = [], False
    for r in results:
        small, big = r["pages"].get("upload_small"), r["pages"].get("upload")
        if small and big and big["rows"] > small["rows"]:
            per_row = (big["queries"] - small["queries"]) / (big["rows"] - small["rows"])
            parts.append(f"{r['label']} {per_row:.2f}")
            grows = grows or per_row > 0
    if not parts:
        return ""
    said = (
        "The upload's queries grow with its rows"
        if grows
        else "The upload's queries do not grow with its rows (its lines and history are written in bulk)"
    )
    return (
        f"{said}: queries per added row between the 50-row and the big upload: {', '.join(parts)}."
    )


def query_differences(results, vendors, names):
    lines = []
    by_label = {r["label"]: r for r in results}
    for vendor, labels in vendors.items():
        for name in names:
            shapes = {
                label: by_label[label]["pages"][name]["shapes"]
                for label in labels
                if name in by_label[label]["pages"]
            }
            if name.startswith("upload") or len({sum(s.values()) for s in shapes.values()}) <= 1:
                continue
            rows = []
            for key in set().union(*shapes.values()):
                counts = {label: s.get(key, 0) for label, s in shapes.items()}
                if len(set(counts.values())) > 1:
                    rows.append((key, counts))
            rows.sort(key=lambda kv: (-max(kv[1].values()), kv[0]))
            lines.append(f"- {VENDORS.get(vendor, vendor)}, {TITLES[name]}:")
            for key, counts in rows[:8]:
                summary_ = ", ".join(f"{label} {n}" for label, n in counts.items())
                sql = COLUMNS.sub("SELECT … FROM", key, count=1)
                sql = sql if len(sql) <= 400 else sql[:400] + " …"
                lines.append(f"  - {summary_}: `{sql}`")
            if len(rows) > 8:
                lines.append(f"  - … and {len(rows) - 8} more query shapes")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="measure the database DATABASE_URL names")
    r.add_argument("--label", required=True)
    r.add_argument("--out", required=True, help="JSON file to write")
    r.add_argument("--runs", type=int, default=15)
    r.add_argument("--upload-rows", type=int, default=5000, help="0: no upload")
    r.add_argument("--upload-runs", type=int, default=15)
    r.add_argument("--count-only", action="store_true", help="count queries, time nothing")
    r.add_argument(
        "--upload-count-only", action="store_true", help="count the upload's queries only"
    )
    r.add_argument("--refusal-check", action="store_true")
    r.add_argument("--generated", help="generate.py's output, to quote in the report")
    p = sub.add_parser("report", help="write the Markdown report")
    p.add_argument("files", nargs="+")
    p.add_argument("--output")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args)
    else:
        report(args)


if __name__ == "__main__":
    main()
