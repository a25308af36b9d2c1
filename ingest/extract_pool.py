"""Extraction on every core: a process pool that turns fetched pages into `Extracted` values.

Parsing and extraction are CPU-bound Python, so threads would share one core under the GIL; the
fetcher's event loop and the database writer stay in the main process while worker processes decode,
extract and prepare text (hashes, MinHash, search terms). A module of its own, beside pipeline.py
rather than inside extract/: extract/ is a pure str -> Article library, this is process management
for the pipeline.

Workers are spawned children of the crawl (not forked: the crawl has threads; not from a forkserver:
a forkserver outlives a crawl killed with SIGKILL and keeps its stdout and stderr open, so cron, or
any parent reading the crawl's output, would wait for it). A page whose worker dies (a segfault in a
C parser, the OOM killer) is a failed page with a reason, not a dead crawl: the pool is rebuilt, and
every page that was in flight when a worker died (the culprit among them) is tried once more alone,
in a process of its own, so that the culprit fails and the others are extracted.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ingest.extract import Extraction
from ingest.pipeline import Extracted, Hints, extract_page
from store.captures import PackedBody

# What a page whose extraction killed its worker process, even alone, is recorded with.
CRASHED = "the extraction worker process died on this page (tried twice, the second time alone)"

# How often a worker checks that the process it works for is still alive.
PARENT_CHECK_SECONDS = 1.0

ExtractTask = Callable[[bytes, str | None, str, Hints | None], Extracted]


# Extraction processes per crawl or worker (default: one per core). A machine shared with other work,
# or a test suite starting many short crawls, can ask for fewer: each is a Python start-up that
# imports the whole extraction pipeline.
WORKERS_ENV = "AKHBAR_EXTRACT_WORKERS"


def default_workers() -> int:
    """AKHBAR_EXTRACT_WORKERS when set, else one worker per core this process may run on."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"{WORKERS_ENV} must be a whole number, 1 or more, not {configured!r}")
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ExtractPool:
    """`await pool.extract(body, content_type, url, hints)` runs `task` in a worker process.

    `task` is `pipeline.extract_page` unless a caller (a test) substitutes another module-level
    function with the same signature.
    """

    def __init__(self, workers: int | None = None, task: ExtractTask = extract_page) -> None:
        self.workers = workers or default_workers()
        self._task = task
        self._context = multiprocessing.get_context("spawn")
        self._executor = self._new_executor()
        self._suspects = asyncio.Lock()
        self.restarts = 0

    def _new_executor(self, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers or self.workers, mp_context=self._context, initializer=_die_with, initargs=(os.getpid(),)
        )

    async def extract(
        self, body: bytes, content_type: str | None, url: str, hints: Hints | None = None
    ) -> Extracted:
        loop = asyncio.get_running_loop()
        executor = self._executor
        try:
            return await loop.run_in_executor(executor, self._task, body, content_type, url, hints)
        except BrokenProcessPool:
            # Every page in flight sees the breakage; the first to get here rebuilds the pool.
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
                self.restarts += 1
        async with self._suspects:
            alone = self._new_executor(1)
            try:
                return await loop.run_in_executor(alone, self._task, body, content_type, url, hints)
            except BrokenProcessPool:
                return Extracted(Extraction(None, CRASHED), PackedBody.of(body))
            finally:
                alone.shutdown(wait=False)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _die_with(owner: int) -> None:
    """Make this worker exit when the crawl it works for is gone.

    A crawl killed with SIGKILL (a cron timeout, `kill -9`) runs no clean-up: its workers would wait
    on their task queue for ever, holding the crawl's stdout and stderr open. A dead parent shows at
    once as a new parent pid (its own parent may not have reaped it yet, so `os.kill(pid, 0)` would
    still find it as a zombie); a watcher thread looks for that.
    """

    def watch() -> None:
        while os.getppid() == owner:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="akhbar-owner-watch", daemon=True).start()
