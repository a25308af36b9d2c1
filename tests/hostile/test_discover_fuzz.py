"""Feeds, sitemaps and pages mangled every way: discovery answers with values, and only http(s) URLs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.discover import (
    feed_links,
    page_language,
    parse_feed,
    parse_section_page,
    parse_sitemap,
    parse_w3c_datetime,
    robots_sitemaps,
    section_links,
)
from ingest.urls import url_problem
from tests.hostile.seeds import (
    FUZZ,
    SITE_BASE,
    bounded,
    html_seeds,
    mutated,
    own_documents,
    ten_megabyte_line,
    xml_seeds,
)

PAGE_URL = SITE_BASE + "/politics/"


def _all_fetchable(urls) -> None:
    for url in urls:
        assert url_problem(url) is None, url


@FUZZ
@given(mutated(xml_seeds()))
def test_mutated_feeds_and_sitemaps_yield_only_fetchable_urls(body):
    for parse in (parse_feed, parse_sitemap):
        listed = bounded(parse, body, SITE_BASE + "/rss.xml")

        assert (listed.error is None) or isinstance(listed.error, str)
        _all_fetchable(c.url for c in listed.candidates)
        _all_fetchable(s.url for s in listed.sitemaps)


@FUZZ
@given(mutated(html_seeds()))
def test_mutated_pages_yield_only_fetchable_same_site_links(body):
    listed = bounded(parse_section_page, body, PAGE_URL)

    _all_fetchable(c.url for c in listed.candidates)
    _all_fetchable(bounded(feed_links, body, PAGE_URL))
    _all_fetchable(bounded(section_links, body, PAGE_URL))
    language = page_language(body)
    assert language is None or isinstance(language, str)


@FUZZ
@given(mutated([own_documents()["robots.txt"]]))
def test_mutated_robots_txt_names_only_fetchable_sitemaps(body):
    _all_fetchable(bounded(robots_sitemaps, body, SITE_BASE + "/robots.txt"))


@FUZZ
@given(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "9999-99-99",
                "0000-00-00T00:00:00Z",
                "2026-02-30",
                "2026-13",
                "99999",
                "2026-01-05T25:61:61+99:00",
                "Mon, 32 Jan 2026 25:00:00 +0300",
                "\x00",
                "٢٠٢٦-٠١-٠٥",
                "2026-01-05T10:00:00+03:00" + " " * 10_000,
            ]
        ),
    )
)
def test_sitemap_dates_parse_to_aware_datetimes_or_nothing(text):
    parsed = parse_w3c_datetime(text)

    assert parsed is None or parsed.tzinfo is not None


HOSTILE_LINKS = [
    "javascript:alert(document.cookie)",
    "file:///etc/passwd",
    "ftp://alofoq.example/2026/01/05/one-two-three-four/",
    "data:text/html;base64,PHNjcmlwdD4=",
    "gopher://alofoq.example:70/",
    "mailto:editor@alofoq.example",
    "jar:http://alofoq.example/a.jar!/",
    "view-source:https://alofoq.example/2026/01/05/one-two-three-four/",
    " FILE:///etc/shadow",
]


def test_links_with_other_schemes_are_never_candidates():
    anchors = "".join(f'<a href="{href}">رابط</a>' for href in HOSTILE_LINKS)
    page = f'<html><body>{anchors}<a href="/2026/01/05/وزير-الخارجية-يلتقي-نظيره/">خبر</a></body></html>'

    listed = parse_section_page(page.encode(), PAGE_URL)

    assert [c.url for c in listed.candidates] == [SITE_BASE + "/2026/01/05/وزير-الخارجية-يلتقي-نظيره/"]


def test_feed_items_and_sitemap_entries_with_other_schemes_are_dropped():
    items = "".join(f"<item><title>خبر</title><link>{href}</link></item>" for href in HOSTILE_LINKS[:8])
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>الأفق</title>{items}</channel></rss>'
    locs = "".join(f"<url><loc>{href}</loc></url>" for href in HOSTILE_LINKS[:8]).replace("&", "&amp;")
    sitemap = (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    index = (
        sitemap.replace("urlset", "sitemapindex")
        .replace("<url>", "<sitemap>")
        .replace("</url>", "</sitemap>")
    )

    assert parse_feed(feed.encode(), SITE_BASE + "/rss.xml").candidates == ()
    assert parse_sitemap(sitemap.encode(), SITE_BASE + "/sitemap.xml").candidates == ()
    assert parse_sitemap(index.encode(), SITE_BASE + "/sitemap.xml").sitemaps == ()
    assert parse_sitemap("\n".join(HOSTILE_LINKS).encode(), SITE_BASE + "/sitemap.txt").candidates == ()


def test_feed_links_and_robots_sitemaps_with_other_schemes_are_dropped():
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{href}">' for href in HOSTILE_LINKS
    )
    robots = "\n".join(f"Sitemap: {href}" for href in HOSTILE_LINKS)

    assert feed_links(f"<html><head>{links}</head></html>".encode(), PAGE_URL) == []
    assert robots_sitemaps(robots.encode(), SITE_BASE + "/robots.txt") == []


def test_a_deeply_nested_sitemap_is_read_or_refused_without_a_crash():
    nested = b"<x>" * 100_000 + b"</x>" * 100_000
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + nested + b"</urlset>"

    listed = bounded(parse_sitemap, body, SITE_BASE + "/sitemap.xml")

    assert listed.candidates == ()


# Crashes the properties above found, kept as plain examples.

RSS_ITEM = "<item><title>خبر</title><link>https://alofoq.example/2026/01/05/one-two-three-four/</link></item>"


def test_a_feed_that_breaks_feedparsers_namespace_handling_is_unreadable_not_a_crash():
    feed = own_documents()["rss.xml"].replace(b'xmlns:dc="', b'xmlns:dc="\xa0\xa1\xa0\xa1')

    listed = parse_feed(feed, SITE_BASE + "/rss.xml")

    assert listed.error == "not a feed: ValueError in the feed parser"


def test_an_unknown_xml_encoding_is_an_error_value_for_feeds_and_sitemaps():
    feed = f'<?xml version="1.0" encoding="ATF-8"?><rss version="2.0"><channel>{RSS_ITEM}</channel></rss>'
    sitemap = '<?xml version="1.0" encoding="gb2312"?><urlset><url><loc>/a</loc></url></urlset>'

    assert parse_feed(feed.encode(), SITE_BASE + "/rss.xml").error is None  # feedparser reads it
    assert parse_sitemap(sitemap.encode(), SITE_BASE + "/sitemap.xml").error == (
        "unreadable sitemap XML: multi-byte encodings are not supported"
    )


def test_a_billion_laughs_feed_behind_an_unknown_encoding_is_still_refused():
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    feed = (
        f'<?xml version="1.0" encoding="ATF-8"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
        f"<rss><channel><item><title>&l9;</title></item></channel></rss>"
    )

    listed = parse_feed(feed.encode(), SITE_BASE + "/rss.xml")

    assert listed.error == "unsafe XML refused (EntitiesForbidden)"


def test_a_10_mb_page_served_as_a_feed_is_refused_without_parsing_it(corpus):
    page = ten_megabyte_line((corpus / "pages" / "youm7-001.html").read_bytes())

    listed = bounded(parse_feed, page, SITE_BASE + "/rss.xml", seconds=30)

    assert listed.error == "not a feed: no <rss>, <feed> or <rdf:RDF> element"


def test_tag_soup_without_a_feed_element_is_not_a_feed():
    assert parse_feed(b"<div>" * 200_000, SITE_BASE + "/rss.xml").error == (
        "not a feed: no <rss>, <feed> or <rdf:RDF> element"
    )


def test_a_utf16_feed_is_still_read():
    feed = f'<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel>{RSS_ITEM}</channel></rss>'

    listed = parse_feed(feed.encode("utf-16"), SITE_BASE + "/rss.xml")

    assert [c.title for c in listed.candidates] == ["خبر"]
