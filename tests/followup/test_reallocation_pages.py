"""The reallocation pages: drawn up, prepared, decided with a protocol extract and applied
through the pages; refused input changes nothing; each role sees and does only its part;
the committee page lists pending changes apart and counts only applied ones."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import Activity, AuditEntry, FrameEntry
from followup.models import Reallocation
from followup.reallocations import forms as reallocation_forms
from tests.followup.reallocations import (
    MKR,
    activity,
    applied,
    between_committees,
    decided,
    draft,
    edited,
    frame,
    prepared,
    split_bildning_in_two,
)
from tests.pages import assert_sent_to_login, page_as

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded protocol extracts go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(name, number=None, year=2026):
    kwargs = {"year": year} if number is None else {"year": year, "number": number}
    return reverse(f"followup:{name}", kwargs=kwargs)


def form_data(budget_year, lines, *, blank_rows=1, row_version=None, **fields):
    """What the draft form posts: the text fields and one row per (activity code, tkr)."""
    rows = [*lines, *[("", "")] * blank_rows]
    data = {
        "title": fields.pop("title", "Fler elever i grundskolan"),
        "kind": fields.pop("kind", Reallocation.Kind.REALLOCATION),
        "budget_year": budget_year.pk,
        "purpose": fields.pop("purpose", "Elevökningen hösten 2026"),
        "funding": fields.pop("funding", "Kommunstyrelsens utvecklingsmedel"),
        "rader-TOTAL_FORMS": str(len(rows)),
        "rader-INITIAL_FORMS": "0",
        "rader-MIN_NUM_FORMS": "0",
        "rader-MAX_NUM_FORMS": "100",
    }
    if row_version is not None:
        data["row_version"] = str(row_version)
    for n, (code, tkr) in enumerate(rows):
        data[f"rader-{n}-activity"] = str(activity(code).pk) if code else ""
        data[f"rader-{n}-amount"] = tkr
        data[f"rader-{n}-note"] = ""
    return data


BETWEEN_COMMITTEES = [("kommunstyrelsen", "2 000"), ("bildningsnamnden", "−2 000")]
WITHIN_BILDNING = [("grundskola", "500"), ("forskola", "-500")]


def decision_data(protocol=PDF, **fields):
    """The decision form: KF's decision of 27 April 2026, § 45, with its protocol extract."""
    return {
        "decided_on": "2026-04-27",
        "paragraph": "§ 45",
        "protocol": SimpleUploadedFile("protokoll.pdf", protocol, "application/pdf"),
    } | fields


# --- The whole way through the pages -----------------------------------------------------


def test_finance_draws_up_prepares_decides_with_a_protocol_and_applies_through_the_pages(
    client, finance_officer, finance_colleague, budget_2026, media
):
    client.force_login(finance_officer)
    before = frame("bildningsnamnden", budget_2026)

    created = client.post(url("reallocation_create"), form_data(budget_2026, BETWEEN_COMMITTEES))

    assert created.status_code == 302
    reallocation = Reallocation.objects.get()
    assert created.url == url("reallocation", reallocation.number)
    assert reallocation.deciding_body == Reallocation.Body.COUNCIL
    assert sorted(line.amount for line in reallocation.lines.all()) == [-2 * MKR, 2 * MKR]
    page = client.get(created.url)
    assert "Raderna berör flera nämnder: kommunfullmäktige beslutar." in page.text
    assert page.context["total"] == 0

    assert client.post(url("reallocation_prepare", reallocation.number)).status_code == 302
    client.force_login(finance_colleague)  # four eyes: not the one who drew it up
    decision = client.post(
        url("reallocation_decide", reallocation.number),
        decision_data(),
    )
    assert decision.status_code == 302
    reallocation.refresh_from_db()
    assert (reallocation.status, reallocation.decision) == ("beslutad", "KF 2026-04-27 § 45")
    assert frame("bildningsnamnden", budget_2026) == before

    applied_response = client.post(url("reallocation_apply", reallocation.number), follow=True)

    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.APPLIED
    assert frame("bildningsnamnden", budget_2026) == before - 2 * MKR
    assert FrameEntry.objects.filter(source__startswith="omfordelning-rad-").count() == 2
    assert "är genomförd" in applied_response.text
    download = client.get(url("reallocation_protocol", reallocation.number))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert str(reallocation.protocol.path).startswith(str(media))
    statuses = AuditEntry.objects.filter(
        area="omfordelningar", field="status", object_id=str(reallocation.pk)
    )
    assert [e.new_value for e in statuses.order_by("at", "id")] == [
        "Beredd",
        "Beslutad",
        "Genomförd",
    ]


def test_the_detail_page_shows_its_history(client, finance_officer, plan, budget_2026):
    reallocation = decided(draft(plan, budget_2026, finance_officer), finance_officer)
    page = page_as(client, finance_officer, url("reallocation", reallocation.number))

    assert len(page.context["history"].rows) >= 5  # created, two lines, prepared, decided
    assert "KF 2026-04-27 § 45" in page.text


# --- Refused input changes nothing --------------------------------------------------------


def test_an_unbalanced_form_is_refused_and_nothing_is_saved(client, finance_officer, budget_2026):
    client.force_login(finance_officer)
    lines = [("kommunstyrelsen", "2 000"), ("bildningsnamnden", "−1 900")]

    response = client.post(url("reallocation_create"), form_data(budget_2026, lines))

    assert response.status_code == 400
    assert "summerar till 100 tkr, inte 0" in response.text
    assert response.context["typed_sum"] == Decimal(100_000)
    assert 'value="−1 900"' in response.text  # the typed input is kept
    assert not Reallocation.objects.exists()
    assert not AuditEntry.objects.filter(area="omfordelningar").exists()


def test_a_line_without_an_amount_is_refused_with_its_reason(client, finance_officer, budget_2026):
    client.force_login(finance_officer)

    response = client.post(
        url("reallocation_create"),
        form_data(budget_2026, [("kommunstyrelsen", "2 000"), ("bildningsnamnden", "")]),
    )

    assert response.status_code == 400
    assert "Ange beloppet i tkr" in response.text
    assert not Reallocation.objects.exists()


def test_an_edit_of_a_draft_someone_else_saved_meanwhile_is_refused_and_keeps_the_input(
    client, finance_officer, plan, budget_2026
):
    reallocation = draft(plan, budget_2026, finance_officer)
    opened = reallocation.row_version
    draft_again = edited(
        reallocation,
        finance_officer,
        between_committees("3"),
        title="Ändrad av någon annan",
        row_version=opened,
    )
    client.force_login(finance_officer)

    response = client.post(
        url("reallocation_edit", reallocation.number),
        form_data(budget_2026, BETWEEN_COMMITTEES, row_version=opened, title="Min rubrik"),
    )

    assert response.status_code == 409
    assert "ändrats av någon annan" in response.text
    assert 'value="Min rubrik"' in response.text
    draft_again.refresh_from_db()
    assert draft_again.title == "Ändrad av någon annan"
    assert sorted(line.amount for line in draft_again.lines.all()) == [-3 * MKR, 3 * MKR]


def test_an_edit_saves_the_draft_and_shows_its_lines_exactly(
    client, finance_officer, plan, budget_2026
):
    reallocation = draft(
        plan,
        budget_2026,
        finance_officer,
        between_committees("0.0012345"),
    )
    page = page_as(client, finance_officer, url("reallocation_edit", reallocation.number))

    assert 'value="1,2345"' in page.text  # 1 234,50 kr, not rounded to 1,2 tkr
    response = client.post(
        url("reallocation_edit", reallocation.number),
        form_data(
            budget_2026,
            [("kommunstyrelsen", "1,2345"), ("bildningsnamnden", "-1,2345")],
            row_version=reallocation.row_version,
            title="Ny rubrik",
        ),
    )
    assert response.status_code == 302
    reallocation.refresh_from_db()
    assert reallocation.title == "Ny rubrik"
    assert sorted(line.amount for line in reallocation.lines.all()) == [
        Decimal("-1234.50"),
        Decimal("1234.50"),
    ]


def test_a_prepared_reallocation_cannot_be_edited_on_the_page(
    client, finance_officer, plan, budget_2026
):
    reallocation = prepared(draft(plan, budget_2026, finance_officer), finance_officer)
    client.force_login(finance_officer)

    page = client.get(url("reallocation_edit", reallocation.number), follow=True)
    post = client.post(
        url("reallocation_edit", reallocation.number),
        form_data(budget_2026, BETWEEN_COMMITTEES, row_version=99, title="Ändrad"),
    )

    assert "bara ett utkast kan ändras" in page.text
    assert post.status_code in (400, 409)
    reallocation.refresh_from_db()
    assert reallocation.title == "Fler elever i grundskolan"


def test_a_decision_without_paragraph_is_refused_and_the_reallocation_stays_prepared(
    client, finance_officer, plan, budget_2026
):
    reallocation = prepared(draft(plan, budget_2026, finance_officer), finance_officer)
    client.force_login(finance_officer)

    response = client.post(
        url("reallocation_decide", reallocation.number),
        {"decided_on": "2026-04-27", "paragraph": ""},
    )

    assert response.status_code == 400
    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.PREPARED


def test_a_protocol_that_is_not_a_pdf_is_refused_and_nothing_is_decided_or_stored(
    client, finance_officer, finance_colleague, plan, budget_2026, media
):
    reallocation = prepared(draft(plan, budget_2026, finance_officer), finance_officer)
    client.force_login(finance_colleague)

    response = client.post(
        url("reallocation_decide", reallocation.number),
        decision_data(protocol=b"<html>inte en pdf</html>"),
    )

    assert response.status_code == 400
    assert "inte en PDF" in response.text
    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.PREPARED
    assert not reallocation.protocol
    assert not media.exists() or not any(media.rglob("*.pdf"))


def test_a_protocol_larger_than_the_limit_is_refused(
    client, finance_officer, finance_colleague, plan, budget_2026, monkeypatch
):
    monkeypatch.setattr(reallocation_forms, "PROTOCOL_MAX_BYTES", len(PDF) - 1)
    reallocation = prepared(draft(plan, budget_2026, finance_officer), finance_officer)
    client.force_login(finance_colleague)

    response = client.post(
        url("reallocation_decide", reallocation.number),
        decision_data(),
    )

    assert response.status_code == 400
    assert "för stor" in response.text
    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.PREPARED


def test_a_step_the_rules_refuse_changes_nothing_and_says_why(
    client, finance_officer, plan, budget_2026
):
    reallocation = draft(plan, budget_2026, finance_officer)
    client.force_login(finance_officer)

    response = client.post(url("reallocation_apply", reallocation.number), follow=True)
    rejected = client.post(url("reallocation_reject", reallocation.number), {"reason": " "})

    assert "Bara en beslutad omfördelning kan genomföras." in response.text
    assert rejected.status_code == 302
    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.DRAFT
    assert not FrameEntry.objects.filter(source__startswith="omfordelning-rad-").exists()


def test_finance_returns_rejects_and_reverses_with_a_reason(
    client, finance_officer, plan, budget_2026
):
    returned = prepared(
        draft(plan, budget_2026, finance_officer, title="Tillbaka"), finance_officer
    )
    rejected = draft(plan, budget_2026, finance_officer, title="Avslås")
    original = applied(draft(plan, budget_2026, finance_officer, title="Återförs"), finance_officer)
    client.force_login(finance_officer)

    client.post(url("reallocation_return", returned.number), {"reason": "Fel belopp"})
    client.post(url("reallocation_reject", rejected.number), {"reason": "KF avslog § 46"})
    reversed_response = client.post(
        url("reallocation_reverse", original.number), {"reason": "Fel nämnd"}
    )

    returned.refresh_from_db()
    rejected.refresh_from_db()
    reversal = Reallocation.objects.get(reverses=original)
    assert returned.status == Reallocation.Status.DRAFT
    assert (rejected.status, rejected.rejection_reason) == ("avslagen", "KF avslog § 46")
    assert reversed_response.url == url("reallocation", reversal.number)
    assert reversal.status == Reallocation.Status.DRAFT
    assert AuditEntry.objects.filter(reason="Fel belopp", field="status").count() == 1


# --- Controllers -------------------------------------------------------------------------


def test_a_controller_proposes_a_reallocation_within_their_own_committee(
    client, bildning_controller, budget_2026
):
    split_bildning_in_two()
    client.force_login(bildning_controller)

    response = client.post(
        url("reallocation_create"),
        form_data(budget_2026, WITHIN_BILDNING),
    )

    assert response.status_code == 302
    reallocation = Reallocation.objects.get()
    assert reallocation.deciding_body == Reallocation.Body.COMMITTEE
    assert reallocation.deciding_committee.code == "bildningsnamnden"
    page = client.get(response.url)
    assert "Alla rader hör till Bildningsnämnden: nämnden beslutar" in page.text
    assert page.context["actions"]["edit"] is True
    assert page.context["actions"]["prepare"] is False


def test_a_controller_is_offered_only_their_own_committees_activities(client, bildning_controller):
    split_bildning_in_two()
    client.force_login(bildning_controller)

    page = client.get(url("reallocation_create"))

    offered = set(page.context["formset"].forms[0].activities)
    assert offered == {a.pk for a in Activity.objects.filter(committee__code="bildningsnamnden")}


def test_a_controller_cannot_propose_a_reallocation_between_committees(
    client, bildning_controller, budget_2026
):
    client.force_login(bildning_controller)

    response = client.post(url("reallocation_create"), form_data(budget_2026, BETWEEN_COMMITTEES))

    assert response.status_code == 400
    assert not Reallocation.objects.exists()


def test_a_controller_cannot_propose_one_in_another_committee(
    client, omsorg_controller, budget_2026
):
    split_bildning_in_two()
    client.force_login(omsorg_controller)

    response = client.post(
        url("reallocation_create"),
        form_data(budget_2026, WITHIN_BILDNING),
    )

    assert response.status_code == 400
    assert not Reallocation.objects.exists()


def test_a_controller_cannot_take_finances_steps(client, bildning_controller, budget_2026, plan):
    split_bildning_in_two()
    reallocation = draft(
        plan, budget_2026, bildning_controller, [("grundskola", "0.5"), ("forskola", "-0.5")]
    )
    client.force_login(bildning_controller)

    for step in ("prepare", "decide", "apply", "reject", "return", "reverse"):
        assert client.post(url(f"reallocation_{step}", reallocation.number)).status_code == 403

    reallocation.refresh_from_db()
    assert reallocation.status == Reallocation.Status.DRAFT


def test_a_controller_cannot_edit_a_draft_between_committees(
    client, bildning_controller, finance_officer, plan, budget_2026
):
    reallocation = draft(plan, budget_2026, finance_officer)
    client.force_login(bildning_controller)

    assert client.get(url("reallocation", reallocation.number)).status_code == 200
    assert client.get(url("reallocation_edit", reallocation.number)).status_code == 403


def test_a_controller_sees_drafts_touching_their_committee_only(
    client, omsorg_controller, finance_officer, plan, budget_2026
):
    other = draft(plan, budget_2026, finance_officer)  # Kommunstyrelsen and Bildningsnämnden
    client.force_login(omsorg_controller)

    assert client.get(url("reallocation", other.number)).status_code == 403
    listed = client.get(url("reallocations"))
    assert other.reference not in listed.text


# --- Councillors and others --------------------------------------------------------------


def test_a_councillor_cannot_draw_up_a_reallocation(client, councillor, budget_2026):
    client.force_login(councillor)

    assert client.get(url("reallocation_create")).status_code == 403
    assert (
        client.post(
            url("reallocation_create"), form_data(budget_2026, BETWEEN_COMMITTEES)
        ).status_code
        == 403
    )
    assert not Reallocation.objects.exists()


def test_a_councillor_sees_decided_reallocations_but_not_drafts(
    client, councillor, finance_officer, plan, budget_2026
):
    a_draft = draft(plan, budget_2026, finance_officer, title="Ett utkast")
    a_decision = decided(
        draft(plan, budget_2026, finance_officer, title="Ett beslut"), finance_officer
    )
    client.force_login(councillor)

    listed = client.get(url("reallocations"))

    assert listed.status_code == 200
    assert "Ett beslut" in listed.text
    assert "Ett utkast" not in listed.text
    assert client.get(url("reallocation", a_decision.number)).status_code == 200
    assert client.get(url("reallocation", a_draft.number)).status_code == 403


def test_an_outsider_is_refused(client, outsider, finance_officer, plan, budget_2026):
    reallocation = decided(draft(plan, budget_2026, finance_officer), finance_officer)
    client.force_login(outsider)

    assert client.get(url("reallocations")).status_code == 403
    assert client.get(url("reallocation", reallocation.number)).status_code == 403
    assert client.post(url("reallocation_apply", reallocation.number)).status_code == 403


def test_an_unknown_number_is_not_found(client, finance_officer):
    client.force_login(finance_officer)

    assert client.get(url("reallocation", 999)).status_code == 404


@pytest.mark.parametrize("step", ["prepare", "return", "decide", "apply", "reject", "reverse"])
def test_the_steps_accept_post_only(client, finance_officer, plan, budget_2026, step):
    reallocation = draft(plan, budget_2026, finance_officer)
    client.force_login(finance_officer)

    assert client.get(url(f"reallocation_{step}", reallocation.number)).status_code == 405


def test_the_list_and_the_detail_page_accept_no_post(client, finance_officer, plan, budget_2026):
    reallocation = draft(plan, budget_2026, finance_officer)
    client.force_login(finance_officer)

    assert client.post(url("reallocations")).status_code == 405
    assert client.post(url("reallocation", reallocation.number)).status_code == 405


# --- The protocol extract ------------------------------------------------------------------


@pytest.fixture
def with_protocol(client, finance_officer, finance_colleague, plan, budget_2026):
    """Drawn up and prepared by one finance officer, decided with its protocol by another."""
    reallocation = draft(plan, budget_2026, finance_officer)
    client.force_login(finance_officer)
    client.post(url("reallocation_prepare", reallocation.number))
    client.force_login(finance_colleague)
    client.post(
        url("reallocation_decide", reallocation.number),
        decision_data(),
    )
    client.logout()
    reallocation.refresh_from_db()
    assert reallocation.protocol
    return reallocation


@pytest.mark.parametrize("persona", ["outsider", "administrator"])
def test_the_protocol_is_refused_to_those_who_may_not_see_the_reallocation(
    client, request, with_protocol, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url("reallocation_protocol", with_protocol.number))

    assert response.status_code == 403


def test_the_protocol_needs_a_login_and_is_not_served_from_media_url(client, with_protocol):
    response = client.get(url("reallocation_protocol", with_protocol.number))

    assert_sent_to_login(response)
    assert client.get(f"/media/{with_protocol.protocol.name}").status_code in (302, 404)


def test_a_councillor_may_read_the_protocol_of_a_decided_reallocation(
    client, councillor, with_protocol
):
    client.force_login(councillor)

    response = client.get(url("reallocation_protocol", with_protocol.number))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- The list -------------------------------------------------------------------------------


def test_the_list_holds_pending_changes_apart_from_applied_ones(
    client, finance_officer, plan, budget_2026
):
    pending_one = draft(plan, budget_2026, finance_officer, title="Väntar")
    applied_one = applied(draft(plan, budget_2026, finance_officer, title="Klar"), finance_officer)
    client.force_login(finance_officer)

    page = client.get(url("reallocations"))

    sections = {s["key"]: [r.pk for r in s["table"].data] for s in page.context["sections"]}
    assert sections["vantande"] == [pending_one.pk]
    assert sections["genomforda"] == [applied_one.pk]
    assert sections["avslagna"] == []
    moved = next(iter(page.context["sections"][1]["table"].data)).moved
    assert moved == 2 * MKR


def test_the_list_filters_by_status(client, finance_officer, plan, budget_2026):
    draft(plan, budget_2026, finance_officer, title="Väntar")
    applied(draft(plan, budget_2026, finance_officer, title="Klar"), finance_officer)
    client.force_login(finance_officer)

    page = client.get(url("reallocations"), {"status": "genomford"})

    assert [s["key"] for s in page.context["sections"]] == ["genomforda"]
    assert "Klar" in page.text
    assert "Väntar" not in page.text


def test_the_list_sorts_by_amount_moved(client, finance_officer, plan, budget_2026):
    small = draft(plan, budget_2026, finance_officer, between_committees("1"))
    large = draft(plan, budget_2026, finance_officer, between_committees("3"))
    client.force_login(finance_officer)

    page = client.get(url("reallocations"), {"vantande-sort": "-moved"})

    assert [r.pk for r in page.context["sections"][0]["table"].page.object_list.data] == [
        large.pk,
        small.pk,
    ]


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("reallocations")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_number_of_queries_for_few_or_many_reallocations(
    client, finance_officer, plan, budget_2026
):
    for _ in range(2):
        applied(draft(plan, budget_2026, finance_officer), finance_officer)
        draft(plan, budget_2026, finance_officer)
    client.force_login(finance_officer)
    few = list_queries(client)

    for _ in range(15):
        applied(draft(plan, budget_2026, finance_officer), finance_officer)
        draft(plan, budget_2026, finance_officer)
    many = list_queries(client)

    assert many == few


def test_the_menu_links_the_list_for_those_who_may_see_it(client, finance_officer, administrator):
    client.force_login(finance_officer)
    assert (
        url("reallocations") in client.get(reverse("budget:overview", kwargs={"year": 2026})).text
    )

    client.force_login(administrator)
    assert (
        url("reallocations")
        not in client.get(reverse("budget:overview", kwargs={"year": 2026})).text
    )


# --- The committee page: the ledger -------------------------------------------------------------


def committee_page(client):
    return client.get(
        reverse("budget:committee", kwargs={"year": 2026, "code": "bildningsnamnden"})
    )


def test_the_committee_page_lists_pending_changes_apart_and_counts_only_applied_ones(
    client, finance_officer, plan, budget_2026
):
    original = frame("bildningsnamnden", budget_2026)
    done = applied(draft(plan, budget_2026, finance_officer, title="Genomförd"), finance_officer)
    waiting = decided(
        draft(
            plan,
            budget_2026,
            finance_officer,
            between_committees("1.0"),
            title="Väntande",
        ),
        finance_officer,
    )
    client.force_login(finance_officer)

    page = committee_page(client)

    ledger = page.context["ledger"]
    (row,) = ledger.rows
    assert row.original == original
    assert row.changes == -2 * MKR
    assert row.current == original - 2 * MKR
    assert [(c.amount, c.decision) for c in ledger.decided] == [(-2 * MKR, done.decision)]
    assert [(p.reference, p.amount, p.status) for p in ledger.pending] == [
        (waiting.reference, -1 * MKR, "Beslutad")
    ]
    assert "Väntande förändringar, ej medräknade" in page.text


def test_a_councillor_sees_no_drafts_among_the_committee_pages_pending_changes(
    client, councillor, finance_officer, plan, budget_2026
):
    draft(plan, budget_2026, finance_officer, title="Ett utkast")
    client.force_login(councillor)

    page = committee_page(client)

    assert page.status_code == 200
    assert page.context["ledger"].pending == []


def test_each_list_of_reallocations_downloads_as_shown(client, finance_officer, budget_2026):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(finance_officer)
    client.post(
        url("reallocation_create"),
        form_data(budget_2026, [("kommunstyrelsen", "2 000"), ("bildningsnamnden", "-2 000")]),
    )

    page = client.get(url("reallocations")).text
    link = re.search(r'href="([^"]*tabell=tabell-vantande[^"]*)"', page)[1].replace("&amp;", "&")
    response = client.get(link)

    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[3], r[6]) for r in rows] == [("2026:1", "Utkast", 2000)]
