"""Writing Kolada's values to the plan's indicators, audited, all or nothing.

Each value Kolada gives for a KPI and gender group that an active mapping ties to an
indicator becomes that indicator's value for the municipality and year (source
"kolada"). A value seen before with the same figure is left alone; a changed figure is
updated and the change is in the audit trail; a new one is created, audited too.

Which municipalities: the plan's own (its Kolada id); for the comparison with the rest
of the county, the municipalities of its county's data file: the one of
``settings.KOLADA_COUNTY_DIRS``' kolada-kommuner-<län>.toml (e.g.
fixtures/kolada-kommuner-dalarna.toml) that lists the municipality's Kolada id; and the
members of its comparison group in Kolada (followup.goals.kolada.references). A
municipality that neither lists is compared with no other.

The KPIs of the plan's references (its financial indicators, balanskravsresultat and
inhabitants as Kolada publishes them) are written to KoladaFigure, audited the same way.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from budget.audit import Action, Actor, Area, History, Scope, apply_changes, display, fields_of
from budget.loader import read_toml
from budget.models import Indicator
from budget.money import round_half_up
from followup.goals.kolada.client import KoladaError, SavedAnswers, parse_saved
from followup.goals.kolada.references import comparison_group, references, store_group
from followup.models import IndicatorValue, KoladaFigure, KoladaMapping

# The counties' data files: kolada-kommuner-<län>.toml in settings.KOLADA_COUNTY_DIRS.
COUNTY_PATTERN = "kolada-kommuner-*.toml"
# IndicatorValue.value: 14 digits, 4 of them decimals.
PLACES = 4
LIMIT = Decimal(10) ** (14 - PLACES)


@dataclass
class ImportSummary:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    ignored_kpis: list = field(default_factory=list)

    def __str__(self) -> str:
        if not (self.created or self.changed or self.unchanged):
            text = "Kolada gav inga värden för nyckeltalen."
        else:
            new = f"{self.created} {'nytt värde' if self.created == 1 else 'nya värden'}"
            changed = f"{self.changed} {'ändrat' if self.changed == 1 else 'ändrade'}"
            same = f"{self.unchanged} {'oförändrat' if self.unchanged == 1 else 'oförändrade'}"
            text = f"Från Kolada: {new}, {changed} och {same}."
        if self.ignored_kpis:
            text += (
                " KPI utan koppling till något nyckeltal lästes inte in: "
                f"{', '.join(self.ignored_kpis)}."
            )
        return text


def _listed(data: dict) -> list[tuple[str, str]]:
    return [(str(m["code"]), str(m["name"])) for m in data.get("municipalities", [])]


def county_data(plan) -> dict:
    """The data file of the county the plan's municipality is in (the county file that
    lists its Kolada id), {} when none does; files are read in name order."""
    own = plan.municipality.kolada_id
    if not own:
        return {}
    paths = (p for folder in settings.KOLADA_COUNTY_DIRS for p in Path(folder).glob(COUNTY_PATTERN))
    for path in sorted(paths, key=lambda p: p.name):
        data = read_toml(path)
        if any(code == own for code, _ in _listed(data)):
            return data
    return {}


def county_region(plan, data=None) -> str:
    """The county as the page names it ("Dalarna"), "" when no county file lists the
    municipality. ``data``: county_data(plan), when the caller has read it."""
    data = county_data(plan) if data is None else data
    return str(data.get("region") or data.get("county") or "")


def comparison_municipalities(plan, data=None) -> list[tuple[str, str]]:
    """(Kolada id, name) of the municipalities the plan is compared with: its own first,
    then the rest of its county (the county's data file, ``data`` when the caller has
    read it), in the file's order."""
    own = plan.municipality.kolada_id
    listed = _listed(county_data(plan) if data is None else data)
    own_name = next((name for code, name in listed if code == own), plan.municipality.name)
    first = [(own, own_name)] if own else []
    return first + [(code, name) for code, name in listed if code != own]


def group_municipalities(plan, group=None) -> list[tuple[str, str]]:
    """(Kolada id, name) of the comparison group's members (``group``, else the plan's),
    the plan's own left out, as last fetched from Kolada; [] without a group or before
    the first fetch."""
    group = group or comparison_group(plan)
    own = plan.municipality.kolada_id
    return [m for m in group.member_list() if m[0] != own] if group else []


def default_municipalities(plan) -> list[str]:
    """The plan's own, its county's and its comparison group's, each once."""
    codes = [code for code, _ in comparison_municipalities(plan)]
    codes += [code for code, _ in group_municipalities(plan)]
    return list(dict.fromkeys(codes))


def default_years(plan) -> list[int]:
    """From the earliest baseline year of the plan's indicators to the plan's year."""
    first = min(
        Indicator.objects.filter(goal__plan=plan).values_list("baseline_year", flat=True),
        default=plan.year,
    )
    return list(range(min(first, plan.year), plan.year + 1))


def active_mappings(plan):
    """The mappings in use; a KPI Kolada no longer publishes is never one of them."""
    return (
        KoladaMapping.objects.filter(indicator__goal__plan=plan, active=True, retired_reason="")
        .select_related("indicator")
        .order_by("indicator__goal__number", "indicator_id", "kpi", "gender", "id")
    )


def mapped_kpis(plan) -> list[str]:
    """The KPIs of the active mappings and of the plan's references."""
    return sorted({m.kpi for m in active_mappings(plan)} | reference_kpis(plan))


def reference_kpis(plan) -> set[str]:
    return {r.kpi for r in references(plan)}


def refresh_group(*, plan, client, actor: Actor, fetched_at) -> bool:
    """The comparison group's title and members from Kolada; False without a group."""
    group = comparison_group(plan)
    if group is None:
        return False
    answer = client.fetch_group(group.group_id)
    if answer is None:
        raise KoladaError(f"Kolada känner inte till jämförelsegruppen {group.group_id}.")
    store_group(plan=plan, answer=answer, actor=actor, fetched_at=fetched_at)
    return True


def fetch_values(*, plan, client, years=None, municipalities=None) -> list:
    """Kolada's values for the plan's mapped KPIs (KoladaUnavailable, KoladaError)."""
    kpis = mapped_kpis(plan)
    if not kpis:
        raise KoladaError("Inget nyckeltal är kopplat till Kolada; lägg till en koppling först.")
    return client.fetch(
        kpis=kpis,
        municipalities=municipalities or default_municipalities(plan),
        years=years or default_years(plan),
    )


def import_from_kolada(
    *, plan, client, actor: Actor, fetched_at, years=None, municipalities=None
) -> ImportSummary:
    """The comparison group, then the values; no value is written when Kolada cannot be
    reached."""
    if municipalities is None:
        refresh_group(plan=plan, client=client, actor=actor, fetched_at=fetched_at)
    values = fetch_values(plan=plan, client=client, years=years, municipalities=municipalities)
    return import_values(
        plan=plan,
        values=values,
        actor=actor,
        fetched_at=fetched_at,
        municipalities=municipalities,
    )


def import_saved(*, plan, content, actor: Actor, fetched_at) -> ImportSummary:
    """A saved response file (one answer, or a list of answers)."""
    return import_answers(plan=plan, saved=parse_saved(content), actor=actor, fetched_at=fetched_at)


def import_answers(
    *, plan, saved: SavedAnswers, actor: Actor, fetched_at, municipalities=None
) -> ImportSummary:
    """Saved answers: the comparison group's among them first, then the values, compared
    with the group just read."""
    for answer in saved.groups:
        store_group(plan=plan, answer=answer, actor=actor, fetched_at=fetched_at)
    return import_values(
        plan=plan,
        values=saved.values,
        actor=actor,
        fetched_at=fetched_at,
        municipalities=municipalities,
    )


def _exact(value: Decimal, where: str) -> Decimal:
    rounded = round_half_up(value, PLACES)
    if abs(rounded) >= LIMIT:
        raise KoladaError(f"{where}: värdet {value} är för stort för ett nyckeltal.")
    return rounded


def import_values(*, plan, values, actor: Actor, fetched_at, municipalities=None) -> ImportSummary:
    """Write ``values`` (KoladaValue, from the client or a saved response file) to the
    plan's indicators; returns what happened. Values of other municipalities than
    ``municipalities`` (default: the plan's own and the comparison municipalities) are
    left out. Raises KoladaError, and writes nothing, when two active mappings give one
    indicator different values for the same year."""
    by_key = {}
    for mapping in active_mappings(plan):
        by_key.setdefault((mapping.kpi, mapping.gender), []).append(mapping.indicator)
    referenced = reference_kpis(plan)
    known_kpis = {kpi for kpi, _ in by_key} | referenced
    wanted = set(municipalities or default_municipalities(plan))
    incoming, figures, ignored, errors = {}, {}, set(), []
    for item in values:
        if item.kpi not in known_kpis:
            ignored.add(item.kpi)
            continue
        if item.municipality not in wanted:
            continue
        if item.kpi in referenced and item.gender == "T":
            where = f"{item.kpi} {item.year} (kommun {item.municipality})"
            figures[(item.kpi, item.municipality, item.year)] = _exact(item.value, where)
        for indicator in by_key.get((item.kpi, item.gender), ()):
            key = (indicator.pk, item.municipality, item.year)
            where = f"{indicator} {item.year} (kommun {item.municipality})"
            value = _exact(item.value, where)
            earlier = incoming.get(key)
            if earlier is not None and earlier[1] != value:
                errors.append(
                    f"{where}: {earlier[2]} ger {display(earlier[1])} och {item.kpi} ger "
                    f"{display(value)}; sluta använda en av kopplingarna."
                )
            incoming[key] = (indicator, value, item.kpi)
    if errors:
        raise KoladaError(" ".join(errors))
    summary = ImportSummary(ignored_kpis=sorted(ignored))
    if not incoming and not figures:
        return summary
    user = actor.person
    history = History(actor=actor, at=fetched_at)
    scope = Scope(area=Area.GOALS, plan=plan)
    with transaction.atomic():
        values = {
            key: (
                {"indicator": indicator, "municipality_code": key[1], "year": key[2]},
                {"value": value, "source": IndicatorValue.Source.KOLADA, "kpi": kpi},
            )
            for key, (indicator, value, kpi) in incoming.items()
        }
        _upsert(
            IndicatorValue,
            values,
            key_fields=("indicator_id", "municipality_code", "year"),
            select=("indicator",),  # named in the history
            created=("municipality_code", "year", "value", "source", "kpi"),
            summary=summary,
            history=history,
            scope=scope,
            user=user,
        )
        _upsert(
            KoladaFigure,
            {
                key: ({"kpi": key[0], "municipality_code": key[1], "year": key[2]}, {"value": v})
                for key, v in figures.items()
            },
            key_fields=("kpi", "municipality_code", "year"),
            created=("kpi", "municipality_code", "year", "value"),
            summary=summary,
            history=history,
            scope=scope,
            user=user,
        )
        history.write()
    return summary


def _upsert(
    model, incoming: dict, *, key_fields, created, summary, history, scope, user, select=()
):
    """Rows of ``model`` (IndicatorValue, KoladaFigure) for ``incoming`` {key: (the fields
    a new row is made with, the values it must have)}, keyed by ``key_fields``: a new row
    is created, a row whose values differ is updated, each audited (a new row with its
    ``created`` fields; ``select``: relations the history names); stamped with the fetch's time and user; counted in ``summary``."""
    if not incoming:
        return
    lookups = {f"{name}__in": {key[i] for key in incoming} for i, name in enumerate(key_fields)}
    existing = {
        tuple(getattr(row, name) for name in key_fields): row
        for row in model.objects.select_for_update()
        .filter(**lookups)
        .select_related(*select)
        .order_by("id")
    }
    new, changed, audited = [], [], set()
    for key in sorted(incoming):
        fields, wanted = incoming[key]
        audited |= set(wanted)
        row = existing.get(key)
        if row is None:
            new.append(model(**fields, **wanted, fetched_at=history.at, recorded_by=user))
        elif apply_changes(row, wanted, history=history, scope=scope):
            row.fetched_at, row.recorded_by = history.at, user
            changed.append(row)
        else:
            summary.unchanged += 1
    model.objects.bulk_create(new)
    for row in new:
        history.add(obj=row, action=Action.CREATED, scope=scope, new=fields_of(row, created))
    model.objects.bulk_update(
        changed, [*sorted(audited), "fetched_at", "recorded_by"], batch_size=500
    )
    summary.created += len(new)
    summary.changed += len(changed)
