"""The machine-readable description of what open data publishes: a DCAT-AP-SE catalogue in
JSON-LD (docs/decisions/0028), the form Sveriges dataportal (dataportal.se) harvests.

One ``dcat:Catalog`` with a ``dcat:Dataset`` per published table, each with a
``dcat:Distribution`` per format (CSV, JSON): its ``dcat:accessURL`` (the page that lists
it) and ``dcat:downloadURL`` (the file), licence, publisher (the municipality), the theme
ECON (economy and finance), the language Swedish, and for a published period the time it
was published (``dcterms:issued``) and its latest version was written
(``dcterms:modified``). Addresses are absolute, from ``SITE_URL``.
"""

import json

from django.conf import settings
from django.urls import reverse

from followup.opendata.formats import timestamp
from followup.opendata.published import CSV, FORMATS, JSON, Published

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority"
SWEDISH = {"@id": f"{EU}/language/SWE"}
ECONOMY = {"@id": f"{EU}/data-theme/ECON"}
FILE_TYPES = {CSV: f"{EU}/file-type/CSV", JSON: f"{EU}/file-type/JSON"}
MEDIA_TYPES = {
    CSV: "http://www.iana.org/assignments/media-types/text/csv",
    JSON: "http://www.iana.org/assignments/media-types/application/json",
}
# Names of the licences a municipality is likely to choose; any other is shown by its address.
LICENCE_NAMES = {
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 (allmän egendom)",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (erkännande)",
}


def licence() -> dict:
    """{"url", "name"} of the licence the data is published under (``OPEN_DATA_LICENSE``)."""
    url = settings.OPEN_DATA_LICENSE
    return {"url": url, "name": LICENCE_NAMES.get(url, url)}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _text(value: str) -> dict:
    return {"@language": "sv", "@value": value}


def _moment(moment) -> dict:
    return {"@type": "xsd:dateTime", "@value": timestamp(moment)}


def _agent(name: str) -> dict:
    return {"@type": "foaf:Agent", "foaf:name": name}


def _contact(name: str) -> dict:
    """The municipality as an organisation (never a person), with its mailbox for open
    data where one is set (``OPEN_DATA_CONTACT_EMAIL``)."""
    contact = {"@type": "vcard:Organization", "vcard:fn": name}
    if settings.OPEN_DATA_CONTACT_EMAIL:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}
    return contact


def _dataset(entry, *, publisher: str, page: str, licence_url: str) -> dict:
    download = {fmt: absolute(entry.url(fmt)) for fmt in FORMATS}
    dataset = {
        "@id": download[JSON].removesuffix(".json"),
        "@type": "dcat:Dataset",
        "dcterms:identifier": download[JSON].removesuffix(".json"),
        "dcterms:title": _text(entry.title),
        "dcterms:description": _text(entry.description),
        "dcterms:publisher": _agent(publisher),
        "dcat:contactPoint": _contact(publisher),
        "dcat:theme": ECONOMY,
        "dcterms:language": SWEDISH,
        "dcat:keyword": [_text("budget"), _text("budgetuppföljning"), _text("ekonomi")],
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": [
            {
                "@id": download[fmt],
                "@type": "dcat:Distribution",
                "dcterms:title": _text(f"{entry.title} ({fmt.upper()})"),
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": download[fmt]},
                "dcterms:format": {"@id": FILE_TYPES[fmt]},
                "dcat:mediaType": {"@id": MEDIA_TYPES[fmt]},
                "dcterms:license": {"@id": licence_url},
            }
            for fmt in FORMATS
        ],
    }
    if entry.issued is not None:
        dataset["dcterms:issued"] = _moment(entry.issued)
        dataset["dcterms:modified"] = _moment(entry.modified)
    if entry.version is not None:
        dataset["dcat:version"] = str(entry.version)
    return dataset


def catalogue(published: Published) -> dict:
    page = absolute(reverse("opendata:index"))
    licence_url = licence()["url"]
    name = published.publisher
    entries = published.entries
    catalog = {
        "@context": CONTEXT,
        "@id": absolute(reverse("opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dcterms:title": _text(f"Budget och budgetuppföljning, {name}".rstrip(", ")),
        "dcterms:description": _text(
            "Den fastställda budgetens tabeller och de publicerade uppföljningsperiodernas "
            "budget, utfall, prognos och avvikelse per nämnd, som öppna data."
        ),
        "dcterms:publisher": _agent(name),
        "dcterms:license": {"@id": licence_url},
        "dcterms:language": SWEDISH,
        "dcat:themeTaxonomy": {"@id": f"{EU}/data-theme"},
        "foaf:homepage": {"@id": page},
        "dcat:dataset": [
            _dataset(e, publisher=name, page=page, licence_url=licence_url) for e in entries
        ],
    }
    modified = [e.modified for e in entries if e.modified is not None]
    if modified:
        catalog["dcterms:modified"] = _moment(max(modified))
    return catalog


def catalogue_text(published: Published) -> str:
    return json.dumps(catalogue(published), ensure_ascii=False, indent=2) + "\n"
