"""Host turns shared through PostgreSQL (what separate workers do) keep robots.txt Crawl-delay too."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from itertools import pairwise

import pytest

from ingest.fetch import Fetcher, FetchOutcome
from ingest.hostturns import SharedHostTurns
from store.db import open_engine, session_factory
from store.fetchlog import StoreRobotsCache
from tests.fetch.endpoints import QUICK
from tests.store.conftest import postgres_url, postgres_user  # noqa: F401

pytestmark = pytest.mark.postgres

PAGE = "<html><body><p>نص الخبر</p></body></html>".encode()
# Server arrival times; without the Crawl-delay the two fetchers' requests would be ~0.05 s apart.
CLOCK_SLACK = 0.1


def test_a_crawl_delay_spaces_the_requests_of_separate_fetchers_sharing_host_turns(server, postgres_url):  # noqa: F811
    server.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.5\n", content_type="text/plain")
    urls = [server.add(f"/news/{n}", PAGE) for n in range(6)]
    engine = open_engine(postgres_url)
    sessions = session_factory(engine)

    async def worker(share: list[str]) -> list[FetchOutcome]:
        settings = replace(QUICK, host_delay=0.0)
        async with Fetcher(settings, robots_cache=StoreRobotsCache(sessions)) as fetcher:
            turns = SharedHostTurns(fetcher, sessions)
            return [(await turns.fetch(url, delay=0.05)).outcome for url in share]

    async def two_workers() -> list[list[FetchOutcome]]:
        return await asyncio.gather(worker(urls[0::2]), worker(urls[1::2]))

    try:
        outcomes = asyncio.run(two_workers())
    finally:
        engine.dispose()

    assert outcomes == [[FetchOutcome.FETCHED] * 3] * 2
    starts = sorted(r.at for r in server.requests if r.path.startswith("/news/"))
    assert len(starts) == 6
    assert min(b - a for a, b in pairwise(starts)) >= 0.5 - CLOCK_SLACK
