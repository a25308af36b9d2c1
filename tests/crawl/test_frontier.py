"""The frontier: enqueueing, leased claims, scheduling of revisits and retries (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from store.frontier import (
    DEFAULT_POLICY,
    Listing,
    SchedulePolicy,
    Settlement,
    claim,
    enqueue,
    frontier_row,
    next_retry,
    next_revisit,
    release_claims,
    settle,
)
from store.schema import FrontierRow

NOW = datetime(2025, 3, 10, 12, tzinfo=UTC)
SITE = "https://akhbar.example"


def listing(n: int, **hints) -> Listing:
    return Listing(f"{SITE}/news/{n}/", "example", **hints)


def row_of(store, url: str) -> FrontierRow:
    with store() as session:
        return frontier_row(session, url)


def test_a_url_listed_twice_or_under_a_tracking_variant_is_one_frontier_row(store):
    with store() as session:
        assert enqueue(session, [listing(1), listing(2)], NOW) == 2
        variant = Listing(f"{SITE}/news/1?utm_source=twitter", "example")
        assert enqueue(session, [listing(1), variant], NOW) == 0
        assert session.scalar(select(func.count()).select_from(FrontierRow)) == 2


def test_the_url_is_fetched_as_listed_but_keyed_by_its_canonical_form(store):
    with store() as session:
        enqueue(session, [listing(1)], NOW)
        [claimed] = claim(session, "w1", NOW, 10)
    assert claimed.url == f"{SITE}/news/1/"
    assert row_of(store, f"{SITE}/news/1").url == f"{SITE}/news/1"


def test_claimed_urls_are_not_claimed_again_while_the_lease_holds(store):
    with store() as session:
        enqueue(session, [listing(n) for n in range(5)], NOW)
        first = claim(session, "w1", NOW, 3)
        second = claim(session, "w2", NOW, 10)
    assert len(first) == 3 and len(second) == 2
    assert not {c.id for c in first} & {c.id for c in second}


def test_a_crashed_workers_claims_return_when_its_lease_expires(store):
    with store() as session:
        enqueue(session, [listing(1)], NOW)
        [dead] = claim(session, "crashed", NOW, 10)
        assert claim(session, "w2", NOW + DEFAULT_POLICY.lease - timedelta(seconds=1), 10) == []
        [taken] = claim(session, "w2", NOW + DEFAULT_POLICY.lease + timedelta(seconds=1), 10)
        assert taken.id == dead.id
        # The late worker's outcome no longer counts: the claim is someone else's now.
        assert not settle(session, dead, "crashed", Settlement("stored"), NOW)
        assert settle(session, taken, "w2", Settlement("stored"), NOW)


def test_released_claims_are_due_again_at_once(store):
    with store() as session:
        enqueue(session, [listing(1), listing(2)], NOW)
        claim(session, "w1", NOW, 10)
        assert release_claims(session, "w1") == 2
        assert len(claim(session, "w2", NOW, 10)) == 2


def test_concurrent_claimers_share_the_due_urls_without_overlap(store):
    with store() as session:
        enqueue(session, [listing(n) for n in range(120)], NOW)
    taken: dict[str, list[int]] = {}

    def work(name: str) -> None:
        ids: list[int] = []
        with store() as session:
            while batch := claim(session, name, NOW, 7):
                ids.extend(c.id for c in batch)
        taken[name] = ids

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in taken.values() for i in ids]
    assert len(every) == len(set(every)) == 120


def test_a_stored_recent_article_is_revisited_and_an_old_one_is_not(store):
    with store() as session:
        enqueue(session, [listing(1), listing(2)], NOW)
        recent, old = claim(session, "w1", NOW, 10)
        settle(session, recent, "w1", Settlement("stored", published=NOW - timedelta(hours=2)), NOW)
        settle(session, old, "w1", Settlement("stored", published=NOW - timedelta(days=30)), NOW)
        assert row_of(store, recent.url).next_due_at.replace(tzinfo=UTC) == NOW + timedelta(hours=4)
        assert row_of(store, old.url).next_due_at is None
        assert claim(session, "w1", NOW + timedelta(hours=1), 10) == []


def test_a_listing_dated_after_our_fetch_makes_the_url_due_again(store):
    with store() as session:
        enqueue(session, [listing(1)], NOW)
        [claimed] = claim(session, "w1", NOW, 10)
        settle(session, claimed, "w1", Settlement("stored", published=NOW - timedelta(days=30)), NOW)
        later = NOW + timedelta(days=1)
        enqueue(session, [listing(1, modified=NOW - timedelta(hours=1))], later)
        assert claim(session, "w1", later, 10) == []
        enqueue(session, [listing(1, modified=NOW + timedelta(hours=1))], later)
        assert [c.url for c in claim(session, "w1", later, 10)] == [claimed.url]


def test_failures_back_off_and_are_given_up(store):
    policy = SchedulePolicy(max_attempts=3)
    moment = NOW
    with store() as session:
        enqueue(session, [listing(1)], NOW)
        for _ in range(3):
            [claimed] = claim(session, "w1", moment, 10, policy=policy)
            settle(session, claimed, "w1", Settlement("failed", error="HTTP 503"), moment, policy)
            row = row_of(store, claimed.url)
            moment = row.next_due_at.replace(tzinfo=UTC) if row.next_due_at else moment
        assert (row.attempts, row.next_due_at, row.last_error) == (3, None, "HTTP 503")


def test_a_permanent_failure_is_not_retried(store):
    with store() as session:
        enqueue(session, [listing(1)], NOW)
        [claimed] = claim(session, "w1", NOW, 10)
        settle(session, claimed, "w1", Settlement("failed", error="HTTP 410 Gone", permanent=True), NOW)
        assert row_of(store, claimed.url).next_due_at is None


def test_revisits_come_at_the_policy_offsets_then_stop():
    published = NOW
    assert next_revisit(published, NOW) == NOW + timedelta(hours=6)
    assert next_revisit(published, NOW + timedelta(hours=7)) == NOW + timedelta(days=1)
    assert next_revisit(published, NOW + timedelta(days=2)) == NOW + timedelta(days=3)
    assert next_revisit(published, NOW + timedelta(days=4)) is None


def test_retry_delays_double_up_to_the_cap():
    policy = SchedulePolicy(backoff_base=timedelta(minutes=10), backoff_cap=timedelta(minutes=30))
    delays = [next_retry(n, NOW, policy) - NOW for n in (1, 2, 3)]
    assert delays == [timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=30)]
    assert next_retry(policy.max_attempts, NOW, policy) is None
