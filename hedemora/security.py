"""Who is asking: the client's address behind the reverse proxy (for django-axes' lock-out).

Behind the municipality's TLS proxy every request comes from the proxy's address; the
proxy appends the address it was reached from to ``X-Forwarded-For``. That header is
believed only from a trusted proxy (``TRUSTED_PROXIES``), and only its rightmost entries:
anything to their left was written by the client and may be a lie.
docs/decisions/0023-client-address-behind-the-proxy.md
"""

import ipaddress

from django.conf import settings

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
