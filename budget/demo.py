"""Demo users for a development machine, from a data file."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from budget.accounts import create_user, roles_of, set_access
from budget.models import Committee
from budget.roles import Role


@dataclass
class DemoUser:
    username: str
    role: str
    committees: list
    created: bool


@transaction.atomic
def create_demo_users(data: dict, *, municipality, actor) -> list[DemoUser]:
    """Create missing groups, users and memberships; existing users keep their password
    and any role an administrator has given them since."""
    User = get_user_model()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    result = []
    for spec in data.get("users", []):
        role = Role(spec["role"])
        committees = list(
            Committee.objects.filter(municipality=municipality, code__in=spec.get("committees", []))
        )
        user = User.objects.filter(username=spec["username"]).first()
        created = user is None
        if created:
            user = create_user(
                username=spec["username"],
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                email=spec.get("email", ""),
                roles=[role],
                committees=committees,
                actor=actor,
                reason="Demoanvändare",
            )
            user.set_password(data["password"])
            user.is_staff = bool(spec.get("staff", False))
            user.save(update_fields=["password", "is_staff"])
        else:
            set_access(
                user=user,
                roles=roles_of(user) | {role.value},
                committees=set(committees) | {m.committee for m in user.memberships.all()},
                actor=actor,
                reason="Demoanvändare",
            )
        result.append(
            DemoUser(
                username=user.username,
                role=role.label,
                committees=[c.name for c in committees],
                created=created,
            )
        )
    return result
