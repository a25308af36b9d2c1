"""Fixtures for discovery tests: the fake news site on loopback, and a document fetch over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from ingest.fetch import FetchResult
from tests.fakesite import FakeNewsSite


@pytest.fixture
def site(server) -> FakeNewsSite:
    return FakeNewsSite(articles=240).mount(server)


async def fetch_document(url: str) -> FetchResult:
    """A real HTTP GET of any content type. Discovery reads XML and robots.txt, which this branch's
    Fetcher refuses (HTML only); the crawler passes the rewritten Fetcher's fetch instead."""
    async with httpx.AsyncClient(follow_redirects=True) as client:
        try:
            response = await client.get(url)
        except httpx.HTTPError as exc:
            return FetchResult(url=url, error=f"cannot connect: {exc}")
    error = f"HTTP {response.status_code}" if response.status_code >= 400 else None
    return FetchResult(
        url=url,
        final_url=str(response.url),
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=b"" if error else response.content,
        error=error,
    )


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
