"""Fixtures for discovery tests: the fake news site on loopback, and the real Fetcher to read it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from ingest.fetch import Fetcher, FetchResult, FetchSettings
from tests.fakesite import FakeNewsSite


@pytest.fixture
def site(server) -> FakeNewsSite:
    return FakeNewsSite(articles=240).mount(server)


async def fetch_document(url: str) -> FetchResult:
    """The real Fetcher as the crawler will call it: any content type, no delay on loopback."""
    async with Fetcher(FetchSettings(host_delay=0)) as fetcher:
        return await fetcher.fetch(url, accept=None)


@pytest.fixture
def run() -> Callable[[Awaitable], object]:
    return asyncio.run


@pytest.fixture
def get(site) -> Callable[[str], bytes]:
    """The body the fake site serves at `path`, fetched over HTTP."""

    def body(path: str) -> bytes:
        response = httpx.get(site.base + path)
        assert response.status_code == 200, path
        return response.content

    return body
