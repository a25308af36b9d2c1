"""`akhbar worker` processes sharing one PostgreSQL: exactly once, crash recovery, shared politeness,
graceful stops, and `akhbar status`."""

from __future__ import annotations

import itertools
import json
import signal
from collections import Counter

import pytest

from ingest.urls import canonical_url
from tests.fakesite import FakeNewsSite
from tests.loopback import LoopbackServer
from tests.polling import wait_for
from tests.workers.conftest import article_requests

LEASE = "2"  # seconds: a killed worker's claims come back quickly


def discover(workers, site: FakeNewsSite, delay: float = 0.0) -> None:
    workers.sources.write_text(site.sources_toml(delay=delay), encoding="utf-8")
    result = workers.run("crawl", "--discover-only")
    assert result.returncode == 0, result.stderr
    assert "0 pages" in result.stdout  # the scheduler fetched no article itself


def stored_urls(workers) -> list[str]:
    return [url for (url,) in workers.query("SELECT canonical_url FROM articles")]


def _claimers(workers) -> int:
    # A connection per check: polled every 0.2 s, not the default 0.01 s, while workers start up.
    return workers.query("SELECT count(DISTINCT claimed_by) FROM frontier")[0][0]


def finish(process, timeout: float = 120) -> tuple[str, str]:
    out, err = process.communicate(timeout=timeout)
    return out, err


def test_four_workers_store_every_article_exactly_once(workers, server):
    # Article requests are held until every worker holds claims, so all four fetch at once however
    # unevenly they start up: the overlap needs no large site. Each holds at most 8 claims of the
    # one source (--per-source), so 80 articles leave rounds of claims to contend for after that.
    site = FakeNewsSite(articles=80).mount(server)
    discover(workers, site)
    site.hold_articles_after(0)
    running = [workers.start("--exit-when-idle", "--lease", "30") for _ in range(4)]
    try:
        wait_for(lambda: _claimers(workers) == 4, "all four workers to hold claims", every=0.2)
    finally:
        site.release()
    outputs = [finish(process) for process in running]
    # The listed 404 and 410 fail: the one or two workers that fetched them exit 1, the others 0.
    assert sorted(p.returncode for p in running) in ([0, 0, 0, 1], [0, 0, 1, 1])
    stored = stored_urls(workers)
    assert len(stored) == len(set(stored)) == 80
    assert {canonical_url(url) for url in stored} == {canonical_url(url) for url in site.article_urls()}
    # Every article page was requested once, by one worker, and the work was shared out.
    fetched = Counter(r.path.rstrip("/") for r in article_requests(server))
    assert max(fetched.values()) == 1
    pages = [int(out.split(" pages:")[0]) for out, _ in outputs]
    [(listed,)] = workers.query("SELECT count(*) FROM frontier")  # the articles, a 404 and a 410
    assert sum(pages) == listed
    assert min(pages) > 0
    assert workers.query("SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL") == [(0,)]


def test_a_worker_killed_mid_run_loses_nothing(workers, server):
    site = FakeNewsSite(articles=30).mount(server)
    discover(workers, site)
    site.hold_articles_after(10)
    doomed = workers.start("--lease", LEASE, "--concurrency", "8")
    try:
        wait_for(lambda: site.article_requests > 10, "the worker to be fetching held articles")
        held = workers.query("SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL")[0][0]
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
    finally:
        site.release()
    assert held > 0
    assert len(stored_urls(workers)) < 30
    survivor = workers.start("--exit-when-idle", "--lease", LEASE)
    finish(survivor)
    stored = stored_urls(workers)
    assert len(stored) == len(set(stored)) == 30
    assert workers.query("SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL") == [(0,)]


def test_a_host_is_never_fetched_faster_than_its_delay_by_all_workers_together(workers, server):
    delay = 0.25
    site = FakeNewsSite(articles=12).mount(server)
    discover(workers, site, delay=delay)
    mark = len(server.requests)
    # Article requests are held until all three workers hold claims: they contend for the host's
    # turns together however unevenly they start up, so a dozen pages are enough.
    site.hold_articles_after(0)
    running = [workers.start("--exit-when-idle", "--lease", "30") for _ in range(3)]
    try:
        wait_for(lambda: _claimers(workers) == 3, "all three workers to hold claims", every=0.2)
    finally:
        site.release()
    pages = [int(finish(process)[0].split(" pages:")[0]) for process in running]
    assert len(stored_urls(workers)) == 12
    assert min(pages) > 0  # every worker fetched from the one host: the pace was kept between them
    starts = sorted(r.at for r in server.requests[mark:])
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # Timestamps are taken by the server as it reads each request: allow a few ms of jitter.
    assert min(gaps) >= delay - 0.01, sorted(gaps)[:5]


def test_a_worker_turns_to_another_host_while_one_waits_out_its_delay(workers, server):
    other_server = LoopbackServer().start()
    try:
        sites = {
            "first": FakeNewsSite(articles=4).mount(server),
            "second": FakeNewsSite(articles=4).mount(other_server),
        }
        toml = "\n".join(site.sources_toml(name, delay=0.3) for name, site in sites.items())
        workers.sources.write_text(toml, encoding="utf-8")
        assert workers.run("crawl", "--discover-only").returncode == 0
        finish(workers.start("--exit-when-idle", "--concurrency", "1"))
        requests = sorted(
            (r.at, name)
            for name, site_server in (("first", server), ("second", other_server))
            for r in article_requests(site_server)
        )
    finally:
        other_server.stop()
    assert [name for _, name in requests][:6] in (["first", "second"] * 3, ["second", "first"] * 3)


def test_sigterm_stops_a_worker_and_hands_its_claims_back(workers, server):
    site = FakeNewsSite(articles=40).mount(server)
    discover(workers, site)
    site.hold_articles_after(5)
    worker = workers.start("--grace", "1", "--concurrency", "4")
    try:
        wait_for(lambda: site.article_requests > 5, "the worker to be fetching held articles")
        worker.send_signal(signal.SIGTERM)
        out, err = finish(worker, timeout=30)
    finally:
        site.release()
    assert worker.returncode == 0, err
    assert "claims handed back" in out
    assert workers.query("SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL") == [(0,)]
    [(stopped,)] = workers.query("SELECT count(*) FROM workers WHERE stopped_at IS NOT NULL")
    assert stopped == 1
    after = workers.start("--exit-when-idle")
    finish(after)
    assert len(stored_urls(workers)) == 40


def test_status_shows_the_queue_the_workers_and_throughput(workers, server):
    site = FakeNewsSite(articles=20).mount(server)
    discover(workers, site)
    before = json.loads(workers.run("status", "--json").stdout)
    [(listed,)] = workers.query("SELECT count(*) FROM frontier")  # the articles and broken links
    assert before["queue"]["due"] == before["queue"]["urls"] == listed > 20
    assert before["workers"] == []
    finish(workers.start("--exit-when-idle"))
    after = json.loads(workers.run("status", "--json").stdout)
    assert after["queue"]["due"] == 0
    [worker] = after["workers"]
    failed = listed - 20
    assert (worker["state"], worker["pages"], worker["failed"]) == ("stopped", listed, failed)
    # The run may straddle a minute boundary: the five-minute window holds all of it.
    assert after["throughput"][1] == {
        "minutes": 5,
        "pages": listed,
        "failed": failed,
        "pages_per_minute": round(listed / 5, 2),
    }
    text = workers.run("status").stdout
    assert f"{listed} URLs, 0 due now" in text
    assert worker["name"] in text


def test_a_worker_on_sqlite_is_refused_with_a_clear_message(akhbar, tmp_path, db_url):
    sources = tmp_path / "sources.toml"
    sources.write_text("", encoding="utf-8")
    result = akhbar("--db", db_url, "--sources", str(sources), "worker")
    assert result.code == 2
    assert "worker needs a PostgreSQL database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("database", ["sqlite"])
def test_status_works_on_sqlite_too(akhbar, db_url, database):
    result = akhbar("--db", db_url, "status", "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["queue"]["urls"] == 0
