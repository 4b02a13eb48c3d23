"""What the entry forms beside the reports share (investments, statement figures, the
companies' forecasts, goal analyses): exact amounts in tkr, the domain's errors on the
form, the version a page was shown with, and the confirmation."""

from decimal import Decimal

from budget import money
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


def sent_version(form, name: str = "version"):
    """The version token the page was shown with; None when the post carries none (a
    script posting figures), and then nothing is compared."""
    return form.cleaned_data[name] if form.add_prefix(name) in form.data else None


def saved_message(text: str, changed: bool) -> str:
    """``text`` as a confirmation, saying so when the save changed nothing."""
    return text + ("." if changed else "; inget ändrades.")
