"""Write bench/LOAD.md from one load-test run (bench/load/run.sh calls it).

Times are the client's (locust's), per request, computed exactly from every request the
users recorded (locust's own CSV rounds percentiles to two significant digits).
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
from collections import defaultdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

# The order of the table: the controllers' path, then the councillors'.
ORDER = [
    "GET / (anonymous)",
    "GET login form",
    "POST login",
    "GET report form",
    "POST report: save draft",
    "POST report: save and submit",
    "GET dashboard (controller)",
    "GET dashboard (councillor)",
    "GET committee drill-down",
    "GET month report (xlsx)",
]


# gunicorn's access log (run.sh's format "status ms method path user-agent") by page, less
# run.sh's probes (user agent run.sh-probe); the log cannot
# tell a draft save from a submission, nor whose dashboard it was.
PAGES = [
    ("GET", re.compile(r"^/$"), "start page (anonymous: to the login)"),
    ("GET", re.compile(r"^/konto/login/$"), "login form"),
    ("POST", re.compile(r"^/konto/login/$"), "login"),
    ("GET", re.compile(r"^/uppfoljning/\d+/\d+/[\w-]+/$"), "report form"),
    ("POST", re.compile(r"^/uppfoljning/\d+/\d+/[\w-]+/$"), "report save (draft or submit)"),
    ("GET", re.compile(r"^/uppfoljning/\d+/oversikt/$"), "dashboard"),
    ("GET", re.compile(r"^/uppfoljning/\d+/\d+/[\w-]+/oversikt/$"), "committee drill-down"),
    ("GET", re.compile(r"^/uppfoljning/\d+/\d+/manadsrapport\.xlsx$"), "month report (xlsx)"),
]


def server_times(path: Path) -> dict:
    times = defaultdict(list)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(" ", 4)
        if len(parts) != 5 or not parts[1].isdigit() or parts[4] == "run.sh-probe":
            continue
        _status, took, method, url, _agent = parts
        page = next(
            (label for m, pattern, label in PAGES if m == method and pattern.match(url)), url
        )
        times[page].append(int(took))
    return times


def machine() -> list[tuple[str, str]]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return [
        ("CPUs (nproc)", str(os.cpu_count())),
        ("CPU", cpu),
        ("Memory", memory),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", version("Django")),
        ("PostgreSQL", postgres),
        ("gunicorn", version("gunicorn")),
        ("locust", version("locust")),
    ]


def percentile(values, q):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(value) -> str:
    return f"{value:,.0f}".replace(",", " ")


READING_START = "<!-- READING START -->"
READING_END = "<!-- READING END -->"


def kept_reading(path) -> str:
    """The hand-written reading between the READING markers of the report ``path`` already
    holds (a new run keeps it, as bench/measure.py keeps RESULTS.md's), else a place for one."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if READING_START in old and READING_END in old:
        return old[old.index(READING_START) : old.index(READING_END) + len(READING_END)]
    return f"{READING_START}\n(Write the reading of this run here; `make load` keeps it.)\n{READING_END}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("out", "plan", "results", "stats", "verify", "generate", "access-log"):
        parser.add_argument(f"--{name}", type=Path, required=True)
    for name in ("command", "locust", "gunicorn", "workers", "threads", "locust-exit"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--cpu", type=Path, required=True, help="bench/load/cpu.py's figures")
    args = parser.parse_args(argv)

    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    results = json.loads(args.results.read_text(encoding="utf-8"))
    summary = json.loads(args.verify.read_text(encoding="utf-8"))
    requests = results["requests"]
    by_name = defaultdict(list)
    failures = defaultdict(int)
    for name, _method, _start, rt, ok in requests:
        by_name[name].append(rt)
        failures[name] += not ok
    first = min(r[2] for r in requests)
    last = max(r[2] + r[3] / 1000 for r in requests)
    seconds = last - first
    total_failures = sum(failures.values())
    all_times = [r[3] for r in requests]
    names = [n for n in ORDER if n in by_name] + sorted(set(by_name) - set(ORDER))

    lines_per_report = len(plan["controllers"][0]["lines"]) if plan["controllers"] else 0
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    out = [
        "# Load test: the month-end rush",
        "",
        f"Written by `make load` (bench/load/run.sh) on {now} (UTC). Not part of the test "
        "suite. Why gunicorn and locust, and what this run showed: "
        "docs/decisions/0015-production-server-and-load-test.md.",
        "",
        "## Result",
        "",
        f"- **{'PASSED' if summary['ok'] and args.locust_exit == '0' else 'FAILED'}**: "
        f"{len(requests)} requests in {seconds:.1f} s, "
        f"**{len(requests) / seconds:.1f} requests/s**, **{total_failures} failures**; "
        f"gunicorn's answers by status: {summary['gunicorn_statuses']}.",
        f"- verify.py: {summary['controllers']} controllers, {summary['saves_ok']} saves with a "
        f"success answer (of them {summary['submissions_ok']} submissions), "
        f"{summary['uncertain_saves']} without; {summary['history_entries_checked']} history "
        f"entries checked against the saves, of {summary['history_entries_in_run']} written "
        "during the run. "
        + (
            "Every successful save is in the database with its history; nothing extra."
            if summary["ok"]
            else "PROBLEMS:"
        ),
    ]
    out += [f"  - {p}" for p in summary["problems"]]
    cpu = json.loads(args.cpu.read_text())
    capacity = cpu["cpus"] * cpu["seconds"]
    out.append(
        f"- CPU over the {cpu['seconds']:.0f} s of the run, of {capacity:.0f} CPU-seconds: "
        f"machine {cpu['machine_busy']:.0f} ({cpu['machine_busy'] / capacity:.0%}): gunicorn "
        f"{cpu['gunicorn']:.0f}, PostgreSQL (the backends of this database) "
        f"{cpu['postgres']:.0f}, locust {cpu['locust']:.0f}, anything else {cpu['other']:.0f}."
    )
    if cpu["other"] > 0.1 * capacity:
        out.append(
            f"- **The machine was shared**: other processes took {cpu['other'] / capacity:.0%} "
            "of its CPU during the run, so the figures understate what it can do alone."
        )
    out += [
        "",
        "## Per request",
        "",
        "Client-side times in milliseconds (locust, on the same machine), exact over every "
        "request of the run. A save is the POST alone; the report page it redirects to is "
        "counted under *GET report form*.",
        "",
        "| Request | count | failures | median | p95 | max | mean |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        times = sorted(by_name[name])
        out.append(
            f"| {name} | {len(times)} | {failures[name]} | {ms(statistics.median(times))} | "
            f"{ms(percentile(times, 95))} | {ms(times[-1])} | {ms(statistics.fmean(times))} |"
        )
    out.append(
        f"| **all** | {len(all_times)} | {total_failures} | {ms(statistics.median(all_times))} | "
        f"{ms(percentile(sorted(all_times), 95))} | {ms(max(all_times))} | "
        f"{ms(statistics.fmean(all_times))} |"
    )
    server = server_times(args.access_log)
    out += [
        "",
        "Inside gunicorn (its access log's request time: from the worker taking the request "
        "to the response written, so without the wait in the listen queue that makes most of "
        "the client's time above), milliseconds:",
        "",
        "| Page | count | median | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for _method, _pattern, label in PAGES:
        times = sorted(server.pop(label, []))
        if times:
            out.append(
                f"| {label} | {len(times)} | {ms(statistics.median(times))} | "
                f"{ms(percentile(times, 95))} | {ms(times[-1])} |"
            )
    for label, times in sorted(server.items()):
        times.sort()
        out.append(
            f"| {label} | {len(times)} | {ms(statistics.median(times))} | "
            f"{ms(percentile(times, 95))} | {ms(times[-1])} |"
        )
    out += [
        "",
        "## Set-up",
        "",
        f"- Command: `{args.command}`, which runs",
        f"  - `{args.gunicorn}`",
        f"  - `{args.locust}`",
        f"- gunicorn: {args.workers} workers × {args.threads} threads "
        f"({'gthread' if int(args.threads) > 1 else 'sync'} workers), production settings "
        "(`DJANGO_ENV=production`, secure cookies, SSL redirect on, HSTS), PostgreSQL on "
        "loopback, persistent connections (`DB_CONN_MAX_AGE` default 60 s). The client plays "
        "the TLS-terminating proxy: `X-Forwarded-Proto: https` on every request, and the "
        "Origin and Referer of https://127.0.0.1:PORT on every POST (bench/load/locustfile.py).",
        f"- Users: {len(plan['controllers'])} ControllerUser + {len(plan['councillors'])} "
        "CouncillorUser, 1–3 s between tasks. A controller logs in once, opens its "
        f"committee's draft for {plan['year']}-{plan['month']:02d} ({lines_per_report} "
        "activities: outcome, forecast and comment each), saves it "
        f"{os.environ.get('LOAD_SAVES', '4')} times (every line the first time, about a "
        "quarter of them later, amounts typed in tkr in Swedish and plain forms), then saves "
        "and submits it, and from then on only reads its report and the dashboard. A "
        "councillor logs in once and reads the dashboard (weight 10), a committee's "
        "drill-down in one of the two latest published periods (8) and the month report "
        "in Excel (1).",
        "- Every forecast is at or above its activity's frame, so no submission needs an "
        "action plan; a refused submission would count as a failure.",
        "",
        "## Data",
        "",
        "```",
        args.generate.read_text(encoding="utf-8").strip(),
        "```",
        "",
        "## Machine",
        "",
        "Load generator, gunicorn and PostgreSQL share it.",
        "",
        "| | |",
        "|---|---|",
    ]
    out += [f"| {k} | {v} |" for k, v in machine()]
    out += ["", "## Reading", "", kept_reading(args.out)]
    args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"report.py: {args.out} written")


if __name__ == "__main__":
    main()
