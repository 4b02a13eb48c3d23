"""Role checks used by views, templates and commands.

Roles are data: Django groups named after ``Role``. A superuser has every role.
The full object-level permission layer comes with the roles issue; until then
the budget pages are open to every signed-in user and only the budget import
is restricted to administrators.
"""

from django.core.exceptions import PermissionDenied

from .models import Role


def has_role(user, role: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role.value).exists()


def can_import_budget(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied("Du har inte behörighet till den här sidan.")
