"""PostgreSQL restarted under a running `akhbar crawl` or `akhbar worker`: it reconnects and carries on.

The tests run a PostgreSQL server of their own (initdb into a temporary folder, a free port, as the
`postgres` user; one server for the module, a fresh database for each test), never the shared one
on 5432 that other tests use, and restart it with
`pg_ctl restart -m fast`, which ends every connection the way a real restart or fail-over does.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
import pytest

from tests.faults.conftest import check_archive_whole, run_crawl, start_crawl, start_worker
from tests.polling import wait_for


@dataclass(frozen=True, slots=True)
class PrivatePostgres:
    bin: Path
    data: Path
    port: int
    dbname: str = "postgres"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.dbname}"

    def pg_ctl(self, *args: str) -> None:
        as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args)

    def restart(self) -> None:
        # -l: without a log file the server would hold our captured stdout open for ever.
        self.pg_ctl("restart", "-m", "fast", "-l", str(self.data.parent / "log"))

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, dbname=self.dbname, user="postgres", autocommit=autocommit
        )


def as_postgres(*command: str) -> None:
    done = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip() or done.stdout.strip()}")


def _unavailable(reason: str) -> None:
    if os.environ.get("AKHBAR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}, and AKHBAR_REQUIRE_POSTGRES=1 requires it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def private_server() -> Iterator[PrivatePostgres]:
    """initdb and a start are seconds on a loaded machine: one server serves the module's tests."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        _unavailable("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        _unavailable("starting a private PostgreSQL needs root (to run it as the postgres user)")
    bin_dir = Path(binaries[-1]).parent
    home = Path(tempfile.mkdtemp(prefix="akhbar-faults-pg-"))
    shutil.chown(home, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PrivatePostgres(bin_dir, home / "data", port)
    try:
        as_postgres(str(bin_dir / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres")
        options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
        server.pg_ctl("start", "-o", options, "-l", str(home / "log"))
    except RuntimeError as exc:
        shutil.rmtree(home, ignore_errors=True)
        _unavailable(f"cannot start a private PostgreSQL ({exc})")
    try:
        yield server
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(bin_dir / "pg_ctl"),
                "-D",
                str(server.data),
                "stop",
                "-m",
                "immediate",
            ],
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def private_postgres(private_server: PrivatePostgres) -> PrivatePostgres:
    """The module's private server, with a database of this test's own (an empty archive)."""
    dbname = f"faults_{uuid.uuid4().hex[:12]}"
    with private_server.connect(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    return replace(private_server, dbname=dbname)


def test_a_crawl_carries_on_across_a_postgresql_restart(tmp_path, site, sources, private_postgres):
    site.hold_articles_after(15)
    crawl = start_crawl(tmp_path, private_postgres.url, sources)
    try:
        wait_for(lambda: site.article_requests > 15, "the crawl to be storing articles")
        private_postgres.restart()
    finally:
        site.release()
    _, stderr = crawl.communicate(timeout=120)
    assert crawl.returncode == 1, stderr  # the sitemap's 410 only
    assert "Traceback" not in stderr
    with private_postgres.connect() as connection:
        check_archive_whole(connection, site, sqlite=False)


def test_a_worker_carries_on_across_a_postgresql_restart(tmp_path, site, sources, private_postgres):
    queued = run_crawl(tmp_path, private_postgres.url, sources, "--discover-only")
    assert queued.returncode == 0, queued.stderr
    site.hold_articles_after(15)
    worker = start_worker(tmp_path, private_postgres.url, sources, "--exit-when-idle", "--poll", "0.5")
    try:
        wait_for(
            lambda: site.article_requests > 15 or worker.poll() is not None,
            "the worker to be storing articles",
        )
        assert worker.poll() is None, worker.communicate()[1]
        private_postgres.restart()
    finally:
        site.release()
    try:
        _, stderr = worker.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        worker.kill()
        pytest.fail("the worker did not finish after the restart:\n" + worker.communicate()[1][-3000:])
    assert worker.returncode == 1, stderr  # the sitemap's 410 only
    assert "Traceback" not in stderr
    with private_postgres.connect() as connection:
        check_archive_whole(connection, site, sqlite=False)
