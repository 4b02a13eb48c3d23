"""History shows nobody what its pages hide: the history pages, their area filters and the
download of their table list only the entries about objects the viewer may open.

The rule of each kind of object is the one its pages use (Report.objects.visible_to,
Reallocation.objects.visible_to, ActionPlan.objects.visible_to, …): the tests below open the
pages themselves to check that the two agree, then check every history page entry by entry.
"""

from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget import extensions, history
from budget.audit import Actor, Scope, record
from budget.loader import read_toml
from budget.models import AuditEntry, Committee
from budget.templatetags.exports import table_id
from followup.models import (
    ActionPlan,
    InvestmentProject,
    Measure,
    Reallocation,
    ReallocationLine,
    Reminder,
    Report,
    ReportingPeriod,
    ReportLine,
)
from followup.reallocations.demo import load_demo_reallocations
from followup.reports.workflow import save_report
from tests.conftest import FIXTURES
from tests.pages import page_as

YEAR = 2026
Area = AuditEntry.Area
PERSONAS = [
    "councillor",
    "bildning_controller",
    "omsorg_controller",
    "finance_officer",
    "administrator",
]
COMMITTEES = ["bildningsnamnden", "omsorgsnamnden"]


@pytest.fixture
def demo(demo_investments, finance_officer, finance_colleague):
    """The demo year with its investments and its three reallocations (applied, prepared,
    rejected), drawn up by the finance officer and decided by a colleague."""
    data = read_toml(FIXTURES / "demo-omfordelningar-2026.toml")
    data["by"] = finance_officer.username
    if "decided_by" in data:
        data["decided_by"] = finance_colleague.username
    load_demo_reallocations(data, plan=demo_investments)
    return demo_investments


def plan_history_url(area=None):
    url = reverse("budget:plan_history", kwargs={"year": YEAR})
    return f"{url}?omrade={area}" if area else url


def committee_history_url(code):
    return reverse("budget:committee_history", kwargs={"year": YEAR, "code": code})


def shown(response) -> set[int]:
    """The ids of every entry the page's table selects (all its pages)."""
    return set(response.context["table"].data.data.values_list("pk", flat=True))


def about(model, pks) -> set[int]:
    """The ids of the entries about these objects of ``model``."""
    return set(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).values_list("pk", flat=True)
    )


# What each persona may open, page by page --------------------------------------------


def report_url(report):
    return reverse(
        "followup:report",
        kwargs={"year": YEAR, "month": report.period.month, "code": report.committee.code},
    )


def action_plan_url(action_plan):
    return reverse(
        "followup:action_plan",
        kwargs={
            "year": YEAR,
            "month": action_plan.period.month,
            "code": action_plan.committee.code,
        },
    )


def reallocation_url(reallocation):
    return reverse("followup:reallocation", kwargs={"year": YEAR, "number": reallocation.number})


def project_url(project):
    return reverse("followup:investment_project", kwargs={"year": YEAR, "code": project.code})


def reports_of_each_kind() -> list[Report]:
    """One report of each committee per combination of its status and its period's status:
    every case the visibility rule tells apart, without opening the same case twice."""
    reports = Report.objects.filter(committee__code__in=COMMITTEES).select_related(
        "period", "committee"
    )
    one_each = {}
    for report in reports.order_by("period__month", "id"):
        one_each.setdefault((report.committee_id, report.status, report.period.status), report)
    return list(one_each.values())


# kind -> (its objects in the demo, the page that opens one, the entries about one)
KINDS = {
    "report": (
        reports_of_each_kind,
        report_url,
        lambda report: about(Report, [report.pk]),
    ),
    "report line": (
        reports_of_each_kind,
        report_url,
        lambda report: about(ReportLine, report.lines.values_list("pk", flat=True)),
    ),
    "action plan": (
        lambda: ActionPlan.objects.select_related("period", "committee"),
        action_plan_url,
        lambda action_plan: about(ActionPlan, [action_plan.pk]),
    ),
    "measure": (
        lambda: ActionPlan.objects.select_related("period", "committee"),
        action_plan_url,
        lambda action_plan: about(Measure, action_plan.measures.values_list("pk", flat=True)),
    ),
    "reallocation": (
        lambda: Reallocation.objects.all(),
        reallocation_url,
        lambda reallocation: about(Reallocation, [reallocation.pk]),
    ),
    "reallocation line": (
        lambda: Reallocation.objects.all(),
        reallocation_url,
        lambda reallocation: about(
            ReallocationLine,
            ReallocationLine.every_line.filter(reallocation=reallocation).values_list(
                "pk", flat=True
            ),
        ),
    ),
    "investment project": (
        lambda: InvestmentProject.objects.filter(committee__code__in=COMMITTEES),
        project_url,
        lambda project: about(InvestmentProject, [project.pk]),
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_an_objects_entries_show_exactly_to_those_whose_page_of_it_opens(
    client, demo, kind, request
):
    objects, url_of, entries_of = KINDS[kind]
    with_entries = [(obj, entries_of(obj)) for obj in objects()]
    with_entries = [(obj, entries) for obj, entries in with_entries if entries]
    assert with_entries

    for name in PERSONAS:
        client.force_login(request.getfixturevalue(name))
        on_history = shown(client.get(plan_history_url()))
        for obj, entries in with_entries:
            status = client.get(url_of(obj)).status_code
            assert status in (200, 403, 404), (name, url_of(obj))
            if status == 200:
                assert entries <= on_history, f"{kind} {obj} opens to {name}; history hidden"
            else:
                assert not entries & on_history, f"{kind} {obj} refused to {name} but shown"


# Every history page, entry by entry -----------------------------------------------------


def may_open(user) -> set[int]:
    """The specification: the entries about objects ``user`` may open. The adopted budget,
    the calendar and the investment follow-up are open to every role; reports, action plans
    and reallocations by their pages' rules (checked against the pages above); users and
    access only to finance and administrators."""
    restricted = {
        Report: Report.objects.visible_to(user),
        ReportLine: ReportLine.objects.filter(report__in=Report.objects.visible_to(user)),
        ActionPlan: ActionPlan.objects.visible_to(user),
        Measure: Measure.objects.filter(plan__in=ActionPlan.objects.visible_to(user)),
        Reallocation: Reallocation.objects.visible_to(user),
        ReallocationLine: ReallocationLine.every_line.filter(
            reallocation__in=Reallocation.objects.visible_to(user)
        ),
    }
    types = ContentType.objects.get_for_models(*restricted)
    entries = AuditEntry.objects.exclude(content_type__in=types.values())
    if not user.has_perm("budget.view_audit_log"):
        entries = entries.exclude(area=Area.ACCESS)
    allowed = set(entries.values_list("pk", flat=True))
    for model, visible in restricted.items():
        allowed |= about(model, visible.values_list("pk", flat=True))
    return allowed


def all_entries_of_the_page(url, superuser_client) -> set[int]:
    return shown(superuser_client.get(url))


PAGES = [
    plan_history_url(),
    *[plan_history_url(area) for area in Area.values if area != Area.ACCESS],
    *[committee_history_url(code) for code in COMMITTEES],
]


@pytest.fixture
def everything(django_user_model):
    """A client of a superuser, who may open every object: each page's whole scope."""
    superuser = django_user_model.objects.create_superuser("root", password="x")
    other = Client()
    other.force_login(superuser)
    return other


@pytest.mark.parametrize("url", PAGES)
def test_each_history_page_lists_exactly_the_entries_about_objects_the_viewer_may_open(
    demo, everything, request, url
):
    """Page by page, so that each page's whole scope is fetched once for all the viewers."""
    viewers = {name: request.getfixturevalue(name) for name in PERSONAS}
    clients = {name: Client() for name in PERSONAS}
    for name, viewer in viewers.items():
        clients[name].force_login(viewer)
    scope = all_entries_of_the_page(url, everything)

    for name, viewer in viewers.items():
        response = clients[name].get(url)

        assert response.status_code == 200, name
        assert shown(response) == scope & may_open(viewer), name


def test_a_superuser_sees_the_whole_trail_of_the_plan(demo, everything):
    whole = AuditEntry.objects.filter(plan=demo)

    assert all_entries_of_the_page(plan_history_url(), everything) == set(
        whole.values_list("pk", flat=True)
    )


# The cases ------------------------------------------------------------------


def change_october_draft(user, comment):
    """Bildningsnämnden's October draft saved with an outcome of −123,5 mkr and ``comment``;
    returns the report."""
    report = Report.objects.get(committee__code="bildningsnamnden", period__month=10)
    line = report.lines.get()
    save_report(
        report=report,
        row_version=report.row_version,
        values={line.activity_id: (-123_500_000, line.forecast, comment)},
        actor=Actor(user=user),
    )
    return report


DRAFT_COMMENT = "Utkast: fel i periodiseringen?"


@pytest.fixture
def october_draft(demo, bildning_controller):
    """Bildningsnämnden's controller changes the October draft (not submitted): outcome
    −123,5 mkr and a comment not ready for anybody else. Returns the report's entries."""
    report = change_october_draft(bildning_controller, DRAFT_COMMENT)
    return report, about(Report, [report.pk]) | about(
        ReportLine, report.lines.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "url", [committee_history_url("bildningsnamnden"), plan_history_url(Area.REPORTS)]
)
def test_a_councillor_does_not_see_a_controllers_draft_in_the_history(
    client, councillor, october_draft, url
):
    report, entries = october_draft

    response = page_as(client, councillor, url)

    assert not shown(response) & entries
    assert DRAFT_COMMENT not in response.text
    assert "\u2212123,5" not in response.text
    assert client.get(report_url(report)).status_code == 403


@pytest.mark.parametrize("who", ["bildning_controller", "finance_officer"])
def test_the_committees_controller_and_finance_see_the_draft_change(
    client, request, october_draft, who
):
    report, entries = october_draft

    response = page_as(client, request.getfixturevalue(who), plan_history_url(Area.REPORTS))

    assert entries <= shown(response)
    assert DRAFT_COMMENT in response.text
    assert "\u2212123,5" in response.text


# The demo's reallocation in preparation and the rejected one.
HIDDEN_REALLOCATIONS = (
    "Statsbidrag för äldreomsorgen",
    "Politisk utfördelning till trafiksäkerhetsåtgärder",
)


def test_a_councillor_sees_only_decided_reallocations_in_the_history(client, demo, councillor):
    response = page_as(client, councillor, plan_history_url(Area.REALLOCATIONS))

    objects = {
        Reallocation.objects.get(pk=e.object_id).status
        for e in response.context["table"].data.data.filter(
            content_type=ContentType.objects.get_for_model(Reallocation)
        )
    }
    assert objects == {Reallocation.Status.APPLIED}
    for title in HIDDEN_REALLOCATIONS:
        assert title not in response.text


FIRST_ROW = 5  # the downloaded table: title, context, a blank row, the headers


def exported_rows(client, url) -> list[str]:
    """The history table downloaded as shown (the page's "Ladda ned tabellen" link), one
    text per row."""
    table = client.get(url).context["table"]
    sep = "&" if "?" in url else "?"
    download = client.get(f"{url}{sep}export=xlsx&tabell={table_id(table)}")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(download.content)).active
    return [
        " ".join(str(v) for v in row if v is not None)
        for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True)
    ]


@pytest.mark.parametrize(
    "url",
    [
        committee_history_url("bildningsnamnden"),
        plan_history_url(Area.REPORTS),
        plan_history_url(Area.REALLOCATIONS),
    ],
)
def test_the_downloaded_history_table_holds_only_what_the_page_shows(
    client, councillor, october_draft, url
):
    client.force_login(councillor)

    rows = exported_rows(client, url)

    text = "\n".join(rows)
    assert DRAFT_COMMENT not in text
    for title in HIDDEN_REALLOCATIONS:
        assert title not in text
    assert len(rows) == len(page_as(client, councillor, url).context["table"].page.object_list)
    assert rows


# Objects without a rule, and the rule's shape --------------------------------------------


@pytest.fixture
def entry_about_an_object_without_a_rule(demo, finance_officer):
    """An entry about a reminder, a model nobody gave a history rule."""
    reminder = Reminder.objects.create(
        period=ReportingPeriod.objects.get(plan=demo, month=10),
        committee=Committee.objects.get(code="bildningsnamnden"),
        kind=Reminder.Kind.DUE,
        recipient="cecilia@example.org",
        sent_on=timezone.localdate(),
        sent_at=timezone.now(),
    )
    return record(
        obj=reminder,
        action=AuditEntry.Action.CREATED,
        scope=Scope(area=Area.CALENDAR, plan=demo),
        actor=Actor(user=finance_officer),
        new="Påminnelse",
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("councillor", False),
        ("bildning_controller", False),
        ("finance_officer", True),
        ("administrator", True),
    ],
)
def test_entries_about_an_object_without_a_rule_show_only_to_readers_of_the_log(
    client, request, entry_about_an_object_without_a_rule, who, sees
):
    response = page_as(client, request.getfixturevalue(who), plan_history_url(Area.CALENDAR))

    assert (entry_about_an_object_without_a_rule.pk in shown(response)) is sees


def test_every_model_the_demo_records_has_a_history_rule(demo):
    recorded = set(AuditEntry.objects.values_list("content_type", flat=True).distinct())
    ruled = {ContentType.objects.get_for_model(model).pk for model in history.history_rules()}
    unruled = {ContentType.objects.get_for_id(pk).model for pk in recorded - ruled}

    assert unruled <= {"user", "membership", "group"}


def test_a_second_different_rule_for_a_model_is_refused():
    with pytest.raises(ValueError, match="already has a history rule"):
        extensions.add_history_rule(Report, lambda user: Report.objects.none())


def test_the_action_plan_rule_is_the_action_plan_pages_permission(demo, request):
    committees = list(Committee.objects.all())
    for name in PERSONAS:
        user = request.getfixturevalue(name)
        visible = set(ActionPlan.objects.visible_to(user).values_list("committee", flat=True))
        for plan in ActionPlan.objects.select_related("committee"):
            assert (plan.committee_id in visible) is user.has_perm(
                "budget.view_committee_drafts", plan.committee
            ), (name, plan)
        assert committees


# Cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [plan_history_url(), plan_history_url(Area.REPORTS), committee_history_url("bildningsnamnden")],
)
def test_a_councillors_history_page_costs_the_same_few_queries_however_long_the_trail(
    client, demo, councillor, bildning_controller, url, django_assert_max_num_queries
):
    client.force_login(councillor)
    client.get(url)  # content types and the session are cached from here on
    with django_assert_max_num_queries(12) as before:
        client.get(url)

    change_october_draft(bildning_controller, "Ny kommentar")
    change_october_draft(bildning_controller, "En kommentar till")

    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
