"""The fetcher through the real `akhbar` CLI: stored Arabic text, conditional GET, robots.txt kept
in the store, and the fetch log behind `akhbar fetches`."""

from __future__ import annotations

import asyncio
import json

import pytest

from ingest.fetch import fetch_all
from store.db import open_engine, session_factory
from store.fetchlog import record_fetch
from tests.fetch.endpoints import reply
from tests.fetch.pages import PARAGRAPHS, TITLE, article_html

ROBOTS = "User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("cp1256", "text/html"),
        ("cp1256", "text/html; charset=ISO-8859-1"),
        ("iso8859_6", "text/html"),
    ],
    ids=["windows-1256-undeclared", "windows-1256-labelled-latin-1", "iso-8859-6"],
)
def test_legacy_arabic_pages_are_stored_without_mojibake(server, akhbar, db_url, encoding, content_type):
    url = server.add("/culture/irbid-book-fair/", article_html().encode(encoding), content_type=content_type)

    result = akhbar("--db", db_url, "scrape", url)

    assert result.code == 0, result.stderr
    article = json.loads(akhbar("--db", db_url, "show", "--json", url).stdout)
    assert article["title"] == TITLE
    for paragraph in PARAGRAPHS:
        assert paragraph in article["text"]


def test_a_page_revalidated_with_304_is_unchanged_and_logged(server, akhbar, db_url):
    page = article_html().encode()

    def with_etag(request):
        if request.headers.get("If-None-Match") == '"v1"':
            reply(request, 304, headers={"ETag": '"v1"'})
        else:
            reply(request, 200, page, {"ETag": '"v1"', "Last-Modified": "Mon, 12 Jan 2026 07:30:00 GMT"})

    url = server.handle("/culture/irbid-book-fair/", with_etag)

    first = akhbar("--db", db_url, "scrape", url)
    second = akhbar("--db", db_url, "scrape", url)

    assert first.stdout.startswith("stored")
    assert second.stdout.startswith(f"unchanged  {url}  {TITLE}")
    revalidation = server.requests_to("/culture/irbid-book-fair/")[1]
    assert revalidation.headers["If-None-Match"] == '"v1"'
    assert revalidation.headers["If-Modified-Since"] == "Mon, 12 Jan 2026 07:30:00 GMT"
    log = [json.loads(line) for line in akhbar("--db", db_url, "fetches", "--json").stdout.splitlines()]
    assert [(f["outcome"], f["status"]) for f in log] == [("unchanged", 304), ("fetched", 200)]


def test_a_correction_fetched_but_never_stored_is_not_hidden_by_a_304(server, akhbar, db_url):
    served = {"etag": '"v1"', "page": article_html().encode()}

    def current_version(request):
        if request.headers.get("If-None-Match") == served["etag"]:
            reply(request, 304, headers={"ETag": served["etag"]})
        else:
            reply(request, 200, served["page"], {"ETag": served["etag"]})

    url = server.handle("/culture/irbid-book-fair/", current_version)
    akhbar("--db", db_url, "scrape", url)
    correction = "وصححت البلدية لاحقا عدد دور النشر المشاركة إلى سبعين دارا."
    served.update(
        etag='"v2"', page=article_html().replace("</article>", f"<p>{correction}</p></article>").encode()
    )
    # A crawl fetches the correction, logs the fetch, and dies before the article is stored.
    sessions = session_factory(open_engine(db_url))
    with sessions() as session:
        for result in asyncio.run(fetch_all([url])):
            record_fetch(session, result)

    again = akhbar("--db", db_url, "scrape", url)

    assert again.stdout.startswith(f"updated    {url}"), again.stdout
    assert server.requests_to("/culture/irbid-book-fair/")[2].headers["If-None-Match"] == '"v1"'
    assert correction in json.loads(akhbar("--db", db_url, "show", "--json", url).stdout)["text"]


def test_a_page_that_yielded_no_article_is_fetched_in_full_next_time(server, akhbar, db_url):
    def empty_page(request):
        reply(request, 200, b"<html><body></body></html>", {"ETag": '"e1"'})

    url = server.handle("/empty/", empty_page)

    akhbar("--db", db_url, "scrape", url)
    akhbar("--db", db_url, "scrape", url)

    assert "If-None-Match" not in server.requests_to("/empty/")[1].headers


def test_robots_txt_is_fetched_once_and_kept_in_the_store_between_runs(server, akhbar, db_url):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    url = server.add("/culture/irbid-book-fair/", article_html())

    akhbar("--db", db_url, "scrape", url)
    akhbar("--db", db_url, "scrape", url)

    assert len(server.requests_to("/robots.txt")) == 1


def test_a_disallowed_page_fails_with_the_reason_unless_robots_are_ignored(server, akhbar, db_url):
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    url = server.add("/private/irbid-book-fair/", article_html())

    obeyed = akhbar("--db", db_url, "scrape", url)
    ignored = akhbar("--db", db_url, "scrape", "--ignore-robots", url)

    assert obeyed.code == 1
    assert obeyed.stderr.strip() == f"failed     {url}  disallowed by {server.url('/robots.txt')}"
    assert ignored.code == 0, ignored.stderr
    assert ignored.stdout.startswith("stored")
    assert "robots.txt is ignored for this run (--ignore-robots)" in ignored.stderr
    assert len(server.requests_to("/private/irbid-book-fair/")) == 1


def test_fetches_failed_lists_what_went_wrong_and_why(server, akhbar, db_url):
    good = server.add("/culture/irbid-book-fair/", article_html())
    missing = server.url("/no-such-page/")
    image = server.add("/photo", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="text/html")
    akhbar("--db", db_url, "scrape", good, missing, image)

    everything = akhbar("--db", db_url, "fetches")
    failed = akhbar("--db", db_url, "fetches", "--failed")
    newest = akhbar("--db", db_url, "fetches", "--limit", "1")

    assert everything.code == failed.code == 0
    assert len(everything.stdout.splitlines()) == 3
    lines = failed.stdout.splitlines()
    assert len(lines) == 2
    assert any(missing in line and "failed" in line and "HTTP 404 Not Found" in line for line in lines)
    assert any(image in line and "the body is a PNG image" in line for line in lines)
    assert len(newest.stdout.splitlines()) == 1


def test_fetches_json_has_the_audit_fields(server, akhbar, db_url):
    url = server.add("/culture/irbid-book-fair/", article_html())
    akhbar("--db", db_url, "scrape", url)

    record = json.loads(akhbar("--db", db_url, "fetches", "--json").stdout)

    assert set(record) == {"fetched_at", "url", "final_url", "status", "bytes", "elapsed", "outcome", "error"}
    assert (record["url"], record["final_url"], record["status"], record["outcome"]) == (
        url,
        url,
        200,
        "fetched",
    )
    assert record["bytes"] == len(article_html().encode())
    assert record["error"] is None
