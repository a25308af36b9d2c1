"""Per-host politeness shared by every crawler and worker on one PostgreSQL database.

Before every request a process takes its host's turn in the `host_turns` table
(store/frontier.take_host_turn): one atomic upsert that succeeds only when the host's
next_allowed_at has come, by the database's clock, and moves it `delay` seconds on. Turns are
taken just before the request rather than reserved when URLs are claimed, so a request that starts
late never squeezes the gap before the next one, and no reservation outlives a crashed worker.
Chosen over per-host advisory locks: a lock would have to be held for the whole delay by one
connection per host, where a timestamp row costs one short transaction per request.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from ingest.fetch import Fetcher, FetchResult
from store import frontier


class SharedHostTurns:
    """A Fetcher whose every request first takes its host's turn in the database, so a host is
    never fetched faster than its delay by all workers together. Other attributes are the Fetcher's."""

    def __init__(self, fetcher: Fetcher, sessions: sessionmaker[Session]) -> None:
        self._fetcher = fetcher
        self._sessions = sessions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fetcher, name)

    async def fetch(self, url: str, *, delay: float | None = None, **options: Any) -> FetchResult:
        wait_for = delay if delay is not None else self._fetcher.settings.host_delay
        if wait_for > 0:
            host = urlsplit(url).netloc.lower()
            while (wait := await asyncio.to_thread(self._take_turn, host, wait_for)) > 0:
                await asyncio.sleep(wait)
        return await self._fetcher.fetch(url, delay=delay, **options)

    def _take_turn(self, host: str, delay: float) -> float:
        with self._sessions() as session:
            return frontier.take_host_turn(session, host, delay)
