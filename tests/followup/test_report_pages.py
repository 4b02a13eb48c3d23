"""The report page: a controller reports, finance reviews, others are kept out."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import AuditEntry
from followup.models import Report, ReportingPeriod


def report_url(code="bildningsnamnden", month=3):
    return reverse("followup:report", kwargs={"year": 2026, "month": month, "code": code})


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


def test_a_controller_opens_the_report_and_saves_swedish_numbers_in_tkr(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    page = client.get(report_url())
    assert page.status_code == 200
    report = Report.objects.get()

    response = client.post(report_url(), form_data(report.row_version, "−130 825,5", "-523300"))

    assert response.status_code == 302
    line = report.lines.get()
    assert line.outcome == Decimal("-130825500.00")
    assert line.forecast == Decimal("-523300000.00")
    assert AuditEntry.objects.filter(area="rapporter", action="andrad").count() == 2


def test_text_in_an_amount_gets_a_swedish_error_and_nothing_is_saved(
    client, march, bildning_controller
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()

    response = client.post(report_url(), form_data(report.row_version, "tjugo", "-1"))

    assert response.status_code == 200
    assert "”tjugo” är inte ett belopp." in response.text
    assert report.lines.get().outcome is None


def test_a_stale_form_is_refused_and_the_typed_figures_stay_in_the_form(
    client, march, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
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
    client.get(report_url())
    report = Report.objects.get()
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
    client.get(report_url())
    client.force_login(request.getfixturevalue(persona))

    response = client.get(report_url())

    assert response.status_code == 403


def test_finance_approves_a_submitted_report_from_its_page(
    client, march, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )
    client.force_login(finance_officer)

    response = client.post(report_url(), {"action": "godkann"})

    assert response.status_code == 302
    assert Report.objects.get().status == Report.Status.APPROVED


def test_a_controller_cannot_approve_their_own_report(client, march, bildning_controller):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )

    response = client.post(report_url(), {"action": "godkann"})

    assert response.status_code == 403
    assert Report.objects.get().status == Report.Status.SUBMITTED


def test_returning_without_a_comment_is_refused(
    client, march, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )
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
    client.force_login(bildning_controller)

    response = client.get(reverse("followup:periods", kwargs={"year": 2026}))

    assert response.status_code == 200
    assert "Bildningsnämnden" in response.text
    assert "Omsorgsnämnden" not in response.text


def test_finance_reviews_every_committee_in_a_bounded_number_of_queries(
    client, march, bildning_controller, finance_officer, django_assert_max_num_queries
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(report_url(), form_data(report.row_version, "-130000", "-530000"))
    client.force_login(finance_officer)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("followup:review", kwargs={"year": 2026, "month": 3}))

    assert response.status_code == 200
    assert "Bildningsnämnden" in response.text
    assert "\u22126,7" in response.text  # −530,0 − (−523,3)
    assert "Saknas" in response.text  # a deficit without an action plan


def test_a_correction_keeps_the_approved_version_visible_with_its_figures(
    client, march, bildning_controller, finance_officer
):
    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )
    client.force_login(finance_officer)
    client.post(report_url(), {"action": "godkann"})
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
    client.get(report_url())
    Activity.objects.create(
        committee=bildning, code="kulturskolan", name="Kulturskolan", position=9
    )

    response = client.get(report_url())

    assert response.status_code == 200
    assert "Utfall ackumulerat, Kulturskolan" in response.text
    assert Report.objects.get().lines.count() == 2


def test_an_approved_report_shows_an_activity_added_later_without_a_line(
    client, march, bildning, bildning_controller, finance_officer
):
    from budget.models import Activity

    client.force_login(bildning_controller)
    client.get(report_url())
    report = Report.objects.get()
    client.post(
        report_url(), form_data(report.row_version, "-130000", "-523300", action="lamna_in")
    )
    client.force_login(finance_officer)
    client.post(report_url(), {"action": "godkann"})
    Activity.objects.create(
        committee=bildning, code="kulturskolan", name="Kulturskolan", position=9
    )

    response = client.get(report_url())

    assert response.status_code == 200
    assert "Kulturskolan" in response.text
    assert report.lines.count() == 1
