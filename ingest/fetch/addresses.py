"""--block-private: refuse hosts that resolve to private, loopback, link-local or reserved addresses.

A crawler that follows links and redirects from untrusted pages can otherwise be steered at the
machine it runs on or its network (routers, cloud metadata at 169.254.169.254, internal services).
The host is resolved the way the connection will resolve it (the event loop's getaddrinfo, so
decimal or octal spellings like 2130706433 are caught) and every address must be public.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def non_public_reason(address: IPAddress) -> str | None:
    """Why `address` must not be contacted under --block-private, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None and (reason := non_public_reason(embedded)):
            return reason
    for reason, flag in (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if flag:
            return reason
    # Shared (100.64/10), documentation and benchmarking ranges: not private, not public either.
    return None if address.is_global else "reserved"


async def private_host_problem(url: str) -> str | None:
    """Why `url` must not be fetched under --block-private (its host resolves to a non-public
    address, or cannot be resolved at all), or None."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        # Not resolvable now: refused rather than left to the HTTP client, whose own lookup could
        # answer differently.
        return f"cannot resolve {host} to check it is public (--block-private): {exc}"
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if reason := non_public_reason(address):
            return f"refused: {host} resolves to {reason} address {address} (--block-private)"
    return None
