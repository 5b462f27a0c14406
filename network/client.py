"""The visitor's address behind the reverse proxy (README, Production): X-Forwarded-For counts only when the request
comes from a trusted proxy (settings.TRUSTED_PROXIES), and then its last hop that is not one of them."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# More hops than any real chain of proxies: a longer header is not walked further (its client is then REMOTE_ADDR).
MAX_HOPS = 20


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def parse_address(value: str) -> Address | None:
    """An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`;
    an IPv4-mapped IPv6 address is its IPv4 address. None for anything else."""
    value = value.strip()
    if value.startswith("["):
        value, bracket, port = value[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return None
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has at least two colons
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then X-Forwarded-For read from the right,
    past the trusted proxies, to the first hop that is not one. A hop that is no address ends the trust (the header
    was not written by our proxies), and the answer is REMOTE_ADDR."""
    remote_value = request.META.get("REMOTE_ADDR", "")
    remote = parse_address(remote_value)
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks or not _trusted(remote, networks):
        return str(remote) if remote is not None else remote_value
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops or len(hops) > MAX_HOPS:
        return str(remote)
    nearest = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return str(remote)
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    # Every hop is one of our proxies (a health check from inside): the furthest one is the client.
    return str(nearest)
