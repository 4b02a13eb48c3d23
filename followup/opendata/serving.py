"""How open data is served (docs/decisions/0028): only when the municipality has turned it
on, to anyone without login, within a rate limit per client address, and cacheable.

- Off (``settings.OPEN_DATA`` false, the default): every open-data address answers 404,
  as if it did not exist.
- Without login: each view is exempted from ``LoginRequiredMiddleware`` by
  ``login_not_required``, here and nowhere else.
- Rate limit: ``OPEN_DATA_RATE_LIMIT`` requests per client address
  (``hedemora.security.client_ip``: behind the proxy, the client's own) per minute, counted
  in Django's cache; beyond it 429 with Retry-After. A cache that fails limits nothing.
- Cacheable: a file is the same for everyone, so it carries ``Cache-Control: public,
  max-age``, an ETag of its content and, for a published period, Last-Modified from its
  record's latest version; a conditional GET that still holds gets 304. Such an answer is
  marked ``public_data`` so that ``NoStoreForSignedIn`` leaves it cacheable for a signed-in
  visitor too. The page is public only for an anonymous visitor (a signed-in visitor's
  page names them in its header).
"""

import functools
import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from hedemora.security import client_ip

logger = logging.getLogger(__name__)

WINDOW = 60  # seconds over which OPEN_DATA_RATE_LIMIT requests are allowed
clock = time.time  # the time the windows are counted in (a test holds it still)


def seconds_to_wait(request) -> int | None:
    """None while the client is within the limit; else the seconds until the window ends
    (each request counts, answered or not)."""
    now = clock()
    window = int(now // WINDOW)
    key = f"opendata:rate:{window}:{client_ip(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=WINDOW + 1)
        count = cache.incr(key)
    except Exception:  # a failing cache limits nothing; the data is still served
        logger.warning("The open-data rate limit could not be counted.", exc_info=True)
        return None
    if count <= settings.OPEN_DATA_RATE_LIMIT:
        return None
    return max(1, math.ceil((window + 1) * WINDOW - now))


def too_many(wait: int) -> HttpResponse:
    response = HttpResponse(
        "För många förfrågningar. Försök igen om en stund.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def open_data(view):
    """An open-data address: GET and HEAD only, without login, 404 while open data is
    off, 429 beyond the rate limit."""

    @login_not_required
    @require_safe
    @functools.wraps(view)
    def served(request, *args, **kwargs):
        if not settings.OPEN_DATA:
            raise Http404("Kommunen publicerar inga öppna data.")
        wait = seconds_to_wait(request)
        if wait is not None:
            return too_many(wait)
        return view(request, *args, **kwargs)

    return served


def cacheable(request, response, *, public=True, last_modified=None) -> HttpResponse:
    """``response`` with its ETag (of its content), Last-Modified where given and a
    Cache-Control for everyone (``public``) or the browser alone; 304 when the request's
    condition holds."""
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    visibility = {"public": True} if public else {"private": True}
    patch_cache_control(response, **visibility, max_age=settings.OPEN_DATA_MAX_AGE)
    answer = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    answer.public_data = public  # NoStoreForSignedIn leaves it cacheable (304 too)
    return answer


def data_response(request, body: bytes, content_type: str, *, last_modified=None):
    """A file of open data: the same for everyone, readable from any web page (CORS)."""
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return cacheable(request, response, last_modified=last_modified)
