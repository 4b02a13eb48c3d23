"""Users, roles and committee membership: every change is audited.

Roles are Django groups named after ``Role``; a controller's committees are
``Membership`` rows. These functions are the only paths the application uses
to change them (the admin's user pages call them too). A user name locked out of the
login (django-axes) is unlocked here too.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from budget.audit import Actor, Area, History, Scope
from budget.models import AuditEntry, Committee, Membership
from budget.roles import Role, forget

Action = AuditEntry.Action


class AccessError(Exception):
    """A change of access that is not allowed; the message is Swedish."""


def _other_administrators(user):
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.value).exclude(
        pk=user.pk
    )


def roles_of(user) -> set[str]:
    return set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


@transaction.atomic
def set_access(*, user, roles, committees, actor: Actor, reason: str = "") -> list[str]:
    """Give ``user`` exactly these roles and committees; returns what changed, in Swedish."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    roles = {Role(r).value for r in roles}
    committees = set(committees)
    if committees and Role.CONTROLLER.value not in roles:
        raise AccessError("Bara en controller kan knytas till nämnder.")
    if Role.CONTROLLER.value in roles and not committees:
        raise AccessError("En controller måste knytas till minst en nämnd.")
    if any(c.kind == Committee.Kind.FINANCE for c in committees):
        raise AccessError("Finansförvaltningen är ingen nämnd att knyta en controller till.")
    history = History(actor=actor, reason=reason)
    scope = Scope(area=Area.ACCESS)
    changes = []
    before = roles_of(user)
    admin = Role.ADMINISTRATOR.value
    if admin in before and admin not in roles and not _other_administrators(user).exists():
        raise AccessError(
            "Det måste finnas minst en aktiv administratör; ge någon annan rollen först."
        )

    def changed(field_label, scope, **old_or_new):
        history.add(
            obj=user, action=Action.CHANGED, scope=scope, field_label=field_label, **old_or_new
        )

    for name in sorted(roles - before):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
        changed("roll", scope, new=name)
        changes.append(f"roll {name} tillagd")
    for name in sorted(before - roles):
        user.groups.remove(Group.objects.get(name=name))
        changed("roll", scope, old=name)
        changes.append(f"roll {name} borttagen")
    current = {m.committee: m for m in user.memberships.select_related("committee")}
    for committee in sorted(committees - set(current), key=lambda c: c.position):
        Membership.objects.create(user=user, committee=committee)
        changed("nämnd", Scope(area=Area.ACCESS, committee=committee), new=committee.name)
        changes.append(f"{committee.name} tillagd")
    for committee in sorted(set(current) - committees, key=lambda c: c.position):
        current[committee].delete()
        changed("nämnd", Scope(area=Area.ACCESS, committee=committee), old=committee.name)
        changes.append(f"{committee.name} borttagen")
    history.write()
    forget(user)
    return changes


@transaction.atomic
def create_user(
    *, username, first_name="", last_name="", email="", roles=(), committees=(), actor, reason=""
):
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise AccessError(f"Användarnamnet ”{username}” finns redan.")
    user = User.objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    history = History(actor=actor, reason=reason)
    history.add(
        obj=user,
        action=Action.CREATED,
        scope=Scope(area=Area.ACCESS),
        new=f"{user.get_full_name()} ({username}) {email}".strip(),
    )
    history.write()
    set_access(user=user, roles=roles, committees=committees, actor=actor, reason=reason)
    return user


@transaction.atomic
def update_user(
    *, user, first_name, last_name, email, is_active, roles, committees, actor, reason=""
) -> list[str]:
    User = get_user_model()
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.pk == getattr(actor.user, "pk", None) and not is_active:
        raise AccessError("Du kan inte stänga av ditt eget konto.")
    history = History(actor=actor, reason=reason)
    changes = []
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "is_active": is_active,
    }
    for name, value in values.items():
        old = getattr(locked, name)
        if old != value:
            setattr(locked, name, value)
            history.add(
                obj=locked,
                action=Action.CHANGED,
                scope=Scope(area=Area.ACCESS),
                field_label=str(User._meta.get_field(name).verbose_name),
                old=old,
                new=value,
            )
            changes.append(str(User._meta.get_field(name).verbose_name))
    locked.save()
    history.write()
    changes += set_access(
        user=locked, roles=roles, committees=committees, actor=actor, reason=reason
    )
    return changes


@dataclass(frozen=True)
class LoginLockout:
    """Too many wrong passwords for a user name from one address: locked until ``until``."""

    address: str | None
    failures: int
    until: datetime | None


def _failures_per_address(usernames):
    """Failed logins within the cool-off time, per user name and address, that reach
    django-axes' limit: the pairs locked out now."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(username__in=usernames)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    ), cool_off


def login_lockouts(user) -> list[LoginLockout]:
    """The addresses from which ``user``'s user name is locked out of the login now, as
    django-axes counts: failures per user name and address within the cool-off time."""
    rows, cool_off = _failures_per_address([user.username])
    return [
        LoginLockout(
            address=row["ip_address"],
            failures=row["failures"],
            until=row["last"] + cool_off if cool_off is not None else None,
        )
        for row in rows.order_by("-last", "ip_address")
    ]


def locked_out(usernames) -> set[str]:
    """Which of ``usernames`` are locked out of the login from some address now."""
    rows, _ = _failures_per_address(list(usernames))
    return {row["username"] for row in rows}


@transaction.atomic
def unlock_login(*, user, actor: Actor, reason: str = "") -> list[LoginLockout]:
    """Forget every failed login of ``user``'s user name, so that they may sign in again at
    once; the unlocking is recorded if they were locked out. Returns the lockouts lifted."""
    lockouts = login_lockouts(user)
    reset_login_attempts(username=user.username)
    if lockouts:
        history = History(actor=actor, reason=reason)
        history.add(
            obj=user,
            action=Action.CHANGED,
            scope=Scope(area=Area.ACCESS),
            field_label="inloggningsspärr",
            old="spärrad från "
            + ", ".join(str(lock.address or "okänd adress") for lock in lockouts),
            new="upplåst",
        )
        history.write()
    return lockouts
