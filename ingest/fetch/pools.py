"""One HTTP connection pool per origin, and only so many kept open.

httpcore's pool examines every connection it holds each time it assigns a request, so a single
pool shared by a crawl over many hosts spends more CPU choosing a connection than on the request
itself (measured: the largest single cost in a 20-host crawl's main process). A pool per origin
chooses among that host's own few connections. Pools of hosts not used lately are closed, so a
crawl over thousands of hosts keeps a bounded number of sockets open.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx

from ingest.robots import origin_of


class OriginPools:
    def __init__(self, make_client: Callable[[], httpx.AsyncClient], keep_open: int = 64) -> None:
        self._make_client = make_client
        self._keep_open = keep_open
        self._clients: OrderedDict[str, httpx.AsyncClient] = OrderedDict()  # least recently used first
        self._busy: Counter[str] = Counter()

    @asynccontextmanager
    async def client(self, url: str) -> AsyncIterator[httpx.AsyncClient]:
        """The client for `url`'s origin, reserved for the duration of the block."""
        origin = origin_of(url)
        client = self._clients.pop(origin, None) or self._make_client()
        self._clients[origin] = client
        self._busy[origin] += 1
        try:
            yield client
        finally:
            self._busy[origin] -= 1
            if not self._busy[origin]:
                del self._busy[origin]
            await self._close_least_recent()

    async def _close_least_recent(self) -> None:
        excess = len(self._clients) - self._keep_open
        if excess <= 0:
            return
        idle = [origin for origin in self._clients if origin not in self._busy][:excess]
        for origin in idle:
            await self._clients.pop(origin).aclose()

    async def aclose(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            await client.aclose()
