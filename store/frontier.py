"""The crawl frontier: every discovered URL, when it is next due, and claims on it as leases.

One crawler (SQLite) or many workers (PostgreSQL) share it the same way:

    enqueue(session, listings, now)              discovery adds URLs (known ones are left alone,
                                                 unless a listing says the page changed since)
    claims = claim(session, worker, now, limit)  due URLs, leased to `worker` until now + lease
    settle(session, claim, worker, result, now)  the outcome; schedules the next visit, ends the lease
    release_claims(session, worker)              a graceful stop hands unfinished claims back

A claim whose lease expires (its holder crashed) is due again for anyone. On PostgreSQL claims
are taken with SELECT ... FOR UPDATE SKIP LOCKED, so concurrent workers never wait for each other
nor claim the same URL; on SQLite the claim is one write transaction (BEGIN IMMEDIATE).

Scheduling is two pure functions: `next_revisit` (recent articles are re-fetched a few times in
their first days, to catch corrections; older ones never) and `next_retry` (failures back off
exponentially, capped, and are given up after `max_attempts`).
"""

from __future__ import annotations

import fcntl
import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, Select, bindparam, case, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ingest.urls import canonical_url
from store import direct
from store.db import WRITE_TRANSACTION, write_transaction
from store.schema import CrawlRunRow, FrontierRow

_BATCH = 500  # bound parameters per statement: SQLite's limit is far above, but stays safe
_FRONTIER = FrontierRow.__table__
# Settling a claim, built once: the columns it sets come with the parameters of each execution.
# A statement built per page (its values, its WHERE, its cache key) cost more of a crawl's writer
# thread than running it. Bound names differ from column names: those name the columns to set.
_SETTLE = update(_FRONTIER).where(
    _FRONTIER.c.id == bindparam("held_id"), _FRONTIER.c.claimed_by == bindparam("held_by")
)


@dataclass(frozen=True, slots=True)
class SchedulePolicy:
    # Re-fetch an article this long after it was published (or first seen), while it is younger.
    revisits: tuple[timedelta, ...] = (timedelta(hours=6), timedelta(days=1), timedelta(days=3))
    backoff_base: timedelta = timedelta(minutes=15)
    backoff_cap: timedelta = timedelta(days=1)
    max_attempts: int = 5
    lease: timedelta = timedelta(minutes=10)


DEFAULT_POLICY = SchedulePolicy()


@dataclass(frozen=True, slots=True)
class Listing:
    """A URL as discovery found it, with what the listing said about the page. The frontier keys
    it by its canonical form and fetches it as listed."""

    url: str
    source: str
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A frontier URL leased to one crawler or worker; `url` is the spelling to fetch."""

    id: int
    url: str
    source: str
    discovered_at: datetime
    fetches: int
    attempts: int
    lease_expires_at: datetime
    listing_title: str | None = None
    listing_published: datetime | None = None
    listing_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Settlement:
    """How fetching a claimed URL went. `outcome` is stored/updated/unchanged or failed;
    `permanent` failures (robots disallow, 410 Gone, no article in the page) are not retried."""

    outcome: str
    error: str | None = None
    permanent: bool = False
    article_id: int | None = None
    published: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


@dataclass(frozen=True, slots=True)
class SourceStats:
    articles: int = 0
    urls: int = 0
    due: int = 0
    last_crawl: datetime | None = None


@dataclass(slots=True)
class RunCounts:
    discovered: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


# --- pure scheduling ------------------------------------------------------------------------------


def next_revisit(anchor: datetime, now: datetime, policy: SchedulePolicy = DEFAULT_POLICY) -> datetime | None:
    """The next revisit of an article published (or first seen) at `anchor`, or None: too old."""
    for offset in policy.revisits:
        due = anchor + offset
        if due > now:
            return due
    return None


def next_retry(attempts: int, now: datetime, policy: SchedulePolicy = DEFAULT_POLICY) -> datetime | None:
    """When to try a URL again after `attempts` consecutive failures, or None: give up."""
    if attempts >= policy.max_attempts:
        return None
    delay = policy.backoff_base * (2 ** max(attempts - 1, 0))
    return now + min(delay, policy.backoff_cap)


# --- the frontier ---------------------------------------------------------------------------------


def enqueue(
    session: Session, listings: Iterable[Listing], now: datetime, policy: SchedulePolicy = DEFAULT_POLICY
) -> int:
    """Add new URLs, due now; return how many were new.

    A known URL is due again only when its listing dates a change after our last fetch (a sitemap
    lastmod or feed update: the publisher corrected it). Listing hints fill what was unknown.
    """
    unique = list({canonical_url(listing.url): listing for listing in listings}.items())
    added = 0
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        for start in range(0, len(unique), _BATCH):
            batch = unique[start : start + _BATCH]
            known = {
                row.url: row
                for row in session.execute(
                    select(
                        _FRONTIER.c.id,
                        _FRONTIER.c.url,
                        _FRONTIER.c.last_fetched_at,
                        _FRONTIER.c.next_due_at,
                        _FRONTIER.c.listing_title,
                        _FRONTIER.c.listing_published,
                        _FRONTIER.c.listing_modified,
                    ).where(_FRONTIER.c.url.in_([key for key, _ in batch]))
                )
            }
            fresh = [_new_row(key, listing, now) for key, listing in batch if key not in known]
            if fresh:
                added += len(session.execute(_insert_ignoring_duplicates(session), fresh).all())
            for key, listing in batch:
                row = known.get(key)
                if row is not None and (changes := _listing_changes(row, listing, now)):
                    session.execute(update(_FRONTIER).where(_FRONTIER.c.id == row.id).values(**changes))
    return added


def _new_row(key: str, listing: Listing, now: datetime) -> dict[str, object]:
    return {
        "url": key,
        "fetch_url": listing.url,
        "source": listing.source,
        "discovered_at": now,
        "next_due_at": now,
        "attempts": 0,
        "fetches": 0,
        "listing_title": listing.title,
        "listing_published": listing.published,
        "listing_modified": listing.modified,
    }


def _listing_changes(row: object, listing: Listing, now: datetime) -> dict[str, object]:
    changes: dict[str, object] = {}
    if listing.title and not row.listing_title:
        changes["listing_title"] = listing.title
    if listing.published and row.listing_published is None:
        changes["listing_published"] = listing.published
    modified = _aware(listing.modified)
    if modified is not None and modified != _aware(row.listing_modified):
        changes["listing_modified"] = modified
        fetched = _aware(row.last_fetched_at)
        due = _aware(row.next_due_at)
        if fetched is not None and modified > fetched and (due is None or due > now):
            changes["next_due_at"] = now
    return changes


def _insert_ignoring_duplicates(session: Session):
    # Another worker may add the same URL between our read and our insert: its row stands.
    if session.get_bind().dialect.name == "postgresql":
        statement = postgresql.insert(_FRONTIER).on_conflict_do_nothing(index_elements=["url"])
    else:
        statement = sqlite.insert(_FRONTIER).on_conflict_do_nothing(index_elements=["url"])
    return statement.returning(_FRONTIER.c.id)


def claim(
    session: Session,
    worker: str,
    now: datetime,
    limit: int,
    *,
    sources: Sequence[str] | None = None,
    policy: SchedulePolicy = DEFAULT_POLICY,
) -> list[Claim]:
    """Lease up to `limit` due URLs (oldest due first) to `worker` until now + lease.

    Due: next_due_at has come, and nobody holds a live lease on it.
    """
    if limit <= 0:
        return []
    lease_end = now + policy.lease
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        query = _claimable(session.get_bind().dialect.name == "postgresql", sources is not None)
        parameters: dict[str, object] = {"now": now, "limit": limit}
        if sources is not None:
            parameters["sources"] = list(sources)
        rows = session.execute(query, parameters).all()
        if not rows:
            return []
        session.execute(
            _CLAIM,
            {"claimed_ids": [row.id for row in rows], "claimed_by": worker, "lease_expires_at": lease_end},
        )
        return [
            Claim(
                id=row.id,
                url=row.fetch_url,
                source=row.source,
                discovered_at=_aware(row.discovered_at),
                fetches=row.fetches,
                attempts=row.attempts,
                lease_expires_at=lease_end,
                listing_title=row.listing_title,
                listing_published=_aware(row.listing_published),
                listing_modified=_aware(row.listing_modified),
            )
            for row in rows
        ]


# Claiming, built once like _SETTLE (a crawl claims a few URLs per source at a time, hundreds of
# times a run): the lease goes to the claimed ids, its holder and end given per execution.
_CLAIM = update(_FRONTIER).where(_FRONTIER.c.id.in_(bindparam("claimed_ids", expanding=True)))


@functools.cache
def _claimable(lock_rows: bool, by_source: bool) -> Select:
    """Due URLs, oldest due first, up to :limit, of the :sources when `by_source`; `lock_rows` on
    PostgreSQL, so that concurrent workers skip each other's rows instead of waiting."""
    f = _FRONTIER.c
    query = (
        select(
            f.id,
            f.fetch_url,
            f.source,
            f.discovered_at,
            f.fetches,
            f.attempts,
            f.listing_title,
            f.listing_published,
            f.listing_modified,
        )
        .where(
            f.next_due_at <= bindparam("now"),
            or_(f.claimed_by.is_(None), f.lease_expires_at < bindparam("now")),
        )
        .order_by(f.next_due_at, f.id)
        .limit(bindparam("limit"))
    )
    if by_source:
        query = query.where(f.source.in_(bindparam("sources", expanding=True)))
    if lock_rows:
        query = query.with_for_update(skip_locked=True)
    return query


def settle(
    session: Session,
    claimed: Claim,
    worker: str,
    result: Settlement,
    now: datetime,
    policy: SchedulePolicy = DEFAULT_POLICY,
) -> bool:
    """Record how a claimed URL went, schedule its next visit and end the lease, in a transaction
    of its own or inside the caller's (a crawl settles a page where it stores it, in a savepoint).

    False when `worker` no longer holds the claim (its lease expired and another took it over):
    nothing is written, the other holder's outcome counts.
    """
    values: dict[str, object] = {
        "claimed_by": None,
        "lease_expires_at": None,
        "last_outcome": result.outcome,
        "last_fetched_at": now,
    }
    if result.failed:
        attempts = claimed.attempts + 1
        values |= {
            "attempts": attempts,
            "last_error": result.error,
            "next_due_at": None if result.permanent else next_retry(attempts, now, policy),
        }
    else:
        anchor = result.published or claimed.listing_published or claimed.discovered_at
        values |= {
            "attempts": 0,
            "fetches": claimed.fetches + 1,
            "last_error": None,
            "next_due_at": next_revisit(_aware(anchor), now, policy),
        }
        if result.article_id is not None:
            values["article_id"] = result.article_id
    parameters = values | {"held_id": claimed.id, "held_by": worker}
    # One statement is atomic on its own: inside the caller's transaction it needs no savepoint of
    # its own (a crawl settles inside the savepoint that stores the page, and a failure here rolls
    # that back as a whole); a savepoint per page cost as much as the UPDATE.
    with nullcontext() if session.in_transaction() else write_transaction(session):
        return direct.changed(session.connection(), _SETTLE, parameters) == 1


def renew_leases(
    session: Session, worker: str, now: datetime, policy: SchedulePolicy = DEFAULT_POLICY
) -> int:
    """Extend every lease `worker` holds (a heartbeat for long batches); returns how many."""
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        renewed = session.execute(
            update(_FRONTIER)
            .where(_FRONTIER.c.claimed_by == worker, _FRONTIER.c.lease_expires_at >= now)
            .values(lease_expires_at=now + policy.lease)
        )
        return renewed.rowcount


def release_claims(session: Session, worker: str | None = None) -> int:
    """Hand back `worker`'s claims (due again at once); None releases every claim, which only a
    process that knows no other crawler is running may do (the crawl lock on SQLite)."""
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        held = _FRONTIER.c.claimed_by.is_not(None) if worker is None else _FRONTIER.c.claimed_by == worker
        released = session.execute(
            update(_FRONTIER).where(held).values(claimed_by=None, lease_expires_at=None)
        )
        return released.rowcount


# --- crawl runs and statistics --------------------------------------------------------------------


def start_run(session: Session, source: str, now: datetime) -> int:
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        row = CrawlRunRow(
            source=source, started_at=now, discovered=0, stored=0, updated=0, unchanged=0, failed=0
        )
        session.add(row)
        session.flush()
        return row.id


def finish_run(session: Session, run_id: int, counts: RunCounts, now: datetime) -> None:
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        session.execute(
            update(CrawlRunRow)
            .where(CrawlRunRow.id == run_id)
            .values(
                finished_at=now,
                discovered=counts.discovered,
                stored=counts.stored,
                updated=counts.updated,
                unchanged=counts.unchanged,
                failed=counts.failed,
            )
        )


def source_stats(session: Session, now: datetime | None = None) -> dict[str, SourceStats]:
    """Per source: distinct articles stored from its URLs, URLs known, URLs due, last finished crawl."""
    now = now or datetime.now(UTC)
    due = func.sum(case((FrontierRow.next_due_at <= now, 1), else_=0))
    counts = session.execute(
        select(
            FrontierRow.source,
            func.count(func.distinct(FrontierRow.article_id)),
            func.count(FrontierRow.id),
            due,
        ).group_by(FrontierRow.source)
    ).all()
    last = dict(
        session.execute(
            select(CrawlRunRow.source, func.max(CrawlRunRow.finished_at)).group_by(CrawlRunRow.source)
        ).all()
    )
    stats = {
        source: SourceStats(articles, urls, int(due_count or 0), _aware(last.get(source)))
        for source, articles, urls, due_count in counts
    }
    for source, finished in last.items():
        stats.setdefault(source, SourceStats(last_crawl=_aware(finished)))
    return stats


def due_count(session: Session, source: str, now: datetime) -> int:
    """URLs of `source` due now and not under a live lease."""
    return session.scalar(
        select(func.count())
        .select_from(FrontierRow)
        .where(
            FrontierRow.source == source,
            FrontierRow.next_due_at <= now,
            or_(FrontierRow.claimed_by.is_(None), FrontierRow.lease_expires_at < now),
        )
    )


def frontier_row(session: Session, url: str) -> FrontierRow | None:
    return session.scalar(select(FrontierRow).where(FrontierRow.url == canonical_url(url)))


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything is written in UTC.
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- one crawl at a time --------------------------------------------------------------------------

# pg_advisory_lock key of `akhbar crawl` ("akhbarcr"): distinct from the schema-upgrade lock.
_PG_CRAWL_LOCK = 0x616B6862617263


class CrawlLocked(Exception):
    """Another crawl holds the lock; the message says which, on one line."""


@contextmanager
def crawl_lock(engine: Engine, *, wait: bool = False) -> Iterator[None]:
    """Hold the archive's crawl lock for the block, or raise CrawlLocked (`wait`: block until free).

    SQLite: an fcntl lock on `<db>.crawl.lock`; PostgreSQL: a session advisory lock. Both die with
    their process, so a crawl killed with SIGKILL never leaves a stale lock behind.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if wait:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_CRAWL_LOCK})
            elif not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _PG_CRAWL_LOCK}):
                raise CrawlLocked("another akhbar crawl is running on this database")
            connection.commit()
            try:
                yield
            finally:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_CRAWL_LOCK})
                    connection.commit()
                except DBAPIError:
                    pass  # the server restarted meanwhile: the lock ended with its session
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a private in-memory archive: nobody else can crawl it
        return
    path = Path(database).expanduser().with_name(Path(database).name + ".crawl.lock")
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise CrawlLocked(
                f"another akhbar crawl{f' (pid {holder})' if holder else ''} is running on {database}"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- politeness shared by every worker ------------------------------------------------------------

# A host's turn is taken only when its time has come (by the database's clock, so workers on
# machines whose clocks disagree still agree on whose turn it is); the row lock of ON CONFLICT DO
# UPDATE makes take-and-advance atomic, so two workers never both get the same turn. The taker
# holds the host (next_allowed_at pushed `hold` seconds away) until end_host_turn.
_TAKE_TURN = text(
    """
    INSERT INTO host_turns (host, next_allowed_at)
    VALUES (:host, clock_timestamp() + make_interval(secs => :hold))
    ON CONFLICT (host) DO UPDATE SET next_allowed_at = EXCLUDED.next_allowed_at
    WHERE host_turns.next_allowed_at <= clock_timestamp()
    RETURNING next_allowed_at
    """
)
_TURN_WAIT = text(
    "SELECT GREATEST(EXTRACT(EPOCH FROM next_allowed_at - clock_timestamp()), 0) "
    "FROM host_turns WHERE host = :host"
)
_END_TURN = text(
    "UPDATE host_turns SET next_allowed_at = clock_timestamp() + make_interval(secs => :delay) "
    "WHERE host = :host"
)


def take_host_turn(session: Session, host: str, hold: float) -> float:
    """Take `host`'s turn if no other request to it is under way or within its delay: 0.0, the
    host is ours for at most `hold` seconds (a crashed holder's turn lapses then); otherwise the
    seconds until the current turn lapses. PostgreSQL only: on SQLite one process crawls, and its
    fetcher's own gate suffices."""
    with session.begin():
        if session.execute(_TAKE_TURN, {"host": host, "hold": float(hold)}).first() is not None:
            return 0.0
        wait = session.scalar(_TURN_WAIT, {"host": host})
    # Never 0.0 here: that means "yours". A turn that lapsed in between is asked for again soon.
    return max(float(wait or 0.0), 0.001)


def end_host_turn(session: Session, host: str, delay: float) -> None:
    """The request is over: the host's next one may start `delay` seconds from now."""
    with session.begin():
        session.execute(_END_TURN, {"host": host, "delay": float(delay)})
