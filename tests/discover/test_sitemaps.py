"""XML sitemaps: indexes, gzip, Google News, plain text; parsed without expanding or fetching entities."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.discover import MAX_XML_BYTES, parse_sitemap, parse_w3c_datetime
from ingest.sources import Source
from tests.discover.test_feeds import BILLION_LAUGHS

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def urlset(rows: str, namespace: str = SITEMAP_NS) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{namespace}">{rows}</urlset>'.encode()


def test_a_sitemap_index_lists_its_child_sitemaps_with_their_dates(site, get):
    listed = parse_sitemap(get("/sitemap.xml"), site.base + "/sitemap.xml")

    assert listed.error is None and listed.candidates == ()
    articles, news = listed.sitemaps
    assert articles.url == site.base + "/sitemaps/articles-1.xml.gz"
    assert articles.modified == site.article(site.article_count).modified
    assert (news.url, news.modified) == (site.base + "/news-sitemap.xml", None)


def test_a_gzip_sitemap_lists_every_article_with_its_last_modification(site, get):
    body = get("/sitemaps/articles-1.xml.gz")
    assert body[:2] == b"\x1f\x8b"

    listed = parse_sitemap(body, site.base + "/sitemaps/articles-1.xml.gz")

    by_url = {c.url: c for c in listed.candidates}
    assert set(by_url) == set(site.article_urls()) | {site.broken_urls[1]}
    assert by_url[site.article_url(17)].modified == site.article(17).modified
    assert all(c.via == "sitemap" and c.title is None for c in listed.candidates)


def test_a_google_news_sitemap_gives_titles_and_publication_dates(site, get):
    listed = parse_sitemap(get("/news-sitemap.xml"), site.base + "/news-sitemap.xml")

    newest = site.article(site.article_count)
    first = listed.candidates[0]
    assert (first.url, first.via, first.title) == (site.article_url(newest.id), "news-sitemap", newest.title)
    assert first.published == newest.published
    assert 10 < len(listed.candidates) < 30  # two days of articles, three hours apart


def test_sitemap_namespaces_are_matched_loosely():
    body = urlset(
        "<url><loc>https://a.example/2026/01/01/x-1/</loc></url>",
        namespace="http://www.google.com/schemas/sitemap/0.84",
    )

    assert [c.url for c in parse_sitemap(body, "https://a.example/sitemap.xml").candidates] == [
        "https://a.example/2026/01/01/x-1/"
    ]


def test_only_http_and_https_locations_are_returned():
    body = urlset(
        "<url><loc>https://a.example/a-1/</loc></url><url><loc>ftp://a.example/b-2</loc></url>"
        "<url><loc>javascript:alert(1)</loc></url><url><loc>  </loc></url>"
        "<url><loc>http://a.example/c-3#comments</loc></url>"
    )

    listed = parse_sitemap(body, "https://a.example/sitemap.xml")

    assert [c.url for c in listed.candidates] == ["https://a.example/a-1/", "http://a.example/c-3"]


def test_with_a_source_its_deny_patterns_and_site_apply():
    body = urlset(
        "<url><loc>https://a.example/2026/01/01/x-1/</loc></url>"
        "<url><loc>https://a.example/category/sport/</loc></url>"
        "<url><loc>https://b.example/2026/01/01/y-2/</loc></url>"
    )
    source = Source(name="a", base_url="https://a.example/", deny=("/category/",))

    listed = parse_sitemap(body, "https://a.example/sitemap.xml", source)

    assert [c.url for c in listed.candidates] == ["https://a.example/2026/01/01/x-1/"]


def test_a_plain_text_sitemap_is_one_url_per_line():
    body = b"https://a.example/2026/01/01/x-1/\n\nhttps://a.example/2026/01/02/y-2/\r\n"

    listed = parse_sitemap(body, "https://a.example/sitemap.txt")

    assert [c.url for c in listed.candidates] == [
        "https://a.example/2026/01/01/x-1/",
        "https://a.example/2026/01/02/y-2/",
    ]


def test_an_rss_feed_given_as_a_sitemap_is_read_as_a_feed(site, get):
    listed = parse_sitemap(get("/rss.xml"), site.base + "/rss.xml")

    assert len(listed.candidates) == 30 and listed.candidates[0].via == "feed"


def test_a_billion_laughs_sitemap_is_refused_without_expansion():
    body = BILLION_LAUGHS.replace(b"DOCTYPE rss", b"DOCTYPE urlset")

    listed = parse_sitemap(body, "https://a.example/sitemap.xml")

    assert listed.candidates == ()
    assert listed.error == "unsafe XML refused (EntitiesForbidden)"


def test_an_external_entity_sitemap_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("https://a.example/2026/01/01/leaked-1/", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<urlset xmlns="{SITEMAP_NS}"><url><loc>&xxe;</loc></url></urlset>'
    ).encode()

    listed = parse_sitemap(body, "https://a.example/sitemap.xml")

    assert listed.candidates == () and "unsafe XML refused" in listed.error


def test_a_gzip_bomb_is_refused():
    padding = b" " * (MAX_XML_BYTES + 1024)
    bomb = gzip.compress(urlset("").replace(b"<urlset", padding + b"<urlset"), compresslevel=9)
    assert len(bomb) < 1024 * 1024

    listed = parse_sitemap(bomb, "https://a.example/sitemap.xml.gz")

    assert listed.candidates == () and "refused" in listed.error


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "empty sitemap"),
        (b"<html><body>not found</body></html>", "not a sitemap (root element <html>)"),
        (urlset("<url><loc>https://a.example/x</loc>"), "malformed sitemap XML"),
        (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
        (b"hello <b>world</b>", "not a sitemap (neither XML nor a list of URLs)"),
    ],
)
def test_what_is_not_a_sitemap_is_an_error_value(body, expected):
    listed = parse_sitemap(body, "https://a.example/sitemap.xml")

    assert listed.candidates == () and listed.error.startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25T09:30:00+03:00", datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=3)))),
        ("2026-11-25T06:30:00Z", datetime(2026, 11, 25, 6, 30, tzinfo=UTC)),
        ("2026-11-25", datetime(2026, 11, 25, tzinfo=UTC)),
        ("2026-11", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026", datetime(2026, 1, 1, tzinfo=UTC)),
        ("Wed, 25 Nov 2026 09:30:00 +0300", datetime(2026, 11, 25, 6, 30, tzinfo=UTC)),
        ("2026-13-45", None),
        ("أمس", None),
        ("", None),
    ],
)
def test_sitemap_dates_are_read_as_aware_datetimes(text, expected):
    assert parse_w3c_datetime(text) == expected
