"""The fetch log (every HTTP fetch and its outcome), conditional-request validators per URL, and the
robots.txt cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.robots import RobotsRecord
from store.db import WRITE_TRANSACTION
from store.schema import FetchRow, RobotsRow

if TYPE_CHECKING:  # a type only: store/ never imports httpx, which ingest.fetch does
    from ingest.fetch import FetchResult

_INSERT_FETCH = insert(FetchRow.__table__)
_FAILED_OUTCOMES = ("failed", "disallowed", "deferred")
_VALIDATED_OUTCOMES = ("fetched", "unchanged")


def record_fetch(session: Session, result: FetchResult, *, at: datetime | None = None) -> None:
    """Append one fetch to the log; a 304 keeps the validators it revalidated."""
    record_fetches(session, [(result, at or datetime.now(UTC))])


def record_fetches(session: Session, fetches: Sequence[tuple[FetchResult, datetime]]) -> None:
    """Append fetches (each with the moment it completed) to the log, in one transaction."""
    if not fetches:
        return
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        append_fetches(session, fetches)


def append_fetches(session: Session, fetches: Sequence[tuple[FetchResult, datetime]]) -> None:
    """Append fetches to the log inside the caller's write transaction."""
    if not fetches:
        return
    revalidated = [result.url for result, _ in fetches if result.unchanged]
    # The validators each URL's newest successful fetch left, updated as this batch goes.
    newest = validators_for(session, revalidated) if revalidated else {}
    rows = []
    for result, at in fetches:
        etag, last_modified = result.validators
        if result.unchanged:
            previous_etag, previous_modified = newest.get(result.url, (None, None))
            etag, last_modified = etag or previous_etag, last_modified or previous_modified
        if result.ok and (etag or last_modified):
            newest[result.url] = (etag, last_modified)
        rows.append(
            {
                "url": result.url,
                "final_url": result.final_url,
                "status": result.status,
                "bytes": result.received_bytes,
                "elapsed": round(result.elapsed, 3),
                "outcome": str(result.outcome),
                "error": result.error,
                "etag": etag if result.ok else None,
                "last_modified": last_modified if result.ok else None,
                "fetched_at": at,
            }
        )
    # A Core insert: the ORM's unit of work would cost more than the write.
    session.connection().execute(_INSERT_FETCH, rows)


def validators_for(session: Session, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) of the newest successful fetch of each URL that has any."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        batch = wanted[start : start + 500]
        newest = (
            select(FetchRow.url, func.max(FetchRow.id).label("id"))
            .where(FetchRow.url.in_(batch), FetchRow.outcome.in_(_VALIDATED_OUTCOMES))
            .group_by(FetchRow.url)
            .subquery()
        )
        rows = session.execute(
            select(FetchRow.url, FetchRow.etag, FetchRow.last_modified).join(
                newest, FetchRow.id == newest.c.id
            )
        )
        for url, etag, last_modified in rows:
            if etag or last_modified:
                found[url] = (etag, last_modified)
    return found


def recent_fetches(session: Session, *, failed_only: bool = False, limit: int = 50) -> list[FetchRow]:
    query = select(FetchRow)
    if failed_only:
        query = query.where(FetchRow.outcome.in_(_FAILED_OUTCOMES))
    return list(session.scalars(query.order_by(FetchRow.id.desc()).limit(limit)))


def cached_robots(session: Session, origin: str) -> RobotsRecord | None:
    row = session.get(RobotsRow, origin)
    if row is None:
        return None
    return RobotsRecord(row.origin, row.status, row.body, _aware(row.fetched_at), _aware(row.expires_at))


def cache_robots(session: Session, record: RobotsRecord) -> None:
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        row = session.get(RobotsRow, record.origin) or RobotsRow(origin=record.origin)
        row.status = record.status
        row.body = record.body
        row.fetched_at = record.fetched_at
        row.expires_at = record.expires_at
        session.add(row)


class StoreRobotsCache:
    """robots.txt records kept in the store, shared by runs and workers (a RobotsCache)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, origin: str) -> RobotsRecord | None:
        with self._sessions() as session:
            return cached_robots(session, origin)

    def put(self, record: RobotsRecord) -> None:
        with self._sessions() as session:
            cache_robots(session, record)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
