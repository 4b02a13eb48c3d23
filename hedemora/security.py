"""Who is asking, and what a browser may keep: the client's address behind the reverse proxy
(for django-axes' lock-out) and ``Cache-Control: no-store`` on signed-in pages.

Behind the municipality's TLS proxy every request comes from the proxy's address; the
proxy appends the address it was reached from to ``X-Forwarded-For``. That header is
believed only from a trusted proxy (``TRUSTED_PROXIES``), and only its rightmost entries:
anything to their left was written by the client and may be a lie.
docs/decisions/0023-client-address-behind-the-proxy.md
"""

import ipaddress

from django.conf import settings
from django.utils.cache import add_never_cache_headers

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> list[Network]:
    """``TRUSTED_PROXIES``: addresses or networks (``10.0.0.0/8``), comma-separated.

    Raises ValueError for an entry that is neither."""
    return [
        ipaddress.ip_network(part.strip(), strict=False)
        for part in value.split(",")
        if part.strip()
    ]


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, proxies) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then the rightmost
    address in X-Forwarded-For that is not itself a trusted proxy (AXES_CLIENT_IP_CALLABLE).

    A proxy chain that names no one else, or an entry that is no address, leaves the
    proxy's own address: never an address the client chose."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXIES", [])
    if not proxies or not _trusted(_address(remote or ""), proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        address = _address(entry)
        if address is None:
            return remote
        if not _trusted(address, proxies):
            return str(address)
    return remote


class NoStoreForSignedIn:
    """``Cache-Control: no-store`` on every answer to a signed-in user: a budget page, a
    report or a workbook stays out of the browser's and any proxy's cache, so the next
    person at a shared computer cannot bring it back with the back button. (Static files
    never pass through here: the proxy serves them.) Exempt: an answer marked
    ``public_data``, the same for everyone (open data's files, followup/opendata/serving.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(response, "public_data", False):
            return response
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
