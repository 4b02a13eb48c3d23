"""Which Kolada KPI feeds which of the plan's indicators: data, kept by finance, audited.

A data file (fixtures/<kommun>/kolada-kopplingar.toml) gives the first mappings:

    [[mappings]]
    indicator = "livskvalitet"   # the indicator's code in the plan
    kpi = "N00310"
    gender = "T"                 # T = totalt (default), K = kvinnor, M = män

A KPI Kolada no longer publishes is listed with why, and its mapping is kept inactive
with the reason (the page shows it and asks for another KPI; the import never asks
Kolada for it):

    [[retired]]
    indicator = "nojd-inflytande"
    kpi = "U00003"
    reason = "Nöjd Inflytande-Index publiceras inte längre i Kolada …"

Finance then adds mappings and stops using wrong ones on the Kolada page. A mapping is
never deleted: one that is no longer used is deactivated, and its history stays.
"""

import re

from django.db import transaction

from budget.audit import Action, Actor, Area, History, Scope, Source, field_label, fields_of
from budget.models import FinancialIndicator, Indicator
from followup.goals.kolada.references import save_references
from followup.models import KoladaMapping, KoladaReference

KPI_ID = re.compile(r"^[A-Z0-9]{1,20}$")
GROUP_ID = re.compile(r"^G[0-9]{1,19}$")
GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


class KoladaMappingError(ValueError):
    """Mappings that cannot be saved; ``errors`` lists them in Swedish."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def clean_kpi(kpi) -> str:
    """A KPI id as Kolada writes it ("N00310"); KoladaMappingError when it cannot be one."""
    text = str(kpi or "").strip().upper()
    if not KPI_ID.match(text):
        raise KoladaMappingError(
            [f"”{kpi}” är inget KPI-id i Kolada (bokstäver och siffror, till exempel N00310)."]
        )
    return text


def _scope(indicator) -> Scope:
    return Scope(area=Area.GOALS, plan=indicator.goal.plan)


def _created(history, mapping):
    names = ("kpi", "gender", "active") + (("retired_reason",) if mapping.retired_reason else ())
    history.add(
        obj=mapping,
        action=Action.CREATED,
        scope=_scope(mapping.indicator),
        new=fields_of(mapping, names),
    )


def _change(history, mapping, name: str, value):
    """Set and save one field of ``mapping``, the change audited."""
    history.add(
        obj=mapping,
        action=Action.CHANGED,
        scope=_scope(mapping.indicator),
        field_label=field_label(KoladaMapping, name),
        old=getattr(mapping, name),
        new=value,
    )
    setattr(mapping, name, value)
    mapping.save(update_fields=[name])


def _set_active(history, mapping, active: bool):
    _change(history, mapping, "active", active)


def _entries(data: dict, key: str, label: str, indicators: dict, plan, errors: list) -> list:
    """(number, indicator, kpi, gender, item) of the data file's list ``key``; what is
    wrong goes to ``errors``, each named "<label> <number>"."""
    rows = []
    for number, item in enumerate(data.get(key, []), start=1):
        code = str(item.get("indicator", "")).strip()
        gender = str(item.get("gender", "T")).strip().upper()
        indicator = indicators.get(code)
        try:
            kpi = clean_kpi(item.get("kpi"))
        except KoladaMappingError as exc:
            errors.extend(f"{label} {number}: {e}" for e in exc.errors)
            continue
        if indicator is None:
            errors.append(f"{label} {number}: nyckeltalet ”{code}” finns inte i {plan}.")
        elif gender not in GENDERS:
            errors.append(f"{label} {number}: kön ska vara T, K eller M, inte ”{gender}”.")
        else:
            rows.append((number, indicator, kpi, gender, item))
    return rows


def _retired_rows(data, indicators, plan, errors, mapped) -> list:
    """(indicator, kpi, gender, reason) of the data file's ``[[retired]]`` entries."""
    rows = []
    label = "Inte längre publicerat KPI"
    for number, indicator, kpi, gender, item in _entries(
        data, "retired", label, indicators, plan, errors
    ):
        reason = " ".join(str(item.get("reason") or "").split())
        if not reason:
            errors.append(
                f"{label} {number}: ange varför Kolada inte längre publicerar {kpi} (reason)."
            )
        elif (indicator, kpi, gender) in mapped:
            errors.append(
                f"{label} {number}: {kpi} står också bland kopplingarna till {indicator}."
            )
        else:
            rows.append((indicator, kpi, gender, reason))
    return rows


def _references(*, plan, data: dict, errors: list) -> list[dict]:
    """The data file's ``[[references]]`` as KoladaReference fields; what is wrong goes to
    ``errors`` ("Jämförelsetal <n>: …")."""
    indicators = {i.code: i for i in FinancialIndicator.objects.filter(plan=plan)}
    measures = {m.value for m in KoladaReference.Measure}
    units = {u.value for u in KoladaReference.Unit}
    rows, seen = [], set()
    for number, item in enumerate(data.get("references", []), start=1):
        label = f"Jämförelsetal {number}"
        measure = str(item.get("measure", "")).strip()
        unit = str(item.get("unit", "")).strip()
        code = str(item.get("indicator", "")).strip()
        try:
            kpi = clean_kpi(item.get("kpi"))
        except KoladaMappingError as exc:
            errors.extend(f"{label}: {e}" for e in exc.errors)
            continue
        if measure not in measures:
            errors.append(
                f"{label}: ”{measure}” är inget jämförelsetal (nyckeltal, balanskravsresultat "
                "eller invanare)."
            )
            continue
        if unit not in units:
            errors.append(f"{label}: enheten ska vara procent, kr/inv eller antal, inte ”{unit}”.")
            continue
        indicator = None
        if measure == KoladaReference.Measure.INDICATOR:
            indicator = indicators.get(code)
            if indicator is None:
                errors.append(f"{label}: det finansiella nyckeltalet ”{code}” finns inte i {plan}.")
                continue
        key = (measure, indicator.pk if indicator else None)
        if key in seen:
            errors.append(f"{label}: {code or measure} står redan bland jämförelsetalen.")
            continue
        seen.add(key)
        rows.append(
            {"measure": measure, "financial_indicator": indicator, "kpi": kpi, "unit": unit}
        )
    return rows


def _retire(history, mapping, reason: str):
    """Mark an existing mapping as no longer published, each change audited."""
    if mapping.retired_reason != reason:
        _change(history, mapping, "retired_reason", reason)
    if mapping.active:
        _set_active(history, mapping, False)


def load_kolada_mappings(*, plan, data: dict, actor: Actor | None = None) -> int:
    """Create the data file's mappings that do not exist yet; returns how many were
    created. An existing mapping is left as it is (finance may have deactivated it).
    A ``[[retired]]`` entry, a KPI Kolada no longer publishes, is kept as an inactive
    mapping with its reason (an existing one is deactivated and given the reason).
    ``comparison_group`` (Kolada's group of similar municipalities, "G37393") and the
    ``[[references]]`` (followup.goals.kolada.references) are saved too. Raises KoladaMappingError, and saves nothing, when an entry is wrong."""
    indicators = {
        i.code: i for i in Indicator.objects.filter(goal__plan=plan).select_related("goal__plan")
    }
    errors = []
    rows = [
        (indicator, kpi, gender)
        for _, indicator, kpi, gender, _ in _entries(
            data, "mappings", "Koppling", indicators, plan, errors
        )
    ]
    retired = _retired_rows(data, indicators, plan, errors, set(rows))
    group = str(data.get("comparison_group", "")).strip()
    if group and not GROUP_ID.match(group):
        errors.append(
            f"Jämförelsegruppen ”{group}” är inget grupp-id i Kolada (G och siffror, till "
            "exempel G37393)."
        )
    references = _references(plan=plan, data=data, errors=errors)
    if errors:
        raise KoladaMappingError(errors)
    history = History(actor=actor or Actor(source=Source.COMMAND, name="Inläsning av kopplingar"))
    created = 0
    with transaction.atomic():
        for indicator, kpi, gender in rows:
            mapping, made = KoladaMapping.objects.get_or_create(
                indicator=indicator, kpi=kpi, gender=gender
            )
            if made:
                created += 1
                _created(history, mapping)
        for indicator, kpi, gender, reason in retired:
            mapping, made = KoladaMapping.objects.select_for_update().get_or_create(
                indicator=indicator,
                kpi=kpi,
                gender=gender,
                defaults={"active": False, "retired_reason": reason},
            )
            if made:
                created += 1
                _created(history, mapping)
            else:
                _retire(history, mapping, reason)
        save_references(plan=plan, rows=references, group_id=group, history=history)
        history.write()
    return created


def add_mapping(*, indicator, kpi, gender="T", actor: Actor) -> KoladaMapping:
    """Map ``kpi`` to ``indicator``; a mapping that was deactivated is used again. A KPI
    Kolada no longer publishes is refused, with why."""
    kpi = clean_kpi(kpi)
    if gender not in GENDERS:
        raise KoladaMappingError([f"Kön ska vara T, K eller M, inte ”{gender}”."])
    history = History(actor=actor)
    with transaction.atomic():
        retired = (
            KoladaMapping.objects.filter(indicator__goal__plan=indicator.goal.plan, kpi=kpi)
            .exclude(retired_reason="")
            .first()
        )
        if retired is not None:
            raise KoladaMappingError(
                [f"Kolada publicerar inte längre {kpi}: {retired.retired_reason}"]
            )
        mapping = (
            KoladaMapping.objects.select_for_update()
            .filter(indicator=indicator, kpi=kpi, gender=gender)
            .first()
        )
        if mapping is None:
            mapping = KoladaMapping.objects.create(indicator=indicator, kpi=kpi, gender=gender)
            _created(history, mapping)
        elif mapping.active:
            raise KoladaMappingError(
                [f"{indicator} hämtas redan från {kpi} ({GENDERS[gender].lower()})."]
            )
        else:
            _set_active(history, mapping, True)
        history.write()
    return mapping


def deactivate_mapping(*, mapping, actor: Actor) -> KoladaMapping:
    """Stop using a mapping: its KPI no longer feeds the indicator. The values already
    fetched through it stay."""
    history = History(actor=actor)
    with transaction.atomic():
        mapping = (
            KoladaMapping.objects.select_for_update()
            .select_related("indicator__goal__plan")
            .get(pk=mapping.pk)
        )
        if not mapping.active:
            raise KoladaMappingError([f"Kopplingen {mapping} används redan inte."])
        _set_active(history, mapping, False)
        history.write()
    return mapping
