"""The report page: a controller reports, finance reviews, others are kept out."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.audit import Actor
from budget.models import AuditEntry, Committee
from followup.models import Report, ReportingPeriod
from followup.reports.workflow import open_report
from tests.pages import page_as


def report_url(code="bildningsnamnden", month=3):
    return reverse("followup:report", kwargs={"year": 2026, "month": month, "code": code})


def open_draft(period, user, code="bildningsnamnden"):
    """The committee's draft, opened as the controller's first save opens it (a GET of the
    report page writes nothing)."""
    committee = Committee.objects.get(code=code)
    return open_report(committee=committee, period=period, actor=Actor(user=user))


def activity_id():
    from budget.models import Activity

    return Activity.objects.get(code="bildningsnamnden").pk


def form_data(row_version, outcome, forecast, comment="", action="spara"):
    a = activity_id()
    return {
        "row_version": row_version,
        f"outcome_{a}": outcome,
        f"forecast_{a}": forecast,
        f"comment_{a}": comment,
        "action": action,
    }


def shown_row_version(client):
    """The row version the report page's form carries."""
    return client.get(report_url()).context["form"]["row_version"].value()


def submit_report(client, period, controller):
    """The controller opens the draft and submits outcome −130 000 and forecast −523 300 tkr;
    the client stays logged in as the controller."""
    client.force_login(controller)
    report = open_draft(period, controller)
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )
    return report


def approve_report(client, period, controller, finance_officer):
    """The report submitted as ``submit_report`` does, approved by finance (logged in)."""
    report = submit_report(client, period, controller)
    client.force_login(finance_officer)
    client.post(report_url(), {"action": "godkann"})
    return report


def test_a_controller_opens_the_report_and_saves_swedish_numbers_in_tkr(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    page = client.get(report_url())
    assert page.status_code == 200
    shown_version = page.context["form"]["row_version"].value()

    response = client.post(report_url(), form_data(shown_version, "−130 825,5", "-523300"))

    assert response.status_code == 302
    report = Report.objects.get()
    line = report.lines.get()
    assert line.outcome == Decimal("-130825500.00")
    assert line.forecast == Decimal("-523300000.00")
    assert AuditEntry.objects.filter(area="rapporter", action="andrad").count() == 2


def test_text_in_an_amount_gets_a_swedish_error_and_nothing_is_saved(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)

    response = client.post(report_url(), form_data(report.row_version, "tjugo", "-1"))

    assert response.status_code == 200
    assert "”tjugo” är inte ett belopp." in response.text
    assert report.lines.get().outcome is None


def test_a_stale_form_is_refused_and_the_typed_figures_stay_in_the_form(
    client, march, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    client.post(report_url(), form_data(report.row_version, "-1", "-2", "första"))

    response = client.post(report_url(), form_data(report.row_version, "-777", "-2", "andra"))

    assert response.status_code == 200
    assert "har sparats av" in response.text
    assert "-777" in response.text
    assert report.lines.get().comment == "första"


def test_another_committees_controller_cannot_see_or_change_the_report(
    client, march, bildning_controller, omsorg_controller
):
    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    client.force_login(omsorg_controller)

    seen = client.get(report_url())
    changed = client.post(report_url(), form_data(report.row_version, "-5", "-5"))

    assert seen.status_code == 403
    assert changed.status_code == 403
    assert report.lines.get().outcome is None


@pytest.mark.parametrize("persona", ["councillor", "outsider"])
def test_a_draft_is_hidden_from_councillors_and_users_without_a_role(
    client, march, bildning_controller, request, persona
):
    client.force_login(bildning_controller)
    open_draft(march, bildning_controller)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(report_url())

    assert response.status_code == 403


def test_finance_approves_a_submitted_report_from_its_page(
    client, march, bildning_controller, finance_officer
):
    submit_report(client, march, bildning_controller)
    client.force_login(finance_officer)

    response = client.post(report_url(), {"action": "godkann"})

    assert response.status_code == 302
    assert Report.objects.get().status == Report.Status.APPROVED


def test_a_controller_cannot_approve_their_own_report(client, march, bildning_controller):
    submit_report(client, march, bildning_controller)

    response = client.post(report_url(), {"action": "godkann"})

    assert response.status_code == 403
    assert Report.objects.get().status == Report.Status.SUBMITTED


def test_returning_without_a_comment_is_refused(
    client, march, bildning_controller, finance_officer
):
    submit_report(client, march, bildning_controller)
    client.force_login(finance_officer)

    response = client.post(report_url(), {"action": "skicka_tillbaka", "comment": ""}, follow=True)

    assert "Skriv varför rapporten skickas tillbaka." in response.text
    assert Report.objects.get().status == Report.Status.SUBMITTED


def test_finance_opens_a_period_and_a_controller_may_not(
    client, plan, finance_officer, bildning_controller
):
    april = ReportingPeriod.objects.get(plan=plan, month=4)
    url = reverse("followup:period_status", kwargs={"pk": april.pk})

    client.force_login(bildning_controller)
    refused = client.post(url, {"status": "oppen"})
    client.force_login(finance_officer)
    opened = client.post(url, {"status": "oppen"})
    impossible = client.post(url, {"status": "publicerad"}, follow=True)

    assert refused.status_code == 403
    assert opened.status_code == 302
    april.refresh_from_db()
    assert april.status == ReportingPeriod.Status.OPEN
    assert "kan inte bli publicerad" in impossible.text


def test_the_periods_page_lists_the_controllers_committees(client, march, bildning_controller):
    response = page_as(
        client, bildning_controller, reverse("followup:periods", kwargs={"year": 2026})
    )

    assert "Bildningsnämnden" in response.text
    assert "Omsorgsnämnden" not in response.text


def test_finance_reviews_every_committee_in_a_bounded_number_of_queries(
    client, march, bildning_controller, finance_officer, django_assert_max_num_queries
):
    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    client.post(report_url(), form_data(report.row_version, "-130000", "-530000"))
    client.force_login(finance_officer)

    with django_assert_max_num_queries(21):  # 20 and one for the reports' threads
        response = client.get(reverse("followup:review", kwargs={"year": 2026, "month": 3}))

    assert response.status_code == 200
    assert "Bildningsnämnden" in response.text
    assert "\u22126,7" in response.text  # −530,0 − (−523,3)
    assert "Saknas" in response.text  # a deficit without an action plan


def test_a_correction_keeps_the_approved_version_visible_with_its_figures(
    client, march, bildning_controller, finance_officer
):
    approve_report(client, march, bildning_controller, finance_officer)
    client.force_login(bildning_controller)
    client.post(report_url(), {"action": "ratta", "reason": "Fel periodisering av löner"})
    correction = Report.objects.get(version=2)
    client.post(report_url(), form_data(correction.row_version, "-131500", "-523300"))

    response = client.get(report_url())

    assert response.context["report"] == correction
    assert [v.version for v in response.context["other_versions"]] == [1]
    assert "Version 1: godkänd" in response.text
    assert "\u2212130\u00a0000" in response.text  # version 1's outcome; version 2 has −131 500


def test_an_activity_added_after_the_report_was_opened_gets_a_line_in_the_draft(
    client, march, bildning, bildning_controller
):
    from budget.models import Activity

    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    Activity.objects.create(
        committee=bildning, code="kulturskolan", name="Kulturskolan", position=9
    )

    response = client.get(report_url())
    client.post(report_url(), form_data(report.row_version, "-130000", "-523300"))

    assert response.status_code == 200
    assert "Utfall ackumulerat, Kulturskolan" in response.text
    assert Report.objects.get().lines.count() == 2


def test_an_approved_report_shows_an_activity_added_later_without_a_line(
    client, march, bildning, bildning_controller, finance_officer
):
    from budget.models import Activity

    report = approve_report(client, march, bildning_controller, finance_officer)
    Activity.objects.create(
        committee=bildning, code="kulturskolan", name="Kulturskolan", position=9
    )

    response = client.get(report_url())

    assert response.status_code == 200
    assert "Kulturskolan" in response.text
    assert report.lines.count() == 1


# --- A GET writes nothing: the report is created by its first save -------------------------


def counts():
    from followup.models import ReportLine

    return (Report.objects.count(), ReportLine.objects.count(), AuditEntry.objects.count())


def test_opening_a_report_nobody_has_started_writes_nothing(client, march, bildning_controller):
    client.force_login(bildning_controller)
    before = counts()

    response = client.get(report_url())

    assert response.status_code == 200
    assert counts() == before
    assert not Report.objects.exists()
    assert f'name="outcome_{activity_id()}"' in response.text  # the empty form to fill in
    assert "Ej påbörjad" in response.text


def test_the_first_save_creates_the_draft_with_its_figures_and_history(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    shown = shown_row_version(client)

    response = client.post(report_url(), form_data(shown, "-1000", "-2000"))

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT
    assert (report.lines.get().outcome, report.lines.get().forecast) == (
        Decimal("-1000000.00"),
        Decimal("-2000000.00"),
    )
    entries = AuditEntry.objects.filter(area="rapporter")
    assert entries.filter(action="skapad").count() == 1
    assert entries.filter(action="andrad").count() == 2


def test_two_first_saves_in_a_row_both_work(client, march, bildning_controller):
    client.force_login(bildning_controller)
    first = client.post(report_url(), form_data(shown_row_version(client), "-1", "-2"))
    shown = shown_row_version(client)

    second = client.post(report_url(), form_data(shown, "-3", "-4"))

    assert (first.status_code, second.status_code) == (302, 302)
    report = Report.objects.get()
    assert report.lines.get().outcome == Decimal("-3000.00")
    assert AuditEntry.objects.filter(area="rapporter", action="skapad").count() == 1


def test_a_second_first_save_from_the_same_empty_form_is_refused_as_stale_not_a_crash(
    client, march, bildning_controller, omsorg_controller
):
    client.force_login(bildning_controller)
    shown = shown_row_version(client)
    client.post(report_url(), form_data(shown, "-1", "-2", "första"))

    response = client.post(report_url(), form_data(shown, "-777", "-2", "andra"))

    assert response.status_code == 200
    assert "har sparats av" in response.text
    assert "-777" in response.text
    assert Report.objects.get().lines.get().comment == "första"


def test_another_action_on_a_report_nobody_has_started_is_not_found(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.post(report_url(), {"action": "ratta", "reason": "Fel"})

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_a_first_save_in_a_closed_period_is_refused_and_creates_nothing(
    client, plan, bildning_controller
):
    client.force_login(bildning_controller)

    response = client.post(report_url(month=4), form_data(1, "-1", "-2"))

    assert response.status_code == 404  # nothing to show or start in a planned period
    assert not Report.objects.exists()


def test_an_activity_added_since_the_report_was_opened_is_shown_but_not_written_on_get(
    client, march, bildning, bildning_controller
):
    from budget.models import Activity
    from followup.models import ReportLine

    report = open_draft(march, bildning_controller)
    Activity.objects.create(
        committee=bildning, code="kulturskolan", name="Kulturskolan", position=9
    )
    client.force_login(bildning_controller)
    before = counts()

    response = client.get(report_url())

    assert "Utfall ackumulerat, Kulturskolan" in response.text
    assert counts() == before
    assert ReportLine.objects.filter(report=report).count() == 1


@pytest.mark.parametrize("name", ["followup:report_workbook", "followup:report_upload"])
def test_the_excel_pages_of_a_report_nobody_has_started_write_nothing(
    client, march, bildning_controller, name
):
    client.force_login(bildning_controller)
    before = counts()

    response = client.get(
        reverse(name, kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"})
    )

    assert response.status_code in (302, 404)  # nothing to download or upload to yet
    assert counts() == before


def test_starting_the_report_creates_the_empty_draft_once(client, march, bildning_controller):
    client.force_login(bildning_controller)
    page = client.get(report_url())
    assert "Starta rapporten" in page.text

    first = client.post(report_url(), {"action": "starta"})
    second = client.post(report_url(), {"action": "starta"})

    assert (first.status_code, second.status_code) == (302, 302)
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT
    assert report.lines.count() == 1
    assert AuditEntry.objects.filter(area="rapporter", action="skapad").count() == 1
    workbook = client.get(
        reverse(
            "followup:report_workbook",
            kwargs={"year": 2026, "month": 3, "code": "bildningsnamnden"},
        )
    )
    assert workbook.status_code == 200


def test_only_someone_who_works_on_the_report_may_start_it(client, march, finance_officer):
    client.force_login(finance_officer)

    response = client.post(report_url(), {"action": "starta"})

    assert response.status_code in (403, 404)
    assert not Report.objects.exists()


def test_a_plan_that_falls_short_is_handed_in_only_with_a_reason(
    client, march, bildning_controller
):
    from datetime import date

    from followup.models import ActionPlan, Measure

    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    plan = ActionPlan.objects.create(committee=report.committee, period=march)
    Measure.objects.create(
        plan=plan,
        description="Vakanser tillsätts inte",
        expected_effect=Decimal("1000000"),
        responsible="Förvaltningschef",
        due_date=date(2099, 6, 30),
    )
    # Forecast −530 000 tkr against a budget of −523 300: a deviation of −6 700 tkr.
    data = form_data(report.row_version, "-130000", "-530000", action="lamna_in")

    shown = client.post(report_url(), data, follow=True)
    report.refresh_from_db()
    refused_status = report.status
    data["row_version"] = report.row_version
    data["shortfall_reason"] = "Nämnden beslutar om fler åtgärder i april."
    client.post(report_url(), data)

    report.refresh_from_db()
    assert refused_status == Report.Status.DRAFT
    assert "Åtgärdsplanen räcker inte: åtgärderna väntas täcka 15" in shown.text
    assert 'name="shortfall_reason"' in shown.text
    assert report.status == Report.Status.SUBMITTED
    entry = AuditEntry.objects.filter(object_id=str(report.pk), new_value="Inlämnad").get()
    assert entry.reason.endswith(": Nämnden beslutar om fler åtgärder i april.")


def test_saving_the_shown_figures_unchanged_keeps_the_exact_stored_amounts(
    client, march, bildning_controller
):
    """Outcome from the financial system is exact to the öre; the form shows it in tkr with
    one decimal. Sent back as shown, it is kept, and no change is recorded."""
    from followup.models import ReportLine

    client.force_login(bildning_controller)
    report = open_draft(march, bildning_controller)
    ReportLine.objects.filter(report=report).update(
        outcome=Decimal("-130825049.99"), forecast=Decimal("-526400049.99")
    )
    page = client.get(report_url())
    form = page.context["form"]
    a = activity_id()
    shown = (form[f"outcome_{a}"].value(), form[f"forecast_{a}"].value())
    entries = AuditEntry.objects.count()

    client.post(report_url(), form_data(report.row_version, *shown))
    changed = form_data(report.row_version + 1, shown[0], "-526 400,1")
    client.post(report_url(), changed)

    line = report.lines.get()
    assert shown == ("-130\u00a0825,0", "-526\u00a0400,0")
    assert line.outcome == Decimal("-130825049.99")
    assert line.forecast == Decimal("-526400100.00")  # the one figure typed anew
    assert AuditEntry.objects.count() == entries + 1
