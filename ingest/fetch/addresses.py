"""--block-private: refuse hosts that resolve to private, loopback, link-local or reserved addresses.

A crawler that follows links and redirects from untrusted pages can otherwise be steered at the
machine it runs on or its network (routers, cloud metadata at 169.254.169.254, internal services).
Hosts are resolved the way a connection resolves them (the event loop's getaddrinfo, so decimal or
octal spellings like 2130706433 are caught) and every address must be public.

Checking a name and then letting the HTTP client look it up again would leave a gap: a DNS server
answering with a time-to-live of zero can give a public address to the check and 127.0.0.1 to the
connection (DNS rebinding). So under --block-private each new connection resolves the host once,
checks every address, and connects to a checked address itself (`PublicOnlyTransport`); the Host
header and TLS server name stay the URL's host name. The earlier check per URL (`private_host_problem`)
still refuses before robots.txt is asked for or a redirect is followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# A host name in, its addresses out (OSError when it does not resolve). Tests map names of their
# own to loopback with one; everything else uses the system's resolver.
Resolver = Callable[[str], Awaitable[list[IPAddress]]]
Judge = Callable[[IPAddress], str | None]


class PrivateAddress(Exception):
    """A connection refused under --block-private (its message says why)."""


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


async def system_resolver(host: str) -> list[IPAddress]:
    """`host`'s addresses from the system resolver, in its order, each once."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    found: dict[IPAddress, None] = {}
    for *_, sockaddr in infos:
        found.setdefault(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]), None)
    return list(found)


def refusal(host: str, addresses: Iterable[IPAddress], judge: Judge = non_public_reason) -> str | None:
    """Why `host`, resolving to `addresses`, must not be contacted; None when all are public."""
    for address in addresses:
        if reason := judge(address):
            return f"refused: {host} resolves to {reason} address {address} (--block-private)"
    return None


async def private_host_problem(url: str, resolve: Resolver = system_resolver) -> str | None:
    """Why `url` must not be fetched under --block-private (its host resolves to a non-public
    address, or cannot be resolved at all), or None."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = await resolve(host)
    except (OSError, UnicodeError) as exc:
        # Not resolvable now: refused rather than left to the HTTP client.
        return f"cannot resolve {host} to check it is public (--block-private): {exc}"
    return refusal(host, addresses)


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses it has just resolved and judged
    public: the address checked is the address connected to."""

    def __init__(self, resolve: Resolver = system_resolver, judge: Judge = non_public_reason) -> None:
        self._resolve = resolve
        self._judge = judge
        self._sockets = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolve(host)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout:g} s") from None
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        if problem := refusal(host, addresses, self._judge):
            raise PrivateAddress(problem)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._sockets.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise PrivateAddress(f"refused: unix socket {path} (--block-private)")

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


class PublicOnlyTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (no proxy: a proxy would choose the address), on `PublicOnlyBackend`."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext,
        limits: httpx.Limits,
        resolve: Resolver = system_resolver,
        judge: Judge = non_public_reason,
    ) -> None:
        super().__init__(verify=verify, limits=limits, trust_env=False)
        # httpx offers no parameter for the network backend; its pool is rebuilt as httpx builds it,
        # with the backend added.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PublicOnlyBackend(resolve, judge),
        )
