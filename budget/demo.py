"""Demo users for a development machine, from a data file."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Committee, Membership, Role


@dataclass
class DemoUser:
    username: str
    role: str
    committees: list
    created: bool


@transaction.atomic
def create_demo_users(data: dict, *, municipality) -> list[DemoUser]:
    """Create missing groups, users and memberships; existing users keep their password."""
    User = get_user_model()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    result = []
    for spec in data.get("users", []):
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec.get("first_name", ""),
                "last_name": spec.get("last_name", ""),
                "is_staff": bool(spec.get("staff", False)),
            },
        )
        if created:
            user.set_password(data["password"])
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=Role(spec["role"]).value))
        committees = list(
            Committee.objects.filter(municipality=municipality, code__in=spec.get("committees", []))
        )
        for committee in committees:
            Membership.objects.get_or_create(user=user, committee=committee)
        result.append(
            DemoUser(
                username=user.username,
                role=Role(spec["role"]).label,
                committees=[c.name for c in committees],
                created=created,
            )
        )
    return result
