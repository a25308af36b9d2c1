"""`akhbar crawl` against the fake Arabic news site on 127.0.0.1, into a real SQLite file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.urls import canonical_url
from tests.conftest import REPO
from tests.fakesite import ARTICLE_PATH, FakeNewsSite
from tests.polling import wait_for

# The size: tests of a whole first crawl use it; the others a smaller site, to stay fast.
FULL_SITE = 240
SMALL_SITE = 40
full_site = pytest.mark.parametrize("site", [FULL_SITE], indirect=True)


@pytest.fixture
def site(request, server) -> FakeNewsSite:
    return FakeNewsSite(articles=getattr(request, "param", SMALL_SITE)).mount(server)


@pytest.fixture
def sources(tmp_path: Path, site: FakeNewsSite) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(site.sources_toml(delay=0), encoding="utf-8")
    return path


@pytest.fixture
def crawl(akhbar, db_url: str, sources: Path):
    def run(*args: str):
        return akhbar("--db", db_url, "--sources", str(sources), "crawl", *args)

    return run


def query(db_url: str, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        return connection.execute(sql, params).fetchall()


def article_paths_requested(server, since: int = 0) -> list[str]:
    return [r.path for r in server.requests[since:] if ARTICLE_PATH.match(r.path.split("?")[0])]


def start_crawl(tmp_path: Path, db_url: str, sources: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env |= {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "--db", db_url, "--sources", str(sources), "crawl", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@full_site
def test_the_first_crawl_stores_every_article_exactly_once(crawl, site, db_url):
    result = crawl()
    stored = {canonical_url(url) for (url,) in query(db_url, "SELECT canonical_url FROM articles")}
    assert stored == {canonical_url(url) for url in site.article_urls()}
    assert query(db_url, "SELECT count(*) FROM articles") == [(FULL_SITE,)]
    assert f"{FULL_SITE + 1} pages: {FULL_SITE} stored, 0 updated, 0 unchanged, 1 failed" in result.stdout
    # The withdrawn article the sitemap still lists is reported, and makes the exit code 1.
    gone = site.broken_urls[1]
    assert f"failed     {gone}  HTTP 410 Gone" in result.stderr
    assert result.code == 1


def test_a_duplicate_url_variant_is_fetched_and_stored_once(crawl, site, server, db_url):
    crawl()
    original = next(iter(site.duplicate_urls.values()))
    path = original.removeprefix(site.base)
    fetched = [p for p in article_paths_requested(server) if p.rstrip("/") == path.rstrip("/")]
    assert len(fetched) == 1
    assert query(db_url, "SELECT count(*) FROM articles WHERE canonical_url = ?", original) == [(1,)]


def test_listing_titles_and_dates_are_kept_in_the_frontier(crawl, site, db_url):
    crawl()
    newest = site.article(site.article_count)
    [(title, published)] = query(
        db_url,
        "SELECT listing_title, listing_published FROM frontier WHERE url = ?",
        canonical_url(site.article_url(site.article_count)),
    )
    assert title == newest.title
    assert published is not None


def test_a_second_crawl_fetches_only_what_changed(crawl, site, server, db_url):
    crawl()
    edited = site.edit_article(17)
    new_ids = site.publish(2)
    mark = len(server.requests)
    result = crawl()
    fetched = set(article_paths_requested(server, mark))
    assert fetched == {edited.path, *(site.article(i).path for i in new_ids)}
    assert "3 pages: 2 stored, 1 updated, 0 unchanged, 0 failed" in result.stdout
    assert result.code == 0


def test_an_article_edited_on_the_site_becomes_a_revision(crawl, site, db_url):
    crawl()
    site.edit_article(30)
    crawl()
    url = site.article_url(30)
    revisions = query(
        db_url,
        "SELECT r.number, r.text FROM article_revisions r JOIN articles a ON a.id = r.article_id"
        " WHERE a.canonical_url = ? ORDER BY r.number",
        url,
    )
    assert [number for number, _ in revisions] == [1, 2]
    assert revisions[0][1] != revisions[1][1]


@full_site
def test_a_crawl_killed_midway_resumes_with_nothing_lost_or_duplicated(
    tmp_path, crawl, site, db_url, sources
):
    site.hold_articles_after(100)
    first = start_crawl(tmp_path, db_url, sources)
    try:
        wait_for(lambda: site.article_requests > 100, "the crawl to reach the held article")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        site.release()
        first.kill()
    before = query(db_url, "SELECT count(*) FROM articles")[0][0]
    assert 0 < before < FULL_SITE
    result = crawl()
    assert result.code == 1, result.stderr  # the 410 only
    assert query(db_url, "SELECT count(*) FROM articles") == [(FULL_SITE,)]
    assert query(db_url, "SELECT count(*) FROM article_revisions") == [(FULL_SITE,)]
    # No article body was downloaded twice: one capture each (a page in flight at the kill is
    # revalidated with a conditional request, which stores no second copy).
    assert query(
        db_url,
        "SELECT count(*) FROM (SELECT article_id FROM captures GROUP BY article_id HAVING count(*) > 1)",
    ) == [(0,)]
    assert query(db_url, "SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL") == [(0,)]


def test_a_crawl_started_during_another_does_not_crawl(tmp_path, crawl, site, server, db_url, sources):
    site.hold_articles_after(5)
    first = start_crawl(tmp_path, db_url, sources)
    try:
        wait_for(lambda: site.article_requests > 5, "the first crawl to be fetching articles")
        mark = _requests_once_quiet(server)  # every request the first crawl can send is held
        second = crawl()
        assert second.code == 0
        assert "another akhbar crawl" in second.stderr
        assert "not crawling" in second.stderr
        assert len(server.requests) == mark  # the second crawl sent no request at all
    finally:
        site.release()
    first.communicate(timeout=120)
    assert first.returncode == 1
    assert query(db_url, "SELECT count(*) FROM articles") == [(site.article_count,)]


def _requests_once_quiet(server, quiet: float = 0.5) -> int:
    seen = -1
    while seen != len(server.requests):
        seen = len(server.requests)
        time.sleep(quiet)
    return seen


def test_max_pages_bounds_a_pass_and_the_next_pass_continues(crawl, site, db_url):
    result = crawl("--max-pages", "25")
    assert "25 pages:" in result.stdout
    assert query(db_url, "SELECT count(*) FROM frontier WHERE last_fetched_at IS NOT NULL") == [(25,)]
    crawl()
    assert query(db_url, "SELECT count(*) FROM articles") == [(site.article_count,)]


def test_source_selects_which_sites_are_crawled(akhbar, db_url, sources, site, server):
    unreachable = (
        '\n[sources.elsewhere]\nbase_url = "http://127.0.0.1:9/"\nfeeds = ["http://127.0.0.1:9/rss"]\n'
    )
    sources.write_text(sources.read_text(encoding="utf-8") + unreachable, encoding="utf-8")
    result = akhbar(
        "--db", db_url, "--sources", str(sources), "crawl", "--source", "alofoq", "--max-pages", "3"
    )
    assert result.code == 0, result.stderr
    assert "elsewhere" not in result.stdout + result.stderr
    unknown = akhbar("--db", db_url, "--sources", str(sources), "crawl", "--source", "nowhere")
    assert unknown.code == 2
    assert "no source named 'nowhere'" in unknown.stderr


def test_sources_list_shows_article_counts_and_last_crawl_after_a_crawl(akhbar, crawl, site, db_url, sources):
    crawl()
    listed = akhbar("--db", db_url, "--sources", str(sources), "sources", "list", "--json")
    assert f'"articles": {site.article_count}' in listed.stdout
    assert '"last_crawl": null' not in listed.stdout


@pytest.mark.parametrize(
    "content",
    ["[sources.broken]\nbase_url = 12\n", "this is not toml = = =\n", ""],
    ids=["invalid entry", "not TOML", "no sources"],
)
def test_a_bad_sources_file_is_a_configuration_error(akhbar, tmp_path, db_url, content):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    result = akhbar("--db", db_url, "--sources", str(path), "crawl")
    assert result.code == 2
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_since_is_a_usage_error(crawl):
    result = crawl("--since", "last tuesday")
    assert result.code == 2
    assert "--since 'last tuesday'" in result.stderr


def test_log_file_takes_the_page_log(crawl, tmp_path):
    log = tmp_path / "crawl.log"
    result = crawl("--max-pages", "5", "--log-file", str(log))
    assert result.code == 0
    assert log.read_text(encoding="utf-8").count(" INFO stored ") == 5
    assert " INFO stored " not in result.stderr


def test_articles_are_fetched_with_the_sources_user_agent(crawl, sources, server):
    agent = "alofoq-archive/1.0 (+mailto:a@b.example)"
    sources.write_text(sources.read_text(encoding="utf-8") + f'user_agent = "{agent}"\n', encoding="utf-8")
    assert crawl("--max-pages", "5").code == 0
    articles = [r for r in server.requests if ARTICLE_PATH.match(r.path.split("?")[0])]
    assert len(articles) == 5
    assert {r.headers["User-Agent"] for r in articles} == {agent}


def test_articles_not_in_the_sources_expected_language_are_reported(crawl, sources):
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace('language = "ar"', 'language = "fa"'), encoding="utf-8")
    result = crawl("--max-pages", "3")
    assert result.code == 0
    summary = [line for line in result.stderr.splitlines() if line.startswith("warning: alofoq: ")]
    assert len(summary) == 3
    assert all(line.endswith("is in 'ar', not the expected 'fa'") for line in summary)


def test_articles_in_the_expected_language_raise_no_warning(crawl):
    result = crawl("--max-pages", "3")
    assert "not the expected" not in result.stderr


def test_a_source_whose_listings_cannot_be_read_fails_the_run(akhbar, db_url, tmp_path, server):
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[sources.moved]\nbase_url = "{server.base}/"\nfeeds = ["{server.base}/old-feed.xml"]\n',
        encoding="utf-8",
    )
    result = akhbar("--db", db_url, "--sources", str(path), "crawl")
    assert result.code == 1
    assert "moved: none of its feeds, sitemaps or sections could be read" in result.stderr
    assert f"{server.base}/old-feed.xml: HTTP 404" in result.stderr


def test_wait_runs_after_the_crawl_in_progress_instead_of_exiting(tmp_path, site, db_url, sources):
    site.hold_articles_after(5)
    first = start_crawl(tmp_path, db_url, sources)
    try:
        wait_for(lambda: site.article_requests > 5, "the first crawl to be fetching articles")
        second = start_crawl(tmp_path, db_url, sources, "--wait")
    finally:
        site.release()
    first.communicate(timeout=120)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "0 pages: 0 stored" in out  # it ran, after the first, and found nothing due


def test_sigterm_stops_a_crawl_and_hands_its_claims_back(tmp_path, site, db_url, sources):
    site.hold_articles_after(5)
    crawl_process = start_crawl(tmp_path, db_url, sources)
    try:
        wait_for(lambda: site.article_requests > 5, "the crawl to be fetching articles")
        crawl_process.send_signal(signal.SIGTERM)
        _, err = crawl_process.communicate(timeout=60)
    finally:
        site.release()
    assert crawl_process.returncode == 130
    assert "interrupted" in err
    assert "Traceback" not in err
    assert query(db_url, "SELECT count(*) FROM frontier WHERE claimed_by IS NOT NULL") == [(0,)]


def test_block_private_refuses_a_site_on_loopback_and_stores_nothing(crawl, site, server, db_url):
    result = crawl("--block-private")

    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert server.requests == []  # not even robots.txt, feeds or sitemaps
    assert query(db_url, "SELECT count(*) FROM articles") == [(0,)]


def logged_and_requested_paths(db_url: str, server) -> tuple[list[str], list[str]]:
    """The paths in the fetch log, and those the site was asked for (robots.txt has a cache of its own)."""
    logged = sorted(url.split("/", 3)[3] for (url,) in query(db_url, "SELECT url FROM fetches"))
    requested = sorted(r.path.lstrip("/") for r in server.requests if r.path != "/robots.txt")
    return logged, requested


def test_every_page_request_of_a_crawl_is_in_the_fetch_log(crawl, site, server, db_url):
    crawl()

    logged, requested = logged_and_requested_paths(db_url, server)
    assert logged == requested


def test_the_listing_requests_of_a_discovery_only_pass_are_in_the_fetch_log(crawl, site, server, db_url):
    # No page is written in this pass to take the fetches into its transaction.
    crawl("--discover-only")

    logged, requested = logged_and_requested_paths(db_url, server)
    assert requested and logged == requested


def test_a_bad_extraction_worker_count_is_a_configuration_error(akhbar, db_url, sources, server):
    result = akhbar("--db", db_url, "--sources", str(sources), "crawl", env={"AKHBAR_EXTRACT_WORKERS": "two"})

    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        "akhbar: AKHBAR_EXTRACT_WORKERS must be a whole number, 1 or more, not 'two'"
    ]
    assert server.requests == []
