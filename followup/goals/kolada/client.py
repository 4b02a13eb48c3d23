"""A small client of Kolada's open API (v3), on the standard library only.

    GET {base}/data/kpi/{kpis}/municipality/{municipalities}/year/{years}
    GET {base}/municipality_groups/{group}     (a comparison group's title and members)

The answer comes in pages: each names the next one in ``next_url`` (or ``next_page``)
until the last. Values are read as Decimal from the JSON text itself, never through a
float, so 51.1 stays exactly 51.1. Network errors and 5xx answers are retried a few
times with a short backoff; then ``KoladaUnavailable`` says so in Swedish. The HTTP
opener is a parameter: tests pass a fake and never reach the network.
"""

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# One answer page; Kolada's are far smaller.
MAX_PAGE_BYTES = 20 * 1024 * 1024
# A guard against a server that keeps naming a next page.
MAX_PAGES = 200
ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
GENDERS = {"T", "K", "M"}


class KoladaError(Exception):
    """Kolada's answer (or a saved response file) cannot be read; Swedish message."""


class KoladaUnavailable(KoladaError):
    """Kolada could not be reached, even after the retries; Swedish message."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(
            f"Kolada kunde inte nås ({reason}). Försök igen senare eller läs in en sparad svarsfil."
        )


@dataclass(frozen=True)
class KoladaValue:
    """One figure: a KPI's value for a municipality, year and gender group."""

    kpi: str
    municipality: str
    year: int
    gender: str
    value: Decimal


@dataclass(frozen=True)
class GroupAnswer:
    """Kolada's answer about one municipality group: its title and members (id, name)."""

    group_id: str
    title: str
    members: tuple


@dataclass(frozen=True)
class Page:
    values: list
    next_url: str | None


def _number(raw, where: str) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    raise KoladaError(f"{where}: värdet {raw!r} är inte ett tal.")


def parse_page(text) -> Page:
    """One answer page (bytes or text) as values and the next page's address.

    A value of null (Kolada has no figure yet) is skipped. Anything not shaped like
    Kolada's answer raises KoladaError."""
    return parse_data(_json(text, "Svaret"))


# A number in Kolada's answer is a key figure or a year: never near 10^20. A larger
# exponent ("1E+999999999") is refused while the JSON is read, before any arithmetic (a
# figure up to 10^20 still rounds to four decimals within Decimal's 28 digits, and the
# importer then says it is too large for an indicator).
MAX_EXPONENT = 20


def _decimal(text: str) -> Decimal:
    number = Decimal(text)
    if number.adjusted() > MAX_EXPONENT:
        raise ValueError(text)
    return number


def _json(content, what: str):
    """Bytes or text of JSON, numbers with decimals read as Decimal; ``what`` ("Svaret",
    "Filen") names it in the Swedish KoladaError."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise KoladaError(f"{what} är inte text i UTF-8.") from exc
    try:
        return json.loads(content, parse_float=_decimal)
    except json.JSONDecodeError as exc:
        raise KoladaError(
            f"{what} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno})."
        ) from exc
    except ValueError as exc:  # from _decimal, or an integer of thousands of digits
        raise KoladaError(
            f"{what} innehåller ett orimligt stort tal (till exempel 1E+999999999) och kan "
            "inte vara ett svar från Kolada."
        ) from exc
    except RecursionError as exc:
        # Lists or objects nested deeper than Python's recursion limit ("[" * 100000):
        # the parser gives up cleanly. Kolada's answers are a handful of levels deep.
        nested = "nästlat" if what == "Svaret" else "nästlad"
        raise KoladaError(
            f"{what} är för djupt {nested} (listor eller objekt i tusentals nivåer) för att "
            "vara ett svar från Kolada."
        ) from exc


def parse_data(data) -> Page:
    """An already decoded answer page (floats must have been read as Decimal)."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError("Svaret har inte Koladas form: listan ”values” saknas.")
    values = []
    for number, item in enumerate(data["values"], start=1):
        where = f"Post {number}"
        if not isinstance(item, dict):
            raise KoladaError(f"{where} är inte ett objekt.")
        kpi, municipality, period = item.get("kpi"), item.get("municipality"), item.get("period")
        if not isinstance(kpi, str) or not ID.match(kpi):
            raise KoladaError(f"{where}: KPI-id saknas eller är ogiltigt.")
        if not isinstance(municipality, str | int) or not ID.match(str(municipality)):
            raise KoladaError(f"{where}: kommun-id saknas eller är ogiltigt.")
        try:
            year = int(period)
        except (TypeError, ValueError):
            year = None
        if year is None or isinstance(period, bool) or not 1900 <= year <= 2200:
            raise KoladaError(f"{where}: året (”period”) saknas eller är ogiltigt.")
        groups = item.get("values")
        if not isinstance(groups, list):
            raise KoladaError(f"{where}: listan ”values” saknas.")
        for group in groups:
            if not isinstance(group, dict) or group.get("gender") not in GENDERS:
                raise KoladaError(f"{where}: ett värde saknar kön (T, K eller M).")
            if group.get("value") is None:
                continue
            values.append(
                KoladaValue(
                    kpi=kpi,
                    municipality=str(municipality),
                    year=year,
                    gender=group["gender"],
                    value=_number(group["value"], where),
                )
            )
    next_url = data.get("next_url") or data.get("next_page") or None
    if next_url is not None and not isinstance(next_url, str):
        raise KoladaError("Svarets ”next_url” är inte en adress.")
    return Page(values=values, next_url=next_url)


def _is_group_page(data) -> bool:
    items = data.get("values") if isinstance(data, dict) else None
    return bool(items) and all(isinstance(i, dict) and "members" in i for i in items)


def parse_groups(data) -> list:
    """An answer of ``/municipality_groups/<id>`` as GroupAnswer (one per group). Kolada v3
    names a member ``member_id``/``member_title`` (older answers ``id``/``title``)."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError("Svaret har inte Koladas form: listan ”values” saknas.")
    groups = []
    for number, item in enumerate(data["values"], start=1):
        where = f"Grupp {number}"
        group_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(group_id, str) or not ID.match(group_id):
            raise KoladaError(f"{where}: grupp-id saknas eller är ogiltigt.")
        members = item.get("members")
        if not isinstance(members, list):
            raise KoladaError(f"{where}: listan ”members” saknas.")
        listed = []
        for member in members:
            code = member.get("member_id", member.get("id")) if isinstance(member, dict) else None
            name = member.get("member_title", member.get("title", "")) if code else ""
            if not isinstance(code, str | int) or not ID.match(str(code)):
                raise KoladaError(f"{where}: en kommun i gruppen saknar giltigt id.")
            listed.append((str(code), str(name or code)[:200]))
        groups.append(
            GroupAnswer(
                group_id=group_id,
                title=str(item.get("title") or "")[:200],
                members=tuple(listed),
            )
        )
    return groups


@dataclass(frozen=True)
class SavedAnswers:
    values: list  # KoladaValue
    groups: list  # GroupAnswer


def parse_saved(content) -> SavedAnswers:
    """A saved response file: one answer page, or a list of pages (JSON), of values and
    of municipality groups."""
    data = _json(content, "Filen")
    pages = data if isinstance(data, list) else [data]
    if not pages:
        raise KoladaError("Filen innehåller inga svar från Kolada.")
    values, groups = [], []
    for page in pages:
        if _is_group_page(page):
            groups.extend(parse_groups(page))
        else:
            values.extend(parse_data(page).values)
    return SavedAnswers(values=values, groups=groups)


def parse_file(content) -> list:
    """The values of a saved response file (its group answers left out)."""
    return parse_saved(content).values


def _ids(items, what: str) -> str:
    items = [str(i).strip() for i in items]
    if not items:
        raise ValueError(f"Ange minst ett {what}.")
    bad = [i for i in items if not ID.match(i)]
    if bad:
        raise ValueError(f"Ogiltigt {what}: {', '.join(bad)}.")
    return ",".join(dict.fromkeys(items))


class KoladaClient:
    """Fetches values from Kolada. ``opener(request, timeout=...)`` returns a response
    with ``read()`` (urllib.request.urlopen by default); ``sleep`` waits between tries."""

    def __init__(self, *, base_url=None, timeout=None, retries=None, opener=None, sleep=None):
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        if not self.base_url.startswith(("https://", "http://")):
            raise ValueError(f"Koladas adress ska börja med https://, inte {self.base_url!r}.")
        self.timeout = settings.KOLADA_TIMEOUT if timeout is None else timeout
        self.retries = settings.KOLADA_RETRIES if retries is None else retries
        self.opener = opener or urllib.request.urlopen
        self.sleep = sleep or time.sleep

    def data_url(self, *, kpis, municipalities, years) -> str:
        return (
            f"{self.base_url}/data/kpi/{_ids(kpis, 'KPI-id')}"
            f"/municipality/{_ids(municipalities, 'kommun-id')}"
            f"/year/{_ids(sorted(int(y) for y in years), 'år')}"
        )

    def fetch(self, *, kpis, municipalities, years) -> list:
        """Every value of every page, as KoladaValue."""
        url = self.data_url(kpis=kpis, municipalities=municipalities, years=years)
        origin = urlsplit(url)[:2]
        values, seen = [], set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise KoladaError("Kolada hänvisar till samma sida igen; svaret avbröts.")
            seen.add(url)
            page = parse_page(self.get(url))
            values.extend(page.values)
            url = urljoin(url, page.next_url) if page.next_url else None
            if url and urlsplit(url)[:2] != origin:
                raise KoladaError("Kolada hänvisar till nästa sida på en annan server.")
        return values

    def fetch_group(self, group_id: str) -> GroupAnswer | None:
        """The comparison group's title and members; None when Kolada does not know it."""
        url = f"{self.base_url}/municipality_groups/{_ids([group_id], 'grupp-id')}"
        data = _json(self.get(url), "Svaret")
        return next((g for g in parse_groups(data) if g.group_id == group_id), None)

    def get(self, url: str) -> bytes:
        """The body of one GET, retried on network errors and 5xx answers."""
        # The scheme is http(s) only: the base URL is checked, next pages stay on its host.
        request = urllib.request.Request(  # noqa: S310
            url, headers={"Accept": "application/json", "User-Agent": "Budgetuppfoljning"}
        )
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(0.5 * 2 ** (attempt - 1))
            try:
                response = self.opener(request, timeout=self.timeout)
                try:
                    body = response.read(MAX_PAGE_BYTES + 1)
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    raise KoladaError(f"Kolada svarade med fel (HTTP {exc.code}).") from exc
                reason = f"HTTP {exc.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                reason = _reason(exc)
            else:
                if len(body) > MAX_PAGE_BYTES:
                    raise KoladaError("Svaret från Kolada är för stort.")
                return body
        raise KoladaUnavailable(reason)


def _reason(exc) -> str:
    inner = getattr(exc, "reason", None) or exc
    if isinstance(inner, TimeoutError):
        return "inget svar inom tidsgränsen"
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror
    return str(inner) or type(inner).__name__
