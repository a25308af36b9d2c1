"""Politeness: robots.txt, per-host delay and Crawl-delay, connection limits."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from ingest.fetch import FetchOutcome
from ingest.robots import RobotsRecord
from tests.fetch.endpoints import QUICK, fetch, fetch_each, reply, slow

PAGE = "<html><body><p>نص الخبر</p></body></html>".encode()
ROBOTS = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.4\n"
# Times are the server's arrival times: on a busy machine one request may be handled later than
# the next is, shrinking the observed gap a little; without the delay the gaps would be ~0.
CLOCK_SLACK = 0.1


class MemoryRobotsCache:
    def __init__(self, *records: RobotsRecord) -> None:
        self.records = {r.origin: r for r in records}

    def get(self, origin: str) -> RobotsRecord | None:
        return self.records.get(origin)

    def put(self, record: RobotsRecord) -> None:
        self.records[record.origin] = record


def test_requests_to_one_host_are_spaced_by_the_minimum_delay(server):
    urls = [server.add(f"/news/{n}", PAGE) for n in range(4)]

    results = fetch_each(urls, replace(QUICK, host_delay=0.3))

    assert [r.outcome for r in results] == [FetchOutcome.FETCHED] * 4
    starts = [r.at for r in server.requests]  # robots.txt (404) first, then the pages
    assert len(starts) == 5
    assert _shortest_gap(starts) >= 0.3 - CLOCK_SLACK


def test_a_delay_given_per_call_overrides_the_default(server):
    urls = [server.add(f"/news/{n}", PAGE) for n in range(3)]

    fetch_each(urls, replace(QUICK, host_delay=0.0), delay=0.25)

    starts = [r.at for r in server.requests]
    assert _shortest_gap(starts) >= 0.25 - CLOCK_SLACK


def test_robots_txt_disallows_a_path_and_its_crawl_delay_spaces_the_rest(server):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    allowed = [server.add(f"/news/{n}", PAGE) for n in range(3)]
    private = server.add("/private/report", PAGE)

    results = fetch_each([*allowed, private], replace(QUICK, host_delay=0.0))

    assert [r.outcome for r in results[:3]] == [FetchOutcome.FETCHED] * 3
    assert results[3].outcome is FetchOutcome.DISALLOWED
    assert results[3].error == f"disallowed by {server.url('/robots.txt')}"
    assert server.requests_to("/private/report") == []
    assert len(server.requests_to("/robots.txt")) == 1
    starts = [r.at for r in server.requests]
    assert len(starts) == 4
    assert _shortest_gap(starts) >= 0.4 - CLOCK_SLACK


def test_a_crawl_delay_longer_than_the_sources_delay_raises_it(server):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    urls = [server.add(f"/news/{n}", PAGE) for n in range(3)]

    fetch_each(urls, replace(QUICK, host_delay=0.0), delay=0.1)

    starts = [r.at for r in server.requests]
    assert len(starts) == 4
    assert _shortest_gap(starts) >= 0.4 - CLOCK_SLACK


def test_an_unavailable_robots_txt_defers_the_host(server):
    server.add("/robots.txt", status=503)
    page = server.add("/news/1", PAGE)

    result = fetch(page)

    assert result.outcome is FetchOutcome.DEFERRED
    assert (
        result.error
        == f"robots.txt of {server.base} is unavailable (HTTP 503 Service Unavailable); try later"
    )
    assert server.requests_to("/news/1") == []


def test_a_robots_txt_that_times_out_defers_the_host(server):
    server.handle("/robots.txt", slow(2.0))
    page = server.add("/news/1", PAGE)

    result = fetch(page)

    assert result.outcome is FetchOutcome.DEFERRED
    assert result.error == (
        f"robots.txt of {server.base} is unavailable (timed out waiting for the server (0.4 s)); try later"
    )
    assert server.requests_to("/news/1") == []


def test_a_sources_own_user_agent_is_matched_against_its_robots_txt_group(server):
    server.add("/robots.txt", "User-agent: alofoq-archive\nDisallow: /\n", content_type="text/plain")
    page = server.add("/news/1", PAGE)

    result = fetch(page, user_agent="alofoq-archive/1.0 (+mailto:archive@alofoq.example)")

    assert result.outcome is FetchOutcome.DISALLOWED
    assert server.requests_to("/news/1") == []
    assert server.requests_to("/robots.txt")[0].headers["User-Agent"].startswith("alofoq-archive/1.0")


def test_a_missing_robots_txt_allows_everything(server):
    page = server.add("/private/1", PAGE)

    result = fetch(page)

    assert result.outcome is FetchOutcome.FETCHED
    assert [r.path for r in server.requests] == ["/robots.txt", "/private/1"]


def test_robots_txt_is_read_from_the_cache_while_fresh(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    page = server.add("/news/1", PAGE)
    now = datetime.now(UTC)
    cache = MemoryRobotsCache(RobotsRecord(server.base, 200, "", now, now + timedelta(hours=1)))

    result = fetch(page, robots_cache=cache)

    assert result.outcome is FetchOutcome.FETCHED
    assert server.requests_to("/robots.txt") == []


def test_an_expired_robots_record_is_fetched_again_and_stored(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /news/\n", content_type="text/plain")
    page = server.add("/news/1", PAGE)
    old = datetime.now(UTC) - timedelta(days=2)
    cache = MemoryRobotsCache(RobotsRecord(server.base, 200, "", old, old + timedelta(days=1)))

    result = fetch(page, robots_cache=cache)

    assert result.outcome is FetchOutcome.DISALLOWED
    record = cache.records[server.base]
    assert record.body == "User-agent: *\nDisallow: /news/\n"
    assert record.expires_at - record.fetched_at == timedelta(hours=24)


def test_while_robots_txt_is_down_the_last_good_copy_stands_in(server):
    server.add("/robots.txt", status=500)
    allowed = server.add("/news/1", PAGE)
    private = server.add("/private/1", PAGE)
    old = datetime.now(UTC) - timedelta(days=2)
    stale = RobotsRecord(
        server.base, 200, "User-agent: *\nDisallow: /private/\n", old, old + timedelta(days=1)
    )
    cache = MemoryRobotsCache(stale)

    results = fetch_each([allowed, private], robots_cache=cache)

    assert [r.outcome for r in results] == [FetchOutcome.FETCHED, FetchOutcome.DISALLOWED]
    assert cache.records[server.base] == stale


def test_a_failed_robots_fetch_is_cached_briefly_so_workers_do_not_hammer_it(server):
    server.add("/robots.txt", status=503)
    cache = MemoryRobotsCache()

    fetch(server.url("/news/1"), robots_cache=cache)

    record = cache.records[server.base]
    assert (record.status, record.usable) == (503, False)
    assert record.expires_at - record.fetched_at == timedelta(seconds=QUICK.robots_retry_ttl)


def test_ignoring_robots_fetches_a_disallowed_page_and_says_so(server, caplog):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    private = server.add("/private/report", PAGE)

    with caplog.at_level(logging.WARNING):
        result = fetch(private, replace(QUICK, obey_robots=False))

    assert result.outcome is FetchOutcome.FETCHED
    assert server.requests_to("/robots.txt") == []
    assert "robots.txt is ignored" in caplog.text


def test_concurrency_stays_within_the_global_and_per_host_limits(server):
    busiest = _concurrency_probe(server)
    urls = [server.url(f"/work/{n}") for n in range(6)]

    fetch_each(urls, replace(QUICK, obey_robots=False, max_connections=2, per_host_connections=6))
    global_peak = busiest()
    fetch_each(urls, replace(QUICK, obey_robots=False, max_connections=6, per_host_connections=1))

    assert global_peak == 2
    assert busiest() == 1


def _shortest_gap(starts: list[float]) -> float:
    return min(b - a for a, b in pairwise(starts))


def _concurrency_probe(server):
    lock = threading.Lock()
    state = {"active": 0, "peak": 0}

    def handler(request):
        with lock:
            state["active"] += 1
            state["peak"] = max(state["peak"], state["active"])
        time.sleep(0.15)
        with lock:
            state["active"] -= 1
        reply(request, 200, PAGE)

    for n in range(6):
        server.handle(f"/work/{n}", handler)

    def busiest() -> int:
        peak, state["peak"] = state["peak"], 0
        return peak

    return busiest


def test_a_redirect_to_another_origin_obeys_that_origins_robots_txt(server):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    elsewhere = f"http://localhost:{server.port}/private/report"
    start = server.add("/go", status=302, headers={"Location": elsewhere})
    server.add("/private/report", PAGE)

    result = fetch(start)

    assert result.outcome is FetchOutcome.DISALLOWED
    assert result.final_url == elsewhere
    assert result.error == f"disallowed by http://localhost:{server.port}/robots.txt"
    assert len(server.requests_to("/robots.txt")) == 2
    assert server.requests_to("/private/report") == []
