"""The extraction process pool: the same articles as extracting in-process, and a worker that dies
is one failed page, not a dead crawl."""

from __future__ import annotations

import asyncio
import os

import pytest

from ingest.extract_pool import CRASHED, WORKERS_ENV, ExtractPool, default_workers
from ingest.pipeline import Extracted, Hints, extract_page
from tests.fakesite import FakeNewsSite

# A page that makes the worker process die, as a segfault in a C parser or the OOM killer would.
KILLER_MARK = b"akhbar-test-kill-the-worker"


def extract_or_die(body: bytes, content_type: str | None, url: str, hints: Hints | None) -> Extracted:
    if KILLER_MARK in body:
        os._exit(70)
    return extract_page(body, content_type, url, hints)


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str, bytes]]:
    site = FakeNewsSite(articles=6)
    site.base = "http://127.0.0.1:8000"
    rendered = []
    for article_id in range(1, 7):
        url = site.article_url(article_id)
        _, content_type, body, _ = site.render(url.removeprefix(site.base))
        rendered.append((url, content_type, body))
    return rendered


async def _extract_all(pool: ExtractPool, pages, hints: Hints | None = None) -> list[Extracted]:
    return list(await asyncio.gather(*(pool.extract(body, kind, url, hints) for url, kind, body in pages)))


def test_the_pool_extracts_the_same_articles_as_extracting_in_process(pages):
    hints = Hints(title="عنوان من الخلاصة")
    with ExtractPool(workers=2) as pool:
        pooled = asyncio.run(_extract_all(pool, pages, hints))
    for (url, kind, body), from_pool in zip(pages, pooled, strict=True):
        in_process = extract_page(body, kind, url, hints)
        assert from_pool.extraction.article is not None
        assert from_pool.extraction.article.to_json() == in_process.extraction.article.to_json()
        assert from_pool.prepared.content_hash == in_process.prepared.content_hash
        assert from_pool.prepared.band_keys == in_process.prepared.band_keys
        assert from_pool.prepared.indexed == in_process.prepared.indexed


def test_a_page_without_an_article_comes_back_with_its_reason():
    with ExtractPool(workers=1) as pool:
        extracted = asyncio.run(
            pool.extract(b"<html><body><p>x</p></body></html>", "text/html", "http://a.test/1")
        )
    assert extracted.extraction.article is None
    assert extracted.extraction.reason
    assert extracted.prepared is None


def test_a_page_that_kills_its_worker_fails_alone_and_the_pool_carries_on(pages):
    url, kind, body = pages[0]
    killer = (url + "?killer", kind, body.replace(b"</body>", KILLER_MARK + b"</body>"))

    async def run(pool: ExtractPool) -> tuple[Extracted, list[Extracted], list[Extracted]]:
        crashed, *alongside = await asyncio.gather(
            pool.extract(killer[2], killer[1], killer[0]),
            *(pool.extract(b, k, u) for u, k, b in pages[1:3]),
        )
        after = await _extract_all(pool, pages[3:])
        return crashed, alongside, after

    with ExtractPool(workers=2, task=extract_or_die) as pool:
        crashed, alongside, after = asyncio.run(run(pool))
        assert pool.restarts >= 1
    assert crashed.extraction.article is None
    assert crashed.extraction.reason == CRASHED
    assert all(page.extraction.article is not None for page in alongside)
    assert all(page.extraction.article is not None for page in after)


def worker_pid(body: bytes, content_type: str | None, url: str, hints: Hints | None) -> int:
    return os.getpid()


KILLED_OWNER = """
import asyncio, os, sys
from ingest.extract_pool import ExtractPool
from tests.speed.test_extract_pool import worker_pid

async def main():
    pool = ExtractPool(workers=2, task=worker_pid)
    pids = set(await asyncio.gather(*(pool.extract(b"", None, "http://a.test/") for _ in range(8))))
    print(" ".join(map(str, pids)), flush=True)
    os._exit(0)  # as after SIGKILL: no clean-up of any kind

asyncio.run(main())
"""


def test_workers_exit_when_the_crawl_that_owns_them_is_killed():
    import subprocess
    import sys
    import time

    owner = subprocess.Popen([sys.executable, "-c", KILLED_OWNER], stdout=subprocess.PIPE, text=True)
    pids = [int(pid) for pid in owner.stdout.readline().split()]
    owner.wait(timeout=60)  # reaped, as cron or a shell reaps a killed job
    owner.stdout.close()
    assert pids
    deadline = time.monotonic() + 30
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in pids if os.path.exists(f"/proc/{pid}") and "Z" not in _state(pid)]
    assert alive == []


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_the_pool_has_one_worker_per_core_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert default_workers() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert default_workers() == 3


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_worker_count_that_is_not_a_whole_positive_number_is_refused(monkeypatch, value):
    monkeypatch.setenv(WORKERS_ENV, value)
    with pytest.raises(ValueError, match=WORKERS_ENV):
        default_workers()


def test_a_pool_told_to_use_one_worker_extracts_every_page_in_that_one(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "1")

    async def pids(pool: ExtractPool) -> set[int]:
        return set(await asyncio.gather(*(pool.extract(b"", None, "http://a.test/") for _ in range(8))))

    with ExtractPool(task=worker_pid) as pool:
        assert len(asyncio.run(pids(pool))) == 1
