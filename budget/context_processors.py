"""Template context shared by every page: the municipality, the plan year and the main menu.

``navigation`` gives templates one variable, ``nav``::

    nav.municipality  name of the municipality ("" when there is none yet)
    nav.year          the budget year the menu links point at: the year of the page
                      being shown when its URL has one, else nav.latest_year
    nav.latest_year   the latest BudgetPlan.year of the municipality, or None
    nav.home_url      the start page (budget:start, else budget:overview without a
                      year, else "/")
    nav.sections      [{label, group, url_name, url, active, current}, …]: every page
                      of the main menu the user may open, in menu order
    nav.groups        [{label, url, active, current, sections}, …]: the menu's
                      top-level entries (at most seven for any role), each with its
                      sections (MenuSection.group)
    nav.group         the active group, or None
    nav.subsections   the active group's sections when it has more than one: the
                      menu's second row; [] otherwise

A section is active when the current page is that section (same URL name and, for the
statements, the same kind) or lies below its URL (a committee's page below "Nämnder",
a period's review below "Perioder och rapporter"). ``current`` is the value for
aria-current: "page" on the section's own page, "true" on a page below it, "" otherwise.

The apps built on budget add their sections through budget/extensions.py (followup's
are registered in followup/apps.py). Routes that do not exist (yet) are left out of the
menu, and so are the year pages while there is no budget year to link to, and the pages of
tables the year's plan does not have (a statement or an investment budget without figures,
whose page answers 404). Anonymous users get an empty menu and cost no query; a signed-in
user costs one query per request.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from budget import extensions
from budget.extensions import ADMINISTRATION_GROUP, BUDGET_GROUP, FOLLOW_UP_GROUP, MenuSection
from budget.forms import whole_number

NAMESPACE = "budget"

# budget's own sections. Each route is reversed with the year first and, failing that,
# without it. A section shows only to users with its permission (budget/permissions.py).
# The groups (the menu's top-level entries) come in the order of their first section.
BUDGET = "budget.view_budget"
SECTIONS = (
    MenuSection("Mål och budget", "overview", BUDGET, group=BUDGET_GROUP),
    MenuSection("Mina nämnder", "my_committees", "budget.view_my_committees"),
    MenuSection("Budgetjämförelse", "comparison", BUDGET, group=BUDGET_GROUP),
    MenuSection("Förändring mot föregående år", "change", BUDGET, group=BUDGET_GROUP),
    MenuSection("Förändring av medel", "funds", BUDGET, group=BUDGET_GROUP),
    *(
        MenuSection(label, "statement", BUDGET, {"kind": kind}, group=BUDGET_GROUP)
        for label, kind in (
            ("Resultatbudget", "resultatbudget"),
            ("Balansbudget", "balansbudget"),
            ("Kassaflödesbudget", "kassaflodesbudget"),
        )
    ),
    MenuSection("Investeringsbudget", "investments", BUDGET, group=BUDGET_GROUP),
    MenuSection("Nämnder", "committees", BUDGET, group=BUDGET_GROUP),
    MenuSection("Mål och nyckeltal", "goals", BUDGET, group=BUDGET_GROUP),
    MenuSection("Uppföljningskalender", "calendar", BUDGET, group=FOLLOW_UP_GROUP),
    MenuSection("Kontroll av summor", "control", BUDGET, group=BUDGET_GROUP),
    MenuSection("Logg", "audit_log", "budget.view_audit_log", group=ADMINISTRATION_GROUP),
    MenuSection("Användare", "users", "budget.manage_access", group=ADMINISTRATION_GROUP),
    MenuSection("Läs in budget", "import", "budget.import_budget", group=ADMINISTRATION_GROUP),
)

# The sections that show one of the plan's tables, by URL name: the table's code (a
# statement's is its kind). The plan's tables are read with the municipality (_menu_facts).
INVESTMENTS = "investeringsbudget"


def _table_of(section) -> str | None:
    """The code of the plan table that ``section`` shows, or None for other pages."""
    if section.url_name == "statement":
        return section.kwargs.get("kind")
    if section.url_name == "investments":
        return INVESTMENTS
    return None


_CACHE_ATTR = "_budget_navigation"


def _empty_nav(home_url="/"):
    return {
        "municipality": "",
        "year": None,
        "latest_year": None,
        "home_url": home_url,
        "sections": [],
        "groups": [],
        "group": None,
        "subsections": [],
    }


def _reverse(url_name, kwargs=None):
    name = url_name if ":" in url_name else f"{NAMESPACE}:{url_name}"
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _section_url(url_name, extra, year):
    """The section's URL for the year, else without a year, else None."""
    if year is not None:
        url = _reverse(url_name, {"year": year, **extra})
        if url is not None:
            return url
    return _reverse(url_name, extra)


# A year no plan has: where the menu's query takes the page's year (_menu_query).
_ANY_YEAR = -987_654_321


@functools.cache
def _menu_query(vendor: str, with_year: bool) -> tuple[str, tuple]:
    """The SQL and parameters of ``_menu_facts``'s query, built by the ORM once per process
    and database (building it cost more than running it); with ``with_year`` the tables are
    those of the year in the parameters at ``_ANY_YEAR``'s place, else of the latest."""
    from django.db.models import Exists, OuterRef, Subquery, Value

    from budget.models import BudgetPlan, InvestmentAmount, Municipality, Statement, StatementAmount

    latest_year = (
        BudgetPlan.objects.filter(municipality=OuterRef("pk")).order_by("-year").values("year")[:1]
    )
    year = Value(_ANY_YEAR) if with_year else OuterRef("latest_year")
    tables = [
        Exists(
            StatementAmount.objects.filter(
                line__statement__plan__municipality=OuterRef("pk"),
                line__statement__plan__year=year,
                line__statement__kind=kind,
            )
        )
        for kind in Statement.Kind.values
    ] + [
        Exists(
            InvestmentAmount.objects.filter(
                line__plan__municipality=OuterRef("pk"), line__plan__year=year
            )
        )
    ]
    query = (
        Municipality.objects.order_by("name", "id")
        .annotate(latest_year=Subquery(latest_year))
        .annotate(**{f"has_{i}": has for i, has in enumerate(tables)})
        .values_list("name", "latest_year", *(f"has_{i}" for i in range(len(tables))))[:1]
    ).query
    return query.sql_with_params()


def _menu_tables():
    """The codes of the tables ``_menu_facts`` asks about, in its query's order."""
    from budget.models import Statement

    return [*Statement.Kind.values, INVESTMENTS]


def _menu_facts(page_year):
    """(name, latest plan year, the codes of the tables with figures in the plan of
    ``page_year``, else of the latest year) of the first municipality by name, in one query."""
    from django.db import connection

    sql, params = _menu_query(connection.vendor, page_year is not None)
    params = tuple(page_year if p == _ANY_YEAR else p for p in params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return "", None, set()
    name, latest, *present = row
    return name, latest, {code for code, has in zip(_menu_tables(), present, strict=True) if has}


def _page_year(match):
    """The year in the current page's URL, if it has one."""
    if match is None:
        return None
    year = match.kwargs.get("year")
    if year is None:
        return None
    # A year no plan can have (/budget/99999999999999999999/) is no year: in the menu's
    # query it would overflow the database's integer before the page could answer 404.
    return whole_number(year, low=1, high=9999)


def _view_name(url_name):
    """The namespaced name of a section's route: budget's own go without the namespace."""
    return url_name if ":" in url_name else f"{NAMESPACE}:{url_name}"


def _sections(request, match, year, tables):
    here_name = match.view_name if match is not None else None
    here_kind = match.kwargs.get("kind") if match is not None else None
    sections = []
    allowed = {}  # permission → whether the user has it: many sections share one
    for section in extensions.menu(SECTIONS):
        if section.permission not in allowed:
            allowed[section.permission] = request.user.has_perm(section.permission)
        if not allowed[section.permission]:
            continue
        table = _table_of(section)
        if table is not None and table not in tables:
            continue
        url = _section_url(section.url_name, section.kwargs, year)
        if url is None:
            continue
        own_page = (
            here_name == _view_name(section.url_name)
            and section.kwargs.get("kind", here_kind) == here_kind
        )
        sections.append(
            {
                "label": section.label,
                "group": section.top_label,
                "url_name": section.url_name,
                "url": url,
                "active": own_page,
                "current": "page" if own_page else "",
            }
        )
    if not any(section["active"] for section in sections):
        _mark_parent(sections, request.path)
    return sections


def _mark_parent(sections, path):
    """Mark the section whose URL is the longest proper prefix of path (a page below it).

    A section at the root or at a bare year URL such as /2026/, below which every page
    lies, never counts.
    """
    parents = [
        section
        for section in sections
        if section["url"].endswith("/")
        and section["url"].strip("/")
        and not all(part.isdigit() for part in section["url"].strip("/").split("/"))
        and path != section["url"]
        and path.startswith(section["url"])
    ]
    if parents:
        parent = max(parents, key=lambda section: len(section["url"]))
        parent["active"] = True
        parent["current"] = "true"


def _groups(sections):
    """The menu's top-level entries: the sections gathered by group, the groups in the
    order of their first section. A group links to its first section; it is active when
    one of its sections is. A group of one section is that section (its aria-current);
    a larger one is the current set ("true") while its section carries "page"."""
    gathered = {}
    for section in sections:
        gathered.setdefault(section["group"], []).append(section)
    groups = []
    for label, members in gathered.items():
        active = next((section for section in members if section["active"]), None)
        if active is None:
            current = ""
        elif len(members) == 1:
            current = active["current"]
        else:
            current = "true"
        groups.append(
            {
                "label": label,
                "url": members[0]["url"],
                "active": active is not None,
                "current": current,
                "sections": members,
            }
        )
    return groups


def navigation(request):
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return {"nav": cached}

    home_url = _reverse("start") or _reverse("overview") or "/"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        nav = _empty_nav(home_url)
    else:
        match = getattr(request, "resolver_match", None)
        page_year = _page_year(match)
        municipality, latest_year, tables = _menu_facts(page_year)
        year = page_year or latest_year
        sections = _sections(request, match, year, tables)
        groups = _groups(sections)
        here = next((group for group in groups if group["active"]), None)
        nav = {
            "municipality": municipality,
            "year": year,
            "latest_year": latest_year,
            "home_url": home_url,
            "sections": sections,
            "groups": groups,
            "group": here,
            "subsections": here["sections"] if here and len(here["sections"]) > 1 else [],
        }
    # The open data's page (docs/decisions/0028), linked from every page's foot when the
    # municipality publishes it, for those signed in and those not.
    nav["open_data_url"] = _reverse("opendata:index") if settings.OPEN_DATA else None
    try:
        setattr(request, _CACHE_ATTR, nav)
    except AttributeError:  # pragma: no cover - exotic request objects
        pass
    return {"nav": nav}
