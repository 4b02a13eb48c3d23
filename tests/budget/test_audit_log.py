"""Loggen: every entry of the audit trail, searchable and exportable, for finance and
administrators only."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget import xlsx
from budget.accounts import set_access
from budget.audit import Actor, write
from budget.exports import audit_log as log_export
from budget.models import AuditEntry, Committee, Role
from tests.pages import assert_sent_to_login, page_as

Action = AuditEntry.Action
Area = AuditEntry.Area
Source = AuditEntry.Source
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LOG = reverse("budget:audit_log")
EXPORT = reverse("budget:audit_log_export")


def stockholm(*args):
    return datetime(*args, tzinfo=STOCKHOLM)


def entry(*, at, user=None, actor="", object_repr="Särskild post", **fields):
    """An unsaved entry about Bildningsnämnden, with everything that matters given."""
    committee = Committee.objects.get(code="bildningsnamnden")
    values = {
        "action": Action.CHANGED,
        "source": Source.PAGE,
        "area": Area.FRAMES,
        "field": "belopp (kr)",
        "old_value": "-523300000.00",
        "new_value": "-524000000.00",
        "reason": "",
        "committee": committee,
        **fields,
    }
    return AuditEntry(
        at=at,
        user=user,
        actor=actor or (user.get_username() if user else "Inläsning av budget"),
        content_type=ContentType.objects.get_for_model(Committee),
        object_id=str(committee.pk),
        object_repr=object_repr,
        **values,
    )


@pytest.fixture
def entries(plan, finance_officer, administrator):
    """Three entries in 2020 (long before the plan was loaded), by two people."""
    made = [
        entry(at=stockholm(2020, 1, 10, 9, 0), user=finance_officer, object_repr="Januaripost"),
        entry(
            at=stockholm(2020, 2, 28, 23, 30),
            user=administrator,
            object_repr="Februaripost",
            area=Area.ORGANISATION,
            field="namn",
            action=Action.CREATED,
            source=Source.ADMIN,
        ),
        entry(
            at=stockholm(2020, 3, 1, 0, 30),
            user=finance_officer,
            object_repr="Marspost",
            reason="=1+1",
            source=Source.IMPORT,
        ),
    ]
    write(made)
    return {e.object_repr: AuditEntry.objects.get(object_repr=e.object_repr) for e in made}


def shown(response):
    return list(response.context["table"].data.data.values_list("object_repr", flat=True))


def workbook(response):
    return load_workbook(BytesIO(response.content))["Logg"]


# Who may read the log -------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_anonymous_visitor_is_sent_to_the_login_page(client, plan, url):
    response = client.get(url)

    assert_sent_to_login(response)


@pytest.mark.parametrize("url", [LOG, EXPORT])
@pytest.mark.parametrize("persona", ["outsider", "bildning_controller", "councillor"])
def test_the_log_is_refused_to_everyone_but_finance_and_administrators(
    client, request, persona, url
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [LOG, EXPORT])
@pytest.mark.parametrize("persona", ["finance_officer", "administrator"])
def test_finance_and_administrators_read_the_log(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_the_log_refuses_post(client, finance_officer, url):
    client.force_login(finance_officer)

    assert client.post(url).status_code == 405


# The page ----------------------------------------------------------------------------------


def test_the_log_shows_every_entry_newest_first_including_access_changes(
    client, finance_officer, administrator, councillor, entries
):
    set_access(
        user=councillor,
        roles=[Role.COUNCILLOR, Role.FINANCE],
        committees=[],
        actor=Actor(user=administrator, source=Source.PAGE),
    )
    response = page_as(client, finance_officer, LOG)

    table = response.context["table"]
    assert table.paginator.count == AuditEntry.objects.count()
    records = [row.record for row in table.page.object_list]
    assert records[0].area == Area.ACCESS
    assert records[0].new_value == Role.FINANCE
    assert records == sorted(records, key=lambda e: (e.at, e.id), reverse=True)
    assert len(records) == 50


def test_the_log_is_sortable_by_time_oldest_first(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(LOG, {"sort": "at"})

    first = response.context["table"].page.object_list[0].record
    assert first == entries["Januaripost"]


def test_searching_by_user_shows_only_that_users_entries(
    client, finance_officer, administrator, entries
):
    client.force_login(finance_officer)

    response = client.get(LOG, {"anvandare": administrator.pk})

    assert shown(response) == ["Februaripost"]


def test_the_user_choices_are_the_users_in_the_log(client, finance_officer, councillor, entries):
    client.force_login(finance_officer)

    choices = client.get(LOG).context["form"].fields["anvandare"].queryset

    assert finance_officer in choices
    assert councillor not in choices


def test_searching_by_text_matches_object_and_field(client, finance_officer, entries):
    client.force_login(finance_officer)

    by_object = client.get(LOG, {"objekt": "MARSPOST"})
    by_field = client.get(LOG, {"objekt": "namn", "fran": "2020-01-01", "till": "2020-12-31"})

    assert shown(by_object) == ["Marspost"]
    assert shown(by_field) == ["Februaripost"]


def test_searching_by_area_action_and_source(client, finance_officer, entries):
    client.force_login(finance_officer)
    in_2020 = {"fran": "2020-01-01", "till": "2020-12-31"}

    by_area = client.get(LOG, {"omrade": Area.ORGANISATION, **in_2020})
    by_action = client.get(LOG, {"handelse": Action.CHANGED, **in_2020})
    by_source = client.get(LOG, {"vag": Source.IMPORT, **in_2020})

    assert shown(by_area) == ["Februaripost"]
    assert shown(by_action) == ["Marspost", "Januaripost"]
    assert shown(by_source) == ["Marspost"]


def test_a_date_range_covers_whole_days_in_swedish_time(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(LOG, {"fran": "2020-02-01", "till": "2020-02-29"})

    # 23:30 on 28 February is 22:30 UTC; 00:30 on 1 March is still 28 February in UTC.
    assert shown(response) == ["Februaripost"]


def test_a_date_range_that_ends_before_it_starts_is_refused_in_swedish(
    client, finance_officer, entries
):
    client.force_login(finance_officer)

    response = client.get(LOG, {"fran": "2020-03-01", "till": "2020-02-01"})

    assert response.status_code == 200
    assert "Till-datumet kan inte vara före från-datumet" in response.text
    assert shown(response) == []
    assert "Ladda ned urvalet i Excel" not in response.text


def test_a_date_that_is_not_a_date_is_refused(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(LOG, {"fran": "igår"})

    assert "Fyll i ett giltigt datum" in response.text
    assert shown(response) == []


def test_the_log_opens_with_a_bounded_number_of_queries_however_long_it_is(
    client, finance_officer, django_assert_max_num_queries
):
    write(
        entry(at=stockholm(2020, 1, 1, 8, 0), user=finance_officer, object_repr=f"Loggtest {n}")
        for n in range(200)
    )
    client.force_login(finance_officer)

    with django_assert_max_num_queries(12):
        response = client.get(LOG, {"objekt": "loggtest", "page": "3"})

    assert response.status_code == 200
    assert response.context["table"].paginator.count == 200
    assert len(response.context["table"].page.object_list) == 50
    assert "Loggtest 50" in response.text
    assert "Loggtest 49<" not in response.text


def test_the_export_link_carries_the_search(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(LOG, {"omrade": Area.FRAMES, "page": "2"})

    assert f'href="{EXPORT}?omrade=ramar"' in response.text


# The Excel export -------------------------------------------------------------------------


def test_the_export_is_a_workbook_named_after_today(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(EXPORT)

    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="logg-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    ws = workbook(response)
    assert ws["A1"].value == "Logg över ändringar"
    assert ws["A2"].value == "Urval: alla poster"
    assert ws["A3"].value.startswith("Utdrag ")
    assert [c.value for c in ws[4]] == [
        "Tidpunkt",
        "Utförd av",
        "Händelse",
        "Område",
        "Väg",
        "Objekt",
        "Uppgift",
        "Före",
        "Efter",
        "Motivering",
        "Budgetår",
        "Nämnd",
    ]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == f"A4:L{4 + AuditEntry.objects.count()}"
    assert ws.column_dimensions["F"].width == 44


def test_the_export_writes_an_entrys_values_with_its_local_time(client, finance_officer, entries):
    client.force_login(finance_officer)

    ws = workbook(client.get(EXPORT, {"objekt": "Marspost"}))

    row = [c.value for c in ws[5]]
    assert row == [
        datetime(2020, 3, 1, 0, 30),
        "eva",
        "Ändrad",
        "Ramar",
        "Inläsning av fil",
        "Marspost",
        "belopp (kr)",
        "-523300000.00",
        "-524000000.00",
        "=1+1",
        None,
        "Bildningsnämnden",
    ]
    assert ws["A5"].number_format == "yyyy-mm-dd hh:mm"
    assert ws.max_row == 5


def test_text_that_looks_like_a_formula_is_exported_as_text(client, finance_officer, entries):
    client.force_login(finance_officer)

    ws = workbook(client.get(EXPORT, {"objekt": "Marspost"}))

    reason = ws["J5"]
    assert reason.value == "=1+1"
    assert reason.data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_the_export_honours_the_search_and_describes_it(
    client, finance_officer, administrator, entries
):
    client.force_login(finance_officer)

    ws = workbook(
        client.get(
            EXPORT, {"anvandare": finance_officer.pk, "fran": "2020-01-01", "till": "2020-12-31"}
        )
    )

    assert [ws.cell(row=r, column=6).value for r in range(5, ws.max_row + 1)] == [
        "Marspost",
        "Januaripost",
    ]
    assert ws["A2"].value == (
        "Urval: användare: eva; från och med 2020-01-01; till och med 2020-12-31"
    )


def test_an_export_with_an_invalid_search_is_refused(client, finance_officer, entries):
    client.force_login(finance_officer)

    response = client.get(EXPORT, {"fran": "2020-03-01", "till": "2020-02-01"})

    assert response.status_code == 400
    assert "Till-datumet kan inte vara före från-datumet" in response.text


def test_a_long_export_is_cut_with_a_note(client, finance_officer, entries, monkeypatch):
    monkeypatch.setattr(log_export, "MAX_ROWS", 2)
    client.force_login(finance_officer)

    ws = workbook(client.get(EXPORT, {"fran": "2020-01-01", "till": "2020-12-31"}))

    assert ws.max_row == 4 + 2
    assert "3 poster" in ws["A3"].value
    assert "Bara de första 2 posterna" in ws["A3"].value


def test_text_from_entries_is_escaped_on_the_page(client, finance_officer, plan):
    write(
        [
            entry(
                at=stockholm(2020, 5, 1, 12, 0),
                user=finance_officer,
                object_repr="<b>Fet</b> post",
                reason="<script>alert(1)</script>",
            )
        ]
    )
    client.force_login(finance_officer)

    text = client.get(LOG, {"objekt": "Fet"}).text

    assert "&lt;b&gt;Fet&lt;/b&gt; post" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text
