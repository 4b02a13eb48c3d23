"""The follow-up's refusals that a form shows beside its fields."""


class FieldErrors(Exception):
    """One or more reasons an action is refused: ``errors`` is [(field or None, message)],
    the messages Swedish. ``followup.entry_forms.add_error`` puts them on a form."""

    def __init__(self, *errors):
        self.errors = [e if isinstance(e, tuple) else (None, e) for e in errors]
        super().__init__(" ".join(message for _, message in self.errors))

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.errors]
