"""Backtest of the forecast proposals (followup.forecasts): how far each method, the method
chosen per activity and the controllers' own forecasts were from the year's outcome.

    DATABASE_URL=sqlite:////tmp/b/generated.sqlite3 .venv/bin/python bench/backtest.py run \\
        --label generated --out /tmp/b/generated-backtest.json
    DATABASE_URL=sqlite:////tmp/b/demo.sqlite3 .venv/bin/python bench/backtest.py run \\
        --label demo --out /tmp/b/demo-backtest.json
    .venv/bin/python bench/backtest.py report --output bench/RESULTS.md \\
        /tmp/b/generated-backtest.json /tmp/b/demo-backtest.json

Not a test. ``run`` reads one database (the generated bench data, bench/generate.py --full,
or the demo, manage.py setup_demo); for every activity, every year whose outcome for the
whole year is known (an approved December report) and every month reported before it, it
asks each method for its full-year figure as the month knew it, and the chosen method as
the proposals choose it (from the years before only), and sets them and the controllers'
forecasts (the latest the year had by that month) against the year's outcome.

``report`` writes the tables and their reading into bench/RESULTS.md between the
BACKTEST markers. The section sits inside measure.py's READING block, which ``make bench``
keeps as it is; only the text between the BACKTEST READING markers is hand-written and
kept by this script.
"""

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START, END = "<!-- BACKTEST START -->", "<!-- BACKTEST END -->"
READING_START, READING_END = "<!-- BACKTEST READING START -->", "<!-- BACKTEST READING END -->"
OUTER_END = "<!-- READING END -->"  # bench/measure.py's: the section goes just before it
COLUMNS = ("budget", "profile", "last_year", "last_forecast", "chosen", "controllers")
HEADINGS = {
    "budget": "Budget",
    "profile": "Profil",
    "last_year": "Fjolår",
    "last_forecast": "Senaste prognos",
    "chosen": "**Vald**",
    "controllers": "Controllers",
}
MONTHS = ["", "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")
    import django

    django.setup()


class Errors:
    """Absolute errors and absolute outcomes added up per key and column."""

    def __init__(self):
        self.errors = defaultdict(lambda: defaultdict(Decimal))
        self.outcomes = defaultdict(Decimal)
        self.count = defaultdict(int)

    def add(self, key, figures: dict, final: Decimal):
        for column, amount in figures.items():
            self.errors[key][column] += abs(amount - final)
        self.outcomes[key] += abs(final)
        self.count[key] += 1

    def shares(self) -> dict:
        """key → column → error as a share of the outcome (float, for the JSON only)."""
        return {
            str(key): {c: float(e / self.outcomes[key]) for c, e in by_column.items()}
            for key, by_column in self.errors.items()
            if self.outcomes[key]
        }


def measure(label: str) -> dict:
    from budget.models import Activity, Committee
    from followup.forecasts.choice import TrackRecord, estimates, propose, year_record
    from followup.forecasts.history import activity_years
    from followup.forecasts.methods import WHOLE_YEAR
    from followup.models import ReportingPeriod

    started = time.perf_counter()
    committees = list(Committee.objects.order_by("position", "id"))
    years = sorted(set(ReportingPeriod.objects.values_list("year", flat=True)))
    if not years:
        return {"label": label, "years": [], "measured": []}
    data = activity_years([c.pk for c in committees], range(years[0] - 1, years[-1] + 1))
    committee_of = dict(Activity.objects.values_list("pk", "committee_id"))
    names = {c.pk: c.name for c in committees}
    activity_level = Errors()  # key: month, and "all"
    sums = defaultdict(lambda: defaultdict(Decimal))  # (committee, year, month) → column → Σ
    finals = defaultdict(Decimal)  # (committee, year, month) → Σ final
    chosen_count = defaultdict(lambda: defaultdict(int))  # year → method → activities
    measured = set()
    for activity_id, by_year in data.items():
        record = TrackRecord()  # the years before ``year``, added up as the loop goes
        for year in sorted(by_year):
            now = by_year[year]
            if now.final is not None:
                for month in sorted(m for m in now.outcomes if m < WHOLE_YEAR):
                    found = estimates(by_year, year, month)
                    proposal = propose(by_year, year, month, record=record)
                    if not found or proposal is None:
                        continue
                    figures = {name: e.amount for name, e in found.items()}
                    figures["chosen"] = proposal.amount
                    made = [m for m in now.forecasts if m <= month]
                    if not made:  # no controller's forecast yet: this month's row only
                        activity_level.add(month, figures, now.final)
                        continue
                    figures["controllers"] = now.forecasts[max(made)]
                    activity_level.add(month, figures, now.final)
                    activity_level.add("all", figures, now.final)
                    key = (committee_of[activity_id], year, month)
                    for column, amount in figures.items():
                        sums[key][column] += amount
                        sums[("all", year, month)][column] += amount
                    finals[key] += now.final
                    finals[("all", year, month)] += now.final
                    chosen_count[year][proposal.chosen] += 1
                    measured.add(year)
            record.add(year_record(by_year, year))
    per_committee = defaultdict(lambda: defaultdict(list))  # committee → column → shares
    municipality = defaultdict(lambda: defaultdict(list))  # month → column → |Σ − final| kr
    for (committee, year, month), by_column in sums.items():
        final = finals[committee, year, month]
        for column, amount in by_column.items():
            if committee == "all":
                municipality[month][column].append(abs(amount - final))
            elif final:
                per_committee[committee][column].append(abs(amount - final) / abs(final))
    return {
        "label": label,
        "years": years,
        "measured": sorted(measured),
        "activities": len(data),
        "observations": activity_level.count.get("all", 0),
        "seconds": round(time.perf_counter() - started, 1),
        "by_month": activity_level.shares(),
        "committees": {
            names[pk]: {c: float(sum(v) / len(v)) for c, v in by_column.items()}
            for pk, by_column in sorted(
                per_committee.items(), key=lambda item: [c.pk for c in committees].index(item[0])
            )
        },
        "municipality": {
            str(month): {c: float(sum(v) / len(v)) for c, v in by_column.items()}
            for month, by_column in sorted(municipality.items())
        },
        "chosen": {str(y): dict(counts) for y, counts in sorted(chosen_count.items())},
        "open_year": open_year(committees),
    }


def open_year(committees) -> dict:
    """Where no year can be measured (the demo): the latest forecast period's proposals
    against the controllers' forecasts, summed per committee (kronor)."""
    from followup.forecasts.proposals import proposals_for
    from followup.models import Report, ReportingPeriod

    period = (
        ReportingPeriod.objects.filter(asks_forecast=True)
        .exclude(status=ReportingPeriod.Status.PLANNED)
        .order_by("-year", "-month")
        .first()
    )
    if period is None:
        return {}
    rows = []
    for report in Report.objects.current().filter(period=period).order_by("committee__position"):
        proposals = proposals_for(report)
        lines = list(report.lines.all())
        rows.append(
            {
                "committee": report.committee.name,
                "forecast": str(sum((ln.forecast for ln in lines if ln.forecast), Decimal(0))),
                "proposal": str(sum((p.amount for p in proposals.values()), Decimal(0))),
                "methods": sorted({p.method for p in proposals.values()}),
            }
        )
    return {"period": f"{period.month_name} {period.year}", "rows": rows}


def run(args):
    setup_django()
    result = measure(args.label)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"backtest.py: {args.label}: {result.get('observations', 0)} observations")


# --- The section in bench/RESULTS.md -----------------------------------------------------------


def percent(value) -> str:
    return "" if value is None else f"{value * 100:.2f}".replace(".", ",") + " %"


def mkr(value) -> str:
    return "" if value is None else f"{value / 1e6:.1f}".replace(".", ",")


def table(rows, first: str, format_value) -> list:
    out = [
        f"| {first} | " + " | ".join(HEADINGS[c] for c in COLUMNS) + " |",
        "| --- | " + " | ".join("---:" for _ in COLUMNS) + " |",
    ]
    for label, values in rows:
        best = min((values[c] for c in COLUMNS if c in values), default=None)
        cells = []
        for c in COLUMNS:
            text = format_value(values.get(c))
            cells.append(f"**{text}**" if values.get(c) == best and text else text)
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


def section(results) -> list:
    w = []
    w.append("## Forecast proposals: backtest")
    w.append("")
    w.append(
        "`bench/backtest.py` (not a test): for every activity, every year whose outcome is "
        "known (an approved December report) and every month reported before it, each "
        "method's full-year figure as that month knew it against the year's outcome. "
        "Columns: *Budget* forecast = budget; *Profil* outcome to date ÷ the periodisation "
        "profile's share (twelfths without one); *Fjolår* ÷ the share of its year's outcome "
        "last year had reached by the month; *Senaste prognos* the year's latest earlier "
        "forecast moved by the change in the outcome's deviation since; **Vald** the method "
        "chosen per activity by its error in the years before (no look-ahead; the profile "
        "without such years); *Controllers* the report lines' own forecasts, the latest by "
        "the month; none before the year's first forecast, and the rows *all*, the "
        "committees and the municipality's months count only the activity-months where the "
        "controllers had made one, so that every column is measured on the same figures. "
        "A method without grounds stands back for the profile, then the budget. The "
        "smallest error per row in bold."
    )
    w.append("")
    for r in results:
        w.append(f"### {r['label']}")
        w.append("")
        if not r.get("measured"):
            w.append(
                f"Years {', '.join(map(str, r.get('years', [])))}: no year with a known "
                "outcome for the whole year (no approved December report), so nothing to "
                "measure the methods against."
            )
            w.append("")
            open_ = r.get("open_year") or {}
            if open_.get("rows"):
                w.append(
                    f"What the proposals say for {open_['period']} beside the controllers' "
                    "forecasts (mkr, summed per committee; the methods used in brackets):"
                )
                w.append("")
                w.append("| Committee | Controllers' forecast | Proposal | Method |")
                w.append("| --- | ---: | ---: | --- |")
                for row in open_["rows"]:
                    w.append(
                        f"| {row['committee']} | {mkr(float(row['forecast']))} | "
                        f"{mkr(float(row['proposal']))} | {', '.join(row['methods'])} |"
                    )
                w.append("")
            continue
        w.append(
            f"Years measured {r['measured'][0]}–{r['measured'][-1]} (outcome known), "
            f"{r['activities']} activities, {r['observations']} activity-months, "
            f"{r['seconds']} s."
        )
        w.append("")
        w.append(
            "Per activity: the absolute errors summed over activities and years, as a share "
            "of the summed absolute outcomes, by the month the forecast was made in:"
        )
        w.append("")
        by_month = r["by_month"]
        rows = [
            (MONTHS[int(m)], by_month[m])
            for m in sorted((k for k in by_month if k != "all"), key=int)
        ]
        rows.append(("**all**", by_month["all"]))
        w += table(rows, "Month", percent)
        w.append("")
        w.append(
            "Per committee (the committee's summed figure against its summed outcome, mean "
            "over the years and months):"
        )
        w.append("")
        w += table(list(r["committees"].items()), "Committee", percent)
        w.append("")
        w.append(
            "The municipality (all activities summed, the net result): mean absolute error "
            "over the years, mkr, by month:"
        )
        w.append("")
        w += table([(MONTHS[int(m)], v) for m, v in r["municipality"].items()], "Month", mkr)
        w.append("")
        last = r["measured"][-1]
        counts = r["chosen"].get(str(last), {})
        w.append(
            f"Chosen in {last} (activity-months): "
            + ", ".join(f"{HEADINGS[m].strip('*')} {n}" for m, n in sorted(counts.items()))
            + "."
        )
        w.append("")
    return w


def report(args):
    results = [json.loads(Path(p).read_text()) for p in args.files]
    path = Path(args.output)
    old = path.read_text() if path.exists() else ""
    reading = (
        f"{READING_START}\n(Write the reading here; bench/backtest.py keeps it.)\n{READING_END}"
    )
    if READING_START in old and READING_END in old:
        reading = old[old.index(READING_START) : old.index(READING_END) + len(READING_END)]
    body = "\n".join([START, *section(results), "### Reading", "", reading, END])
    if START in old and END in old:
        text = old[: old.index(START)] + body + old[old.index(END) + len(END) :]
    elif OUTER_END in old:  # inside measure.py's kept reading, so that make bench keeps it
        at = old.index(OUTER_END)
        text = old[:at] + "\n" + body + "\n" + old[at:]
    else:
        text = old + "\n" + body + "\n"
    path.write_text(text)
    print(f"backtest.py: {path} written")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="measure the database of DATABASE_URL")
    p_run.add_argument("--label", required=True)
    p_run.add_argument("--out", required=True)
    p_report = sub.add_parser("report", help="write the section of bench/RESULTS.md")
    p_report.add_argument("--output", default="bench/RESULTS.md")
    p_report.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    {"run": run, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
