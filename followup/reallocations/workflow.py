"""Reallocations: drawn up, prepared, decided, applied; or rejected. Reversed, never edited.

Every path that writes a reallocation (the pages, an uploaded file, the command) goes
through ``save_draft``, which refuses lines that do not sum to zero; the admin site only
shows them. The deciding body follows from the lines and is never chosen:

- every line in one committee (kind "nämnd") → that committee decides;
- lines in more than one committee, or any line of finansförvaltningen or the political
  reserve → kommunfullmäktige.

Only ``apply_reallocation`` moves money: each line becomes one entry in the frame ledger,
whose ``source`` is unique, so a line can never be applied twice, whatever the path or the
timing.

Amounts are net kronor like the frames (costs negative): the committee that receives
money gets a negative line (its cost frame grows), where the money comes from a positive
one (a committee's frame shrinks, or a finance revenue line grows). Zero sum means the
budgeted result does not move. ``received`` and ``given`` say it in words for the pages.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from budget import roles
from budget.audit import Actor, Area, History, Scope, apply_changes
from budget.concurrency import check_version
from budget.models import Activity, AuditEntry, BudgetYear, Committee, FrameEntry
from budget.money import format_tkr
from followup import four_eyes
from followup.models import Reallocation, ReallocationLine

Action = AuditEntry.Action
Status = Reallocation.Status


class ReallocationError(Exception):
    """A reallocation the rules do not allow (Swedish message)."""


class StaleReallocation(ReallocationError):
    """Someone else saved the reallocation after this user opened it."""


@dataclass(frozen=True)
class Line:
    """A line as typed: the activity, the amount in kronor and a note."""

    activity: Activity
    amount: Decimal
    note: str = ""


def received(line) -> Decimal:
    """How much more the line's activity may spend (kr); negative when it gives money."""
    return -line.amount


# How the sign of a line is said on every page, form, template and paper: the amount is
# the change of the activity's net frame, with the budget tables' sign (costs negative).
SIGN_CONVENTION = (
    "Beloppet är förändringen av verksamhetens nettoram, med samma tecken som i budgetens "
    "tabeller (kostnader negativa): den som får pengar har ett negativt belopp (dess "
    "nettokostnadsram ökar), där pengarna tas har ett positivt (en nämnds ram minskar, eller "
    "en intäktsrad i finansförvaltningen ökar). Raderna summerar till 0."
)
SIGN_HINT = "Negativt där ramen ökar (får pengar), positivt där pengarna tas."


def effect(line) -> str:
    """What the line means, in words: "Får 1 200,0 tkr" or "Lämnar 1 200,0 tkr"."""
    amount = received(line)
    return f"{'Får' if amount > 0 else 'Lämnar'} {format_tkr(abs(amount))}\u00a0tkr"


def moved(lines) -> Decimal:
    """The money a reallocation moves: the sum of what the receiving lines get."""
    return sum((-line.amount for line in lines if line.amount < 0), Decimal(0))


def deciding_body(activities) -> tuple[str, Committee | None]:
    """(body, committee) that decides a reallocation with lines on these activities."""
    committees = {a.committee for a in activities}
    if len(committees) == 1:
        (committee,) = committees
        if committee.kind == Committee.Kind.COMMITTEE:
            return Reallocation.Body.COMMITTEE, committee
    return Reallocation.Body.COUNCIL, None


def check_lines(lines: list[Line], *, plan) -> list[str]:
    """Every reason the lines cannot make a reallocation, in Swedish; empty when they can."""
    problems = []
    if len(lines) < 2:
        problems.append(
            "En omfördelning har minst två rader: varifrån pengarna kommer och vart de går."
        )
    seen = set()
    for line in lines:
        name = line.activity.name
        if line.activity.committee.municipality_id != plan.municipality_id:
            problems.append(f"{name} hör inte till {plan.municipality}.")
        if line.activity.pk in seen:
            problems.append(f"{name} står på mer än en rad; slå ihop raderna.")
        seen.add(line.activity.pk)
        if line.amount == 0:
            problems.append(f"{name}: beloppet är 0; ta bort raden.")
    total = sum((line.amount for line in lines), Decimal(0))
    if total != 0:
        problems.append(
            f"Raderna summerar till {format_tkr(total)} tkr, inte 0: varje ökning ska "
            "finansieras av en minskning (ingen underfinansiering)."
        )
    return problems


def _may_draw_up(user, activities) -> bool:
    """Finance drafts any reallocation; a controller one within their own committee."""
    if roles.is_finance(user):
        return True
    committees = {a.committee for a in activities}
    return (
        roles.is_controller(user)
        and len(committees) == 1
        and next(iter(committees)).pk in roles.committee_ids(user)
        and next(iter(committees)).kind == Committee.Kind.COMMITTEE
    )


def _scope(reallocation) -> Scope:
    committee = reallocation.deciding_committee
    return Scope(area=Area.REALLOCATIONS, plan=reallocation.plan, committee=committee)


def _lock(reallocation) -> Reallocation:
    return (
        Reallocation.objects.select_for_update(of=("self",))
        .select_related("plan", "budget_year", "deciding_committee")
        .get(pk=reallocation.pk)
    )


def _status(history, reallocation, new):
    history.add(
        obj=reallocation,
        action=Action.CHANGED,
        scope=_scope(reallocation),
        field_label="status",
        old=reallocation.get_status_display(),
        new=Status(new).label,
    )
    reallocation.status = new
    reallocation.row_version += 1


def _finish(history, reallocation, new, **fields) -> Reallocation:
    """The step's end: the status becomes ``new`` (recorded), ``fields`` are set, the
    reallocation is saved and the step's history written."""
    _status(history, reallocation, new)
    for name, value in fields.items():
        setattr(reallocation, name, value)
    reallocation.save()
    history.write()
    return reallocation


@transaction.atomic
def save_draft(
    *,
    plan,
    budget_year: BudgetYear,
    kind: str,
    title: str,
    purpose: str,
    funding: str,
    lines: list[Line],
    actor: Actor,
    reallocation: Reallocation | None = None,
    row_version: int | None = None,
    demo: bool = False,
) -> Reallocation:
    """Create a draft, or replace a draft's text and lines. Refused unless the lines sum
    to zero and the user may draw up a reallocation between those activities."""
    problems = check_lines(lines, plan=plan)
    if (
        budget_year.plan_id != plan.pk
        or budget_year.kind != BudgetYear.Kind.BUDGET
        or budget_year.year != plan.year
    ):
        problems.append(
            f"En omfördelning ändrar budgetåret {plan.year} i {plan.title}; tidigare års "
            "budget och planåren ändras inte under året."
        )
    if not title.strip() or not purpose.strip() or not funding.strip():
        problems.append("Ange rubrik, syfte och varifrån pengarna kommer.")
    if problems:
        raise ReallocationError(" ".join(problems))
    activities = [line.activity for line in lines]
    if not _may_draw_up(actor.user, activities):
        raise ReallocationError(
            "Du kan bara föreslå omfördelningar mellan verksamheter i din egen nämnd."
        )
    body, committee = deciding_body(activities)
    history = History(actor=actor)
    values = {
        "budget_year": budget_year,
        "kind": kind,
        "title": title.strip(),
        "purpose": purpose.strip(),
        "funding": funding.strip(),
        "deciding_body": body,
        "deciding_committee": committee,
    }
    if reallocation is None:
        number = (plan.reallocations.aggregate(n=Max("number"))["n"] or 0) + 1
        reallocation = Reallocation.objects.create(
            plan=plan, number=number, created_by=actor.user, demo=demo, **values
        )
        history.add(
            obj=reallocation, action=Action.CREATED, scope=_scope(reallocation), new="Utkast"
        )
    else:
        reallocation = _lock(reallocation)
        check_version(
            shown=row_version,
            current=reallocation.row_version,
            stale=lambda: StaleReallocation(
                "Omfördelningen har ändrats av någon annan efter att du öppnade den. Dina "
                "uppgifter har inte sparats; de står kvar i formuläret."
            ),
        )
        if reallocation.status != Status.DRAFT:
            raise ReallocationError(
                f"Omfördelningen är {reallocation.get_status_display().lower()}; bara ett "
                "utkast kan ändras."
            )
        apply_changes(reallocation, values, history=history, scope=_scope(reallocation))
        reallocation.row_version += 1
        reallocation.save()
    _replace_lines(history, reallocation, lines)
    history.write()
    return reallocation


def _replace_lines(history, reallocation, lines):
    """A draft's lines become ``lines``: unchanged lines stay, changed amounts are
    recorded, lines no longer wanted are removed from the draft (never after it is
    prepared: a prepared, decided or applied reallocation's lines are fixed)."""
    existing = {line.activity_id: line for line in reallocation.lines.select_for_update()}
    wanted = {line.activity.pk: line for line in lines}
    scope = _scope(reallocation)
    for activity_id, line in existing.items():
        if activity_id not in wanted:
            history.add(
                obj=line,
                action=Action.CHANGED,
                scope=scope,
                field_label="borttagen ur utkastet",
                old="nej",
                new="ja",
            )
            line.withdrawn = True
            line.save(update_fields=["withdrawn"])
    for activity_id, new in wanted.items():
        line = existing.get(activity_id)
        if line is None:
            line = ReallocationLine.objects.create(
                reallocation=reallocation,
                activity=new.activity,
                amount=new.amount,
                note=new.note,
            )
            history.add(
                obj=line, action=Action.CREATED, scope=scope, new=f"belopp (kr): {line.amount}"
            )
        elif (line.amount, line.note) != (new.amount, new.note):
            history.add(
                obj=line,
                action=Action.CHANGED,
                scope=scope,
                field_label="belopp (kr)",
                old=line.amount,
                new=new.amount,
            )
            line.amount, line.note = new.amount, new.note
            line.save(update_fields=["amount", "note"])


def _require_finance(actor, what):
    if not roles.is_finance(actor.user):
        raise ReallocationError(f"Bara ekonomiavdelningen kan {what}.")


def _required_reason(reason, missing: str) -> str:
    """The reason, trimmed; ``missing`` is the refusal when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ReallocationError(missing)
    return reason


def _check_balanced(reallocation):
    """The saved lines still sum to zero (defence in depth for every transition)."""
    lines = [Line(line.activity, line.amount) for line in reallocation.lines.all()]
    problems = check_lines(lines, plan=reallocation.plan)
    if problems:
        raise ReallocationError(" ".join(problems))


def drafters(reallocation) -> list[int]:
    """The ids of those who drew up the reallocation: whoever created it and whoever changed its text or lines
    while it was a draft (from its history), in order. The steps after the draft (prepare,
    return, decide, apply, reject) change only its status and decision and are not drafting."""
    line_ids = [str(pk) for pk in reallocation.lines.values_list("pk", flat=True)]
    kinds = ContentType.objects.get_for_models(Reallocation, ReallocationLine)
    edits = (
        AuditEntry.objects.filter(
            Q(content_type=kinds[Reallocation], object_id=str(reallocation.pk))
            & ~Q(field__in=["status", "beslut", "fyraögonsprincipen"])
            | Q(content_type=kinds[ReallocationLine], object_id__in=line_ids)
        )
        .exclude(user=None)
        .order_by("at", "id")
        .values_list("user_id", flat=True)
    )
    return [i for i in dict.fromkeys([reallocation.created_by_id, *edits]) if i is not None]


def decision_check(*, reallocation, user, step: str) -> four_eyes.Check:
    """Four eyes for recording the decision on (``step`` "registrera beslutet om") or applying
    ("genomföra") a reallocation: never by someone who drew it up, unless the municipality's
    single-officer exception is on."""
    return four_eyes.check(
        user=user,
        hands=[(person, "har upprättat omfördelningen") for person in drafters(reallocation)],
        municipality=reallocation.plan.municipality,
        step=f"{step} omfördelningen",
        who_else="en annan person på ekonomiavdelningen gör det",
    )


def _four_eyes(history, reallocation, actor, step):
    check = decision_check(reallocation=reallocation, user=actor.person, step=step)
    if not check.allowed:
        raise ReallocationError(check.refusal)
    four_eyes.record_use(history, obj=reallocation, scope=_scope(reallocation), check=check)


@transaction.atomic
def prepare_reallocation(*, reallocation, actor: Actor, now=None) -> Reallocation:
    """Finance has checked the draft: it goes to the deciding body."""
    _require_finance(actor, "bereda en omfördelning")
    reallocation = _lock(reallocation)
    if reallocation.status != Status.DRAFT:
        raise ReallocationError("Bara ett utkast kan beredas.")
    _check_balanced(reallocation)
    history = History(actor=actor)
    return _finish(
        history,
        reallocation,
        Status.PREPARED,
        prepared_at=now or timezone.now(),
        prepared_by=actor.user,
    )


@transaction.atomic
def return_to_draft(*, reallocation, actor: Actor, reason: str) -> Reallocation:
    """A prepared reallocation goes back to its author for changes."""
    _require_finance(actor, "skicka tillbaka en omfördelning")
    reason = _required_reason(reason, "Skriv varför omfördelningen skickas tillbaka.")
    reallocation = _lock(reallocation)
    if reallocation.status != Status.PREPARED:
        raise ReallocationError("Bara en beredd omfördelning kan skickas tillbaka till utkast.")
    return _finish(History(actor=actor, reason=reason), reallocation, Status.DRAFT)


@transaction.atomic
def record_decision(
    *, reallocation, actor: Actor, decided_on, paragraph: str, protocol=None, today=None
) -> Reallocation:
    """The deciding body has decided: its date and paragraph (and the protocol extract).
    Recorded by someone who did not draw it up (four eyes; ``decision_check``)."""
    _require_finance(actor, "registrera ett beslut")
    paragraph = (paragraph or "").strip()
    if decided_on is None or not paragraph:
        raise ReallocationError("Ange beslutsdatum och paragraf, till exempel ”§ 45”.")
    today = today or timezone.localdate()
    if decided_on > today:
        raise ReallocationError(
            f"Beslutsdatumet {decided_on:%Y-%m-%d} har inte kommit än; registrera beslutet "
            "när det är fattat."
        )
    reallocation = _lock(reallocation)
    if reallocation.status != Status.PREPARED:
        raise ReallocationError("Bara en beredd omfördelning kan beslutas.")
    _check_balanced(reallocation)
    history = History(actor=actor)
    _four_eyes(history, reallocation, actor, "registrera beslutet om")
    reallocation.decided_on = decided_on
    reallocation.decision_paragraph = paragraph
    reallocation.decision_recorded_by = actor.user
    if protocol is not None:
        reallocation.protocol = protocol
    _status(history, reallocation, Status.DECIDED)
    history.add(
        obj=reallocation,
        action=Action.CHANGED,
        scope=_scope(reallocation),
        field_label="beslut",
        new=reallocation.decision,
    )
    reallocation.save()
    history.write()
    return reallocation


@transaction.atomic
def apply_reallocation(*, reallocation, actor: Actor, now=None) -> Reallocation:
    """Move the money: one frame-ledger entry per line. Possible once only, and never by
    someone who drew the reallocation up (four eyes; ``decision_check``)."""
    _require_finance(actor, "genomföra en omfördelning")
    reallocation = _lock(reallocation)
    if reallocation.status == Status.APPLIED:
        raise ReallocationError("Omfördelningen är redan genomförd.")
    if reallocation.status != Status.DECIDED:
        raise ReallocationError("Bara en beslutad omfördelning kan genomföras.")
    _check_balanced(reallocation)
    kind = (
        FrameEntry.Kind.CARRYOVER
        if reallocation.kind == Reallocation.Kind.CARRYOVER
        else FrameEntry.Kind.CHANGE
    )
    history = History(actor=actor)
    _four_eyes(history, reallocation, actor, "genomföra")
    try:
        with transaction.atomic():
            for line in reallocation.lines.select_related("activity"):
                entry = FrameEntry.objects.create(
                    activity=line.activity,
                    budget_year=reallocation.budget_year,
                    kind=kind,
                    amount=line.amount,
                    decision=reallocation.decision,
                    decided_on=reallocation.decided_on,
                    note=f"{reallocation.get_kind_display()} {reallocation.reference}: "
                    f"{reallocation.title}",
                    recorded_by=actor.user,
                    source=line.ledger_source,
                )
                history.add(
                    obj=entry,
                    action=Action.CREATED,
                    scope=Scope(
                        area=Area.FRAMES, plan=reallocation.plan, committee=line.activity.committee
                    ),
                    new=f"belopp (kr): {line.amount}, beslut: {reallocation.decision}",
                )
    except IntegrityError as exc:  # the unique ledger source: applied by someone else
        raise ReallocationError("Omfördelningen är redan genomförd.") from exc
    return _finish(
        history,
        reallocation,
        Status.APPLIED,
        applied_at=now or timezone.now(),
        applied_by=actor.user,
    )


@transaction.atomic
def reject_reallocation(*, reallocation, actor: Actor, reason: str) -> Reallocation:
    """The deciding body said no, or finance stops a draft: kept, never deleted."""
    _require_finance(actor, "avslå en omfördelning")
    reason = _required_reason(reason, "Skriv skälet till avslaget.")
    reallocation = _lock(reallocation)
    if reallocation.status not in (Status.DRAFT, Status.PREPARED):
        raise ReallocationError(
            "Bara ett utkast eller en beredd omfördelning kan avslås; en genomförd rättas "
            "med en återföring."
        )
    return _finish(
        History(actor=actor, reason=reason),
        reallocation,
        Status.REJECTED,
        rejection_reason=reason,
    )


@transaction.atomic
def reverse_reallocation(*, reallocation, actor: Actor, reason: str) -> Reallocation:
    """A new draft with every line turned round: the way to correct an applied change."""
    _require_finance(actor, "återföra en omfördelning")
    reason = _required_reason(reason, "Skriv varför omfördelningen återförs.")
    original = _lock(reallocation)
    if original.status != Status.APPLIED:
        raise ReallocationError("Bara en genomförd omfördelning återförs.")
    if Reallocation.objects.filter(reverses=original).exists():
        raise ReallocationError("Det finns redan en återföring av omfördelningen.")
    lines = [
        Line(line.activity, -line.amount, line.note)
        for line in original.lines.select_related("activity__committee")
    ]
    reversal = save_draft(
        plan=original.plan,
        budget_year=original.budget_year,
        kind=original.kind,
        title=f"Återföring av {original.reference}: {original.title}"[:200],
        purpose=reason,
        funding=f"Återför {original.reference} ({original.decision}).",
        lines=lines,
        actor=actor,
    )
    reversal.reverses = original
    reversal.save(update_fields=["reverses"])
    return reversal


def pending(plan):
    """Reallocations not yet applied nor rejected: listed apart, never counted in frames."""
    return (
        Reallocation.objects.filter(plan=plan, status__in=Reallocation.PENDING)
        .select_related("budget_year", "deciding_committee")
        .prefetch_related("lines__activity__committee")
        .order_by("number", "id")
    )


def awaiting_council(plan):
    """What awaits a decision by kommunfullmäktige: prepared reallocations for KF."""
    return pending(plan).filter(status=Status.PREPARED, deciding_body=Reallocation.Body.COUNCIL)
