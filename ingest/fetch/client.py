"""The Fetcher: every request akhbar sends goes through here, politely and within limits."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from ingest import __version__
from ingest.fetch.addresses import (
    PrivateAddress,
    PublicOnlyTransport,
    Resolver,
    private_host_problem,
    system_resolver,
)
from ingest.fetch.bodies import SUPPORTED_ENCODINGS, BodyError, binary_kind, read_body
from ingest.fetch.hosts import HostGates
from ingest.fetch.pools import OriginPools
from ingest.fetch.result import FetchOutcome, FetchResult, Validators
from ingest.fetch.retry import RetryPolicy, backoff_delay, retry_after_seconds, retryable_status
from ingest.robots import (
    ROBOTS_MAX_BYTES,
    RobotsCache,
    RobotsRecord,
    RobotsRules,
    agent_token,
    origin_of,
    robots_record,
    robots_url,
)
from ingest.urls import url_problem

log = logging.getLogger(__name__)

USER_AGENT = f"akhbar/{__version__} (Arabic news archiver; +https://example.org/akhbar-contact)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/x-gzip",
    "application/gzip",
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence while waiting for bytes
    total_timeout: float = 90.0  # per URL: every attempt, redirect and backoff wait included
    max_body_bytes: int = 10 * 1024 * 1024  # on the wire
    max_decoded_bytes: int = 20 * 1024 * 1024  # after gzip/brotli
    max_redirects: int = 5
    max_connections: int = 16  # requests in flight, all hosts together
    per_host_connections: int = 2
    host_delay: float = 1.0  # minimum seconds between request starts on one host
    max_crawl_delay: float = 120.0  # a robots.txt Crawl-delay above this is capped
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    obey_robots: bool = True
    robots_ttl: float = 24 * 3600.0
    robots_retry_ttl: float = 600.0  # how long an unreachable robots.txt defers its host
    # Refuse hosts (redirect targets and robots.txt included) that resolve to non-public addresses.
    block_private: bool = False


@dataclass(frozen=True, slots=True)
class Politeness:
    """One URL's own minimum delay between requests to its host, and User-Agent (its source's);
    None for either means the FetchSettings one."""

    delay: float | None = None
    user_agent: str | None = None


class _Retry(Exception):
    """An attempt failed in a way a later attempt may not (timeout, reset, 429, 5xx)."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class _Fail(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(slots=True)
class _Request:
    accept: tuple[str, ...] | None
    validators: Validators | None
    delay: float | None
    user_agent: str
    max_body: int
    retry: RetryPolicy
    # From the first request sent: time spent queueing for a host's turn counts neither in
    # `elapsed` nor against the time limit per URL.
    started: float | None = None
    deadline: float | None = None


class Fetcher:
    """An async HTTP client: `async with Fetcher(settings) as f: await f.fetch(url)`.

    `robots_cache` keeps robots.txt between runs (the store); `on_result` sees every page fetch
    as it completes (the pipeline records it in the fetch log); `resolve` looks host names up
    under --block-private (tests give names of their own to loopback with it).
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        robots_cache: RobotsCache | None = None,
        on_result: Callable[[FetchResult], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.settings = s = settings or FetchSettings()
        self._robots_cache = robots_cache
        self._on_result = on_result
        self._gates = HostGates(s.per_host_connections)
        self._in_flight = asyncio.Semaphore(s.max_connections)
        self._robots: dict[str, RobotsRules | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._robots_errors: dict[str, str] = {}  # why a robots.txt download failed in this run
        self._resolve = resolve
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout)
        tls = httpx.create_ssl_context()  # one for all pools: building one costs milliseconds
        # Requests in flight are bounded by our own gates; a pool only keeps a host's idle
        # connections alive between its requests.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=s.per_host_connections)

        def make_client() -> httpx.AsyncClient:
            chosen = transport
            if chosen is None and s.block_private:
                # Every connection goes to an address checked public as it was resolved.
                chosen = PublicOnlyTransport(verify=tls, limits=limits, resolve=resolve)
            return httpx.AsyncClient(
                timeout=timeout,
                limits=limits,
                follow_redirects=False,  # followed by hand: scheme, loop, robots and delay per hop
                headers={"Accept-Encoding": SUPPORTED_ENCODINGS},
                verify=tls,
                transport=chosen,
            )

        self._pools = OriginPools(make_client)
        if not s.obey_robots:
            log.warning("robots.txt is ignored for this run (--ignore-robots)")

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._pools.aclose()

    async def fetch(
        self,
        url: str,
        *,
        accept: Iterable[str] | None = HTML_TYPES,
        validators: Validators | None = None,
        delay: float | None = None,
        user_agent: str | None = None,
    ) -> FetchResult:
        """Fetch one URL. `accept`: media types wanted (None: any); `delay`: this source's minimum
        seconds between requests to its host (default from settings; robots Crawl-delay may raise it)."""
        result = FetchResult(url=url)
        request = _Request(
            accept=tuple(accept) if accept is not None else None,
            validators=validators if validators and any(validators) else None,
            delay=delay,
            user_agent=user_agent or self.settings.user_agent,
            max_body=self.settings.max_body_bytes,
            retry=self.settings.retry,
        )
        try:
            await self._follow(result, request, robots=self.settings.obey_robots)
        finally:
            if request.started is not None:
                result.elapsed = time.monotonic() - request.started
        if self._on_result is not None:
            self._on_result(result)
        return result

    async def fetch_many(
        self,
        urls: Iterable[str],
        *,
        accept: Iterable[str] | None = HTML_TYPES,
        validators: Mapping[str, Validators] | None = None,
        delay: float | None = None,
        user_agent: str | None = None,
    ) -> list[FetchResult]:
        """Fetch many URLs concurrently within the global and per-host limits; results keep order."""
        known = validators or {}
        fetches = (
            self.fetch(url, accept=accept, validators=known.get(url), delay=delay, user_agent=user_agent)
            for url in urls
        )
        return list(await asyncio.gather(*fetches))

    async def _follow(self, result: FetchResult, request: _Request, *, robots: bool) -> None:
        """Fetch `result.url`, following redirects by hand; fills `result` in place."""
        if problem := url_problem(result.url):
            result.fail(FetchOutcome.FAILED, problem)
            return
        chain = [result.url]
        current = result.url
        while True:
            if self.settings.block_private and (
                problem := await private_host_problem(current, self._resolve)
            ):
                result.final_url = current
                result.fail(FetchOutcome.FAILED, problem)
                return
            if robots and (verdict := await self._robots_verdict(current, request.user_agent)):
                result.final_url = current
                result.fail(*verdict)
                return
            location = await self._with_retries(result, current, request)
            if location is None:
                return
            target = urljoin(current, location)
            if problem := url_problem(target):
                result.fail(FetchOutcome.FAILED, f"redirect to an unfetchable URL {target}: {problem}")
                return
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                result.fail(FetchOutcome.FAILED, f"redirect loop: {loop}")
                return
            if len(chain) > self.settings.max_redirects:
                result.fail(
                    FetchOutcome.FAILED, f"too many redirects (more than {self.settings.max_redirects})"
                )
                return
            chain.append(target)
            current = target

    async def _with_retries(self, result: FetchResult, url: str, request: _Request) -> str | None:
        """Try `url` until it answers, fails for good, or the URL's time runs out; return a redirect
        target to follow, or None when `result` is complete."""
        failures = 0
        while True:
            result.attempts += 1
            try:
                return await self._attempt(result, url, request)
            except _Fail as failure:
                result.status = failure.status
                result.fail(FetchOutcome.FAILED, failure.reason)
                return None
            except _Retry as retry:
                failures += 1
                result.status = retry.status
                tries = f"after {failures} attempts" if failures > 1 else "after 1 attempt"
                if failures >= request.retry.attempts:
                    reason = f"{retry.reason} ({tries})" if failures > 1 else retry.reason
                    result.fail(FetchOutcome.FAILED, reason)
                    return None
                wait = retry.retry_after
                if wait is None:
                    wait = backoff_delay(request.retry, failures)
                remaining = self._remaining(request)
                if wait >= remaining:
                    limit = f"the {self.settings.total_timeout:g} s limit per URL"
                    result.fail(
                        FetchOutcome.FAILED,
                        f"{retry.reason} ({tries}; waiting {wait:.0f} s would exceed {limit})",
                    )
                    return None
                await asyncio.sleep(wait)

    def _remaining(self, request: _Request) -> float:
        if request.deadline is None:
            return self.settings.total_timeout
        return request.deadline - time.monotonic()

    async def _attempt(self, result: FetchResult, url: str, request: _Request) -> str | None:
        host = urlsplit(url).netloc.lower()
        delay = self.delay_for(url, request.delay, request.user_agent)
        async with self._gates[host].turn(delay), self._in_flight:
            if request.started is None:
                request.started = time.monotonic()
                request.deadline = request.started + self.settings.total_timeout
            remaining = self._remaining(request)
            if remaining <= 0:
                raise _Fail(f"gave up: {self.settings.total_timeout:g} s limit per URL reached")
            try:
                async with asyncio.timeout(remaining):
                    return await self._exchange(result, url, request)
            except PrivateAddress as exc:
                raise _Fail(str(exc)) from None
            except TimeoutError:
                raise _Fail(f"gave up: {self.settings.total_timeout:g} s limit per URL reached") from None
            except httpx.ConnectTimeout:
                raise _Retry(f"connect timed out ({self.settings.connect_timeout:g} s)") from None
            except httpx.TimeoutException:
                raise _Retry(f"timed out waiting for the server ({self.settings.read_timeout:g} s)") from None
            except httpx.ConnectError as exc:
                raise _Retry(f"cannot connect: {exc}" if str(exc) else "cannot connect") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise _Retry(f"connection lost: {exc}" if str(exc) else "connection lost") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise _Fail(f"{type(exc).__name__}: {exc}") from None

    async def _exchange(self, result: FetchResult, url: str, request: _Request) -> str | None:
        headers = {"User-Agent": request.user_agent, "Accept": _accept_header(request.accept)}
        if request.validators:
            if request.validators.etag:
                headers["If-None-Match"] = request.validators.etag
            if request.validators.last_modified:
                headers["If-Modified-Since"] = request.validators.last_modified
        async with self._pools.client(url) as client, client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            result.final_url = url
            result.status = status
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            if status in _REDIRECTS and "location" in response.headers:
                return response.headers["location"]
            if status == 304:
                if request.validators is None:
                    raise _Fail("HTTP 304 Not Modified to a request that was not conditional", status)
                result.outcome = FetchOutcome.UNCHANGED
                return None
            if status >= 400:
                reason = f"HTTP {status} {response.reason_phrase}".strip()
                if retryable_status(status):
                    raise _Retry(reason, status, retry_after_seconds(response.headers.get("retry-after")))
                raise _Fail(reason, status)
            if status not in (200, 203):
                raise _Fail(f"HTTP {status} {response.reason_phrase}: not a page".strip(), status)
            media_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            if request.accept is not None and media_type not in request.accept:
                raise _Fail(f"not {_wanted(request.accept)} (Content-Type: {media_type or 'none'})", status)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > request.max_body:
                raise _Fail(
                    f"body larger than the limit: Content-Length {declared} > {request.max_body}", status
                )
            received = 0

            async def counted() -> AsyncIterator[bytes]:
                nonlocal received
                async for chunk in response.aiter_raw():
                    received += len(chunk)
                    yield chunk

            try:
                body, result.received_bytes = await read_body(
                    counted(),
                    response.headers.get("content-encoding"),
                    max_wire=request.max_body,
                    max_decoded=self.settings.max_decoded_bytes,
                )
            except BodyError as exc:
                result.received_bytes = exc.received
                raise _Fail(str(exc), status) from None
            except (httpx.RemoteProtocolError, httpx.ReadError):
                result.received_bytes = received
                of = f" of {declared}" if declared.isdigit() else ""
                raise _Retry(f"connection lost mid-body after {received}{of} bytes", status) from None
            if request.accept is not None and _textual(media_type) and (kind := binary_kind(body)):
                raise _Fail(
                    f"not {_wanted(request.accept)}: the body is {kind} (served as {media_type})", status
                )
            result.body = body
            result.outcome = FetchOutcome.FETCHED
            return None

    def delay_for(self, url: str, delay: float | None = None, user_agent: str | None = None) -> float:
        """Minimum seconds between request starts on `url`'s host: the source's `delay` (else the
        default), raised by the host's robots.txt Crawl-delay once this fetcher has read it."""
        own = delay if delay is not None else self.settings.host_delay
        return max(own, self._crawl_delay(url, user_agent or self.settings.user_agent))

    def _crawl_delay(self, url: str, user_agent: str) -> float:
        rules = self._robots.get(origin_of(url))
        if rules is None or not self.settings.obey_robots:
            return 0.0
        return min(rules.crawl_delay(agent_token(user_agent)) or 0.0, self.settings.max_crawl_delay)

    async def _robots_verdict(self, url: str, user_agent: str) -> tuple[FetchOutcome, str] | None:
        """None when robots.txt allows `url` to `user_agent` (the request's own: a source may name
        itself differently); else the outcome and the reason."""
        origin = origin_of(url)
        rules = await self._robots_for(origin, user_agent)
        if not rules.record.usable:
            status = rules.record.status
            why = self._robots_errors.get(origin) or (f"HTTP {status}" if status else "no response")
            return FetchOutcome.DEFERRED, f"robots.txt of {origin} is unavailable ({why}); try later"
        if not rules.allows(url, agent_token(user_agent)):
            return FetchOutcome.DISALLOWED, f"disallowed by {robots_url(origin)}"
        return None

    async def _robots_for(self, origin: str, user_agent: str) -> RobotsRules:
        """The origin's rules: from this run, else the cache while fresh, else downloaded."""
        async with self._robots_locks.setdefault(origin, asyncio.Lock()):
            if origin in self._robots:
                return self._robots[origin]
            now = datetime.now(UTC)
            cached = self._robots_cache.get(origin) if self._robots_cache else None
            if cached is not None and cached.fresh(now):
                record = cached
            else:
                record = await self._download_robots(origin, now, user_agent)
                if not record.usable and cached is not None and cached.usable:
                    # RFC 9309: while robots.txt is unreachable, the last good copy may stand in.
                    record = cached
                elif self._robots_cache is not None:
                    self._robots_cache.put(record)
            self._robots[origin] = RobotsRules(record)
            return self._robots[origin]

    async def _download_robots(self, origin: str, now: datetime, user_agent: str) -> RobotsRecord:
        fetched = FetchResult(url=robots_url(origin))
        request = _Request(
            accept=None,
            validators=None,
            delay=None,
            user_agent=user_agent,
            max_body=ROBOTS_MAX_BYTES,
            retry=RetryPolicy(attempts=1),
        )
        await self._follow(fetched, request, robots=False)
        status, body = fetched.status, ""
        if fetched.ok:
            body = fetched.body.decode("utf-8", errors="replace")
        elif status is None or status < 400:
            status = None  # no usable answer at all (network failure, limit, redirect loop)
        if not fetched.ok and fetched.error:
            self._robots_errors[origin] = fetched.error
        return robots_record(
            origin, status, body, now, ttl=self.settings.robots_ttl, retry_ttl=self.settings.robots_retry_ttl
        )


def _accept_header(accept: tuple[str, ...] | None) -> str:
    if accept is None:
        return "*/*"
    return ", ".join([*accept, "*/*;q=0.1"])


def _textual(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type.endswith(("+xml", "/xml"))


def _wanted(accept: tuple[str, ...]) -> str:
    if accept == HTML_TYPES:
        return "an HTML page"
    return "one of " + ", ".join(accept)


async def fetch_all(
    urls: Iterable[str],
    settings: FetchSettings | None = None,
    *,
    validators: Mapping[str, Validators] | None = None,
    politeness: Mapping[str, Politeness] | None = None,
    robots_cache: RobotsCache | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Fetch many article pages with one Fetcher; results keep the order of `urls`. A URL in
    `politeness` is fetched with its own delay and User-Agent, the others with the settings' ones."""
    known, own = validators or {}, politeness or {}
    async with Fetcher(settings, robots_cache=robots_cache, on_result=on_result) as fetcher:

        async def one(url: str) -> FetchResult:
            manners = own.get(url, Politeness())
            return await fetcher.fetch(
                url, validators=known.get(url), delay=manners.delay, user_agent=manners.user_agent
            )

        return list(await asyncio.gather(*(one(url) for url in urls)))
