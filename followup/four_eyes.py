"""Four eyes: nobody approves what they handed in, nor decides what they drew up.

One rule for the report and reallocation workflows (and the pages that offer their buttons):
the person who submitted or last changed a report may not approve it, and the person who
drew up a reallocation may not record its decision nor apply it. A municipality with a
single finance officer may turn on an explicit exception (``Municipality.single_officer_
exception``, off by default, set by an administrator with history); each time the exception
is used, an entry in the history says so.
"""

from dataclasses import dataclass

from budget.audit import Action


@dataclass(frozen=True)
class Check:
    """What the rule says about one person and one step.

    ``own``: why the step is that person's own work ("lämnade in rapporten"), empty when it is
    not; ``exception``: the municipality lets its single officer do it anyway."""

    own: str
    exception: bool
    step: str  # "godkänna rapporten"
    who_else: str  # "en annan person på ekonomiavdelningen godkänner den"

    @property
    def allowed(self) -> bool:
        return not self.own or self.exception

    @property
    def uses_exception(self) -> bool:
        return bool(self.own) and self.exception

    @property
    def refusal(self) -> str:
        """Why the step is refused, in Swedish (empty when it is allowed)."""
        if self.allowed:
            return ""
        return (
            f"Du kan inte {self.step} eftersom du {self.own} (fyraögonsprincipen): {self.who_else}."
        )

    @property
    def notice(self) -> str:
        """What a page says beside a step the exception allows (empty otherwise)."""
        if not self.uses_exception:
            return ""
        return (
            f"Du {self.own}. Kommunen har undantag från fyraögonsprincipen (ensam ekonom), så "
            "du får ändå göra det; att undantaget används skrivs i historiken."
        )


def check(*, user, hands: list[tuple[int | None, str]], municipality, step: str, who_else: str):
    """The rule for ``user`` taking ``step`` on work done by ``hands`` ((user id or None, what
    they did), first match wins). A step by nobody in particular (a command) is not checked."""
    own = ""
    if getattr(user, "is_authenticated", False):
        own = next((what for hand, what in hands if hand is not None and hand == user.pk), "")
    return Check(
        own=own,
        exception=bool(municipality.single_officer_exception),
        step=step,
        who_else=who_else,
    )


def record_use(history, *, obj, scope, check: Check) -> None:
    """Write that the exception was used (``check.uses_exception``), in the step's history."""
    if check.uses_exception:
        history.add(
            obj=obj,
            action=Action.CHANGED,
            scope=scope,
            field_label="fyraögonsprincipen",
            old="",
            new=f"Undantaget för ensam ekonom användes: den som {check.own} fick också {check.step}.",
        )
