"""Scale-out benchmark: pages per second with 1, 2, 4 and 8 `akhbar worker` processes on one PostgreSQL.

The site is the fake Arabic news site of the tests, served on many loopback hostnames
(127.0.0.2 ... 127.0.0.50), one source per hostname, every response held back 200 ms so that
fetching, not extraction, dominates a worker's time, as it does against real publishers. Each run
gets a fresh PostgreSQL schema whose frontier is filled with every article URL (discovery is not
timed); then N workers run with --exit-when-idle. Throughput is the pages settled between the first
and the last settlement in the frontier, so the seconds a worker process spends starting are left out.

Per-worker fetch concurrency is kept small (--concurrency, default 2): a worker stands for one
machine's share of the crawl, and on a 2-core box extraction would otherwise saturate the CPU
before the workers could show how the coordination scales.

    python bench/scale.py                          # 1, 2, 4, 8 workers
    python bench/scale.py --workers 1 4 --per-host 8
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from store.db import open_engine, session_factory  # noqa: E402
from store.frontier import Listing, enqueue  # noqa: E402
from tests.fakesite import FakeNewsSite  # noqa: E402
from tests.loopback import LoopbackServer  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "dbname": "test"}


def slow(handler, seconds: float):
    def answer(request) -> None:
        time.sleep(seconds)
        handler(request)

    return answer


def serve(hosts: int, per_host: int, latency: float) -> list[FakeNewsSite]:
    sites = []
    for n in range(2, hosts + 2):
        server = LoopbackServer(host=f"127.0.0.{n}").start()
        site = FakeNewsSite(articles=per_host, seed=n).mount(server)
        server.handlers = {path: slow(h, latency) for path, h in server.handlers.items()}
        sites.append(site)
    return sites


def pg_user() -> str:
    for user in ("postgres", "root"):
        try:
            with psycopg.connect(**PG, user=user, connect_timeout=3):
                return user
        except psycopg.Error:
            continue
    sys.exit("PostgreSQL at 127.0.0.1:5432/test is unreachable")


def run(workers: int, sites: list[FakeNewsSite], sources: Path, args: argparse.Namespace, user: str) -> dict:
    schema = f"akhbar_scale_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**PG, user=user, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    url = f"postgresql+psycopg://{user}@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    try:
        engine = open_engine(url)
        with session_factory(engine)() as session:
            listings = [Listing(u, f"h{i + 2}") for i, site in enumerate(sites) for u in site.article_urls()]
            enqueue(session, listings, datetime.now(UTC))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
        command = [
            sys.executable, "-m", "ingest", "--db", url, "--sources", str(sources), "worker",
            "--exit-when-idle", "--concurrency", str(args.concurrency), "--per-source", "2",
        ]  # fmt: skip
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
            for _ in range(workers)
        ]
        outputs = [p.communicate()[0] for p in processes]
        wall = time.monotonic() - started
        with psycopg.connect(**PG, user=user, options=f"-csearch_path={schema}") as connection:
            pages, first, last, stored = connection.execute(
                "SELECT count(*), min(last_fetched_at), max(last_fetched_at),"
                " count(*) FILTER (WHERE last_outcome = 'stored') FROM frontier"
            ).fetchone()
        engine.dispose()
        window = (last - first).total_seconds()
        return {
            "workers": workers,
            "pages": pages,
            "stored": stored,
            "seconds": window,
            "wall": wall,
            "rate": (pages - 1) / window if window > 0 else float("nan"),
            "per_worker": [o.split(" pages:")[0] for o in outputs],
        }
    finally:
        with psycopg.connect(**PG, user=user, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--hosts", type=int, default=49, help="loopback hostnames 127.0.0.2 ...")
    parser.add_argument("--per-host", type=int, default=6, help="articles per hostname")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds every response is held back")
    parser.add_argument("--delay", type=float, default=0.1, help="politeness delay per host (sources.toml)")
    parser.add_argument("--concurrency", type=int, default=2, help="pages in flight per worker")
    args = parser.parse_args()
    user = pg_user()
    sites = serve(args.hosts, args.per_host, args.latency)
    with tempfile.TemporaryDirectory() as folder:
        sources = Path(folder) / "sources.toml"
        sources.write_text(
            "\n".join(site.sources_toml(name=f"h{i + 2}", delay=args.delay) for i, site in enumerate(sites)),
            encoding="utf-8",
        )
        print(
            f"{args.hosts} hosts x {args.per_host} articles, {args.latency * 1000:.0f} ms per response, "
            f"delay {args.delay} s per host, {args.concurrency} pages in flight per worker; "
            f"{os.cpu_count()} CPUs"
        )
        results = [run(n, sites, sources, args, user) for n in args.workers]
    base = results[0]["rate"]
    print(f"{'workers':>7} {'pages':>6} {'stored':>6} {'seconds':>8} {'pages/s':>8} {'vs 1':>6}  per worker")
    for r in results:
        print(
            f"{r['workers']:>7} {r['pages']:>6} {r['stored']:>6} {r['seconds']:>8.1f} {r['rate']:>8.1f} "
            f"{r['rate'] / base:>5.2f}x  {' '.join(r['per_worker'])}"
        )


if __name__ == "__main__":
    main()
