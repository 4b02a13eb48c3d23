"""Forms of the access pages: users, their roles and their committees; and the checks of
whole numbers and ids that any page reads from an address, a form or a cell.

The forms only read and check input; every change goes through budget.accounts,
which holds the rules (who may be bound to a committee, who may be deactivated)
and writes the audit trail.
"""

import hashlib
import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import connection

from budget.accounts import roles_of
from budget.models import Committee
from budget.roles import Role

User = get_user_model()

STALE = (
    "Någon annan har ändrat användaren medan du hade sidan öppen. Dina ändringar har inte "
    "sparats. Öppna sidan på nytt för att se de aktuella uppgifterna och gör sedan om "
    "ändringen."
)


def access_version(user) -> str:
    """A token for the user's current names, e-mail, activity, roles and committees.

    The edit form carries the token it was shown with; a save is refused when the
    token no longer matches, so two administrators never overwrite each other.
    """
    committees = sorted(user.memberships.values_list("committee_id", flat=True))
    parts = [
        user.username,
        user.first_name,
        user.last_name,
        user.email,
        str(user.is_active),
        ",".join(sorted(roles_of(user))),
        ",".join(str(pk) for pk in committees),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


_DIGITS = re.compile(r"[0-9]{1,20}")


def whole_number(value, *, low: int, high: int) -> int | None:
    """``value`` (text from an address, a form or a cell) as a whole number from ``low`` to
    ``high``; None for anything else. Only the digits 0–9 count: "²" passes str.isdigit()
    but not int(), and an int() of a text of thousands of digits is refused by Python."""
    text = str(value).strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def id_in_range(value, model) -> int | None:
    """``value`` (as a form sends it) as an id of ``model``, or None when it is no id the
    database could hold: not digits, zero, or beyond the id column's range.

    Checked before any query: an absurd integer in a query is a database error (500), not
    a form error.
    """
    _, highest = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    return whole_number(value, low=1, high=highest or 2**63 - 1)


def row_by_id(queryset, value):
    """The row of ``queryset`` whose id is ``value`` (as a form posted it), or None; a value
    that is no id (absent, "NaN", "1e999", "-1", beyond the id column) finds nothing
    without a query."""
    pk = id_in_range(value, queryset.model) if value is not None else None
    return None if pk is None else queryset.filter(pk=pk).first()


class IdsField(forms.ModelMultipleChoiceField):
    """A multi-select of rows by id whose every value is checked to be an id the database
    can hold before the rows are looked up; anything else is the field's invalid_pk_value
    error."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if id_in_range(pk, self.queryset.model) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:40]},
                    )
        return super()._check_values(value)


def _committee_choices():
    return Committee.objects.committees_total().order_by("position", "id")


class _AccessForm(forms.Form):
    first_name = forms.CharField(label="Förnamn", max_length=150)
    last_name = forms.CharField(label="Efternamn", max_length=150)
    email = forms.EmailField(
        label="E-postadress",
        max_length=254,
        help_text="Hit skickas länken där användaren väljer sitt lösenord.",
    )
    roles = forms.MultipleChoiceField(
        label="Roller",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="En användare utan roll kan logga in men ser ingenting.",
    )
    committees = IdsField(
        label="Nämnder",
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="De nämnder vars uppföljning användaren arbetar med. Bara för controller.",
        error_messages={
            "invalid_choice": "Nämnden finns inte (längre). Välj bland nämnderna i listan.",
            "invalid_pk_value": "”%(pk)s” är ingen nämnd.",
        },
    )
    reason = forms.CharField(
        label="Motivering",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Varför ändringen görs, till exempel ett ärendenummer. Sparas i historiken.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"].queryset = _committee_choices()
        self.fields["committees"].label_from_instance = lambda c: c.name


class UserCreateForm(_AccessForm):
    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Det namn användaren loggar in med. Bokstäver, siffror och @ . + - _",
    )

    field_order = ["username", "first_name", "last_name", "email", "roles", "committees"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"Användarnamnet ”{username}” finns redan.")
        return username


class UserEditForm(_AccessForm):
    is_active = forms.BooleanField(
        label="Aktiv",
        required=False,
        help_text="Ett avstängt konto kan inte logga in. Konton tas aldrig bort, eftersom "
        "historiken hänvisar till dem.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["first_name", "last_name", "email", "is_active", "roles", "committees"]

    @classmethod
    def initial_for(cls, user) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "roles": sorted(roles_of(user)),
            "committees": [m.committee_id for m in user.memberships.all()],
            "version": access_version(user),
        }


class UserFilterForm(forms.Form):
    """The filters above the list of users (a GET form)."""

    roll = forms.ChoiceField(
        label="Roll", choices=[("", "Alla roller"), *Role.choices], required=False
    )
    aktiv = forms.ChoiceField(
        label="Konto",
        choices=[("", "Alla konton"), ("ja", "Aktiva"), ("nej", "Avstängda")],
        required=False,
    )


class PasswordInvitationForm(PasswordResetForm):
    """Sends one user the link where they choose a password.

    Django's form looks users up by e-mail and skips users without a usable
    password, which every new user is; this one sends to exactly the given user.
    """

    def __init__(self, *, user):
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email):
        if self.user.is_active and self.user.email:
            yield self.user
