"""One connection pool per origin, the least recently used closed beyond a bound (real servers)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from ingest.fetch.pools import OriginPools
from tests.loopback import LoopbackServer


@pytest.fixture
def sites() -> Iterator[list[LoopbackServer]]:
    servers = [LoopbackServer().start() for _ in range(3)]
    for server in servers:
        server.add("/", b"<html></html>", content_type="text/html")
    yield servers
    for server in servers:
        server.stop()


class CountingClients:
    def __init__(self) -> None:
        self.made: list[httpx.AsyncClient] = []

    def __call__(self) -> httpx.AsyncClient:
        self.made.append(httpx.AsyncClient())
        return self.made[-1]


def test_requests_to_one_origin_share_its_client(sites):
    async def run() -> CountingClients:
        clients = CountingClients()
        pools = OriginPools(clients)
        for path in ("/", "/", "/?page=2"):
            async with pools.client(sites[0].url(path)) as client:
                assert (await client.get(sites[0].url(path))).status_code == 200
        await pools.aclose()
        return clients

    clients = asyncio.run(run())

    assert len(clients.made) == 1
    assert clients.made[0].is_closed


def test_beyond_the_bound_the_least_recently_used_idle_pool_is_closed(sites):
    async def run() -> list[bool]:
        clients = CountingClients()
        pools = OriginPools(clients, keep_open=2)
        for site in (sites[0], sites[1], sites[0], sites[2]):
            async with pools.client(site.url("/")) as client:
                await client.get(site.url("/"))
        closed = [client.is_closed for client in clients.made]
        await pools.aclose()
        return closed

    assert asyncio.run(run()) == [False, True, False]  # sites[1] was used least recently


def test_a_pool_in_use_is_never_closed_to_make_room(sites):
    async def run() -> bool:
        clients = CountingClients()
        pools = OriginPools(clients, keep_open=1)
        async with pools.client(sites[0].url("/")) as busy:
            for site in sites[1:]:
                async with pools.client(site.url("/")) as client:
                    await client.get(site.url("/"))
            still_usable = (await busy.get(sites[0].url("/"))).status_code == 200
        await pools.aclose()
        return still_usable

    assert asyncio.run(run())
