"""Where the apps built on budget add to its pages, so that budget imports none of them.

budget knows nothing of the follow-up year. An app built on it (followup) registers,
from its ``AppConfig.ready`` (followup/apps.py):

- ``add_menu_sections(*sections, before=..., after=...)``: sections of the main menu,
  placed next to a section already there, named by its URL name, each in a group (a
  top-level entry) of budget's or its own (budget/context_processors.py reads
  ``menu(SECTIONS)``);
- ``add_page_context(page, provider)``: more for the template of one of budget's pages.
  The page's view calls ``context_for(page, **arguments)`` with the arguments ``PAGES``
  names; every provider of the page is called with them and returns a dict;
- ``add_pending_changes(provider)``: changes touching a committee that are not in its
  frame ledger yet (budget/reports/ledger.py): ``provider(*, plan, committee, user)``
  returns ``PendingChange`` items;
- ``set_start_page(url_name)``: where the start page (budget:start) sends a user, with
  the latest budget year;
- ``add_history_rule(model, visible, via=...)``: who sees the history entries about the
  objects of one of its models: only those who may open the object's page
  (budget/history.py). ``visible(user)`` is the rule that page uses, as a queryset (e.g.
  ``Report.objects.visible_to``).

- ``add_workbook_part(WorkbookPart(...))``: a sheet of the budget workbook that the app
  writes on export and reads back on import (e.g. the reporting calendar), loaded in the
  import's transaction after the plan;

With nothing registered budget still works: the menu has budget's own sections, the
pages get no more context, no change is pending, the start page is the overview and the
entries about another app's objects show only to those who may read the audit log.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# budget's pages that take more context, with the arguments their view passes.
PAGES = {
    # budget/views/pages.py::goals: plan (with its vision), its PlanSnapshot and the
    # budget comparison table built from it.
    "goals": frozenset({"request", "plan", "snapshot", "comparison"}),
    # budget/views/pages.py::calendar
    "calendar": frozenset({"request", "plan"}),
    # budget/views/access.py::my_committees: the latest plan the user may see (or None),
    # the controller's committees, and today's date.
    "my_committees": frozenset({"request", "plan", "committees", "today"}),
}


# The groups of the main menu that budget's own sections sit in; an app puts its sections
# in one of these or in a group of its own.
BUDGET_GROUP = "Budget"
FOLLOW_UP_GROUP = "Uppföljning"
ADMINISTRATION_GROUP = "Administration"


@dataclass(frozen=True)
class MenuSection:
    """A section of the main menu, shown to users with ``permission``. The URL is
    ``url_name`` reversed with the page's year and ``kwargs``, failing that without the
    year; budget's own URL names go without the namespace ("overview").

    ``group`` is the top-level entry of the menu the section sits under ("Budget",
    "Uppföljning"); sections of one group, from any app, gather under it in menu order, and
    the groups come in the order their first section has. Without a group the section is a
    top-level entry of its own."""

    label: str
    url_name: str
    permission: str
    kwargs: dict = field(default_factory=dict)
    group: str = ""

    @property
    def top_label(self) -> str:
        """The label of the top-level entry the section sits under."""
        return self.group or self.label


@dataclass(frozen=True)
class HistoryRule:
    """Who sees the history entries about the objects of ``model``: ``visible(user)``
    returns the objects the user may open, as a queryset of ``model``, or with ``via``
    (a lookup from ``model`` to them, e.g. "report" for a report's lines) a queryset of
    the objects ``model`` belongs to."""

    model: type
    visible: Callable
    via: str | None = None


@dataclass(frozen=True)
class WorkbookPart:
    """A sheet an app adds to the budget workbook, read back when the workbook is imported.

    - ``write(ws, plan)`` fills the sheet ``sheet`` on export, after budget's own sheets;
    - ``read(rows, problem)`` turns the sheet's rows (tuples of cell values, row 1 first)
      into the part's data, calling ``problem(row_number, column_index, message)`` (in
      Swedish) for each thing wrong: then nothing is loaded;
    - ``load(*, plan, data, actor)`` saves that data after the plan, in the import's
      transaction, and returns a sentence for the import's summary ("" for none).

    A workbook without the sheet (made before the part existed) loads without it: what the
    database holds of the part is kept."""

    sheet: str
    about: str  # a sentence for the workbook's "Om arbetsboken"
    write: Callable
    read: Callable
    load: Callable


@dataclass
class Registry:
    """What the apps have registered; one per process (``_registry``)."""

    menu: list[tuple[tuple[MenuSection, ...], str | None, str | None]] = field(default_factory=list)
    pages: dict[str, list[Callable[..., dict]]] = field(default_factory=dict)
    pending: list[Callable[..., Iterable]] = field(default_factory=list)
    start_page: str = "budget:overview"
    history: dict[type, "HistoryRule"] = field(default_factory=dict)
    workbook_parts: dict[str, WorkbookPart] = field(default_factory=dict)


_registry = Registry()


def add_menu_sections(*sections: MenuSection, before: str | None = None, after: str | None = None):
    """Put ``sections`` in the menu, in this order, just before or just after the section
    with the URL name ``before``/``after``; with neither, at the end."""
    if before is not None and after is not None:
        raise ValueError("Either before or after, not both.")
    entry = (sections, before, after)
    if entry not in _registry.menu:
        _registry.menu.append(entry)


def menu(own: Iterable[MenuSection]) -> list[MenuSection]:
    """``own`` sections with the registered ones put in their places, in the order they
    were registered."""
    sections = list(own)
    for added, before, after in _registry.menu:
        anchor = before or after
        if anchor is None:
            sections.extend(added)
            continue
        at = next((i for i, s in enumerate(sections) if s.url_name == anchor), None)
        if at is None:
            raise LookupError(f"No menu section {anchor!r} to place {added[0].label!r} by.")
        at = at if before else at + 1
        sections[at:at] = added
    return sections


def add_page_context(page: str, provider: Callable[..., dict]) -> Callable[..., dict]:
    """Add to the template context of ``page`` (one of ``PAGES``) what ``provider``
    returns; it is called with the page's arguments, by keyword."""
    if page not in PAGES:
        raise LookupError(f"No budget page {page!r} takes more context; see PAGES.")
    providers = _registry.pages.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def context_for(page: str, **arguments) -> dict:
    """What the registered providers add to ``page``; {} with none. Two providers giving
    the same name is an error, not a silent choice."""
    if set(arguments) != PAGES[page]:
        raise TypeError(f"The {page!r} page's context takes {sorted(PAGES[page])}.")
    context = {}
    for provider in _registry.pages.get(page, ()):
        added = provider(**arguments)
        if clash := context.keys() & added.keys():
            raise ValueError(f"Two providers give {sorted(clash)} to the {page!r} page.")
        context.update(added)
    return context


def add_pending_changes(provider: Callable[..., Iterable]) -> Callable[..., Iterable]:
    """Add a source of pending changes: ``provider(*, plan, committee, user)`` returns the
    PendingChange items (budget/reports/ledger.py) of ``committee`` in ``plan`` that
    ``user`` may see."""
    if provider not in _registry.pending:
        _registry.pending.append(provider)
    return provider


def pending_changes(*, plan, committee, user) -> list:
    return [
        change
        for provider in _registry.pending
        for change in provider(plan=plan, committee=committee, user=user)
    ]


def set_start_page(url_name: str) -> None:
    """The page the start page sends a user to; it takes the budget year (``year``)."""
    _registry.start_page = url_name


def start_page() -> str:
    return _registry.start_page


def add_history_rule(model: type, visible: Callable, *, via: str | None = None) -> HistoryRule:
    """Show the history entries about ``model``'s objects only to those who may open them:
    ``visible(user)`` is the queryset the objects' own pages use (``via``: see HistoryRule).
    One rule per model; two different ones are an error, not a silent choice."""
    rule = HistoryRule(model=model, visible=visible, via=via)
    known = _registry.history.setdefault(model, rule)
    if known != rule:
        raise ValueError(f"{model.__name__} already has a history rule.")
    return rule


def history_rules() -> dict[type, HistoryRule]:
    return dict(_registry.history)


def add_workbook_part(part: WorkbookPart) -> WorkbookPart:
    """Add a sheet to the budget workbook (see WorkbookPart); one part per sheet name."""
    present = _registry.workbook_parts.get(part.sheet)
    if present is not None and present != part:
        raise ValueError(f"The budget workbook already has a part {part.sheet!r}.")
    _registry.workbook_parts[part.sheet] = part
    return part


def workbook_parts() -> tuple[WorkbookPart, ...]:
    """The registered parts of the budget workbook, in the order they were added."""
    return tuple(_registry.workbook_parts.values())
