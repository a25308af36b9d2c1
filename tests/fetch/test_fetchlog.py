"""The fetch log, validators and robots cache in a real database (SQLite file, and PostgreSQL)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.fetch import FetchOutcome, FetchResult
from ingest.robots import RobotsRecord
from store.db import open_engine, session_factory
from store.fetchlog import (
    StoreRobotsCache,
    recent_fetches,
    record_fetch,
    record_fetches,
    validators_for,
)

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
URL = "https://news.example/2026/01/12/irbid-book-fair/"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sessions(request, tmp_path) -> Iterator[sessionmaker[Session]]:
    if request.param == "sqlite":
        yield session_factory(open_engine(f"sqlite:///{tmp_path / 'archive.db'}"))
        return
    schema = f"fetchlog_{uuid.uuid4().hex[:12]}"  # a private schema: other tests share the database
    admin = create_engine(PG_ADMIN)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError:
        if os.environ.get("AKHBAR_REQUIRE_POSTGRES"):
            raise
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    engine = open_engine(f"{PG_ADMIN}?options=-csearch_path%3D{schema}")
    yield session_factory(engine)
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def fetched(etag: str | None = None, last_modified: str | None = None, **fields) -> FetchResult:
    headers = {k: v for k, v in (("etag", etag), ("last-modified", last_modified)) if v}
    return FetchResult(url=URL, final_url=URL, status=200, headers=headers, body=b"<html>", **fields)


def test_the_newest_successful_fetch_gives_the_validators(sessions):
    with sessions() as session:
        record_fetch(session, fetched('"v1"', "Mon, 12 Jan 2026 07:30:00 GMT"))
        record_fetch(session, fetched('"v2"'))
        failure = FetchResult(url=URL, status=503, outcome=FetchOutcome.FAILED, error="HTTP 503")
        record_fetch(session, failure)

        assert validators_for(session, [URL, "https://news.example/other"]) == {URL: ('"v2"', None)}


def test_a_304_keeps_the_validators_it_revalidated(sessions):
    with sessions() as session:
        record_fetch(session, fetched('"v1"', "Mon, 12 Jan 2026 07:30:00 GMT"))
        record_fetch(session, FetchResult(url=URL, status=304, outcome=FetchOutcome.UNCHANGED))

        assert validators_for(session, [URL]) == {URL: ('"v1"', "Mon, 12 Jan 2026 07:30:00 GMT")}


def test_fetches_logged_in_one_batch_keep_their_order_times_and_validators(sessions):
    first, later = datetime(2026, 1, 12, 7, 30, tzinfo=UTC), datetime(2026, 1, 12, 7, 45, tzinfo=UTC)
    with sessions() as session:
        record_fetches(
            session,
            [
                (fetched('"v1"', "Mon, 12 Jan 2026 07:30:00 GMT"), first),
                (FetchResult(url=URL, status=304, outcome=FetchOutcome.UNCHANGED), later),
            ],
        )

        newest, oldest = recent_fetches(session)
        assert (oldest.status, oldest.fetched_at.replace(tzinfo=UTC)) == (200, first)
        assert (newest.status, newest.fetched_at.replace(tzinfo=UTC)) == (304, later)
        # The 304 revalidated what the 200 of the same batch had sent.
        assert (newest.etag, newest.last_modified) == ('"v1"', "Mon, 12 Jan 2026 07:30:00 GMT")


def test_failed_lists_failures_disallowed_and_deferred_newest_first(sessions):
    with sessions() as session:
        record_fetch(session, fetched())
        for outcome, error in [
            (FetchOutcome.FAILED, "HTTP 404 Not Found"),
            (FetchOutcome.DISALLOWED, "disallowed by https://news.example/robots.txt"),
            (FetchOutcome.DEFERRED, "robots.txt of https://news.example is unavailable; try later"),
        ]:
            record_fetch(session, FetchResult(url=URL, outcome=outcome, error=error))

        failed = recent_fetches(session, failed_only=True)
        everything = recent_fetches(session, limit=10)

    assert [row.outcome for row in failed] == ["deferred", "disallowed", "failed"]
    assert len(everything) == 4


def test_robots_records_round_trip_with_their_times(sessions):
    cache = StoreRobotsCache(sessions)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    record = RobotsRecord(
        "https://news.example", 200, "User-agent: *\nDisallow: /x\n", now, now + timedelta(days=1)
    )

    cache.put(record)
    cache.put(RobotsRecord(record.origin, 503, "", now, now + timedelta(minutes=10)))

    assert cache.get("https://other.example") is None
    again = cache.get(record.origin)
    assert (again.status, again.expires_at) == (503, now + timedelta(minutes=10))


def test_robots_records_cached_by_many_threads_at_once_are_all_kept(sessions):
    # A crawl caches each host's robots.txt as it arrives; on SQLite a write that started as a read
    # could not be upgraded once another connection had written, and failed with "locked".
    cache = StoreRobotsCache(sessions)
    now = datetime(2026, 1, 12, 7, 30, tzinfo=UTC)
    origins = [f"https://site{i}.example" for i in range(16)]
    start = threading.Barrier(len(origins))

    def put(origin: str) -> None:
        start.wait()
        for hour in range(10):
            cache.put(RobotsRecord(origin, 200, f"# {hour}", now, now + timedelta(hours=hour)))

    with ThreadPoolExecutor(len(origins)) as pool:
        list(pool.map(put, origins))

    assert [cache.get(origin).body for origin in origins] == ["# 9"] * len(origins)
