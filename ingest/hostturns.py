"""Per-host politeness shared by every crawler and worker on one PostgreSQL database.

A request to a host with a delay first takes the host's turn in the `host_turns` table
(store/frontier.take_host_turn: one atomic upsert that succeeds only when the host's
next_allowed_at has come, by the database's clock) and holds it until the request is over; then
end_host_turn sets next_allowed_at to `delay` seconds after that end (the source's delay, or the
host's robots.txt Crawl-delay when that is longer). So requests to one host never
overlap, whichever workers send them, and between the end of one and the start of the next there
are at least `delay` seconds. Spacing by starts ("one start per `delay`") cannot be guaranteed across
processes: a worker only knows when it took its turn, not when its request actually left (a busy
CPU delays that), so a late start would squeeze the gap before the next worker's request.
Chosen over per-host advisory locks: a session lock ties up one database connection per host for
as long as it is held, and dies silently with a broken connection; a timestamp row costs two short
transactions per request and lapses by itself when a holder crashes (after `hold` seconds).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from ingest.fetch import Fetcher, FetchResult
from store import frontier

T = TypeVar("T")


class SharedHostTurns:
    """A Fetcher whose every request first takes its host's turn in the database, so a host is
    never fetched faster than its delay by all workers together. Other attributes are the Fetcher's."""

    def __init__(self, fetcher: Fetcher, sessions: sessionmaker[Session]) -> None:
        self._fetcher = fetcher
        self._sessions = sessions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fetcher, name)

    async def fetch(self, url: str, *, delay: float | None = None, **options: Any) -> FetchResult:
        user_agent = options.get("user_agent")
        spacing = self._fetcher.delay_for(url, delay, user_agent)
        if spacing <= 0:
            return await self._fetcher.fetch(url, delay=delay, **options)
        host = urlsplit(url).netloc.lower()
        # The longest a fetch can take (every retry and redirect included), and then some.
        hold = self._fetcher.settings.total_timeout + spacing + 5.0
        while (wait := await asyncio.to_thread(self._call, frontier.take_host_turn, host, hold)) > 0:
            # The holder usually ends its turn long before it lapses: look again soon.
            await asyncio.sleep(min(wait, max(spacing / 2, 0.05)))
        try:
            return await self._fetcher.fetch(url, delay=delay, **options)
        finally:
            # Asked again: this fetch may have read the host's robots.txt and its Crawl-delay.
            spacing = self._fetcher.delay_for(url, delay, user_agent)
            await asyncio.shield(asyncio.to_thread(self._call, frontier.end_host_turn, host, spacing))

    def _call(self, work: Callable[..., T], *args: object) -> T:
        with self._sessions() as session:
            return work(session, *args)
