"""The archive's disk filling up, and its file system turning read-only: one clear line, nothing
corrupted, and the next run (space or write access back) finishes the job.

Both on a tmpfs mounted by the test, so the faults are the kernel's own: ENOSPC from a file system
that is full, EROFS from one remounted read-only.
"""

from __future__ import annotations

import pytest

from tests.faults.conftest import (
    check_archive_consistent,
    check_archive_whole,
    fill,
    one_line_error,
    remount,
    run_crawl,
    sqlite_connection,
    start_crawl,
)
from tests.polling import wait_for

EXIT_CONFIG = 2


@pytest.fixture
def archive_url(tmpfs) -> str:
    return f"sqlite:///{tmpfs / 'archive.db'}"


def test_a_disk_filling_up_mid_crawl_stops_it_cleanly_and_the_next_run_completes(
    tmp_path, tmpfs, site, sources, archive_url
):
    site.hold_articles_after(15)
    crawl = start_crawl(tmp_path, archive_url, sources)
    try:
        wait_for(lambda: site.article_requests > 15, "the crawl to be fetching held articles")
        wait_for(lambda: _stored(archive_url) > 0, "the crawl to have stored articles")
        filler = fill(tmpfs)
    finally:
        site.release()
    _, stderr = crawl.communicate(timeout=120)
    assert crawl.returncode == EXIT_CONFIG, stderr
    assert "full" in one_line_error(stderr)

    filler.unlink()
    with sqlite_connection(archive_url) as connection:
        check_archive_consistent(connection, sqlite=True)
        (stored,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    assert 0 < stored < site.article_count

    again = run_crawl(tmp_path, archive_url, sources)
    assert again.returncode == 1, again.stderr  # the sitemap's 410 only
    with sqlite_connection(archive_url) as connection:
        check_archive_whole(connection, site, sqlite=True)


def test_a_read_only_archive_is_one_clear_error_and_the_next_run_continues(
    tmp_path, tmpfs, site, sources, archive_url
):
    first = run_crawl(tmp_path, archive_url, sources, "--max-pages", "15")
    assert first.returncode == 0, first.stderr
    remount(tmpfs, "ro")
    try:
        refused = run_crawl(tmp_path, archive_url, sources)
    finally:
        remount(tmpfs, "rw")
    assert refused.returncode == EXIT_CONFIG
    assert "read-only" in one_line_error(refused.stderr)

    with sqlite_connection(archive_url) as connection:
        check_archive_consistent(connection, sqlite=True)
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (15,)
    again = run_crawl(tmp_path, archive_url, sources)
    assert again.returncode == 1, again.stderr  # the sitemap's 410 only
    with sqlite_connection(archive_url) as connection:
        check_archive_whole(connection, site, sqlite=True)


def _stored(archive_url: str) -> int:
    with sqlite_connection(archive_url) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
