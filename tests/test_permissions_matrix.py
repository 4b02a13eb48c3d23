"""Who gets what, for every URL of the project, and that a GET changes nothing.

The URL configuration is walked, so a new view without a line in EXPECTED fails
``test_every_url_has_an_expected_outcome_for_every_role``: nobody can add a page
and forget to decide who may open it. The admin site is covered by its own tests
(tests/budget/test_admin.py) and by one line here.

The same walk, by every role, checks that no GET writes a row: every table keeps the rows
it had (sessions aside: signing in writes one). March is open for reporting and no report
is started, so the report pages take the path where a report could be created.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse

from followup.models import ReportingPeriod

ROLES = [
    "anonymous",
    "outsider",
    "controller",
    "finance",
    "councillor",
    "secretary",
    "administrator",
]

# What a GET gives each role. "login" = redirect to the login page; other ints are statuses.
ALL_ROLES = {"anonymous": "login", "outsider": 403, "secretary": 403}
BUDGET_PAGE = {
    **ALL_ROLES,
    "controller": 200,
    "finance": 200,
    "councillor": 200,
    "secretary": 200,
    "administrator": 200,
}
ADMINISTRATORS = {
    **ALL_ROLES,
    "controller": 403,
    "finance": 403,
    "councillor": 403,
    "administrator": 200,
}
FINANCE_AND_ADMINISTRATORS = {**ADMINISTRATORS, "finance": 200}
CONTROLLERS = {
    **ALL_ROLES,
    "controller": 200,
    "finance": 403,
    "councillor": 403,
    "administrator": 403,
}
# Every role may read the page, but the sample names nothing: 404 behind the permission check.
BUDGET_PAGE_NOT_FOUND = {
    **BUDGET_PAGE,
    **dict.fromkeys(["controller", "finance", "councillor", "secretary", "administrator"], 404),
}
# Read like the balanskravsutredning, of the interim report and the annual accounts only: the
# sample period is a month report (404 behind the permission check); administrators may not.
INTERIM_READERS = {
    **ALL_ROLES,
    **dict.fromkeys(["controller", "finance", "councillor", "secretary"], 404),
    "administrator": 403,
}
COUNCIL_LIST = {**BUDGET_PAGE, "controller": 403, "administrator": 403}
REALLOCATION_READERS = {**BUDGET_PAGE, "secretary": 403, "administrator": 403}
NOT_FOUND_FOR_READERS = dict.fromkeys(["controller", "finance", "councillor"], 404)
DRAFTERS = {**REALLOCATION_READERS, "councillor": 403}
FINANCE_ONLY = {**ADMINISTRATORS, "administrator": 403, "finance": 200}
FINANCE_POST = {**FINANCE_ONLY, "finance": 405}
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": "login"}
POST_ONLY = {**dict.fromkeys(ROLES, 405), "anonymous": "login"}
OPEN_DATA_OFF = dict.fromkeys(ROLES, 404)


EXPECTED = {
    # Accounts: the login and password-reset pages are open to everyone.
    "login": PUBLIC,
    "logout": POST_ONLY,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    # The adopted budget: every role.
    "budget:start": {
        **ALL_ROLES,
        **dict.fromkeys(["controller", "finance", "councillor", "secretary", "administrator"], 302),
    },
    "budget:overview": BUDGET_PAGE,
    "budget:comparison": BUDGET_PAGE,
    "budget:change": BUDGET_PAGE,
    "budget:funds": BUDGET_PAGE,
    "budget:investments": BUDGET_PAGE,
    "budget:committees": BUDGET_PAGE,
    "budget:committee": BUDGET_PAGE,
    "budget:goals": BUDGET_PAGE,
    "budget:calendar": BUDGET_PAGE,
    "budget:control": BUDGET_PAGE,
    "budget:statement": BUDGET_PAGE,
    "budget:export": BUDGET_PAGE,
    "budget:committee_history": BUDGET_PAGE,
    "budget:plan_history": BUDGET_PAGE,
    # The follow-up year. The sample report's period is not open and has no report yet:
    # its committee's controller and finance see the page, nobody else.
    "followup:periods": BUDGET_PAGE,
    "followup:calendar": FINANCE_ONLY,
    "followup:period_status": {
        **ALL_ROLES,
        "controller": 403,
        "finance": 405,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:period_deadline": {
        **ALL_ROLES,
        "controller": 403,
        "finance": 405,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:period_correction": {
        **ALL_ROLES,
        "controller": 403,
        "finance": 405,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:report": {
        **ALL_ROLES,
        "controller": 200,
        "finance": 200,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:action_plan": {
        **ALL_ROLES,
        "controller": 200,
        "finance": 200,
        "councillor": 403,
        "administrator": 403,
    },
    # The report as an Excel template. The sample period has no report: those who may see
    # the report page get 404 for the download (there is nothing to download) and others
    # 403 as on the page. The upload is for the committee's controller only; with no report
    # to upload to it sends them back to the report page (302), which says why.
    "followup:report_workbook": {
        **ALL_ROLES,
        "controller": 404,
        "finance": 404,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:report_upload": {
        **ALL_ROLES,
        "controller": 302,
        "finance": 403,
        "councillor": 403,
        "administrator": 403,
    },
    "followup:review": FINANCE_ONLY,
    # Finance loads the outcome from the financial system (the sample period is not open:
    # the page says so).
    "followup:outcome_import": FINANCE_ONLY,
    # Investments: every role reads the follow-up; finance keeps projects and carry-overs
    # (the sample code names no project: 404 for finance behind its permission check);
    # the committee's controller and finance follow its projects up.
    "followup:investments": BUDGET_PAGE,
    "followup:investments_export": BUDGET_PAGE,
    "followup:investment_committee": BUDGET_PAGE,
    "followup:investment_project": BUDGET_PAGE_NOT_FOUND,
    "followup:investment_project_create": FINANCE_ONLY,
    "followup:investment_project_edit": {**FINANCE_ONLY, "finance": 404},
    "followup:carry_over_propose": FINANCE_POST,
    "followup:carry_over_decide": FINANCE_POST,
    "followup:investment_follow_up": {
        **ALL_ROLES,
        "controller": 200,
        "finance": 200,
        "councillor": 403,
        "administrator": 403,
    },
    # The companies' forecasts: every role reads, finance enters.
    "followup:companies": BUDGET_PAGE,
    "followup:company_forecasts": FINANCE_ONLY,
    # The start page of the year, for every role, and its drill-down to a committee. The
    # sample period, March, is open and not published: finance and administrators follow
    # it; the others get 404 behind the permission check until it is published.
    "followup:dashboard": BUDGET_PAGE,
    "followup:committee_overview": {**BUDGET_PAGE_NOT_FOUND, "finance": 200, "administrator": 200},
    # What awaits kommunfullmäktige: the council secretary puts it on the agenda, finance
    # prepares it, councillors decide it.
    "followup:council_list": COUNCIL_LIST,
    "followup:council_list_export": COUNCIL_LIST,
    # The month report as an Excel paper: finance, councillors and the council secretary.
    # (Councillors and the secretary get it for published periods: the sample is not.)
    "followup:month_report": {**COUNCIL_LIST, "councillor": 404, "secretary": 404},
    # Reallocations: finance, controllers and councillors read (each what they may see;
    # the sample number names none: 404 behind the permission check); finance and
    # controllers draw up; finance takes the steps, POST only (405 on GET).
    "followup:reallocations": REALLOCATION_READERS,
    "followup:reallocation": {**REALLOCATION_READERS, **NOT_FOUND_FOR_READERS},
    "followup:reallocation_protocol": {**REALLOCATION_READERS, **NOT_FOUND_FOR_READERS},
    "followup:reallocation_create": DRAFTERS,
    "followup:reallocation_edit": {**DRAFTERS, "controller": 404, "finance": 404},
    "followup:reallocation_template": DRAFTERS,
    "followup:reallocation_upload": DRAFTERS,
    **{
        f"followup:reallocation_{step}": FINANCE_POST
        for step in ("prepare", "return", "decide", "apply", "reject", "reverse")
    },
    # The interim report's and the annual accounts' own figures: finance enters the
    # statements; the balanskravsutredning is read by finance, councillors, the council
    # secretary and controllers. The sample period is a month report: 404 behind the
    # permission check.
    "followup:statement_figures": {**FINANCE_ONLY, "finance": 404},
    "followup:balance": INTERIM_READERS,
    # Finance's analysis of the goals: written by finance, read like the balanskravsutredning.
    "followup:goal_analysis": INTERIM_READERS,
    # Finance's assessment of god ekonomisk hushållning: written by finance, read like the
    # balanskravsutredning.
    "followup:stewardship_assessment": INTERIM_READERS,
    # Last year's outcome to compare with: finance's page, per plan.
    "followup:previous_year_figures": FINANCE_ONLY,
    # Finance's page for the indicator values from Kolada.
    "followup:kolada": FINANCE_ONLY,
    # Controllers' own page.
    "budget:my_committees": CONTROLLERS,
    # Finance and administrators.
    "budget:audit_log": FINANCE_AND_ADMINISTRATORS,
    "budget:audit_log_export": FINANCE_AND_ADMINISTRATORS,
    # Administrators.
    "budget:import": ADMINISTRATORS,
    "budget:users": ADMINISTRATORS,
    "budget:user_create": ADMINISTRATORS,
    "budget:user_edit": ADMINISTRATORS,
    "budget:user_reset_password": {**ADMINISTRATORS, "administrator": 405},
    "budget:user_unlock": {**ADMINISTRATORS, "administrator": 405},
    # Open data, without login once the municipality turns it on; off (the default setting,
    # as here) every address answers 404 to everyone (tests/followup/test_open_data.py).
    **{
        f"opendata:{name}": OPEN_DATA_OFF
        for name in ("index", "catalogue", "period_csv", "period_json", "budget_csv", "budget_json")
    },
}


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), pattern.pattern.converters


def project_urls():
    """(url name, route) of every view of the project, the admin site aside."""
    return [
        (name, route)
        for name, route, _ in walk(get_resolver().url_patterns)
        if not (name or "").startswith("admin:")
    ]


def sample_kwargs(name, route, user_pk):
    kwargs = {}
    if "<int:year>" in route:
        kwargs["year"] = 2026
    if "<slug:kind>" in route:
        kwargs["kind"] = "resultatbudget"
    if "<slug:code>" in route:
        kwargs["code"] = "bildningsnamnden"
    if "<int:month>" in route:
        kwargs["month"] = 3
    if "<int:number>" in route:
        kwargs["number"] = 1
    if "<int:pk>" in route:
        kwargs["pk"] = user_pk
    if "<uidb64>" in route:
        kwargs.update(uidb64="MQ", token="set-password")
    return kwargs


@pytest.fixture
def personas(request, plan):
    return {
        "anonymous": None,
        "outsider": request.getfixturevalue("outsider"),
        "controller": request.getfixturevalue("bildning_controller"),
        "finance": request.getfixturevalue("finance_officer"),
        "councillor": request.getfixturevalue("councillor"),
        "secretary": request.getfixturevalue("council_secretary"),
        "administrator": request.getfixturevalue("administrator"),
    }


def test_every_url_has_an_expected_outcome_for_every_role():
    names = {name for name, _ in project_urls()}

    assert names - set(EXPECTED) == set(), "views without an expected outcome per role"
    assert set(EXPECTED) - names == set(), "expectations for views that no longer exist"
    for name, outcome in EXPECTED.items():
        assert set(outcome) == set(ROLES), name


def counting_query() -> tuple[list[str], str, list]:
    """(the models' labels, one query counting what ``model.objects.count()`` counts for each
    model, its parameters): one query, not one per model after each of some 80 URLs."""
    labels, counts, params = [], [], []
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        sql, model_params = model.objects.order_by().values("pk").query.sql_with_params()
        labels.append(model._meta.label)
        # Django's own SQL of each model's manager: no outside text in it.
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(model_params)
    return labels, "SELECT " + ", ".join(counts), params


def row_counts(query) -> dict:
    """{model label: its rows} (sessions aside: signing in writes one)."""
    labels, sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def as_expected(response, expected) -> bool:
    if expected == "login":
        return response.status_code == 302 and response.url.startswith(reverse("login"))
    return response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_every_url_gives_each_role_its_expected_outcome_and_no_get_writes_a_row(
    client, plan, personas, role
):
    march = ReportingPeriod.objects.get(plan=plan, month=3)
    march.status = ReportingPeriod.Status.OPEN
    march.save()
    user = personas[role]
    if user is not None:
        client.force_login(user)
    target = get_user_model().objects.exclude(pk=getattr(user, "pk", None)).first()
    query = counting_query()
    before = row_counts(query)
    failures, changed = [], []
    for name, route in project_urls():
        url = reverse(name, kwargs=sample_kwargs(name, route, target.pk))
        response = client.get(url)
        if not as_expected(response, EXPECTED[name][role]):
            failures.append(
                f"{name} {url}: {response.status_code}, expected {EXPECTED[name][role]}"
            )
        after = row_counts(query)
        if after != before:
            changed.append(f"{name}: " + ", ".join(k for k in after if after[k] != before[k]))
            before = after
        if name == "logout" and user is not None:
            client.force_login(user)  # signing in again is logged (axes): not the GET's doing
            before = row_counts(query)

    assert failures == []
    assert changed == []


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_is_for_staff_administrators_and_finance_only(client, personas, role):
    user = personas[role]
    if user is not None:
        user.is_staff = True
        user.save()
        client.force_login(user)

    response = client.get(reverse("admin:budget_frameentry_changelist"))

    if role in ("finance", "administrator"):
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
