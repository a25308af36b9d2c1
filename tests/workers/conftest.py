"""Worker tests: the fake news site on 127.0.0.1, the real PostgreSQL (a fresh schema per test),
and `akhbar worker` processes started as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from ingest.extract_pool import WORKERS_ENV
from tests.conftest import REPO
from tests.fakesite import ARTICLE_PATH
from tests.store.conftest import postgres_url, postgres_user  # noqa: F401


class Workers:
    """Start `akhbar` processes against one database and sources file; all killed at teardown."""

    def __init__(self, tmp_path: Path, db_url: str, sources: Path) -> None:
        self.db_url = db_url
        self.sources = sources
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
        self.env |= {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
        # One extraction process per worker: these tests run up to four workers at once on a machine
        # of two cores, and test the shared queue, not the extraction pool (tests/speed does).
        self.env[WORKERS_ENV] = "1"
        self.started: list[subprocess.Popen] = []

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "ingest", "--db", self.db_url, "--sources", str(self.sources), *args]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*args), cwd=REPO, env=self.env, capture_output=True, text=True, timeout=120
        )

    def start(self, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            self.command("worker", *args),
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process

    def query(self, sql: str, *params: object) -> list[tuple]:
        url = make_url(self.db_url)
        search_path = url.query["options"].removeprefix("-csearch_path=")
        with psycopg.connect(
            host=url.host,
            port=url.port,
            dbname=url.database,
            user=url.username,
            options=f"-csearch_path={search_path}",
        ) as connection:
            return connection.execute(sql, params).fetchall()

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.communicate()


@pytest.fixture
def workers(tmp_path: Path, postgres_url: str) -> Iterator[Workers]:  # noqa: F811
    pool = Workers(tmp_path, postgres_url, tmp_path / "sources.toml")
    yield pool
    pool.stop_all()


def article_requests(server, host: str | None = None) -> list:
    return [
        r for r in list(server.requests) if r.method == "GET" and ARTICLE_PATH.match(r.path.split("?")[0])
    ]
