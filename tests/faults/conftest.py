"""Fault tests: the fake news site on 127.0.0.1, `akhbar crawl` as a real subprocess, and checks
that an archive came through a fault whole."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.extract_pool import WORKERS_ENV
from ingest.urls import canonical_url
from tests.conftest import REPO
from tests.fakesite import ARTICLE_PATH, FakeNewsSite


@pytest.fixture
def site(request, server) -> FakeNewsSite:
    return FakeNewsSite(articles=getattr(request, "param", 40)).mount(server)


@pytest.fixture
def sources(tmp_path: Path, site: FakeNewsSite) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(site.sources_toml(delay=0), encoding="utf-8")
    return path


def akhbar_command(db_url: str, sources: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ingest", "--db", db_url, "--sources", str(sources), *args]


def crawl_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    # One extraction process per crawl: these tests start dozens of crawls, each worker process is a
    # Python start-up with the pipeline imported, and the faults hit the crawl and its archive, not
    # the extraction pool (tests/speed/test_extract_pool.py covers that; tests/crawl keeps the default).
    return env | {WORKERS_ENV: "1", "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}


def start_crawl(tmp_path: Path, db_url: str, sources: Path, *args: str) -> subprocess.Popen:
    return start_akhbar(tmp_path, db_url, sources, "crawl", *args)


def start_worker(tmp_path: Path, db_url: str, sources: Path, *args: str) -> subprocess.Popen:
    return start_akhbar(tmp_path, db_url, sources, "worker", *args)


def start_akhbar(tmp_path: Path, db_url: str, sources: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        akhbar_command(db_url, sources, *args),
        cwd=REPO,
        env=crawl_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_crawl(tmp_path: Path, db_url: str, sources: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        akhbar_command(db_url, sources, "crawl", *args),
        cwd=REPO,
        env=crawl_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def article_paths_requested(server, since: int = 0) -> list[str]:
    return [r.path for r in server.requests[since:] if ARTICLE_PATH.match(r.path.split("?")[0])]


def one_line_error(stderr: str) -> str:
    """The single line a failed run left for the user; fails the test on a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("akhbar: ")]
    assert len(lines) == 1, stderr
    return lines[0]


@dataclass(frozen=True, slots=True)
class Revision:
    number: int
    title: str
    text: str
    content_hash: str


def check_archive_whole(connection, site: FakeNewsSite, *, sqlite: bool) -> None:
    """Every article of the site stored exactly once, the archive consistent, no claim left."""
    stored = [
        canonical_url(url) for (url,) in connection.execute("SELECT canonical_url FROM articles").fetchall()
    ]
    assert sorted(stored) == sorted(canonical_url(url) for url in site.article_urls())
    assert connection.execute("SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL").fetchone() == (0,)
    check_archive_consistent(connection, sqlite=sqlite)


def check_archive_consistent(connection, *, sqlite: bool) -> None:
    """No article twice, revisions contiguous and ending in the article's current text, nothing
    pointing at a row that is not there; on SQLite, the file passes its integrity check."""
    q = connection.execute
    assert q("SELECT count(*) - count(DISTINCT canonical_url) FROM articles").fetchone() == (0,)
    articles = {row[0]: row[1:] for row in q("SELECT id, title, text, content_hash FROM articles").fetchall()}
    revisions: dict[int, list[Revision]] = {}
    for article_id, *fields in q(
        "SELECT article_id, number, title, text, content_hash FROM article_revisions"
        " ORDER BY article_id, number"
    ).fetchall():
        revisions.setdefault(article_id, []).append(Revision(*fields))
    assert set(revisions) <= set(articles), "revisions of articles that are not stored"
    for article_id, (title, text, content_hash) in articles.items():
        mine = revisions.get(article_id, [])
        assert [r.number for r in mine] == list(range(1, len(mine) + 1)), f"article {article_id}"
        assert (mine[-1].title, mine[-1].text, mine[-1].content_hash) == (title, text, content_hash)
    for table in ("article_urls", "minhash_bands"):
        orphans = q(
            f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0, f"{table} rows of articles that are not stored"
    assert q(
        "SELECT count(*) FROM captures WHERE body_sha256 NOT IN (SELECT sha256 FROM blobs)"
    ).fetchone() == (0,)
    assert q(
        "SELECT count(*) FROM frontier WHERE article_id IS NOT NULL"
        " AND article_id NOT IN (SELECT id FROM articles)"
    ).fetchone() == (0,)
    if sqlite:
        assert q("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert q("PRAGMA foreign_key_check").fetchall() == []


def sqlite_connection(db_url: str) -> sqlite3.Connection:
    return sqlite3.connect(db_url.removeprefix("sqlite:///"))


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs of our own (a real file system that really fills up and really goes
    read-only), unmounted afterwards; a skip where mounting is not permitted."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'})")
    try:
        yield mount_point
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], capture_output=True)
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


TMPFS_SIZE = "24m"


def remount(mount_point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True, capture_output=True)


def fill(mount_point: Path) -> Path:
    """Write a file until the file system has no space left; returns it (delete it to free the space)."""
    filler = mount_point / "filler"
    chunk = b"\0" * (1 << 16)
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return filler
