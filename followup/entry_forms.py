"""What the entry forms beside the reports share (investments, statement figures, the
companies' forecasts, goal analyses): exact amounts in tkr, the domain's errors on the
form, the version a page was shown with, and the confirmation."""

from contextlib import contextmanager
from decimal import Decimal

from django.contrib import messages

from budget import money
from budget.audit import Actor
from followup.reports.forms import SwedishAmountField


class ExactAmountField(SwedishAmountField):
    """An amount in tkr shown with as many decimals as it has, so that saving a form
    unchanged never rounds a stored amount (and records a change nobody made)."""

    def prepare_value(self, value):
        if value is None or value == "" or isinstance(value, str):
            return super().prepare_value(value)
        shown = Decimal(value) / money.UNITS[self.unit]
        exponent = shown.normalize().as_tuple().exponent
        places = 0 if exponent >= 0 else min(-exponent, 5)
        return money.format_number(shown, places).replace(money.MINUS, "-")


def add_error(form, exc) -> None:
    """Put a domain error's messages on the form: on the field it names, else the form."""
    for name, message in exc.errors:
        form.add_error(name if name in form.fields else None, message)


@contextmanager
def refusal_on(form, error):
    """Run the block that saves ``form``; when the domain refuses with ``error``, its messages
    go on the form (``add_error``) and the rest of the block is skipped, so the view goes on
    to show the form again::

        with refusal_on(form, InvestmentError):
            project = create_project(...)
            messages.success(request, ...)
            return redirect(...)
        return render(...)  # refused: the form with the reasons
    """
    try:
        yield
    except error as exc:
        add_error(form, exc)


def sent_version(form, name: str = "version"):
    """The version token the page was shown with; None when the post carries none (a
    script posting figures), and then nothing is compared."""
    return form.cleaned_data[name] if form.add_prefix(name) in form.data else None


def saved_message(text: str, changed: bool) -> str:
    """``text`` as a confirmation, saying so when the save changed nothing."""
    return text + ("." if changed else "; inget ändrades.")


def save_entry_form(request, form, save, *, refused, saved_text: str) -> bool:
    """Save a posted, valid entry form of figures with ``save(values=…, actor=…, version=…)``,
    which compares the version the page was shown with and returns whether anything changed:
    True once saved, with ``saved_text`` as the confirmation; False with the domain's refusal
    (``refused``) on the form."""
    with refusal_on(form, refused):
        changed = save(values=form.values(), actor=Actor.of(request), version=sent_version(form))
        messages.success(request, saved_message(saved_text, changed))
        return True
    return False
