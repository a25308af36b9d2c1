"""Politeness per host: at most N requests in flight, and a minimum delay between their starts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    def __init__(self, concurrency: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._turn = asyncio.Lock()
        self._last_start = float("-inf")

    @asynccontextmanager
    async def turn(self, delay: float) -> AsyncIterator[None]:
        """Hold one of the host's slots, entered no sooner than `delay` s after the previous start
        (the delay of the request now starting: a Crawl-delay learnt since then applies at once)."""
        async with self._slots:
            async with self._turn:
                wait = self._last_start + delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._last_start = time.monotonic()
            yield


class HostGates:
    def __init__(self, concurrency: int) -> None:
        self._concurrency = concurrency
        self._gates: dict[str, HostGate] = {}

    def __getitem__(self, host: str) -> HostGate:
        if host not in self._gates:
            self._gates[host] = HostGate(self._concurrency)
        return self._gates[host]
