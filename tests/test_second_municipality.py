"""A second municipality, invented for the tests, goes from its own files to a published
month: Exempelby kommun, of another shape than Hedemora (another county, no balance or
cash-flow budget, net costs printed positive in its workbook, seven committees instead
of nine, no companies, a calendar of its own). Loaded in production mode, outcome from
SIE, every report entered and approved, the month's paper exported, and every page
finance reaches answers without a dead link or a sentence with a hole in it."""

import copy
import datetime
import re
from io import BytesIO, StringIO
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor, Source
from budget.exports import workbook_bytes
from budget.models import BudgetPlan, Committee, FrameEntry, Role
from followup.models import Report, ReportingPeriod
from followup.papers import paper
from followup.periods.calendar import load_plan_calendar, set_period_status
from followup.reports.workflow import approve_report, open_report, save_report, submit_report
from tests.budget.test_other_municipality_pages import HOLES

YEAR = 2026
GONE = ("valnamnden", "overformyndaren")  # two committees Exempelby does not have
CALENDAR = [
    {
        "month": 4,
        "kind": "manadsrapport",
        "content": "Uppföljning april",
        "asks": ["utfall", "prognos"],
        "deadline": datetime.date(2026, 5, 8),
    },
    {
        "month": 8,
        "kind": "delarsrapport",
        "content": "Delårsrapport",
        "asks": ["utfall", "prognos", "atgarder", "mal"],
    },
    {"month": 12, "kind": "arsbokslut", "content": "Årsredovisning", "asks": ["utfall", "mal"]},
]
MAPPINGS = """dimension = 1
{entries}
"""
# Its Kolada mapping (one indicator, a comparison group of its own) and its county, which
# is not Dalarna: a county file of the tests' own (settings.KOLADA_COUNTY_DIRS).
KOLADA = """comparison_group = "G99999"

[[mappings]]
indicator = "livskvalitet"
kpi = "N00310"
"""
COUNTY = """county = "Exempellän"
region = "Exempellän"

[[municipalities]]
code = "9999"
name = "Exempelby"

[[municipalities]]
code = "9998"
name = "Grannby"
"""
FRAMES = "Ramar per verksamhet"


def exempelby(plan_data) -> dict:
    """Hedemora's data file made into another municipality's."""
    data = copy.deepcopy(plan_data)
    data["municipality"] = {"name": "Exempelby kommun", "kolada_id": "9999"}
    data["committees"] = [c for c in data["committees"] if c["code"] not in GONE]
    data["statements"] = [s for s in data["statements"] if s["kind"] == "resultatbudget"]
    data["stated"] = []  # its document states no totals of its own
    data.pop("companies")
    data.pop("calendar_rules")
    data["calendar"] = CALENDAR
    return data


def activities(data):
    return [(c["code"], a["code"], c["kind"]) for c in data["committees"] for a in c["activities"]]


def printed_positive(content: bytes, committees) -> bytes:
    """The workbook as a municipality that prints net costs positive would have typed it:
    the committees' frames (not the finance lines) with their signs turned."""
    wb = load_workbook(BytesIO(content))
    ws = wb[FRAMES]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Nämnd")
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, 1).value in committees:
            for c in range(3, ws.max_column + 1):
                value = ws.cell(r, c).value
                if isinstance(value, int | float) and value:
                    ws.cell(r, c).value = -value
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker, plan_data, tmp_path_factory):
    """Exempelby's folder: its workbook (committees' costs positive) and its financial
    system's mappings, made in a database that is then rolled back."""
    from budget.loader import load_plan

    data = exempelby(plan_data)
    with django_db_blocker.unblock(), transaction.atomic():
        plan = load_plan(data).plan
        load_plan_calendar(plan=plan, data=data)
        content = workbook_bytes(plan, today=datetime.date(2026, 3, 20))
        transaction.set_rollback(True)
    folder = tmp_path_factory.mktemp("exempelby")
    committees = [c["code"] for c in data["committees"] if c["kind"] != "finans"]
    (folder / "mal-och-budget-2026.xlsx").write_bytes(printed_positive(content, committees))
    entries = "\n".join(
        f'[[mappings]]\nobject = "{5000 + i}"\nname = "{activity}"\ncommittee = "{committee}"\n'
        f'activity = "{activity}"\n'
        for i, (committee, activity, _) in enumerate(activities(data))
    )
    (folder / "ekonomisystem-kopplingar.toml").write_text(MAPPINGS.format(entries=entries), "utf-8")
    (folder / "kolada-kopplingar.toml").write_text(KOLADA, "utf-8")
    (folder / "kolada-kommuner-exempellan.toml").write_text(COUNTY, "utf-8")
    return folder, data


def sie_for_april(data) -> bytes:
    """Outcome January–April on each activity's object: costs debit (positive) in SIE."""
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#FNAMN "Exempelby kommun"',
        "#RAR 0 20260101 20261231",
        '#DIM 1 "Ansvar"',
    ]
    for i, (_, activity, _kind) in enumerate(activities(data)):
        lines.append(f'#OBJEKT 1 "{5000 + i}" "{activity}"')
    for i, (_, _activity, kind) in enumerate(activities(data)):
        account, amount = ("8010", "-100000000.00") if kind == "finans" else ("4010", "3000000.00")
        lines.append(f'#PSALDO 0 202604 {account} {{1 "{5000 + i}"}} {amount}')
    return ("\n".join(lines) + "\n").encode("cp437")


def budget_of(activity):
    frames = FrameEntry.objects.filter(
        activity=activity, budget_year__year=YEAR, budget_year__kind="budget"
    )
    return frames.aggregate(total=Sum("amount"))["total"]


def lines(report):
    return report.lines.select_related("activity")


def user(django_user_model, username, role, committee=None):
    person = django_user_model.objects.create_user(username=username, password="pw-exempelby-1")
    person.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if committee is not None:
        person.memberships.create(committee=committee)
    return person


def crawl(client, start_urls) -> tuple[dict, list]:
    """Every page reached from ``start_urls`` by the links on the pages, two steps deep:
    {url: status} and the holes found, as (url, text around the hole)."""
    seen, holes, frontier = {}, [], list(start_urls)
    for _ in range(3):
        found = []
        for url in frontier:
            if url in seen:
                continue
            response = client.get(url, follow=True)  # a redirect counts where it lands
            seen[url] = response.status_code
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            text = response.content.decode()
            main = re.sub(r"<[^>]+>", " ", text.split("<main", 1)[-1])
            main = re.sub(r"[ \t]+", " ", main)
            holes += [(url, main[max(0, i - 40) : i + 40]) for h in HOLES for i in _all(main, h)]
            for href in re.findall(r'href="(/[^"#]*)"', text):
                path = urlparse(href).path
                if not path.startswith(("/static/", "/media/", "/konto/logga-ut")):
                    found.append(href.replace("&amp;", "&"))
        frontier = found
    return seen, holes


def _all(text, needle):
    start = 0
    while (i := text.find(needle, start)) >= 0:
        yield i
        start = i + 1


def test_exempelby_goes_from_its_files_to_a_published_month(
    files, db, settings, client, django_user_model, tmp_path
):
    folder, data = files
    settings.PRODUCTION = True
    settings.KOLADA_COUNTY_DIRS = [folder]

    # Its files, in production mode: refused as printed, read with the signs turned.
    refusal = StringIO()
    with pytest.raises(CommandError, match="Ingenting har ändrats"):
        call_command("load_municipality", str(folder), stdout=StringIO(), stderr=refusal)
    assert "positiva belopp" in refusal.getvalue(), refusal.getvalue()
    out = StringIO()
    call_command("load_municipality", str(folder), "--flip-cost-signs", stdout=out)
    plan = BudgetPlan.objects.get(municipality__name="Exempelby kommun", year=YEAR)
    assert "Tecknen vändes" in out.getvalue()
    assert Committee.objects.filter(municipality=plan.municipality).count() == 7
    april = ReportingPeriod.objects.get(plan=plan, month=4)
    assert april.deadline == datetime.date(2026, 5, 8)
    assert ReportingPeriod.objects.filter(plan=plan).count() == 3

    # The month: finance opens April and loads the outcome from the financial system.
    finance = user(django_user_model, "ekonom", Role.FINANCE)
    colleague = user(django_user_model, "kollega", Role.FINANCE)
    by_finance = Actor(user=finance, source=Source.PAGE)
    april = set_period_status(period=april, status=ReportingPeriod.Status.OPEN, actor=by_finance)
    sie = tmp_path / "huvudbok.se"
    sie.write_bytes(sie_for_april(data))
    call_command("import_outcome", str(sie), "--period", "2026-04", "--confirm", stdout=StringIO())

    # Each committee's controller forecasts and submits; finance approves every report.
    for committee in Committee.objects.filter(municipality=plan.municipality):
        controller = user(
            django_user_model, f"controller-{committee.pk}", Role.CONTROLLER, committee
        )
        actor = Actor(user=controller, source=Source.PAGE)
        report = open_report(committee=committee, period=april, actor=actor)
        # As budgeted: no deviation, no action plan needed.
        values = {
            line.activity_id: (line.outcome, budget_of(line.activity), "") for line in lines(report)
        }
        report = save_report(
            report=report, row_version=report.row_version, values=values, actor=actor
        )
        report = submit_report(report=report, actor=actor)
        approve_report(report=report, actor=Actor(user=colleague, source=Source.PAGE))
    assert set(Report.objects.filter(period=april).values_list("status", flat=True)) == {
        Report.Status.APPROVED
    }
    april = set_period_status(period=april, status=ReportingPeriod.Status.CLOSED, actor=by_finance)
    april = set_period_status(
        period=april, status=ReportingPeriod.Status.PUBLISHED, actor=by_finance
    )

    # The month's paper.
    wb = load_workbook(BytesIO(paper.workbook_bytes(april, today=datetime.date(2026, 5, 12))))
    assert wb.active["A1"].value.startswith("Exempelby kommun – Månadsrapport april 2026")

    # Every page finance reaches: no dead link, no sentence with a hole.
    client.force_login(finance)
    starts = [
        reverse("budget:overview", kwargs={"year": YEAR}),
        reverse("followup:periods", kwargs={"year": YEAR}),
    ]
    seen, holes = crawl(client, starts)
    assert len(seen) > 30
    assert {url: status for url, status in seen.items() if status >= 400} == {}
    assert holes == []
    # Its Kolada page compares it with its own county and group, not with Dalarna.
    kolada = client.get(reverse("followup:kolada", kwargs={"year": YEAR})).content.decode()
    assert "Jämförelse med övriga Exempellän" in kolada and "Grannby" in kolada
    assert "Dalarna" not in kolada and "(G99999)" in kolada
