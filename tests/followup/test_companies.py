"""The companies' forecast results: finance enters each company's forecast for a period
that asks for one (in tkr, stored exactly in kronor); a change is one history entry per
changed value and an unchanged save writes none; every role reads the forecasts per period
beside the document's figure in mkr with one decimal; only finance may enter them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget.audit import Actor, Source
from budget.models import AuditEntry, Company, Role
from followup.models import CompanyPeriodForecast, ReportingPeriod
from followup.statements.companies import CompanyForecastError, save_company_forecasts
from tests.followup.periods import period_of
from tests.pages import page_as

NBSP = "\u00a0"
MINUS = "\u2212"
EARLIER = datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC)

ENERGI = "hedemora-energi"
FASTIGHETER = "hedemora-kommunfastigheter"
BOSTADER = "hedemorabostader"


@pytest.fixture
def companies(plan):
    return {c.code: c for c in Company.objects.filter(municipality=plan.municipality)}


@pytest.fixture
def other_finance_officer(plan, django_user_model):
    """A second finance officer, so that who changed what is visible."""
    user = django_user_model.objects.create_user(username="frida", password="pw-for-tests-1")
    user.groups.add(Group.objects.get_or_create(name=Role.FINANCE.value)[0])
    return user


def page_url(year=2026):
    return reverse("followup:companies", kwargs={"year": year})


def form_url(month=8, year=2026):
    return reverse("followup:company_forecasts", kwargs={"year": year, "month": month})


def form_data(companies, **typed):
    """What the form posts: per company code (tkr as typed, comment); others left empty."""
    data = {}
    for code, company in companies.items():
        tkr, comment = typed.get(code.replace("-", "_"), ("", ""))
        data[f"result_{company.pk}"] = tkr
        data[f"comment_{company.pk}"] = comment
    return data


def entered(period, user, values, *, now=EARLIER):
    """Forecasts recorded directly (arrange): {company: (kronor, comment)}."""
    return save_company_forecasts(
        period=period,
        values={c.pk: v for c, v in values.items()},
        actor=Actor(user=user, source=Source.PAGE),
        now=now,
    )


def forecast(company, period):
    return CompanyPeriodForecast.objects.get(company=company, period=period)


def history():
    """The audit entries about the companies' period forecasts."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CompanyPeriodForecast)
    )


def cells(page, company_name):
    """The texts of a company's row on the page: the document's figure, then per period."""
    row = re.search(
        rf'<th scope="row">{re.escape(company_name)}</th>(.*?)</tr>', page.text, re.S
    ).group(1)
    return [
        re.sub(r"<[^>]+>", " ", cell).split()
        for cell in re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    ]


def value_of(page, company):
    """The value the form's result input shows for ``company`` ("" when empty)."""
    tag = re.search(rf'<input[^>]*name="result_{company.pk}"[^>]*>', page.text).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


# --- Finance enters the forecasts -------------------------------------------------------


def test_finance_enters_each_companys_forecast_for_the_interim_report_in_tkr(
    client, finance_officer, august, companies
):
    client.force_login(finance_officer)
    before = timezone.now()

    response = client.post(
        form_url(),
        form_data(
            companies,
            hedemora_energi=("12 100", "Enligt bolagets delårsbokslut"),
            hedemora_kommunfastigheter=("2 345,678", ""),
            hedemorabostader=(f"{MINUS}3 250", "Ökade räntekostnader"),
        ),
    )

    assert response.status_code == 302
    assert response.url == page_url()
    saved = {f.company.code: f for f in CompanyPeriodForecast.objects.filter(period=august)}
    assert {code: f.result for code, f in saved.items()} == {
        ENERGI: Decimal("12100000"),
        FASTIGHETER: Decimal("2345678"),
        BOSTADER: Decimal("-3250000"),
    }
    assert saved[ENERGI].comment == "Enligt bolagets delårsbokslut"
    assert saved[FASTIGHETER].comment == ""
    assert {f.recorded_by for f in saved.values()} == {finance_officer}
    assert all(before <= f.recorded_at <= timezone.now() for f in saved.values())
    entries = history()
    assert entries.count() == 3
    assert {e.action for e in entries} == {AuditEntry.Action.CREATED}
    assert {(e.user, e.actor, e.source, e.plan) for e in entries} == {
        (finance_officer, "eva", AuditEntry.Source.PAGE, august.plan)
    }
    assert entries.get(object_id=str(saved[ENERGI].pk)).new_value == (
        "prognostiserat resultat (kr): 12100000.00, kommentar: Enligt bolagets delårsbokslut"
    )
    shown = client.get(response.url)
    assert "Bolagens prognoser för augusti är sparade." in shown.text


def test_a_company_left_empty_is_not_registered(client, finance_officer, august, companies):
    client.force_login(finance_officer)

    response = client.post(form_url(), form_data(companies, hedemora_energi=("12 100", "")))

    assert response.status_code == 302
    assert [f.company.code for f in CompanyPeriodForecast.objects.filter(period=august)] == [ENERGI]
    assert history().count() == 1


def test_a_comment_without_a_result_is_refused_rather_than_dropped(
    client, finance_officer, august, companies
):
    client.force_login(finance_officer)

    response = client.post(
        form_url(),
        form_data(
            companies,
            hedemora_energi=("12 100", ""),
            hedemorabostader=("", "Prognosen kommer i september"),
        ),
    )

    assert response.status_code == 400
    assert (
        "Hedemorabostäder: en kommentar sparas bara tillsammans med ett prognostiserat resultat."
        in response.text
    )
    assert "Prognosen kommer i september" in response.text  # the typed input is kept
    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


def test_the_form_shows_a_recorded_forecast_exactly_as_stored(
    client, finance_officer, august, companies
):
    entered(august, finance_officer, {companies[FASTIGHETER]: (Decimal("2345678.90"), "")})
    page = page_as(client, finance_officer, form_url())

    assert value_of(page, companies[FASTIGHETER]) == f"2{NBSP}345,6789"  # not rounded to tkr
    assert value_of(page, companies[ENERGI]) == ""


# --- Changes keep their history ---------------------------------------------------------


def test_changing_a_forecast_writes_one_history_entry_with_author_old_and_new(
    client, finance_officer, other_finance_officer, august, companies
):
    entered(
        august,
        other_finance_officer,
        {
            companies[ENERGI]: (Decimal("12100000"), ""),
            companies[BOSTADER]: (Decimal(-3250000), ""),
        },
    )
    created = history().count()
    client.force_login(finance_officer)
    before = timezone.now()

    response = client.post(
        form_url(),
        form_data(companies, hedemora_energi=("12 500", ""), hedemorabostader=("−3 250", "")),
    )

    assert response.status_code == 302
    energi = forecast(companies[ENERGI], august)
    assert energi.result == Decimal("12500000")
    assert energi.recorded_by == finance_officer
    assert before <= energi.recorded_at <= timezone.now()
    bostader = forecast(companies[BOSTADER], august)
    assert (bostader.result, bostader.recorded_by) == (Decimal(-3250000), other_finance_officer)
    assert bostader.recorded_at == EARLIER
    change = history().exclude(action=AuditEntry.Action.CREATED).get()
    assert change.action == AuditEntry.Action.CHANGED
    assert change.object_id == str(energi.pk)
    assert (change.field, change.old_value, change.new_value) == (
        "prognostiserat resultat (kr)",
        "12100000.00",
        "12500000.00",
    )
    assert (change.user, change.actor) == (finance_officer, "eva")
    assert history().count() == created + 1


def test_changing_result_and_comment_writes_one_entry_for_each(
    client, finance_officer, august, companies
):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "Preliminär")})
    client.force_login(finance_officer)

    response = client.post(
        form_url(), form_data(companies, hedemora_energi=("12 300,5", "Enligt delårsbokslutet"))
    )

    assert response.status_code == 302
    energi = forecast(companies[ENERGI], august)
    assert (energi.result, energi.comment) == (Decimal("12300500"), "Enligt delårsbokslutet")
    changes = history().filter(action=AuditEntry.Action.CHANGED)
    assert sorted((e.field, e.old_value, e.new_value) for e in changes) == [
        ("kommentar", "Preliminär", "Enligt delårsbokslutet"),
        ("prognostiserat resultat (kr)", "12100000.00", "12300500.00"),
    ]


def test_saving_the_form_unchanged_writes_no_history_and_says_so(
    client, finance_officer, other_finance_officer, august, companies
):
    entered(
        august,
        other_finance_officer,
        {
            companies[ENERGI]: (Decimal("12100000"), "Enligt bolaget"),
            companies[FASTIGHETER]: (Decimal("2345678.90"), ""),
        },
    )
    before = history().count()
    client.force_login(finance_officer)
    page = client.get(form_url())

    response = client.post(
        form_url(),
        form_data(
            companies,
            hedemora_energi=(value_of(page, companies[ENERGI]), "Enligt bolaget"),
            hedemora_kommunfastigheter=(value_of(page, companies[FASTIGHETER]), ""),
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert "Bolagens prognoser för augusti är sparade; inget ändrades." in response.text
    fastigheter = forecast(companies[FASTIGHETER], august)
    assert fastigheter.result == Decimal("2345678.90")
    assert (fastigheter.recorded_by, fastigheter.recorded_at) == (other_finance_officer, EARLIER)
    assert history().count() == before


def test_a_recorded_forecast_cannot_be_emptied(client, finance_officer, august, companies):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    before = history().count()
    client.force_login(finance_officer)

    response = client.post(form_url(), form_data(companies, hedemorabostader=("3 200", "")))

    assert response.status_code == 400
    assert (
        "Hedemora Energi: ett registrerat resultat kan ändras men inte tas bort." in response.text
    )
    assert forecast(companies[ENERGI], august).result == Decimal("12100000")
    assert not CompanyPeriodForecast.objects.filter(company=companies[BOSTADER]).exists()
    assert history().count() == before


def test_text_in_an_amount_is_refused_in_swedish_and_nothing_is_saved(
    client, finance_officer, august, companies
):
    client.force_login(finance_officer)

    response = client.post(
        form_url(),
        form_data(companies, hedemora_energi=("tolv", ""), hedemorabostader=("3 200", "")),
    )

    assert response.status_code == 400
    assert "”tolv” är inte ett belopp." in response.text
    assert 'value="tolv"' in response.text  # the typed input is kept
    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


def test_the_domain_refuses_a_company_that_is_not_the_municipalitys(
    finance_officer, august, companies
):
    with pytest.raises(CompanyForecastError, match="Bolaget hör inte till kommunen."):
        save_company_forecasts(
            period=august,
            values={companies[ENERGI].pk: (Decimal(1), ""), 999_999: (Decimal(1), "")},
            actor=Actor(user=finance_officer, source=Source.PAGE),
            now=EARLIER,
        )

    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


def test_the_domain_refuses_a_forecast_for_a_period_that_asks_none(
    finance_officer, plan, companies
):
    february = period_of(plan, 2, ReportingPeriod.Status.OPEN)

    with pytest.raises(CompanyForecastError, match="Perioden efterfrågar ingen helårsprognos."):
        entered(february, finance_officer, {companies[ENERGI]: (Decimal(1), "")})

    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


# --- The page: forecasts per period beside the document's figure -------------------------


def test_the_page_shows_each_companys_forecast_per_period_beside_the_documents_figure(
    client, councillor, finance_officer, plan, march, august, companies
):
    entered(march, finance_officer, {companies[ENERGI]: (Decimal("11950000"), "")})
    entered(
        august,
        finance_officer,
        {
            companies[ENERGI]: (Decimal("12149999.99"), "Enligt delårsbokslutet"),
            companies[BOSTADER]: (Decimal(-3250000), ""),
        },
    )
    page = page_as(client, councillor, page_url())

    assert [p.month for p in page.context["periods"]] == [3, 8, 10]
    assert "<h1>Bolagens prognoser 2026</h1>" in page.text
    assert "Resultat i mkr; ett överskott är positivt." in page.text
    assert cells(page, "Hedemora Energi") == [
        ["12,1", "Delårsbokslut", "2025"],
        ["12,0"],
        ["12,1", "Enligt", "delårsbokslutet"],
        ["–"],
    ]
    assert cells(page, "Hedemora Kommunfastigheter") == [
        ["2,2", "Delårsbokslut", "2025"],
        ["–"],
        ["–"],
        ["–"],
    ]
    assert cells(page, "Hedemorabostäder") == [
        ["3,2", "Delårsbokslut", "2025"],
        ["–"],
        [f"{MINUS}3,3"],  # −3,25 mkr rounds half away from zero
        ["–"],
    ]


def test_the_page_shows_the_history_of_the_forecasts(
    client, councillor, finance_officer, august, companies
):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12500000"), "")})
    page = page_as(client, councillor, page_url())

    rows = page.context["history"].rows
    assert [row.record.action for row in rows] == [
        AuditEntry.Action.CHANGED,
        AuditEntry.Action.CREATED,
    ]
    assert "Ändringar av bolagens prognoser" in page.text


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (ReportingPeriod.Status.OPEN, True),
        (ReportingPeriod.Status.CLOSED, True),  # finance may still correct it
        (ReportingPeriod.Status.PLANNED, False),
        (ReportingPeriod.Status.PUBLISHED, False),
    ],
)
def test_the_page_offers_finance_entry_only_for_periods_that_take_it(
    client, finance_officer, plan, status, offered
):
    period_of(plan, 8, status)
    page = page_as(client, finance_officer, page_url())

    assert page.context["may_enter"]
    assert (f'href="{form_url(8)}"' in page.text) is offered


def test_the_page_offers_no_entry_to_a_councillor(client, councillor, august):
    page = page_as(client, councillor, page_url())

    assert not page.context["may_enter"]
    assert f'href="{form_url(8)}"' not in page.text


def test_the_page_takes_as_many_queries_however_many_periods_and_companies(
    client,
    councillor,
    finance_officer,
    plan,
    march,
    august,
    companies,
    django_assert_max_num_queries,
):
    entered(march, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    client.force_login(councillor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url()).status_code == 200
    november = ReportingPeriod.objects.create(
        plan=plan,
        year=2026,
        month=11,
        kind=ReportingPeriod.Kind.MONTHLY,
        content="Ekonomisk uppföljning med prognos",
        asks_forecast=True,
        status=ReportingPeriod.Status.OPEN,
    )
    more = [
        Company.objects.create(
            municipality=plan.municipality, code=f"bolag-{n}", name=f"Bolag {n}", position=10 + n
        )
        for n in range(5)
    ]
    everyone = [*companies.values(), *more]
    for period in (march, august, period_of(plan, 10, ReportingPeriod.Status.OPEN), november):
        entered(
            period,
            finance_officer,
            {c: (Decimal(n * 100_000), f"Kommentar {n}") for n, c in enumerate(everyone)},
        )

    with django_assert_max_num_queries(len(few)):
        page = client.get(page_url())

    assert page.status_code == 200
    assert len(few) <= 15
    assert [p.month for p in page.context["periods"]] == [3, 8, 10, 11]
    assert len(page.context["rows"]) == 8
    assert cells(page, "Bolag 4")[1:] == [["0,7", "Kommentar", "7"]] * 4


def test_the_form_takes_as_many_queries_however_many_companies(
    client, finance_officer, plan, august, companies, django_assert_max_num_queries
):
    client.force_login(finance_officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(form_url()).status_code == 200
    more = [
        Company.objects.create(
            municipality=plan.municipality, code=f"bolag-{n}", name=f"Bolag {n}", position=10 + n
        )
        for n in range(5)
    ]
    entered(august, finance_officer, {c: (Decimal(1000), "") for c in [*companies.values(), *more]})

    with django_assert_max_num_queries(len(few)):
        page = client.get(form_url())

    assert page.status_code == 200
    assert value_of(page, more[4]) == "1"


# --- Who may read and who may enter -----------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["bildning_controller", "councillor", "council_secretary", "administrator", "finance_officer"],
)
def test_every_role_reads_the_page(client, request, persona, august):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(page_url())

    assert page.status_code == 200
    assert "Hedemorabostäder" in page.text


def test_someone_without_a_role_cannot_read_the_page(client, outsider, august):
    client.force_login(outsider)

    response = client.get(page_url())

    assert response.status_code == 403


@pytest.mark.parametrize(
    "persona",
    ["bildning_controller", "councillor", "council_secretary", "administrator", "outsider"],
)
def test_only_finance_may_open_the_form_or_enter_forecasts(
    client, request, persona, finance_officer, august, companies
):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    before = history().count()
    client.force_login(request.getfixturevalue(persona))

    opened = client.get(form_url())
    posted = client.post(
        form_url(), form_data(companies, hedemora_energi=("99 999", ""), hedemorabostader=("1", ""))
    )

    assert opened.status_code == 403
    assert posted.status_code == 403
    assert forecast(companies[ENERGI], august).result == Decimal("12100000")
    assert CompanyPeriodForecast.objects.count() == 1
    assert history().count() == before


def test_anonymous_is_sent_to_the_login_page(client, august, companies):
    login = reverse("login")

    page = client.get(page_url())
    opened = client.get(form_url())
    posted = client.post(form_url(), form_data(companies, hedemora_energi=("12 100", "")))

    for response in (page, opened, posted):
        assert response.status_code == 302
        assert response.url.startswith(f"{login}?next=")
    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_form_answers_only_get_and_post(client, finance_officer, august, method):
    client.force_login(finance_officer)

    response = getattr(client, method)(form_url())

    assert response.status_code == 405
    assert not CompanyPeriodForecast.objects.exists()


def test_the_page_cannot_be_posted_to(client, finance_officer, august, companies):
    client.force_login(finance_officer)

    response = client.post(page_url(), form_data(companies, hedemora_energi=("12 100", "")))

    assert response.status_code == 405
    assert not CompanyPeriodForecast.objects.exists()


# --- Periods that cannot take a forecast ------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month"),
    [
        (2026, 2),  # a monthly report without a forecast
        (2026, 12),  # the annual accounts
        (2026, 6),  # no report in June
        (2026, 13),
        (2030, 8),  # no budget for the year
    ],
)
def test_a_period_that_asks_no_forecast_is_not_found(
    client, finance_officer, plan, companies, year, month
):
    ReportingPeriod.objects.filter(plan=plan).update(status=ReportingPeriod.Status.OPEN)
    client.force_login(finance_officer)

    opened = client.get(form_url(month, year))
    posted = client.post(form_url(month, year), form_data(companies, hedemora_energi=("1", "")))

    assert (opened.status_code, posted.status_code) == (404, 404)
    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


def test_the_page_of_a_year_without_budget_is_not_found(client, councillor, plan):
    client.force_login(councillor)

    response = client.get(page_url(2030))

    assert response.status_code == 404


def test_a_period_not_yet_opened_says_so_and_refuses_a_forecast(
    client, finance_officer, plan, companies
):
    period_of(plan, 8, ReportingPeriod.Status.PLANNED)
    client.force_login(finance_officer)

    opened = client.get(form_url())
    posted = client.post(form_url(), form_data(companies, hedemora_energi=("12 100", "")))

    assert opened.status_code == 200
    assert "Perioden är inte öppnad ännu" in opened.text
    assert '<form method="post" class="form narrow"' not in opened.text
    assert posted.status_code == 400
    assert "Perioden är inte öppnad ännu" in posted.text
    assert not CompanyPeriodForecast.objects.exists()
    assert not history().exists()


def test_a_published_period_cannot_be_changed(client, finance_officer, august, companies):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    august.status = ReportingPeriod.Status.PUBLISHED
    august.save()
    before = history().count()
    client.force_login(finance_officer)

    opened = client.get(form_url())
    posted = client.post(form_url(), form_data(companies, hedemora_energi=("12 500", "")))

    assert opened.status_code == 200
    assert "Perioden är publicerad; uppföljningen kan inte längre ändras." in opened.text
    assert posted.status_code == 400
    assert "Perioden är publicerad" in posted.text
    assert forecast(companies[ENERGI], august).result == Decimal("12100000")
    assert history().count() == before


def test_finance_may_correct_a_forecast_in_a_closed_period(
    client, finance_officer, august, companies
):
    entered(august, finance_officer, {companies[ENERGI]: (Decimal("12100000"), "")})
    august.status = ReportingPeriod.Status.CLOSED
    august.save()
    client.force_login(finance_officer)

    response = client.post(form_url(), form_data(companies, hedemora_energi=("12 500", "")))

    assert response.status_code == 302
    assert forecast(companies[ENERGI], august).result == Decimal("12500000")
    change = history().get(action=AuditEntry.Action.CHANGED)
    assert (change.old_value, change.new_value) == ("12100000.00", "12500000.00")


def test_a_save_over_someone_elses_newer_save_is_refused_and_the_input_is_kept(
    client, august, companies, finance_officer, other_finance_officer
):
    client.force_login(finance_officer)
    shown = client.get(form_url()).context["form"]["version"].value()
    colleague = Client()
    colleague.force_login(other_finance_officer)
    colleague.post(
        form_url(), {**form_data(companies, hedemora_energi=("12 500", "")), "version": shown}
    )

    response = client.post(
        form_url(), {**form_data(companies, hedemora_energi=("11 000", "")), "version": shown}
    )

    assert response.status_code == 400
    assert "Någon annan har sparat bolagens prognoser" in response.text
    assert 'value="11 000"' in response.text
    forecast = CompanyPeriodForecast.objects.get(company=companies[ENERGI], period=august)
    assert forecast.result == Decimal("12500000")
    assert forecast.recorded_by == other_finance_officer


def test_a_save_with_the_version_it_was_shown_is_accepted(
    client, august, companies, finance_officer
):
    client.force_login(finance_officer)
    shown = client.get(form_url()).context["form"]["version"].value()

    response = client.post(
        form_url(), {**form_data(companies, hedemora_energi=("11 000", "")), "version": shown}
    )

    assert response.status_code == 302
    forecast = CompanyPeriodForecast.objects.get(company=companies[ENERGI], period=august)
    assert forecast.result == Decimal("11000000")
