"""Which object of the financial system is which activity: loaded from data, audited.

A data file (fixtures/<kommun>/ekonomisystem-kopplingar.toml) holds one entry per
object; finance keeps the mapping up to date in the admin afterwards.

    dimension = 1

    [[mappings]]
    object = "2200"
    name = "Grundskola"
    committee = "bildningsnamnden"
    activity = "bildningsnamnden"
"""

from django.db import transaction

from budget.audit import Actor, Area, History, Scope, Source, save_with_history
from budget.models import Activity
from followup.models import OutcomeMapping


class MappingError(ValueError):
    """Entries that cannot be loaded; ``errors`` lists them in Swedish."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def load_outcome_mappings(*, municipality, entries, actor: Actor | None = None) -> int:
    """Create or update the mappings by (dimension, object); returns how many the
    municipality has. Nothing is removed, and loading the same entries twice changes
    nothing. Raises MappingError (and saves nothing) when an entry is wrong."""
    activities = {
        (a.committee.code, a.code): a
        for a in Activity.objects.filter(committee__municipality=municipality).select_related(
            "committee"
        )
    }
    errors, rows, seen = [], [], {}
    for number, entry in enumerate(entries, start=1):
        dimension = int(entry.get("dimension", 1))
        code = str(entry.get("object", "")).strip()
        key = (entry.get("committee", ""), entry.get("activity", ""))
        activity = activities.get(key)
        if not code:
            errors.append(f"Koppling {number}: objekt saknas.")
        elif activity is None:
            errors.append(
                f"Koppling {number} (objekt {code}): verksamheten ”{key[1]}” hos nämnden "
                f"”{key[0]}” finns inte."
            )
        elif (dimension, code) in seen:
            errors.append(
                f"Koppling {number}: objekt {code} i dimension {dimension} står redan i "
                f"koppling {seen[(dimension, code)]}."
            )
        else:
            seen[(dimension, code)] = number
            rows.append((dimension, code, activity, str(entry.get("name", "")).strip()))
    if errors:
        raise MappingError(errors)
    history = History(actor=actor or Actor(source=Source.COMMAND, name="Inläsning av kopplingar"))
    with transaction.atomic():
        for dimension, code, activity, name in rows:
            save_with_history(
                OutcomeMapping,
                {"municipality": municipality, "dimension": dimension, "object_code": code},
                {"activity": activity, "name": name},
                history=history,
                scope=Scope(area=Area.OUTCOME, committee=activity.committee),
            )
        history.write()
    return OutcomeMapping.objects.filter(municipality=municipality).count()


def load_outcome_mapping_data(*, municipality, data: dict, actor: Actor | None = None) -> int:
    """The mappings as a data file gives them: ``dimension`` (default 1) and
    ``[[mappings]]`` entries."""
    dimension = data.get("dimension", 1)
    entries = [{"dimension": dimension, **entry} for entry in data.get("mappings", [])]
    return load_outcome_mappings(municipality=municipality, entries=entries, actor=actor)
