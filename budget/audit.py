"""Writing the audit trail: every path that changes data goes through here.

``save_with_history`` creates or updates one row and records what changed;
``record_with_history`` does the same for a row a person enters (with who and when on
the row itself); ``record`` writes a single entry. Both write in the caller's transaction, so
a change and its history are committed together or not at all. ``History.add_changes``
records the changes of thousands of rows (a report template's upload) as the same entries
``apply_changes`` makes, and writes them with one statement (``insert_rows``).
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from budget.concurrency import create_or_stale
from budget.models import AuditEntry

Source = AuditEntry.Source
Area = AuditEntry.Area
Action = AuditEntry.Action


@dataclass
class Actor:
    """Who makes a change, and along which path."""

    user: object = None
    source: str = Source.SYSTEM
    name: str = ""

    @classmethod
    def of(cls, request, source: str = Source.PAGE) -> "Actor":
        """The signed-in user of a request, acting through a page (or ``source``)."""
        return cls(user=request.user, source=source)

    @property
    def person(self):
        """The signed-in user who acts, or None (a command, the system, an anonymous user):
        who a row records as having entered it."""
        return self.user if getattr(self.user, "is_authenticated", False) else None

    @property
    def label(self) -> str:
        if self.person is not None:
            full = self.user.get_full_name()
            return f"{full} ({self.user.get_username()})" if full else self.user.get_username()
        return self.name or Source(self.source).label


@dataclass
class Scope:
    """Where an entry belongs, so it shows in that plan's or committee's history."""

    area: str
    plan: object = None
    committee: object = None


def display(value) -> str:
    """A value as the history shows it: exact, never rounded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _about(obj, *, field_label, old, new, shown=None) -> dict:
    """The columns that say what an entry is about and what changed: the object (``shown``:
    its name, when the caller has it already), the field and the values before and after."""
    return {
        "object_id": str(obj.pk),
        "object_repr": (str(obj) if shown is None else shown)[:300],
        "field": field_label[:200],
        "old_value": display(old),
        "new_value": display(new),
    }


def entry(*, actor, obj, action, scope, field_label="", old=None, new=None, reason="", at=None):
    """An unsaved entry (for bulk writing with ``write``)."""
    return AuditEntry(
        at=at or timezone.now(),
        user=actor.person,
        actor=actor.label[:150],
        action=action,
        source=actor.source,
        area=scope.area,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        reason=reason,
        plan=scope.plan,
        committee=scope.committee,
        **_about(obj, field_label=field_label, old=old, new=new),
    )


def record(**kwargs) -> AuditEntry:
    e = entry(**kwargs)
    e.save()
    return e


def write(entries) -> None:
    AuditEntry.objects.bulk_create(entries)


def _columns() -> list:
    """AuditEntry's columns an insert fills: all but the id, which the database gives."""
    return [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


def insert_rows(rows) -> None:
    """Insert entries given as column values ({attname: value}, as ``History.add_changes``
    keeps them) with one statement: COPY on PostgreSQL, one INSERT executed for every row
    elsewhere. Only ever new rows: an entry cannot be changed (AuditEntry is append-only,
    and a row here has no id); the database checks the rest as for any insert (the action's
    constraint, the references). Values are prepared as the ORM prepares them; the text
    columns a row differs in are plain text already."""
    if not rows:
        return
    columns = _columns()
    prepared = {}  # the values rows share (time, user, plan…), each prepared once

    def value(column, raw):
        if raw is None or isinstance(raw, str):
            return raw
        key = (column.attname, raw)
        if key not in prepared:
            prepared[key] = column.get_db_prep_save(raw, connection)
        return prepared[key]

    values = [[value(c, row[c.attname]) for c in columns] for row in rows]
    quote = connection.ops.quote_name
    table, names = quote(AuditEntry._meta.db_table), ", ".join(quote(c.column) for c in columns)
    if connection.vendor == "postgresql":
        _copy(f"COPY {table} ({names}) FROM STDIN", values)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            # Names from the model's own metadata, quoted; every value a parameter.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, values)


def _copy(sql, values) -> None:
    """PostgreSQL's COPY of ``values`` (psycopg's ``Cursor.copy``), with database errors
    raised as Django's and the statement logged as one query where Django logs queries."""
    started = time.monotonic()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)
    if connection.queries_logged:
        duration = time.monotonic() - started
        connection.queries_log.append(
            {"sql": f"{sql} -- {len(values)} rows", "time": f"{duration:.3f}"}
        )


@dataclass
class History:
    """Entries collected during one unit of work and written together."""

    actor: Actor
    reason: str = ""
    entries: list = field(default_factory=list)
    at: object = None
    # Entries added with add_changes, as column values: written after ``entries``.
    rows: list = field(default_factory=list)

    def __post_init__(self):
        self.at = self.at or timezone.now()

    def add(self, *, obj, action, scope, field_label="", old=None, new=None):
        self.entries.append(
            entry(
                actor=self.actor,
                obj=obj,
                action=action,
                scope=scope,
                field_label=field_label,
                old=old,
                new=new,
                reason=self.reason,
                at=self.at,
            )
        )

    def add_changes(self, changes: Iterable, *, scope: Scope) -> list:
        """``apply_changes`` for many rows of one model at once: ``changes`` are (row,
        values) pairs; each row gets the fields of its values that differ, an entry each,
        the same entries ``apply_changes`` adds, kept as column values so that thousands
        cost no model instances, and written with one statement by ``write``. Returns the
        rows that changed."""
        shared = None
        changed = []
        for obj, values in changes:
            differences = _apply(obj, values)
            if not differences:
                continue
            if shared is None:  # what every entry of these rows has in common, once
                shared = self._shared(obj, scope)
            shown = str(obj)
            for name, old, new in differences:
                label = field_label(type(obj), name)
                self.rows.append(
                    shared | _about(obj, field_label=label, old=old, new=new, shown=shown)
                )
            changed.append(obj)
        return changed

    def _shared(self, obj, scope) -> dict:
        """The column values of a change entry about ``obj`` that do not depend on the
        object or the field: those of an entry built by ``entry``, so they cannot differ."""
        model = entry(
            actor=self.actor,
            obj=obj,
            action=Action.CHANGED,
            scope=scope,
            reason=self.reason,
            at=self.at,
        )
        about = _about(obj, field_label="", old=None, new=None)
        return {f.attname: getattr(model, f.attname) for f in _columns() if f.attname not in about}

    def write(self):
        write(self.entries)
        insert_rows(self.rows)
        self.entries = []
        self.rows = []


def field_label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def save_with_history(
    model, lookup: dict, values: dict, *, history: History, scope: Scope, known_new=False
):
    """Create or update one row and add what changed to ``history``.

    Returns (object, created, changed field names). The row is locked while it is
    compared, so two imports cannot overwrite each other's change unrecorded.
    ``known_new``: the caller knows the row cannot exist yet (its parent was just
    created), which saves the look-up.
    """
    obj = (
        None
        if known_new
        else model.objects.select_for_update().filter(**lookup).order_by("pk").first()
    )
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        history.add(obj=obj, action=Action.CREATED, scope=scope, new=summary(model, values))
        return obj, True, list(values)
    changed = apply_changes(obj, values, history=history, scope=scope)
    if changed:
        obj.save(update_fields=changed)
    return obj, False, changed


def record_with_history(
    model,
    row,
    *,
    create: dict,
    values: dict,
    history: History,
    scope: Scope,
    now,
    user,
    conflict: Callable[[], Exception] | None = None,
    prefix: str = "",
):
    """Create or change one row a person enters, stamped ``recorded_at``/``recorded_by``.

    ``row`` is the existing row, locked by the caller (``select_for_update``), or None:
    then it is created from ``create`` (its key) and ``values``, and its history entry
    sums up ``values`` after ``prefix``. An existing row gets the fields of ``values``
    that differ, an entry each; an unchanged row is not written. Returns (row, saved).
    ``conflict()`` is raised instead of the IntegrityError when someone else created the
    row at the same moment (budget.concurrency.create_or_stale).
    """
    if row is None:
        fields = {**create, **values, "recorded_at": now, "recorded_by": user}
        if conflict is None:
            row = model.objects.create(**fields)
        else:
            row = create_or_stale(model, stale=conflict, **fields)
        history.add(
            obj=row, action=Action.CREATED, scope=scope, new=prefix + summary(model, values)
        )
        return row, True
    changed = apply_changes(row, values, history=history, scope=scope)
    if not changed:
        return row, False
    row.recorded_at, row.recorded_by = now, user
    row.save(update_fields=[*changed, "recorded_at", "recorded_by"])
    return row, True


def summary(model, values: dict) -> str:
    """ "belopp: -1500000.00, kommentar: …": a new row's values, as its history entry."""
    return ", ".join(
        f"{field_label(model, k)}: {display(v)}" for k, v in values.items() if v not in ("", None)
    )


def fields_of(obj, names) -> str:
    """ "kön: T, aktiv: ja": the fields ``names`` of a new row, as its history entry;
    unlike ``summary``, an empty field is listed too."""
    model = type(obj)
    return ", ".join(f"{field_label(model, name)}: {display(getattr(obj, name))}" for name in names)


def _apply(obj, values: dict) -> list[tuple]:
    """Set the fields of ``values`` that differ on ``obj`` (unsaved): (name, old, new) of each."""
    differences = [(k, getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v]
    for name, _, new in differences:
        setattr(obj, name, new)
    return differences


def apply_changes(obj, values: dict, *, history: History, scope: Scope) -> list[str]:
    """Set the fields of ``values`` that differ on ``obj`` (unsaved), an entry each."""
    differences = _apply(obj, values)
    for name, old, new in differences:
        history.add(
            obj=obj,
            action=Action.CHANGED,
            scope=scope,
            field_label=field_label(type(obj), name),
            old=old,
            new=new,
        )
    return [name for name, _, _ in differences]


def record_each(model, rows, *, history: History, now, user, conflict=None) -> list:
    """Enter ``rows``, each (the locked row or None, its key, its values, its scope), with
    ``record_with_history``; returns the rows that were created or changed."""
    saved = []
    for row, create, values, scope in rows:
        row, changed = record_with_history(
            model,
            row,
            create=create,
            values=values,
            history=history,
            scope=scope,
            now=now,
            user=user,
            conflict=conflict,
        )
        if changed:
            saved.append(row)
    return saved
