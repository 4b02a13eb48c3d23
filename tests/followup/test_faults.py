"""Faults on PostgreSQL: two people approving at once, and the database connection lost in
the middle of an import or a submission. Each case ends with all of the change or none of
it, never half: no lines without their history, no status without its entry.

The connection is lost for real: a second connection terminates the working one's server
process (``pg_terminate_backend``) at a chosen point in the middle of the work, so the
next statement fails as it would when the server restarts or the network drops.
"""

from contextlib import contextmanager
from decimal import Decimal
from io import BytesIO
from unittest import mock

import psycopg
import pytest
from django.db import DatabaseError, connection, connections

from budget import loader
from budget.audit import Actor, History, Source
from budget.loader import load_plan
from budget.models import Activity, AuditEntry, BudgetPlan, Committee, FrameEntry, Municipality
from followup.models import OutcomeImport, Report, ReportingPeriod, ReportLine
from followup.outcome import OutcomeFileError, import_outcome
from followup.periods.calendar import load_plan_calendar
from followup.reports import workflow
from followup.reports.workflow import (
    WorkflowError,
    approve_report,
    open_report,
    return_report,
    save_report,
    submit_report,
)
from tests.database import require_postgresql
from tests.followup.threads import at_once, told

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(transactional_db):
    require_postgresql("real concurrent transactions and a server to lose")


@pytest.fixture
def march(postgres, plan_data, django_user_model):
    plan = load_plan(plan_data).plan
    load_plan_calendar(plan=plan, data=plan_data)
    ReportingPeriod.objects.filter(plan=plan, month=3).update(status="oppen")
    return ReportingPeriod.objects.get(plan=plan, month=3)


@pytest.fixture
def controller(django_user_model):
    return Actor(user=django_user_model.objects.create_user("cecilia"))


def complete_draft(period, actor) -> Report:
    """Bildningsnämnden's report, with every figure filled in and no deviation."""
    report = open_report(
        committee=Committee.objects.get(code="bildningsnamnden"), period=period, actor=actor
    )
    line = report.lines.get()
    return save_report(
        report=report,
        row_version=report.row_version,
        values={line.activity_id: (Decimal("-130000000"), Decimal("-520000000"), "")},
        actor=actor,
    )


@pytest.fixture
def submitted(march, controller):
    return submit_report(report=complete_draft(march, controller), actor=controller)


def status_entries(report) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type__model="report", object_id=str(report.pk), field="status"
        )
        .order_by("pk")
        .values_list("new_value", flat=True)
    )


def terminate_this_connection():
    """End the server process behind Django's connection, from a second connection."""
    pid = connection.connection.info.backend_pid
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextmanager
def connection_lost_at(owner, name: str, *, call: int = 1):
    """Patch ``owner.name`` so that its ``call``-th call first loses the database connection."""
    original = getattr(owner, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            terminate_this_connection()
        return original(*args, **kwargs)

    with mock.patch.object(owner, name, failing):
        yield calls
    # Django drops a connection whose rollback failed; the next query opens a new one.
    connections.close_all()


# --- Simultaneous approvals ------------------------------------------------------------


def test_of_two_simultaneous_approvals_one_approves_and_the_other_is_told(
    submitted, django_user_model
):
    eva, erik = (
        Actor(user=django_user_model.objects.create_user(name), source=Source.PAGE)
        for name in ("eva", "erik")
    )

    outcomes = told(
        at_once(
            lambda: approve_report(report=submitted, actor=eva),
            lambda: approve_report(report=submitted, actor=erik),
        ),
        refusal=WorkflowError,
    )

    assert sorted(outcomes) == ["Bara en inlämnad rapport kan godkännas.", "done"]
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED
    assert submitted.approved_by.username == ("eva" if outcomes[0] == "done" else "erik")
    assert status_entries(submitted) == ["Inlämnad", "Godkänd"]


def test_an_approval_and_a_return_at_once_end_in_one_of_them_never_both(
    submitted, django_user_model
):
    finance = Actor(user=django_user_model.objects.create_user("eva"), source=Source.PAGE)

    outcomes = told(
        at_once(
            lambda: approve_report(report=submitted, actor=finance),
            lambda: return_report(report=submitted, comment="Förklara prognosen.", actor=finance),
        ),
        refusal=WorkflowError,
    )

    submitted.refresh_from_db()
    assert outcomes.count("done") == 1
    if outcomes[0] == "done":
        assert submitted.status == Report.Status.APPROVED
        assert not submitted.notes.exists()  # the refused return left no reason behind
        assert status_entries(submitted) == ["Inlämnad", "Godkänd"]
    else:
        assert submitted.status == Report.Status.RETURNED
        assert status_entries(submitted) == ["Inlämnad", "Återskickad"]


# --- The connection lost in the middle -------------------------------------------------


def test_a_submission_that_loses_the_database_before_its_history_leaves_the_draft(
    march, controller
):
    report = complete_draft(march, controller)

    # The status is already written in the transaction when the history is.
    with connection_lost_at(History, "write") as calls:
        with pytest.raises(DatabaseError):
            submit_report(report=report, actor=controller)
    assert calls == [1]

    report.refresh_from_db()
    assert (report.status, report.submitted_at) == (Report.Status.DRAFT, None)
    assert status_entries(report) == []
    # And once the database is back, the same submission goes through.
    submit_report(report=report, actor=controller)
    assert status_entries(report) == ["Inlämnad"]


def outcome_file(*rows) -> BytesIO:
    lines = ["nämnd;verksamhet;belopp"] + [f"{c};{a};{amount}" for c, a, amount in rows]
    return BytesIO("\n".join(lines).encode("utf-8"))


def test_an_outcome_import_that_loses_the_database_halfway_saves_no_committee(
    march, django_user_model
):
    finance = Actor(user=django_user_model.objects.create_user("eva"), source=Source.IMPORT)
    committees = ["bildningsnamnden", "omsorgsnamnden", "kommunstyrelsen"]
    before = AuditEntry.objects.count()

    # Lost while the second committee's report is saved, after the first one's was.
    with connection_lost_at(workflow, "save_report", call=2) as calls:
        with pytest.raises(OutcomeFileError) as refused:
            import_outcome(
                period=march,
                fileobj=outcome_file(*((c, c, "-1000000") for c in committees)),
                file_name="utfall.csv",
                actor=finance,
            )
    assert len(calls) == 2

    assert [str(p) for p in refused.value.problems] == [
        "Utfallet kunde inte sparas; ingenting har ändrats."
    ]
    assert not OutcomeImport.objects.exists()
    assert not Report.objects.exists()
    assert not ReportLine.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_budget_import_that_loses_the_database_halfway_leaves_no_plan(postgres, plan_data):
    # Lost after the organisation and the frames, while the investments are loaded.
    with connection_lost_at(loader._Loader, "load_investments") as calls:
        with pytest.raises(DatabaseError):
            load_plan(plan_data)
    assert calls == [1]

    for model in (Municipality, BudgetPlan, Committee, Activity, FrameEntry, AuditEntry):
        assert not model.objects.exists(), model.__name__
    # Loaded again with the database back, the whole plan is there.
    plan = load_plan(plan_data).plan
    assert BudgetPlan.objects.get() == plan
    assert FrameEntry.objects.filter(budget_year__plan=plan).count() > Committee.objects.count() > 5
