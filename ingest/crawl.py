"""One incremental crawl pass: discover -> enqueue -> claim due URLs -> fetch -> extract -> store.

Every source is discovered concurrently (feeds, sitemaps, sections), its candidates go into the
frontier, then due URLs are claimed in leased batches and fetched concurrently across hosts, each
host at its source's pace and User-Agent. Pages are decoded and extracted in a process pool (one
worker per core, see extract_pool.py) while the event loop keeps fetching, then stored one by one
on a single writer thread, so the database sees one writer. Each article is its own transaction:
a crash loses no stored article, and the frontier says where the next run resumes.

`drain()` is the claim/fetch/store loop on its own: a long-running worker (issue 7) calls it
repeatedly with the sources it knows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.discover import Candidate, discover_source, fetch_for
from ingest.extract_pool import ExtractPool
from ingest.fetch import USER_AGENT, Fetcher, FetchResult, FetchSettings, Validators
from ingest.hostturns import SharedHostTurns
from ingest.pipeline import Extracted, Hints, PageOutcome, process_fetched, stored_validators
from ingest.sources import Source
from store import frontier
from store.db import rolled_back_alone, write_transaction
from store.fetchlog import StoreRobotsCache, append_fetches, record_fetches
from store.frontier import Claim, Listing, RunCounts, SchedulePolicy, Settlement

log = logging.getLogger(__name__)
T = TypeVar("T")

# URLs claimed and in flight at once, all sources together: enough to keep every host busy.
MAX_IN_FLIGHT = 64
# Seconds a pass keeps retrying while PostgreSQL is unreachable (a restart, a fail-over) before it
# stops with an error.
RECONNECT_PATIENCE = 60.0
# Pages written in one transaction at most (a savepoint each); more wait for the next.
MAX_PAGES_PER_TRANSACTION = 64
# Seconds a page waits for others to share its transaction. Written as soon as the writer was
# free, most pages had a transaction of their own: 1.2 commits per page against 0.46 with this
# wait, and 5.4 against 4.5 ms of the main process's CPU per page (bench/crawl.py's site).
PAGE_BATCH_WAIT = 0.05
# Seconds after a fetch that no page write has taken into its transaction before it is written
# to the fetch log on its own.
FETCH_LOG_LATENCY = 1.0


@dataclass(slots=True)
class SourceReport:
    """What one pass did for one source."""

    listed: int = 0  # URLs the feeds, sitemaps and sections listed (before --since)
    discovered: int = 0  # URLs new to the frontier
    due: int = 0  # URLs due when discovery ended (new ones, revisits, retries)
    outcomes: Counter[str] = field(default_factory=Counter)  # stored / updated / unchanged / failed
    problems: list[str] = field(default_factory=list)  # discovery problems (a feed that failed ...)
    failures: list[PageOutcome] = field(default_factory=list)

    def counts(self) -> RunCounts:
        return RunCounts(
            discovered=self.discovered,
            stored=self.outcomes["stored"],
            updated=self.outcomes["updated"],
            unchanged=self.outcomes["unchanged"],
            failed=self.outcomes["failed"],
        )


@dataclass(slots=True)
class CrawlReport:
    sources: dict[str, SourceReport]

    @property
    def pages(self) -> int:
        return sum(sum(report.outcomes.values()) for report in self.sources.values())

    @property
    def failed(self) -> int:
        return sum(report.outcomes["failed"] for report in self.sources.values())

    @property
    def unreadable(self) -> list[str]:
        """Sources none of whose feeds, sitemaps or sections could be read: the site is down, or
        its entry is wrong; a failure as much as a page that failed."""
        return [name for name, r in self.sources.items() if r.problems and not r.listed]


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    max_pages: int | None = None  # pages fetched in this pass, all sources together
    since: datetime | None = None  # skip listed items dated before this (undated ones are kept)
    policy: SchedulePolicy = field(default_factory=SchedulePolicy)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    # Release every claim first: only safe while holding the crawl lock with no workers around
    # (SQLite), where any claim left is a killed run's.
    reclaim_all: bool = False
    # Discover and enqueue only: workers (`akhbar worker`) fetch what is due.
    discover_only: bool = False
    # Take every host's turn in the database (PostgreSQL): politeness holds beside workers.
    shared_politeness: bool = False


@dataclass(frozen=True, slots=True)
class Progress:
    """Callbacks for a display; all optional."""

    discovered: Callable[[str, SourceReport], None] | None = None
    page: Callable[[str, PageOutcome], None] | None = None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def listings_of(source: Source, candidates: Iterable[Candidate], since: datetime | None) -> list[Listing]:
    """Discovery's candidates as frontier entries, those dated before `since` left out."""
    listings = []
    for candidate in candidates:
        dated = candidate.modified or candidate.published
        if since is not None and dated is not None and dated < since:
            continue
        listings.append(
            Listing(
                url=candidate.url,
                source=source.name,
                title=candidate.title,
                published=candidate.published,
                modified=candidate.modified,
            )
        )
    return listings


def reconnecting(sessions: sessionmaker[Session], work: Callable[..., T], *args: object) -> T:
    """Run `work`, again while PostgreSQL is restarting or failing over: every unit of work is
    whole transactions that are safe to redo (an upsert, a claim, a settle, a heartbeat)."""
    waited = 0.0
    while True:
        try:
            return work(*args)
        except OperationalError as exc:
            if sessions.kw["bind"].dialect.name != "postgresql" or waited >= RECONNECT_PATIENCE:
                raise
            log.warning("database connection lost (%s); retrying", str(exc.orig).strip().splitlines()[0])
            time.sleep(1.0)
            waited += 1.0


class _Store:
    """The single writer thread: every database call of a pass runs there, in submission order."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="akhbar-store")
        # Fetches completed and not yet in the fetch log: written with the next batch of pages.
        self._fetches: deque[tuple[FetchResult, datetime]] = deque()
        self._fetch_log_timer: asyncio.TimerHandle | None = None
        # Pages waiting to be written; written a batch per transaction, a savepoint each.
        self._pages: deque[tuple[Callable[[Session], PageOutcome], asyncio.Future[PageOutcome]]] = deque()
        self._pages_queued = False
        self._pages_timer: asyncio.TimerHandle | None = None
        self._pages_loop: asyncio.AbstractEventLoop | None = None  # where the pages' futures live

    def run(self, work: Callable[..., T], *args: object) -> Awaitable[T]:
        return asyncio.get_running_loop().run_in_executor(self._thread, self._reconnecting, work, args)

    def _reconnecting(self, work: Callable[..., T], args: tuple[object, ...]) -> T:
        return reconnecting(self.sessions, work, *args)

    def session_call(self, work: Callable[..., T], *args: object) -> Awaitable[T]:
        return self.run(self._in_session, work, args)

    def _in_session(self, work: Callable[..., T], args: tuple[object, ...]) -> T:
        with self.sessions() as session:
            return work(session, *args)

    def log_fetch(self, result: FetchResult) -> None:
        # Called from the Fetcher as each fetch completes, before the page is processed. Nearly
        # every fetch is followed by its page's write, which takes the fetch into its own
        # transaction: transactions of their own for the log cost the main process 8 % more CPU
        # per page. The fetches that no page write follows (listings, the last pages of an
        # interrupted pass) are written on their own a moment later, or when the pass closes.
        self._fetches.append((result, datetime.now(UTC)))
        if self._fetch_log_timer is None:
            loop = asyncio.get_running_loop()
            self._fetch_log_timer = loop.call_later(FETCH_LOG_LATENCY, self._fetch_log_due)

    def _fetch_log_due(self) -> None:
        self._fetch_log_timer = None
        if self._fetches:
            self._thread.submit(self._write_fetch_log)

    def _write_fetch_log(self) -> None:
        self._in_session(record_fetches, (self._taken_fetches(),))

    def _taken_fetches(self) -> list[tuple[FetchResult, datetime]]:
        return [self._fetches.popleft() for _ in range(len(self._fetches))]

    def store_page(self, write: Callable[[Session], PageOutcome]) -> asyncio.Future[PageOutcome]:
        """Write one page, in a transaction shared with the pages queued within PAGE_BATCH_WAIT of
        it or while the writer was busy: a commit (and an FTS5 index segment) per batch instead of
        per page. Each page is a savepoint of its own, so one that fails rolls back alone; a batch
        that cannot commit fails them all, and their claims come back when their leases end."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[PageOutcome] = loop.create_future()
        self._pages.append((write, future))
        if not self._pages_queued:
            self._pages_queued = True
            self._pages_loop = loop
            self._pages_timer = loop.call_later(PAGE_BATCH_WAIT, self._submit_pages, loop)
        return future

    def _submit_pages(self, loop: asyncio.AbstractEventLoop) -> None:
        self._pages_timer = None
        self._thread.submit(self._write_pages, loop)

    def _write_pages(self, loop: asyncio.AbstractEventLoop) -> None:
        self._pages_queued = False
        batch = [self._pages.popleft() for _ in range(min(len(self._pages), MAX_PAGES_PER_TRANSACTION))]
        if self._pages and not self._pages_queued:
            self._pages_queued = True
            self._thread.submit(self._write_pages, loop)
        if not batch:
            return
        fetches = self._taken_fetches()
        try:
            outcomes = reconnecting(self.sessions, self._write_batch, [write for write, _ in batch], fetches)
        except Exception as exc:
            outcomes = [exc] * len(batch)
            # The requests were made all the same: the next transaction (or the close) logs them.
            self._fetches.extendleft(reversed(fetches))
        futures = [future for _, future in batch]
        # One wake-up of the event loop for the batch, not one per page.
        with suppress(RuntimeError):  # the loop is closed: the pass was interrupted, nobody waits
            loop.call_soon_threadsafe(_resolve_all, futures, outcomes)

    def _write_batch(
        self,
        writes: list[Callable[[Session], PageOutcome]],
        fetches: Sequence[tuple[FetchResult, datetime]] = (),
    ) -> list[PageOutcome | Exception]:
        outcomes: list[PageOutcome | Exception] = []
        with self.sessions() as session, write_transaction(session):
            append_fetches(session, fetches)
            for write in writes:
                try:
                    with rolled_back_alone(session):
                        outcomes.append(write(session))
                except DBAPIError:
                    raise  # the database itself failed: the whole batch goes (and is retried)
                except Exception as exc:  # that page's savepoint is rolled back, the others stay
                    outcomes.append(exc)
        return outcomes

    def close(self) -> None:
        """Write what is still queued (pages waiting for company, the fetch log), then stop."""
        if self._pages_timer is not None:
            self._pages_timer.cancel()
            self._submit_pages(self._pages_loop)
        if self._fetch_log_timer is not None:
            self._fetch_log_timer.cancel()
        self._thread.submit(self._write_fetch_log)
        self._thread.shutdown(wait=True)


def _resolve_all(futures: list[asyncio.Future[PageOutcome]], outcomes: list[PageOutcome | Exception]) -> None:
    for future, outcome in zip(futures, outcomes, strict=True):
        if future.done():  # cancelled: the pass was interrupted
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


async def crawl(
    sources: Sequence[Source],
    sessions: sessionmaker[Session],
    options: CrawlOptions | None = None,
    *,
    worker: str | None = None,
    progress: Progress | None = None,
) -> CrawlReport:
    """One incremental pass over `sources`."""
    options = options or CrawlOptions()
    worker = worker or worker_name()
    progress = progress or Progress()
    report = CrawlReport({source.name: SourceReport() for source in sources})
    store = _Store(sessions)
    started = datetime.now(UTC)
    try:
        if options.reclaim_all:
            released = await store.session_call(frontier.release_claims, None)
            if released:
                log.info("resuming: %d URLs claimed by an interrupted crawl are due again", released)
        runs = {s.name: await store.session_call(frontier.start_run, s.name, started) for s in sources}
        async with Fetcher(
            options.fetch, robots_cache=StoreRobotsCache(sessions), on_result=store.log_fetch
        ) as own_fetcher:
            fetcher = SharedHostTurns(own_fetcher, sessions) if options.shared_politeness else own_fetcher
            # Started first: its workers come up while discovery waits on the network.
            with ExtractPool() as pool:
                await asyncio.gather(
                    *(_discover(source, fetcher, store, options, report, progress) for source in sources)
                )
                if not options.discover_only:
                    try:
                        await drain(
                            fetcher, store, sources, worker, options, report, progress, extract_pool=pool
                        )
                    except Exception:
                        await _abandon_pages()
                        raise
        finished = datetime.now(UTC)
        for source in sources:
            counts = report.sources[source.name].counts()
            await store.session_call(frontier.finish_run, runs[source.name], counts, finished)
    finally:
        store.close()
        # Interrupted (Ctrl-C, SIGTERM): claims still held go back to the queue at once.
        try:
            with sessions() as session:
                frontier.release_claims(session, worker)
        except DBAPIError as exc:
            # The database failing (full, read-only) is what stopped the pass: that error is the
            # one to report. Claims left are taken back by the next crawl or when their lease ends.
            log.warning("claims not handed back (%s); they return when their lease ends", exc.orig)
    return report


async def _discover(
    source: Source,
    fetcher: Fetcher,
    store: _Store,
    options: CrawlOptions,
    report: CrawlReport,
    progress: Progress,
) -> None:
    found = await discover_source(source, fetch_for(fetcher, source), sitemaps_modified_since=options.since)
    mine = report.sources[source.name]
    mine.problems.extend(found.problems)
    for problem in found.problems:
        log.warning("%s: %s", source.name, problem)
    listings = listings_of(source, found.candidates, options.since)
    mine.listed = len(found.candidates)
    now = datetime.now(UTC)
    mine.discovered = await store.session_call(frontier.enqueue, listings, now, options.policy)
    mine.due = await store.session_call(frontier.due_count, source.name, now)
    log.info("%s: %d URLs listed, %d new to the frontier", source.name, len(listings), mine.discovered)
    if progress.discovered:
        progress.discovered(source.name, mine)


async def drain(
    fetcher: Fetcher,
    store: _Store,
    sources: Sequence[Source],
    worker: str,
    options: CrawlOptions,
    report: CrawlReport,
    progress: Progress,
    *,
    extract_pool: ExtractPool | None = None,
) -> None:
    """Claim, fetch and store due URLs of `sources` until none is due or max_pages is reached.

    Pages are extracted in `extract_pool` when given (a pool kept for the whole run: starting one
    costs a fork per core), else on the writer thread.

    Claims are topped up per source as pages finish, so a slow host never stalls the others; a
    source's share is bounded so that its delay lets every claimed URL be fetched within the lease.
    """
    by_name = {source.name: source for source in sources}
    budget = options.max_pages if options.max_pages is not None else float("inf")
    in_flight: Counter[str] = Counter()
    exhausted: set[str] = set()
    pending: set[asyncio.Task[None]] = set()
    while True:
        for source in sources:
            share = _share(source, options.policy, len(sources))
            room = share - in_flight[source.name]
            # Topped up once half the share is free: fewer, larger claim transactions.
            if source.name in exhausted or budget <= 0 or room < max(1, share // 2):
                continue
            claims = await store.run(
                _claim_with_validators, store.sessions, worker, source.name, int(min(room, budget)), options
            )
            if not claims:
                exhausted.add(source.name)
                continue
            budget -= len(claims)
            for claimed, validators in claims:
                in_flight[source.name] += 1
                task = asyncio.create_task(
                    _page(
                        fetcher,
                        store,
                        by_name[source.name],
                        claimed,
                        validators,
                        worker,
                        options,
                        extract_pool,
                    )
                )
                task.add_done_callback(partial(_finished, in_flight, source.name))
                pending.add(task)
        if not pending:
            return
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        if failed := next((t for t in done if not t.cancelled() and t.exception() is not None), None):
            # The database failed under a page: the pass ends; every outcome is collected.
            await asyncio.gather(*done, return_exceptions=True)
            failed.result()
        for task in done:
            source_name, outcome = task.result()
            mine = report.sources[source_name]
            mine.outcomes[outcome.outcome] += 1
            if outcome.failed:
                mine.failures.append(outcome)
                log.warning("failed     %s  %s", outcome.url, outcome.reason)
            else:
                log.info("%-10s %s  %s", outcome.outcome, outcome.url, outcome.title or "")
                if unexpected := _unexpected_language(by_name[source_name], outcome):
                    mine.problems.append(unexpected)
                    log.warning("%s: %s", source_name, unexpected)
            if progress.page:
                progress.page(source_name, outcome)


def _unexpected_language(source: Source, outcome: PageOutcome) -> str | None:
    """A page stored in another language than its source's `language` says: an edition in another
    language reached through the site's links, or a wrong entry; the user reviews allow/deny."""
    if outcome.language is None or outcome.outcome != "stored":
        return None
    if outcome.language.split("-")[0].lower() == source.language.split("-")[0].lower():
        return None
    return f"{outcome.url} is in {outcome.language!r}, not the expected {source.language!r}"


async def _abandon_pages() -> None:
    """Cancel the pages still in flight when a pass fails (their claims are handed back or expire),
    so none fetches on a closed client or leaves an error nobody reads."""
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def _finished(in_flight: Counter[str], source_name: str, task: asyncio.Task) -> None:
    in_flight[source_name] -= 1
    # A page task that Ctrl-C / SIGTERM interrupted holds the KeyboardInterrupt the CLI reports in
    # one line; looked at here so that asyncio does not print it again, traceback and all, at exit.
    # (The extraction pool makes the main thread busier, so the signal lands in a task more often.)
    if not task.cancelled():
        task.exception()


def _share(source: Source, policy: SchedulePolicy, sources: int) -> int:
    """How many URLs of one source to hold claimed at once."""
    share = max(8, MAX_IN_FLIGHT // max(sources, 1))
    if source.delay > 0:
        # Fetched one per `delay` seconds, every claim must be reached well inside its lease.
        share = min(share, int(policy.lease.total_seconds() / (2 * source.delay)))
    return max(share, 1)


def _claim_with_validators(
    sessions: sessionmaker[Session], worker: str, source: str, limit: int, options: CrawlOptions
) -> list[tuple[Claim, Validators | None]]:
    with sessions() as session:
        claims = frontier.claim(
            session, worker, datetime.now(UTC), limit, sources=[source], policy=options.policy
        )
    if not claims:
        return []
    known = stored_validators([c.url for c in claims], sessions)
    return [(c, known.get(c.url)) for c in claims]


async def _page(
    fetcher: Fetcher,
    store: _Store,
    source: Source,
    claimed: Claim,
    validators: Validators | None,
    worker: str,
    options: CrawlOptions,
    extract_pool: ExtractPool | None,
) -> tuple[str, PageOutcome]:
    result = await fetcher.fetch(
        claimed.url, validators=validators, delay=source.delay, user_agent=source.user_agent
    )
    hints = Hints(
        claimed.listing_title,
        claimed.listing_published,
        claimed.listing_modified,
        date_locale=source.date_locale,
    )
    extracted = None
    if extract_pool is not None and result.ok and not result.unchanged:
        page_url = result.final_url or result.url
        extracted = await extract_pool.extract(result.body, result.content_type, page_url, hints)
    outcome = await store.store_page(
        partial(
            _store_page,
            result=result,
            claimed=claimed,
            hints=hints,
            worker=worker,
            source=source,
            policy=options.policy,
            extracted=extracted,
        )
    )
    return source.name, outcome


def _store_page(
    session: Session,
    *,
    result: FetchResult,
    claimed: Claim,
    hints: Hints,
    worker: str,
    source: Source,
    policy: SchedulePolicy,
    extracted: Extracted | None,
) -> PageOutcome:
    user_agent = source.user_agent or USER_AGENT
    held: dict[str, bool] = {}

    def settle_claim(session: Session, outcome: PageOutcome) -> None:
        settlement = Settlement(
            outcome=outcome.outcome,
            error=outcome.reason,
            permanent=outcome.permanent,
            article_id=outcome.article_id,
            published=outcome.published,
        )
        held["claim"] = frontier.settle(session, claimed, worker, settlement, datetime.now(UTC), policy)

    outcome = process_fetched(result, session, hints, user_agent, extracted=extracted, alongside=settle_claim)
    if not held["claim"]:
        log.warning("%s: lease lost before the page was stored; another crawler settles it", claimed.url)
    return outcome
