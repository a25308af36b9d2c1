"""The one way akhbar talks to the web: an httpx client that returns a FetchResult, never raises."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from ingest import __version__
from ingest.urls import url_problem

USER_AGENT = f"akhbar/{__version__} (+https://github.com/akhbar-archive/akhbar)"
MAX_BODY_BYTES = 10 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class Fetcher:
    """An async HTTP client for article pages. Use as `async with Fetcher() as f: await f.fetch(url)`."""

    def __init__(self, *, timeout: float = 20.0, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self._max_body_bytes = max_body_bytes
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=10,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def fetch(self, url: str) -> FetchResult:
        started = time.monotonic()
        result = FetchResult(url=url)
        problem = url_problem(url)
        if problem:
            result.error = problem
            return result
        try:
            async with self._client.stream("GET", url) as response:
                result.status = response.status_code
                result.final_url = str(response.url)
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code >= 400:
                    result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                    return result
                media_type = (result.content_type or "").split(";")[0].strip().lower()
                if media_type not in HTML_TYPES:
                    result.error = f"not an HTML page (Content-Type: {media_type or 'none'})"
                    return result
                result.body = await self._read_limited(response)
        except httpx.TooManyRedirects:
            result.error = "too many redirects"
        except httpx.TimeoutException:
            result.error = "timed out"
        except httpx.ConnectError as exc:
            result.error = f"cannot connect: {exc}" if str(exc) else "cannot connect"
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        except _BodyTooLarge:
            result.error = f"body larger than {self._max_body_bytes} bytes"
        finally:
            result.elapsed = time.monotonic() - started
        return result

    async def _read_limited(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_body_bytes:
                raise _BodyTooLarge
            chunks.append(chunk)
        return b"".join(chunks)


class _BodyTooLarge(Exception):
    pass


async def fetch_all(urls: list[str], *, concurrency: int = 8) -> list[FetchResult]:
    """Fetch many URLs concurrently; results keep the order of `urls`."""
    semaphore = asyncio.Semaphore(concurrency)
    async with Fetcher() as fetcher:

        async def one(url: str) -> FetchResult:
            async with semaphore:
                return await fetcher.fetch(url)

        return await asyncio.gather(*(one(u) for u in urls))
