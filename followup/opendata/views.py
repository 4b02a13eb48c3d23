"""The open-data addresses (docs/decisions/0028): the page that lists what is published, the
DCAT-AP-SE catalogue, and each published table as CSV and JSON. Each is served by
``serving.open_data``: without login, 404 while open data is off, within the rate limit."""

from django.http import Http404
from django.shortcuts import render

from followup.opendata import catalogue as dcat
from followup.opendata import formats, published
from followup.opendata.serving import cacheable, data_response, open_data

JSONLD = "application/ld+json"


@open_data
def index(request):
    context = {
        "published": published.published(),
        "licence": dcat.licence(),
        "column_sets": [
            ("Perioder per nämnd: …/perioder/<månad>/namnder.csv", published.PERIOD_COLUMNS),
            ("Budgetens tabeller: …/budget/<tabell>.csv", published.BUDGET_COLUMNS),
        ],
    }
    response = render(request, "opendata/index.html", context)
    return cacheable(request, response, public=not request.user.is_authenticated)


@open_data
def catalogue(request):
    body = dcat.catalogue_text(published.published()).encode()
    return data_response(request, body, JSONLD)


def _table_response(request, table, fmt):
    if table is None:
        raise Http404("Det finns inga sådana publicerade uppgifter.")
    body, content_type = formats.rendered(table, fmt, license_url=dcat.licence()["url"])
    return data_response(request, body, content_type, last_modified=table.entry.modified)


@open_data
def period(request, year, month, fmt):
    return _table_response(request, published.period_table(year, month), fmt)


@open_data
def budget_table(request, year, kind, fmt):
    return _table_response(request, published.budget_table(year, kind), fmt)
