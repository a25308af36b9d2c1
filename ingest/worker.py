"""`akhbar worker`: a long-running process that drains the shared frontier beside other workers.

Many workers, on many machines, point at one PostgreSQL database; it is the only coordinator:

- Claims: due URLs are leased per source in small batches with SELECT ... FOR UPDATE SKIP LOCKED
  (store/frontier.claim), so workers never wait for each other nor claim the same URL. A heartbeat
  renews the leases of what a worker holds; a worker that dies (SIGKILL, power cut) stops renewing,
  its leases expire and its URLs are due again for the others.
- Politeness across workers: before every request a worker takes its host's turn in the
  `host_turns` table (store/frontier.take_host_turn): one atomic upsert that succeeds only when the
  host's next_allowed_at has come, by the database's clock, and moves it `delay` seconds on. Turns
  are taken just before the request rather than reserved at claim time, so a late request never
  squeezes the gap before the next one; and a worker holds at most `per_source` claims of a source,
  so the others get their share of every host.
- Stopping: the first SIGTERM/SIGINT stops claiming and lets pages in flight finish (up to `grace`
  seconds); then, or at a second signal, unfinished pages are abandoned and their claims released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from ingest.crawl import CrawlOptions, _claim_with_validators, _page, _Store, reconnecting, worker_name
from ingest.extract_pool import ExtractPool
from ingest.fetch import Fetcher, FetchSettings
from ingest.hostturns import SharedHostTurns
from ingest.pipeline import PageOutcome
from ingest.sources import Source
from store import frontier, workers
from store.fetchlog import StoreRobotsCache
from store.frontier import SchedulePolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    concurrency: int = 16  # pages in flight at once in this worker
    per_source: int = 8  # claims of one source without a delay held at once; the rest is for others
    lease: timedelta = timedelta(minutes=10)
    poll: float = 5.0  # seconds between looks at a source that had nothing due
    exit_when_idle: bool = False  # stop once nothing is due or claimed (batch jobs, tests, benchmarks)
    grace: float = 30.0  # seconds pages in flight get to finish after a stop signal
    fetch: FetchSettings = field(default_factory=FetchSettings)


@dataclass(slots=True)
class WorkerReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[PageOutcome] = field(default_factory=list)
    released: int = 0  # claims handed back when stopping

    @property
    def failed(self) -> int:
        return self.outcomes["failed"]


@dataclass(slots=True)
class StopSignal:
    """Set by the CLI's signal handlers: `stop` (finish what is in flight), `now` (abandon it)."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)
    now: asyncio.Event = field(default_factory=asyncio.Event)

    def request(self) -> None:
        if self.stop.is_set():
            self.now.set()
        self.stop.set()


async def run_worker(
    sources: Sequence[Source],
    sessions: sessionmaker[Session],
    options: WorkerOptions | None = None,
    *,
    signal: StopSignal | None = None,
    name: str | None = None,
) -> WorkerReport:
    """Claim, fetch and store due URLs of `sources` until stopped (or idle, with exit_when_idle)."""
    options = options or WorkerOptions()
    signal = signal or StopSignal()
    name = name or worker_name()
    worker = _Worker(sources, sessions, options, signal, name)
    return await worker.run()


class _Worker:
    def __init__(
        self,
        sources: Sequence[Source],
        sessions: sessionmaker[Session],
        options: WorkerOptions,
        signal: StopSignal,
        name: str,
    ) -> None:
        # Least recently claimed first, each worker starting elsewhere: consecutive pages go to
        # different hosts, rather than queueing behind one host's delay while others sit idle.
        start = zlib.crc32(name.encode()) % max(len(sources), 1)
        self.sources = list(sources[start:]) + list(sources[:start])
        self.by_name = {source.name: source for source in sources}
        self.sessions = sessions
        self.options = options
        self.signal = signal
        self.name = name
        self.crawl_options = CrawlOptions(policy=SchedulePolicy(lease=options.lease), fetch=options.fetch)
        self.report = WorkerReport()
        self.in_flight: Counter[str] = Counter()
        self.pending: set[asyncio.Task[tuple[str, PageOutcome]]] = set()
        self.quiet_until: dict[str, float] = {}  # source -> when to look for due URLs again
        self.unreported: Counter[str] = Counter()  # pages settled since the last heartbeat

    async def run(self) -> WorkerReport:
        hostname, _, pid = self.name.rpartition(":")
        await asyncio.to_thread(
            self._in_session, workers.register, self.name, hostname, int(pid or 0), _now()
        )
        log.info("worker %s: started on %d sources", self.name, len(self.sources))
        store = _Store(self.sessions)
        settings = replace(self.options.fetch, max_connections=self.options.concurrency)
        beating = asyncio.create_task(self._heartbeats())
        try:
            with ExtractPool() as pool:
                async with Fetcher(
                    settings, robots_cache=StoreRobotsCache(self.sessions), on_result=store.log_fetch
                ) as fetcher:
                    await self._loop(SharedHostTurns(fetcher, self.sessions), store, pool)
        finally:
            for task in self.pending:
                task.cancel()
            await asyncio.gather(*self.pending, return_exceptions=True)
            beating.cancel()
            await asyncio.gather(beating, return_exceptions=True)
            # Pages already handed to the writer thread are stored and settled before claims go back.
            store.close()
            self.report.released = self._in_session(frontier.release_claims, self.name)
            self._beat(self._take_unreported(), stopped=True)
            if self.report.released:
                log.info("worker %s: %d unfinished claims handed back", self.name, self.report.released)
        return self.report

    async def _loop(self, fetcher: SharedHostTurns, store: _Store, pool: ExtractPool) -> None:
        stop_deadline: float | None = None
        while True:
            if self.signal.stop.is_set():
                if stop_deadline is None:
                    stop_deadline = time.monotonic() + self.options.grace
                    if self.pending:
                        log.info(
                            "worker %s: stopping; %d pages in flight finish", self.name, len(self.pending)
                        )
                if not self.pending or self.signal.now.is_set() or time.monotonic() >= stop_deadline:
                    return
            else:
                await self._top_up(fetcher, store, pool)
            if not self.pending:
                if self.options.exit_when_idle and await asyncio.to_thread(self._idle):
                    log.info("worker %s: nothing due or claimed; exiting", self.name)
                    return
                await _wait_any(self.signal.stop, timeout=min(self.options.poll, 1.0))
                continue
            done, self.pending = await asyncio.wait(
                self.pending, timeout=0.5, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                self._record(*task.result())

    async def _top_up(self, fetcher: SharedHostTurns, store: _Store, pool: ExtractPool) -> None:
        now = time.monotonic()
        for source in list(self.sources):
            free = self.options.concurrency - len(self.pending)
            if free <= 0:
                return
            # Requests to a host with a delay go one at a time across all workers (host turns): a
            # second claim of it would only wait, holding a slot another host could use.
            held = 1 if source.delay > 0 else self.options.per_source
            room = min(held - self.in_flight[source.name], free)
            if room <= 0 or self.quiet_until.get(source.name, 0.0) > now:
                continue
            # Off the writer thread: a claim never queues behind pages being extracted and stored.
            claims = await asyncio.to_thread(
                reconnecting,
                self.sessions,
                _claim_with_validators,
                self.sessions,
                self.name,
                source.name,
                room,
                self.crawl_options,
            )
            if len(claims) < room:
                self.quiet_until[source.name] = now + self.options.poll
            if claims:
                self.sources.remove(source)
                self.sources.append(source)
            for claimed, validators in claims:
                self.in_flight[source.name] += 1
                task = asyncio.create_task(
                    _page(fetcher, store, source, claimed, validators, self.name, self.crawl_options, pool)
                )
                self.pending.add(task)

    def _record(self, source_name: str, outcome: PageOutcome) -> None:
        self.in_flight[source_name] -= 1
        self.report.outcomes[outcome.outcome] += 1
        self.unreported["failed" if outcome.failed else "pages"] += 1
        if outcome.failed:
            self.report.failures.append(outcome)
            log.warning("failed     %s  %s", outcome.url, outcome.reason)
        else:
            log.info("%-10s %s  %s", outcome.outcome, outcome.url, outcome.title or "")

    def _idle(self) -> bool:
        # Called with no page in flight, so any claim still in our name is an orphan: a claim whose
        # commit reached the database while its reply was lost (a restart) and was then retried.
        # Our heartbeats would renew its lease forever; it goes back to the queue instead.
        if orphans := self._in_session(frontier.release_claims, self.name):
            log.info("worker %s: %d claims held by no page handed back", self.name, orphans)
        state = self._in_session(workers.queue_state, _now(), list(self.by_name))
        return state.due == 0 and state.claimed == 0

    async def _heartbeats(self) -> None:
        # Well inside the lease, so a live worker's claims never expire under it.
        interval = min(self.options.lease.total_seconds() / 3, 10.0)
        while True:
            await asyncio.sleep(interval)
            await asyncio.to_thread(self._beat, self._take_unreported())

    def _take_unreported(self) -> tuple[int, int]:
        pages, failed = self.unreported["pages"], self.unreported["failed"]
        self.unreported.clear()
        return pages, failed

    def _beat(self, counts: tuple[int, int], stopped: bool = False) -> None:
        pages, failed = counts
        now = _now()
        policy = self.crawl_options.policy
        self._in_session(frontier.renew_leases, self.name, now, policy)
        self._in_session(
            workers.heartbeat, self.name, now, pages=pages + failed, failed=failed, stopped=stopped
        )

    def _in_session(self, work, *args, **kwargs):
        def once():
            with self.sessions() as session:
                return work(session, *args, **kwargs)

        return reconnecting(self.sessions, once)


async def _wait_any(event: asyncio.Event, timeout: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)


def _now() -> datetime:
    return datetime.now(UTC)
