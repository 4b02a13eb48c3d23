"""Open data (docs/decisions/0028): off by default; turned on by one setting, the published
periods' figures per committee and the adopted budget's tables are served without login as
CSV and JSON, described by a DCAT-AP-SE catalogue and listed on a page, rate-limited and
cacheable. Above all: nothing unpublished, no draft, no comment, no action plan and no
person's name ever appears in any answer of the open-data tree.
"""

import csv
import io
import ipaddress
import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils.http import http_date

from budget.audit import Actor
from budget.models import BudgetPlan, BudgetYear, Committee, FrameEntry, Membership, Role
from budget.money import round_half_up
from budget.reports import document
from budget.reports.snapshot import PlanSnapshot
from followup.models import ActionPlan, Measure, Report, ReportingPeriod, ReportLine
from followup.opendata import serving
from followup.periods import record, shown
from followup.periods.calendar import set_period_status
from followup.reports.workflow import approve_report, save_report
from tests.cache import clear_own_keys
from tests.followup.periods import period_of

AUGUST, OCTOBER = 8, 10
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
OPEN_DATA_NAMES = (
    "opendata:index",
    "opendata:catalogue",
    "opendata:period_csv",
    "opendata:period_json",
    "opendata:budget_csv",
    "opendata:budget_json",
)


@pytest.fixture
def open_data(settings):
    """Open data turned on, with a limit no test of content reaches."""
    settings.OPEN_DATA = True
    settings.OPEN_DATA_RATE_LIMIT = 10_000
    clear_own_keys()
    return settings


def sample_url(name, month=AUGUST, kind="resultatbudget"):
    kwargs = {}
    if name.startswith("opendata:period"):
        kwargs = {"year": 2026, "month": month}
    elif name.startswith("opendata:budget"):
        kwargs = {"year": 2026, "kind": kind}
    return reverse(name, kwargs=kwargs)


def period_url(month, fmt="csv"):
    return reverse(f"opendata:period_{fmt}", kwargs={"year": 2026, "month": month})


def budget_url(kind, fmt="csv"):
    return reverse(f"opendata:budget_{fmt}", kwargs={"year": 2026, "kind": kind})


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def json_of(response) -> dict:
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def amount(text):
    return None if text in ("", None) else Decimal(text)


def whole_tree(client) -> dict:
    """url → body of every answer of the open-data tree a visitor can reach: the page, the
    catalogue and every file the catalogue names."""
    bodies = {}
    for name in ("opendata:index", "opendata:catalogue"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        bodies[reverse(name)] = response.content.decode()
    catalogue = json.loads(bodies[reverse("opendata:catalogue")])
    for dataset in catalogue["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"].removeprefix(settings.SITE_URL)
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = response.content.decode()
    return bodies


# --- Off by default, on with one setting ----------------------------------------------------


def test_open_data_is_off_by_default_and_every_address_answers_404_to_everyone(
    client, demo_year, councillor
):
    for name in OPEN_DATA_NAMES:
        assert client.get(sample_url(name)).status_code == 404, name
    client.force_login(councillor)
    for name in OPEN_DATA_NAMES:
        assert client.get(sample_url(name)).status_code == 404, name


def test_while_open_data_is_off_no_page_links_to_it(client, demo_year, councillor):
    pages = [reverse("login"), reverse("followup:dashboard", kwargs={"year": 2026})]
    assert "oppna-data" not in client.get(pages[0]).content.decode()
    client.force_login(councillor)
    for url in pages:
        assert "oppna-data" not in client.get(url).content.decode()


def test_while_open_data_is_on_every_pages_foot_links_to_it(
    client, demo_year, councillor, open_data
):
    link = f'<a href="{reverse("opendata:index")}">Öppna data</a>'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(councillor)
    dashboard = client.get(reverse("followup:dashboard", kwargs={"year": 2026}))
    assert link in dashboard.content.decode()


def test_one_setting_turns_open_data_on_for_visitors_without_login(client, demo_year, settings):
    settings.OPEN_DATA = True

    for name in OPEN_DATA_NAMES:
        response = client.get(sample_url(name))
        assert response.status_code == 200, name


def test_open_data_is_read_only(client, demo_year, open_data):
    assert client.post(reverse("opendata:index")).status_code == 405
    assert client.post(period_url(AUGUST)).status_code == 405


# --- What it shows ---------------------------------------------------------------------------


def test_a_published_periods_figures_are_those_of_its_record(client, demo_year, open_data):
    august = period_of(demo_year, AUGUST)
    committees = list(Committee.objects.of_plan(demo_year))
    recorded = shown.shown_rows(august, committees)

    rows = csv_rows(client.get(period_url(AUGUST)))

    assert [r["committee_code"] for r in rows] == [r.committee.code for r in recorded]
    for row, kept in zip(rows, recorded, strict=True):
        assert row["year"] == "2026"
        assert row["month"] == "8"
        assert row["version"] == "1"
        assert row["corrected"] == "false"
        assert row["committee_name"] == kept.committee.name
        assert row["report_approved"] == "true"
        assert amount(row["budget"]) == kept.budget
        assert amount(row["outcome"]) == kept.outcome
        assert amount(row["forecast"]) == kept.forecast
        assert amount(row["deviation"]) == kept.forecast - kept.budget
        part = shown.shown_committee(period=august, committee=kept.committee, user=AnonymousUser())
        to_date = round_half_up(part.figures.budget_to_date, 2)
        assert amount(row["budget_to_date"]) == to_date
        assert amount(row["outcome_deviation"]) == kept.outcome - to_date


def test_the_json_holds_the_csvs_rows_and_describes_the_table(client, demo_year, open_data):
    rows = csv_rows(client.get(period_url(AUGUST)))
    data = json_of(client.get(period_url(AUGUST, "json")))
    kept = shown.record_of(period_of(demo_year, AUGUST))

    assert data["columns"] == list(rows[0])
    assert data["publisher"] == "Hedemora kommun"
    assert data["license"] == CC0
    assert (data["year"], data["month"], data["version"], data["corrected"]) == (2026, 8, 1, False)
    assert data["issued"] == data["modified"]
    assert data["issued"].startswith(kept.made_at.astimezone().date().isoformat())
    assert len(data["rows"]) == len(rows)
    for from_json, from_csv in zip(data["rows"], rows, strict=True):
        assert from_json["committee_code"] == from_csv["committee_code"]
        assert from_json["report_approved"] is True
        for name in ("budget", "budget_to_date", "outcome", "forecast", "deviation"):
            assert isinstance(from_json[name], str)
            assert Decimal(from_json[name]) == Decimal(from_csv[name])


def test_the_adopted_budgets_table_is_the_documents_in_long_form(client, plan, open_data):
    table = document.statement(PlanSnapshot(plan), "resultatbudget")
    expected = {
        (row.code, column.key): row.values[column.key]
        for row in table.rows
        if row.kind not in ("heading", "spacer")
        for column in table.columns
        if row.values.get(column.key) is not None
    }

    rows = csv_rows(client.get(budget_url("resultatbudget")))

    assert list(rows[0]) == [
        "year",
        "table",
        "row_code",
        "row_label",
        "row_kind",
        "column_key",
        "column_label",
        "unit",
        "value",
    ]
    assert {(r["row_code"], r["column_key"]): Decimal(r["value"]) for r in rows} == expected
    assert {r["unit"] for r in rows} == {"SEK"}
    assert {r["table"] for r in rows} == {"resultatbudget"}
    data = json_of(client.get(budget_url("resultatbudget", "json")))
    assert len(data["rows"]) == len(rows)
    assert data["table"] == "resultatbudget"


def test_a_table_the_budget_does_not_have_is_not_found(client, plan, open_data):
    assert client.get(budget_url("ingen-sadan-tabell")).status_code == 404
    assert (
        client.get(
            reverse("opendata:budget_csv", kwargs={"year": 2031, "kind": "resultatbudget"})
        ).status_code
        == 404
    )


def test_shares_are_published_as_ratios_not_kronor(client, plan, open_data):
    rows = csv_rows(client.get(budget_url("forandring-av-medel")))

    table = document.funds(PlanSnapshot(plan))
    shares = [r for r in rows if r["unit"] == "ratio"]
    assert {r["unit"] for r in rows} == {"SEK", "ratio"}
    assert shares
    for share in shares:
        computed = table.row(share["row_code"]).values[share["column_key"]]
        assert Decimal(share["value"]) == round_half_up(computed, 6)
        assert len(share["value"].partition(".")[2]) <= 6


def test_the_catalogue_describes_every_published_table_in_dcat_ap_se(client, demo_year, open_data):
    catalogue = json_of(client.get(reverse("opendata:catalogue")))

    assert client.get(reverse("opendata:catalogue"))["Content-Type"] == "application/ld+json"
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["dcterms:publisher"]["foaf:name"] == "Hedemora kommun"
    assert catalogue["dcterms:license"] == {"@id": CC0}
    datasets = catalogue["dcat:dataset"]
    periods = [d for d in datasets if "/perioder/" in d["@id"]]
    assert [d["@id"].rsplit("/", 2)[1] for d in periods] == ["2", "3", "4", "5", "8", "9"]
    assert len(datasets) == len(periods) + len(document.all_tables(PlanSnapshot(demo_year)))
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dcterms:title"]["@language"] == "sv"
        assert dataset["dcterms:description"]["@value"]
        assert dataset["dcterms:publisher"]["foaf:name"] == "Hedemora kommun"
        assert dataset["dcat:theme"] == {
            "@id": "http://publications.europa.eu/resource/authority/data-theme/ECON"
        }
        assert dataset["dcterms:language"] == {
            "@id": "http://publications.europa.eu/resource/authority/language/SWE"
        }
        formats = []
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:accessURL"]["@id"].endswith("/oppna-data/")
            assert distribution["dcterms:license"] == {"@id": CC0}
            formats.append(distribution["dcat:downloadURL"]["@id"].rsplit(".", 1)[1])
        assert formats == ["csv", "json"]
    for dataset in periods:
        assert dataset["dcterms:issued"]["@type"] == "xsd:dateTime"
        assert dataset["dcterms:modified"]["@value"] >= dataset["dcterms:issued"]["@value"]


def test_the_licence_is_a_setting(client, demo_year, open_data):
    open_data.OPEN_DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

    catalogue = json_of(client.get(reverse("opendata:catalogue")))
    page = client.get(reverse("opendata:index")).content.decode()

    assert catalogue["dcterms:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert "CC BY 4.0" in page
    assert json_of(client.get(period_url(AUGUST, "json")))["license"].endswith("/by/4.0/")


def test_the_page_lists_what_is_published_with_links(client, demo_year, open_data):
    page = client.get(reverse("opendata:index")).content.decode()

    assert "<h1>Öppna data</h1>" in page
    assert "Budgetår 2026" in page
    for month in (2, 3, 4, 5, 8, 9):
        assert f'href="{period_url(month)}"' in page
        assert f'href="{period_url(month, "json")}"' in page
    assert f'href="{budget_url("resultatbudget")}"' in page
    assert f'href="{reverse("opendata:catalogue")}"' in page


def test_the_page_and_the_catalogue_read_a_fixed_number_of_queries_whatever_the_periods(
    client, demo_year, finance_officer, open_data, django_assert_num_queries
):
    # The adopted plan's tables (the budget's snapshot) and one query for all its periods.
    for name in ("opendata:index", "opendata:catalogue"):
        with django_assert_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    october, actor = period_of(demo_year, OCTOBER), Actor(user=finance_officer)
    set_period_status(period=october, status=ReportingPeriod.Status.CLOSED, actor=actor)
    set_period_status(period=october, status=ReportingPeriod.Status.PUBLISHED, actor=actor)

    for name in ("opendata:index", "opendata:catalogue"):
        with django_assert_num_queries(14):
            assert period_url(OCTOBER) in client.get(reverse(name)).content.decode()


def test_a_periods_file_reads_its_record_and_nothing_of_the_live_tables(
    client, demo_year, open_data, django_assert_num_queries
):
    # The period, its record's latest version, the committees and (first read) its figures.
    with django_assert_num_queries(4):
        assert client.get(period_url(AUGUST)).status_code == 200
    # Then the figures come from the cache of published periods.
    with django_assert_num_queries(3):
        assert client.get(period_url(AUGUST, "json")).status_code == 200


def test_a_corrected_period_shows_its_latest_version_and_says_so(
    client, demo_year, finance_officer, open_data
):
    august = period_of(demo_year, AUGUST)
    first = {r["committee_code"]: r for r in csv_rows(client.get(period_url(AUGUST)))}
    change_bildningsnamndens_frame_in(demo_year, by=Decimal("-7000000"))
    record.correct_record(period=august, reason="Ramen ändrades", actor=Actor(user=finance_officer))

    rows = {r["committee_code"]: r for r in csv_rows(client.get(period_url(AUGUST)))}
    data = json_of(client.get(period_url(AUGUST, "json")))

    assert {r["version"] for r in rows.values()} == {"2"}
    assert {r["corrected"] for r in rows.values()} == {"true"}
    assert amount(rows["bildningsnamnden"]["budget"]) == amount(
        first["bildningsnamnden"]["budget"]
    ) - Decimal("7000000")
    assert (data["version"], data["corrected"]) == (2, True)
    assert data["modified"] > data["issued"]
    page = client.get(reverse("opendata:index")).content.decode()
    assert "Rättad, version 2" in page


def change_bildningsnamndens_frame_in(plan, *, by):
    """A change of Bildningsnämnden's frame decided in August, registered afterwards."""
    FrameEntry.objects.create(
        activity=Committee.objects.get(code="bildningsnamnden").activities.order_by("id").first(),
        budget_year=BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=FrameEntry.Kind.CHANGE,
        amount=by,
        decision="KF § 99",
        decided_on=date(2026, 8, 15),
    )


# --- What it never shows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [ReportingPeriod.Status.PLANNED, ReportingPeriod.Status.OPEN, ReportingPeriod.Status.CLOSED],
)
def test_a_period_that_is_not_published_is_not_found_nor_listed(
    client, demo_year, open_data, status
):
    period_of(demo_year, OCTOBER, status)

    assert client.get(period_url(OCTOBER)).status_code == 404
    assert client.get(period_url(OCTOBER, "json")).status_code == 404
    assert period_url(OCTOBER) not in client.get(reverse("opendata:index")).content.decode()
    assert "/perioder/10/" not in client.get(reverse("opendata:catalogue")).content.decode()


def test_a_proposed_budget_is_never_published(client, demo_year, open_data):
    BudgetPlan.objects.filter(pk=demo_year.pk).update(status=BudgetPlan.Status.DRAFT)

    assert client.get(budget_url("resultatbudget")).status_code == 404
    assert client.get(period_url(AUGUST)).status_code == 404
    assert json_of(client.get(reverse("opendata:catalogue")))["dcat:dataset"] == []
    assert "Budgetår 2026" not in client.get(reverse("opendata:index")).content.decode()


# What the follow-up of October holds that must never be published: comments, the action
# plans' texts, the thread, the correction's reason, people's names and user names, and a
# draft's figures.
SECRETS = {
    "line comment": "Radkommentar-Qx7",
    "draft comment": "Utkastkommentar-Vb2",
    "draft outcome": "123456789.37",
    "plan summary": "Åtgärdsplan-Pz4",
    "measure": "Åtgärd-Mk5",
    "responsible": "Ansvarig-Rj6",
    "thread": "Trådinlägg-Tw8",
    "correction reason": "Rättelseskäl-Cy9",
    "first name": "Xenobia",
    "last name": "Quarnström",
    "user name": "xquarn",
    "finance first name": "Ylvina",
    "finance last name": "Zetterqvarn",
    "finance user name": "eva",
}


@pytest.fixture
def october_published_with_secrets(demo_year, django_user_model, finance_officer):
    """October with every kind of text that must stay unpublished, published by a finance
    officer with a distinctive name and then corrected: Bildningsnämnden's report still a
    draft (with an outcome and a comment), Omsorgsnämnden's approved with a comment per
    line and a note to the thread, an action plan with a measure and its responsible."""
    october = period_of(demo_year, OCTOBER)
    controller = django_user_model.objects.create_user(
        username=SECRETS["user name"],
        first_name=SECRETS["first name"],
        last_name=SECRETS["last name"],
        password="pw-for-tests-1",
    )
    controller.groups.add(Group.objects.get_or_create(name=Role.CONTROLLER.value)[0])
    Membership.objects.create(
        user=controller, committee=Committee.objects.get(code="bildningsnamnden")
    )
    finance_officer.first_name = SECRETS["finance first name"]
    finance_officer.last_name = SECRETS["finance last name"]
    finance_officer.save()
    draft = Report.objects.get(period=october, committee__code="bildningsnamnden")
    line = draft.lines.order_by("id").first()
    save_report(
        report=draft,
        row_version=draft.row_version,
        values={
            line.activity_id: (
                Decimal(SECRETS["draft outcome"]),
                line.forecast,
                SECRETS["draft comment"],
            )
        },
        actor=Actor(user=controller),
    )
    submitted = Report.objects.get(period=october, committee__code="omsorgsnamnden")
    ReportLine.objects.filter(report=submitted).update(comment=SECRETS["line comment"])
    approve_report(report=submitted, actor=Actor(user=finance_officer), comment=SECRETS["thread"])
    action_plan = ActionPlan.objects.filter(committee__code="omsorgsnamnden").first()
    ActionPlan.objects.filter(pk=action_plan.pk).update(summary=SECRETS["plan summary"])
    Measure.objects.create(
        plan=action_plan,
        description=SECRETS["measure"],
        expected_effect=Decimal("5000000"),
        responsible=SECRETS["responsible"],
        due_date=date(2026, 12, 31),
    )
    actor = Actor(user=finance_officer)
    set_period_status(period=october, status=ReportingPeriod.Status.CLOSED, actor=actor)
    set_period_status(period=october, status=ReportingPeriod.Status.PUBLISHED, actor=actor)
    change_bildningsnamndens_frame_in(demo_year, by=Decimal("-1000000"))
    record.correct_record(period=october, reason=SECRETS["correction reason"], actor=actor)
    return period_of(demo_year, OCTOBER)


def test_no_comment_action_plan_name_draft_or_reason_appears_in_any_answer(
    client, october_published_with_secrets, open_data
):
    kept = shown.record_of(october_published_with_secrets)
    assert kept.version == 2
    recorded = json.dumps([kept.figures, kept.changes, kept.reason], ensure_ascii=False)
    # The record holds them (the period's own pages show them to those who may see them) ...
    for what in ("draft comment", "line comment", "plan summary", "measure", "responsible"):
        assert SECRETS[what] in recorded, what
    assert "Demodata." in recorded

    bodies = whole_tree(client)

    # ... but no answer of the open-data tree does.
    assert period_url(OCTOBER) in bodies
    for url, body in bodies.items():
        for what, secret in SECRETS.items():
            assert secret not in body, f"{what} in {url}"
        assert "Demodata" not in body, url


def test_a_committee_whose_report_was_not_approved_shows_its_budget_only(
    client, october_published_with_secrets, open_data
):
    rows = {r["committee_code"]: r for r in csv_rows(client.get(period_url(OCTOBER)))}

    draft = rows["bildningsnamnden"]
    assert draft["report_approved"] == "false"
    assert draft["budget"] != ""
    for name in ("budget_to_date", "outcome", "forecast", "deviation", "outcome_deviation"):
        assert draft[name] == "", name
    assert rows["omsorgsnamnden"]["report_approved"] == "true"
    assert rows["omsorgsnamnden"]["outcome"] != ""


# --- Served: rate limit, caching, login ------------------------------------------------------


@pytest.fixture
def still_clock(monkeypatch):
    """The rate limit's clock held 19.5 s before the end of a minute's window."""
    monkeypatch.setattr(serving, "clock", lambda: 1_000_000.5)


def test_a_client_beyond_the_rate_limit_gets_429_with_retry_after(
    client, demo_year, open_data, still_clock
):
    open_data.OPEN_DATA_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(period_url(AUGUST)).status_code == 200

    refused = client.get(period_url(AUGUST))

    assert refused.status_code == 429
    assert refused["Retry-After"] == "20"
    assert client.get(period_url(AUGUST), REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_limit_starts_again_in_the_next_window(client, demo_year, open_data, monkeypatch):
    open_data.OPEN_DATA_RATE_LIMIT = 1
    monkeypatch.setattr(serving, "clock", lambda: 1_000_000.5)
    assert client.get(period_url(AUGUST)).status_code == 200
    assert client.get(period_url(AUGUST)).status_code == 429

    monkeypatch.setattr(serving, "clock", lambda: 1_000_020.0)

    assert client.get(period_url(AUGUST)).status_code == 200


def test_behind_the_proxy_the_limit_counts_each_client_address(
    client, demo_year, open_data, still_clock
):
    open_data.OPEN_DATA_RATE_LIMIT = 1
    open_data.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}

    assert client.get(period_url(AUGUST), **first).status_code == 200
    assert client.get(period_url(AUGUST), **first).status_code == 429
    assert client.get(period_url(AUGUST), **second).status_code == 200


def test_a_file_is_cacheable_by_anyone_and_a_conditional_get_gets_304(client, demo_year, open_data):
    kept = shown.record_of(period_of(demo_year, AUGUST))
    response = client.get(period_url(AUGUST))

    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == http_date(int(kept.made_at.timestamp()))
    again = client.get(period_url(AUGUST), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(period_url(AUGUST), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_correction_changes_the_etag(client, demo_year, finance_officer, open_data):
    before = client.get(period_url(AUGUST))["ETag"]
    change_bildningsnamndens_frame_in(demo_year, by=Decimal("-7000000"))
    record.correct_record(
        period=period_of(demo_year, AUGUST), reason="Ramen", actor=Actor(user=finance_officer)
    )

    response = client.get(period_url(AUGUST), HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert response["ETag"] != before


def test_a_signed_in_visitor_gets_the_files_cacheable_but_the_page_not_stored(
    client, demo_year, councillor, open_data
):
    client.force_login(councillor)

    data = client.get(period_url(AUGUST))
    page = client.get(reverse("opendata:index"))

    assert "no-store" not in data["Cache-Control"]
    assert "public" in data["Cache-Control"]
    assert "no-store" in page["Cache-Control"]
    assert "public" not in page["Cache-Control"]


def test_the_page_is_cacheable_for_an_anonymous_visitor(client, demo_year, open_data):
    response = client.get(reverse("opendata:index"))

    assert "public" in response["Cache-Control"]
    again = client.get(reverse("opendata:index"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
