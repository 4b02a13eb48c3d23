"""Finance keeps the year's reporting calendar in the application: adds a period, changes
what a planned one asks of the committees; an opened period keeps what it asked."""

import datetime

import pytest
from django.urls import reverse

from budget.models import AuditEntry
from followup.models import ReportingPeriod
from followup.periods.calendar import period_version
from tests.pages import page_as


def url(plan, **query):
    base = reverse("followup:calendar", kwargs={"year": plan.year})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, user, plan, **values):
    client.force_login(user)
    data = {
        "month": 6,
        "kind": "manadsrapport",
        "content": "Ekonomisk uppföljning",
        "asks": ["utfall"],
        "deadline": "",
        "version": "0",
    } | values
    return client.post(url(plan), data)


def test_finance_adds_a_period_that_is_not_in_the_calendar(client, plan, finance_officer):
    assert not ReportingPeriod.objects.filter(plan=plan, month=6).exists()

    response = post(
        client, finance_officer, plan, asks=["utfall", "prognos"], deadline="2026-07-10"
    )

    assert response.status_code == 302
    june = ReportingPeriod.objects.get(plan=plan, month=6)
    assert (june.kind, june.content, june.asks_forecast, june.deadline) == (
        "manadsrapport",
        "Ekonomisk uppföljning",
        True,
        datetime.date(2026, 7, 10),
    )
    assert june.status == ReportingPeriod.Status.PLANNED
    assert AuditEntry.objects.filter(area=AuditEntry.Area.CALENDAR, object_id=str(june.pk)).exists()


def test_finance_changes_what_a_planned_period_asks_and_the_history_keeps_it(
    client, plan, finance_officer
):
    september = ReportingPeriod.objects.get(plan=plan, month=9)
    form = page_as(client, finance_officer, url(plan, manad=9)).context["form"]
    assert form.initial["content"] == september.content

    post(
        client,
        finance_officer,
        plan,
        month=9,
        content="Ekonomisk uppföljning med prognos",
        asks=["utfall", "prognos"],
        version=period_version(september),
    )

    september.refresh_from_db()
    assert september.asks_forecast
    assert AuditEntry.objects.filter(
        area=AuditEntry.Area.CALENDAR, object_id=str(september.pk), field="helårsprognos"
    ).exists()


def test_an_opened_period_keeps_what_it_asked(client, plan, finance_officer):
    march = ReportingPeriod.objects.get(plan=plan, month=3)
    march.status = ReportingPeriod.Status.OPEN
    march.save()

    response = post(client, finance_officer, plan, month=3, version=period_version(march))

    assert response.status_code == 200
    assert "bara en planerad period kan ändras här" in response.content.decode()
    march.refresh_from_db()
    assert march.asks_forecast  # as the calendar had it


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"deadline": "2026-05-31"}, "Sista dag kan inte ligga före periodens månad."),
        ({"asks": []}, "En period efterfrågar minst något av nämnderna."),
        ({"content": ""}, "Detta fält måste fyllas i."),
        ({"month": 13}, "Välj ett giltigt alternativ."),
    ],
    ids=["deadline before the month", "asks nothing", "no content", "no such month"],
)
def test_a_wrong_period_is_shown_again_with_the_reason_and_nothing_is_saved(
    client, plan, finance_officer, values, message
):
    before = ReportingPeriod.objects.filter(plan=plan).count()

    response = post(client, finance_officer, plan, **values)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportingPeriod.objects.filter(plan=plan).count() == before


def test_a_period_changed_by_someone_else_since_the_page_opened_is_not_overwritten(
    client, plan, finance_officer
):
    september = ReportingPeriod.objects.get(plan=plan, month=9)
    shown = period_version(september)
    ReportingPeriod.objects.filter(pk=september.pk).update(content="Ändrad av en kollega")

    response = post(client, finance_officer, plan, month=9, content="Min ändring", version=shown)

    assert "har ändrats av någon annan" in response.content.decode()
    assert ReportingPeriod.objects.get(pk=september.pk).content == "Ändrad av en kollega"


@pytest.mark.parametrize("persona", ["bildning_controller", "councillor", "council_secretary"])
def test_only_finance_keeps_the_calendar(client, plan, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    assert client.get(url(plan)).status_code == 403
    assert post(client, user, plan).status_code == 403
    assert not ReportingPeriod.objects.filter(plan=plan, month=6).exists()


def test_the_periods_page_links_finance_to_the_calendar(client, plan, finance_officer):
    response = page_as(client, finance_officer, reverse("followup:periods", kwargs={"year": 2026}))

    assert url(plan) in response.content.decode()


def test_the_budgets_timetable_links_finance_and_only_finance_to_the_calendar_form(
    client, plan, finance_officer, councillor
):
    timetable = reverse("budget:calendar", kwargs={"year": plan.year})

    assert url(plan) in page_as(client, finance_officer, timetable).content.decode()
    assert url(plan) not in page_as(client, councillor, timetable).content.decode()
