"""A published period is a record: what its pages and paper showed, they show forever.

Publishing writes the period's record in the same transaction; a change afterwards (a
measure, a later report, a reallocation, a renamed committee or user, a new target) changes
nothing in it; a correction is a new version with who, when, why and what changed.
"""

import hashlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from budget.audit import Actor
from budget.models import Activity, AuditEntry, BudgetYear, Committee, FrameEntry, KeyFact
from budget.models.audit import AppendOnlyError
from budget.reports.indicators import SURPLUS_TARGET
from followup.models import (
    ActionPlan,
    Measure,
    MeasureFollowUp,
    PeriodRecord,
    Report,
    ReportingPeriod,
)
from followup.periods import record, shown
from followup.periods.calendar import PeriodError, set_period_status
from followup.reports import actions
from followup.reports.workflow import (
    WorkflowError,
    approve_report,
    correct_report,
    save_report,
    submit_report,
)
from tests.database import assert_refused_by_the_database, require_postgresql
from tests.followup.periods import period_of
from tests.pages import page_as

AUGUST = 8
TEN_MKR = Decimal("10000000")


def main_content(response) -> str:
    """The page's main content, without the form tokens that change per request."""
    html = response.content.decode()
    main = html.split('<main id="innehall"')[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def dashboard(year=2026, month=AUGUST):
    return reverse("followup:dashboard", kwargs={"year": year}) + f"?period={month}"


def committee_page(code="bildningsnamnden", month=AUGUST):
    return reverse(
        "followup:committee_overview", kwargs={"year": 2026, "month": month, "code": code}
    )


def review_page(month=AUGUST):
    return reverse("followup:review", kwargs={"year": 2026, "month": month})


def paper_url(month=AUGUST):
    return reverse("followup:month_report", kwargs={"year": 2026, "month": month})


def change_everything_that_can_change_later(plan, finance_officer):
    """What the year brings after August is published: a measure added and another
    followed up in October, October's report changed, a reallocation dated in August
    registered late, Bildningsnämnden renamed, the approver renamed, a new surplus target."""
    october = period_of(plan, 10)
    action_plan = ActionPlan.objects.filter(committee__code="bildningsnamnden").first()
    Measure.objects.create(
        plan=action_plan,
        description="Ny åtgärd i oktober",
        expected_effect=Decimal("5000000"),
        responsible="Förvaltningschef",
        due_date=date(2026, 12, 31),
    )
    measure = action_plan.measures.order_by("id").first()
    Measure.objects.filter(pk=measure.pk).update(
        expected_effect=measure.expected_effect * 2, status=Measure.Status.CANCELLED
    )
    MeasureFollowUp.objects.update_or_create(
        measure=measure,
        period=october,
        defaults={
            "status": Measure.Status.CANCELLED,
            "recorded_at": "2026-10-20T10:00:00+02:00",
            "comment": "Avbruten i oktober.",
        },
    )
    report = Report.objects.filter(period=october, committee__code="bildningsnamnden").first()
    if report is not None:
        report.lines.update(forecast=Decimal("-1"), comment="Ändrat i oktober")
    activity = Activity.objects.filter(committee__code="bildningsnamnden").first()
    FrameEntry.objects.create(
        activity=activity,
        budget_year=BudgetYear.objects.get(plan=plan, year=2026, kind=BudgetYear.Kind.BUDGET),
        kind=FrameEntry.Kind.CHANGE,
        amount=Decimal("-7000000"),
        decision="KF § 99",
        decided_on=date(2026, 8, 15),
    )
    Committee.objects.filter(code="bildningsnamnden").update(name="Barn- och utbildningsnämnden")
    type(finance_officer).objects.update(first_name="Omdöpt", last_name="Användare")
    KeyFact.objects.filter(plan=plan, code=SURPLUS_TARGET).update(value=Decimal("5"))


def test_publishing_writes_the_periods_record_with_its_paper(plan, finance_officer):
    period = period_of(plan, 3, ReportingPeriod.Status.CLOSED)

    set_period_status(
        period=period, status=ReportingPeriod.Status.PUBLISHED, actor=Actor(user=finance_officer)
    )

    kept = PeriodRecord.objects.get(period=period)
    assert kept.version == 1
    assert kept.made_by == finance_officer
    assert kept.paper_name == "manadsrapport-2026-03.xlsx"
    assert hashlib.sha256(bytes(kept.paper)).hexdigest() == kept.paper_sha256
    assert [r["committee"]["name"] for r in kept.figures["rows"]] == list(
        Committee.objects.of_plan(plan).values_list("name", flat=True)
    )


def test_a_period_that_is_only_closed_has_no_record(plan, finance_officer):
    period = period_of(plan, 3, ReportingPeriod.Status.OPEN)

    set_period_status(
        period=period, status=ReportingPeriod.Status.CLOSED, actor=Actor(user=finance_officer)
    )

    assert not PeriodRecord.objects.filter(period=period).exists()
    assert shown.record_of(period) is None


def test_a_record_can_be_neither_changed_nor_deleted(demo_year):
    kept = PeriodRecord.objects.filter(period__plan=demo_year).first()

    with pytest.raises(AppendOnlyError):
        kept.save()
    with pytest.raises(AppendOnlyError):
        kept.delete()
    with pytest.raises(AppendOnlyError):
        PeriodRecord.objects.filter(pk=kept.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        PeriodRecord.objects.filter(pk=kept.pk).delete()


def test_the_published_periods_pages_and_paper_stay_as_published_whatever_changes_later(
    client, demo_year, councillor, finance_officer
):
    before = {
        "dashboard": main_content(page_as(client, councillor, dashboard())),
        "committee": main_content(page_as(client, councillor, committee_page())),
        "paper": page_as(client, councillor, paper_url()).content,
        "review": main_content(page_as(client, finance_officer, review_page())),
    }
    assert "Bildningsnämnden" in before["committee"]

    change_everything_that_can_change_later(demo_year, finance_officer)

    after = {
        "dashboard": main_content(page_as(client, councillor, dashboard())),
        "committee": main_content(page_as(client, councillor, committee_page())),
        "paper": page_as(client, councillor, paper_url()).content,
        "review": main_content(page_as(client, finance_officer, review_page())),
    }
    assert after == before
    assert "Barn- och utbildningsnämnden" not in after["dashboard"]


def test_the_open_period_shows_the_changes(client, demo_year, finance_officer):
    before = main_content(page_as(client, finance_officer, dashboard(month=10)))

    change_everything_that_can_change_later(demo_year, finance_officer)

    after = main_content(page_as(client, finance_officer, dashboard(month=10)))
    assert "Barn- och utbildningsnämnden" in after
    assert after != before


def test_a_measures_status_is_the_one_it_had_in_the_period(demo_year, finance_officer):
    august = period_of(demo_year, AUGUST)
    committees = list(Committee.objects.of_plan(demo_year).with_activities())
    [row] = [
        r for r in shown.shown_rows(august, committees) if r.committee.code == "bildningsnamnden"
    ]
    statuses = [m.status for m in row.action_plan.measures]

    change_everything_that_can_change_later(demo_year, finance_officer)

    [row] = [
        r for r in shown.shown_rows(august, committees) if r.committee.code == "bildningsnamnden"
    ]
    assert [m.status for m in row.action_plan.measures] == statuses
    assert Measure.Status.CANCELLED not in statuses


# --- Corrections ---------------------------------------------------------------------------


@pytest.fixture
def corrected_report(demo_year, bildning_controller, finance_officer, finance_colleague):
    """Bildningsnämnden's August report corrected after publication: the correction
    submitted by its controller and approved by finance, its forecast 10 mkr lower."""
    august = period_of(demo_year, AUGUST)
    approved = Report.objects.get(
        period=august, committee__code="bildningsnamnden", status=Report.Status.APPROVED
    )
    correction = correct_report(
        report=approved, actor=Actor(user=finance_officer), reason="Fel prognos"
    )
    first, *others = correction.lines.order_by("id")
    values = {first.activity_id: (first.outcome, first.forecast - TEN_MKR, first.comment)}
    save_report(
        report=correction,
        row_version=correction.row_version,
        values=values,
        actor=Actor(user=bildning_controller),
    )
    submit_report(
        report=correction,
        actor=Actor(user=bildning_controller),
        shortfall_reason="Nämnden beslutar om fler åtgärder i november.",
    )
    return approve_report(report=correction, actor=Actor(user=finance_colleague))


def test_a_correction_approved_after_publication_changes_nothing_until_the_period_is_corrected(
    client, demo_year, councillor, corrected_report
):
    kept = shown.record_of(period_of(demo_year, AUGUST))

    page = main_content(page_as(client, councillor, committee_page()))

    assert kept.version == 1
    assert "Rättad efter publiceringen" not in page


def test_finance_corrects_a_published_period_with_a_reason_and_the_pages_say_what_changed(
    client, demo_year, councillor, finance_officer, corrected_report
):
    august = period_of(demo_year, AUGUST)
    first_paper = page_as(client, councillor, paper_url()).content
    client.force_login(finance_officer)

    response = client.post(
        reverse("followup:period_correction", kwargs={"pk": august.pk}),
        {"reason": "Bildningsnämndens prognos var fel"},
    )

    assert response.status_code == 302
    corrected = shown.record_of(august)
    assert corrected.version == 2
    assert corrected.made_by == finance_officer
    assert corrected.reason == "Bildningsnämndens prognos var fel"
    forecast = [c for c in corrected.changes if c["what"] == "prognos"]
    assert [c["committee"] for c in forecast] == ["Bildningsnämnden"]
    for url in (dashboard(), committee_page()):
        page = main_content(page_as(client, councillor, url))
        assert "Rättad efter publiceringen" in page
        assert "Bildningsnämndens prognos var fel" in page
        assert f"Bildningsnämnden, prognos: {forecast[0]['old']} → {forecast[0]['new']}" in page
    corrected_paper = page_as(client, councillor, paper_url())
    assert corrected_paper.content != first_paper
    assert "rattelse-1" in corrected_paper["Content-Disposition"]
    listed = load_workbook(BytesIO(corrected_paper.content))["Rättelser"]
    rows = [[c.value for c in row] for row in listed.iter_rows(min_row=6)]
    [row] = [r for r in rows if r[5] == "prognos"]
    assert row == [
        "1",
        row[1],
        "eva",
        "Bildningsnämndens prognos var fel",
        "Bildningsnämnden",
        "prognos",
        forecast[0]["old"],
        forecast[0]["new"],
    ]
    assert page_as(client, councillor, paper_url() + "?version=1").content == first_paper
    entry = AuditEntry.objects.filter(field="rättelse").latest("at")
    assert entry.reason == "Bildningsnämndens prognos var fel"


@pytest.mark.parametrize(
    ("reason", "refusal"),
    [
        ("", "Skriv varför den publicerade perioden rättas."),
        ("Ingen orsak", "Inget har ändrats sedan den publicerade versionen; ingen rättelse."),
    ],
)
def test_a_correction_without_a_reason_or_without_a_change_is_refused(
    demo_year, finance_officer, reason, refusal
):
    august = period_of(demo_year, AUGUST)

    with pytest.raises(record.RecordError, match=re.escape(refusal)):
        record.correct_record(period=august, reason=reason, actor=Actor(user=finance_officer))

    assert shown.record_of(august).version == 1


def test_only_a_published_period_is_corrected(plan, finance_officer):
    period = period_of(plan, 3, ReportingPeriod.Status.CLOSED)

    with pytest.raises(record.RecordError, match="Bara en publicerad period"):
        record.correct_record(period=period, reason="x", actor=Actor(user=finance_officer))


@pytest.mark.parametrize("persona", ["councillor", "bildning_controller", "council_secretary"])
def test_only_finance_corrects_a_published_period(client, demo_year, request, persona):
    august = period_of(demo_year, AUGUST)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("followup:period_correction", kwargs={"pk": august.pk}), {"reason": "x"}
    )

    assert response.status_code == 403
    assert shown.record_of(august).version == 1


def test_a_councillor_reads_only_approved_reports_in_the_record(
    client, demo_year, councillor, finance_officer
):
    august = period_of(demo_year, AUGUST)
    kept = shown.record_of(august)
    approved = [r for r in kept.figures["rows"] if (r["report"] or {}).get("status") == "godkand"]
    code = approved[0]["committee"]["code"]

    committee = shown.shown_committee(
        period=august, committee=Committee.objects.get(code=code), user=councillor
    )

    assert committee.report.is_approved
    assert committee.figures.lines


def test_an_annual_period_without_outcome_is_not_published(plan, finance_officer):
    december = period_of(plan, 12, ReportingPeriod.Status.CLOSED)

    with pytest.raises(PeriodError, match="Perioden kan inte publiceras: Årsbokslutet 2026"):
        set_period_status(
            period=december,
            status=ReportingPeriod.Status.PUBLISHED,
            actor=Actor(user=finance_officer),
        )

    december.refresh_from_db()
    assert december.status == ReportingPeriod.Status.CLOSED
    assert not PeriodRecord.objects.filter(period=december).exists()


@pytest.mark.parametrize("version", ["0", "2", "x", "99999"])
def test_a_paper_version_that_does_not_exist_is_not_found(client, demo_year, councillor, version):
    client.force_login(councillor)

    assert client.get(paper_url() + f"?version={version}").status_code == 404


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE followup_periodrecord SET reason = 'ändrad' WHERE id = %s",
        "DELETE FROM followup_periodrecord WHERE id = %s",
    ],
)
def test_on_postgresql_the_database_itself_refuses_to_change_a_record(demo_year, statement):
    require_postgresql("the append-only trigger of followup migration 0013")
    kept = PeriodRecord.objects.filter(period__plan=demo_year).first()

    assert_refused_by_the_database(statement, [kept.pk], "kan inte ändras eller raderas")

    assert PeriodRecord.objects.get(pk=kept.pk).reason == ""


def test_periods_published_before_records_were_kept_are_recorded_once(plan, capsys):
    august = period_of(plan, AUGUST, ReportingPeriod.Status.PUBLISHED)  # no record
    open_period = period_of(plan, 10, ReportingPeriod.Status.OPEN)

    call_command("record_published_periods")
    call_command("record_published_periods")

    kept = PeriodRecord.objects.get(period=august)
    assert (kept.version, kept.reason) == (1, record.RECORDED_LATER)
    assert kept.paper_name == "delarsrapport-2026.xlsx"
    assert not PeriodRecord.objects.filter(period=open_period).exists()
    said = capsys.readouterr().out
    assert "Sparad: Delårsrapport augusti 2026 (Hedemora kommun)." in said
    assert "Alla publicerade perioder har redan sina sparade uppgifter." in said
    assert AuditEntry.objects.filter(field="publicerade uppgifter").count() == 1


def test_a_report_is_corrected_after_publication_through_its_page_and_the_period_with_it(
    client, demo_year, bildning_controller, finance_officer, finance_colleague, councillor
):
    august = period_of(demo_year, AUGUST)
    report_page = reverse(
        "followup:report", kwargs={"year": 2026, "month": AUGUST, "code": "bildningsnamnden"}
    )
    client.force_login(bildning_controller)
    client.post(report_page, {"action": "ratta", "reason": "Prognosen var fel"})
    correction = Report.objects.get(period=august, committee__code="bildningsnamnden", version=2)
    line = correction.lines.get()
    client.post(
        report_page,
        {
            "action": "lamna_in",
            "row_version": correction.row_version,
            f"outcome_{line.activity_id}": f"{(line.outcome / 1000).normalize():f}".replace(
                ".", ","
            ),
            f"forecast_{line.activity_id}": "-540 000",
            f"comment_{line.activity_id}": "Rättad prognos",
            "shortfall_reason": "Nämnden beslutar om fler åtgärder i november.",
        },
    )
    client.force_login(finance_colleague)
    client.post(report_page, {"action": "godkann"})
    correction.refresh_from_db()
    assert correction.status == Report.Status.APPROVED
    unchanged = main_content(page_as(client, councillor, committee_page()))
    assert "Rättad prognos" not in unchanged

    client.force_login(finance_officer)
    client.post(
        reverse("followup:period_correction", kwargs={"pk": august.pk}),
        {"reason": "Bildningsnämndens prognos rättades"},
    )

    corrected = main_content(page_as(client, councillor, committee_page()))
    assert "Rättad prognos" in corrected
    assert "−540,0" in corrected
    assert "Bildningsnämndens prognos rättades" in corrected


def test_a_correction_that_needs_an_action_plan_gets_one_and_is_handed_in_to_the_end(
    demo_year, bildning_controller, finance_officer, finance_colleague
):
    """A committee without a plan corrects its approved August report after publication
    to a negative deviation: the plan can be drawn up for the correction, and the
    correction goes all the way to approval."""
    august = period_of(demo_year, AUGUST)
    approved = next(
        r
        for r in Report.objects.filter(period=august, status=Report.Status.APPROVED)
        .select_related("committee")
        .order_by("committee__code")
        if actions.plan_for(committee=r.committee, period=august) is None
        and r.committee.code != "finansforvaltningen"
    )
    committee = approved.committee
    assert not actions.may_change_plan(committee=committee, period=august)
    correction = correct_report(report=approved, actor=Actor(user=finance_officer), reason="Fel")
    first = correction.lines.order_by("id").first()
    values = {first.activity_id: (first.outcome, first.forecast - TEN_MKR, first.comment)}
    correction = save_report(
        report=correction,
        row_version=correction.row_version,
        values=values,
        actor=Actor(user=bildning_controller),
    )
    with pytest.raises(WorkflowError, match="åtgärdsplan"):
        submit_report(report=correction, actor=Actor(user=bildning_controller))

    actions.save_measures(
        committee=committee,
        period=august,
        measures=[
            {
                "id": None,
                "description": "Inköpsstopp resten av året",
                "expected_effect": TEN_MKR,
                "responsible": "Förvaltningschef",
                "due_date": date(2026, 12, 31),
                "status": "planerad",
            }
        ],
        actor=Actor(user=bildning_controller),
    )
    submitted = submit_report(
        report=correction,
        actor=Actor(user=bildning_controller),
        now=datetime(2026, 9, 20, tzinfo=UTC),
    )
    done = approve_report(report=submitted, actor=Actor(user=finance_colleague))

    assert done.status == Report.Status.APPROVED
    assert not actions.may_change_plan(committee=committee, period=august)


def test_the_records_of_many_periods_read_at_once_are_each_periods_latest(
    demo_year, finance_officer, corrected_report
):
    august = period_of(demo_year, AUGUST)
    record.correct_record(period=august, reason="Fel prognos", actor=Actor(user=finance_officer))
    periods = list(ReportingPeriod.objects.filter(plan=demo_year))

    shown.read_records(periods)

    one_by_one = {p.pk: shown.record_of(p) for p in ReportingPeriod.objects.filter(plan=demo_year)}
    assert {p.pk: shown.record_of(p) for p in periods} == one_by_one
    assert one_by_one[august.pk].version == 2
    assert None in one_by_one.values()  # the periods not published have none
