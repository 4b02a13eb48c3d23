"""Every path that changes an amount leaves a history entry with its author:
the upload page, the import command and a load of the data file."""

import copy
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from budget.audit import Actor, Source
from budget.exports import workbook_bytes
from budget.loader import load_plan
from budget.models import AuditEntry, FrameEntry
from tests.budget.test_import import GENERATED_ON, edited, set_frame, upload


def frame_changes():
    return AuditEntry.objects.filter(area=AuditEntry.Area.FRAMES, action=AuditEntry.Action.CHANGED)


def test_loading_the_plan_records_every_created_figure(plan):
    frames = FrameEntry.objects.count()

    created = AuditEntry.objects.filter(
        area=AuditEntry.Area.FRAMES, action=AuditEntry.Action.CREATED
    )

    assert created.count() == frames
    bildning = created.get(committee__code="bildningsnamnden", object_repr__contains="2026")
    assert "-523300000.00" in bildning.new_value
    assert bildning.plan == plan


def test_an_upload_records_the_changed_frame_with_the_administrator(client, administrator, plan):
    content = edited(
        workbook_bytes(plan, today=GENERATED_ON),
        set_frame("valnamnden", "Budget 2026", -2.5),
    )
    client.force_login(administrator)

    response = client.post(reverse("budget:import"), {"file": upload(content)})

    assert response.status_code == 302
    entry = frame_changes().get()
    assert entry.user == administrator
    assert entry.source == AuditEntry.Source.IMPORT
    assert entry.old_value == "-2400000.00"
    assert entry.new_value == "-2500000.00"
    assert entry.committee.code == "valnamnden"


def test_the_import_command_records_its_changes(plan, tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(
        edited(
            workbook_bytes(plan, today=GENERATED_ON),
            set_frame("kommunrevisionen", "Plan 2028", -1.2),
        )
    )

    call_command("import_budget", str(path), stdout=StringIO())

    entry = frame_changes().get()
    assert entry.source == AuditEntry.Source.COMMAND
    assert entry.actor.startswith("import_budget")
    assert entry.user is None


def test_a_reload_with_a_reason_keeps_the_reason(plan, plan_data, finance_officer):
    data = copy.deepcopy(plan_data)
    data["committees"][0]["activities"][0]["frames"]["plan-2027"] = Decimal("-1.05")

    load_plan(
        data,
        actor=Actor(user=finance_officer, source=Source.PAGE),
        reason="Rättelse av överföringsfel",
    )

    entry = frame_changes().get()
    assert entry.reason == "Rättelse av överföringsfel"
    assert entry.actor == "eva"
    assert entry.new_value == "-1050000.00"


def test_an_unchanged_reload_records_nothing(plan, plan_data):
    before = AuditEntry.objects.count()

    load_plan(plan_data)

    assert AuditEntry.objects.count() == before
