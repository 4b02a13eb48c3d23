"""A fake Kolada for the tests: its answers as JSON text, an opener that hands them to the
client in turn, a client that reads from it, and a value as the client returns it.

No test reaches the network: the client gets a FakeOpener, the command and the page a
fake client (the fixture kolada_answers in tests/followup/conftest.py for the page)."""

import urllib.error
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from followup.goals.kolada.client import KoladaClient, KoladaValue

MAPPING_FILE = Path(settings.BASE_DIR) / "fixtures" / "hedemora" / "kolada-kopplingar.toml"
BASE = "https://kolada.test/v3"
LIFE = "N00310"  # Livskvalitet – Kommunindex, as the data file maps it
HME = "U00200"
GROUP = "G37393"  # Hedemora's comparison group in its mapping file
FIRST_FETCH = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SECOND_FETCH = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def item(kpi, municipality, year, *groups):
    """One entry of Kolada's answer; groups are (gender, value-as-JSON-text)."""
    values = ", ".join(
        f'{{"gender": "{g}", "count": 1, "status": "", "value": {v}}}' for g, v in groups
    )
    return (
        f'{{"kpi": "{kpi}", "municipality": "{municipality}", "period": {year}, '
        f'"values": [{values}]}}'
    )


def answer(*items, next_url=None) -> str:
    """A page of Kolada's answer as JSON text (the numbers exactly as written)."""
    tail = f', "next_url": "{next_url}"' if next_url else ""
    return f'{{"count": {len(items)}, "values": [{", ".join(items)}]{tail}}}'


def group_answer(group_id, *members, title="Liknande kommuner, övergripande") -> str:
    """Kolada v3's answer of /municipality_groups/<id>, members as (id, name)."""
    listed = ", ".join(
        f'{{"member_id": "{code}", "member_title": "{name}"}}' for code, name in members
    )
    return (
        f'{{"count": 1, "values": [{{"id": "{group_id}", "title": "{title}", '
        f'"members": [{listed}]}}]}}'
    )


class FakeResponse:
    def __init__(self, body: bytes):
        self.body = body

    def read(self, size=-1):
        return self.body

    def close(self):
        pass


class FakeOpener:
    """Answers the client's requests in turn: text is a body, an exception is raised."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.urls = []
        self.timeouts = []

    def __call__(self, request, timeout):
        self.urls.append(request.full_url)
        self.timeouts.append(timeout)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(answer.encode("utf-8"))


def unreachable():
    return urllib.error.URLError("Name or service not known")


def fake_client(opener, sleeps=None):
    return KoladaClient(
        base_url=BASE,
        timeout=3,
        retries=2,
        opener=opener,
        sleep=(sleeps.append if sleeps is not None else lambda seconds: None),
    )


def value(kpi=LIFE, municipality="2083", year=2022, amount="51", gender="T"):
    return KoladaValue(
        kpi=kpi, municipality=municipality, year=year, gender=gender, value=Decimal(amount)
    )
