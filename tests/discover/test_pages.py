"""HTML pages: article links on section pages, and a home page's feeds, sitemaps, sections, language."""

from __future__ import annotations

import re

import pytest

from ingest.discover import (
    feed_links,
    looks_like_article,
    page_language,
    parse_section_page,
    robots_sitemaps,
    section_links,
)
from ingest.sources import Source


def test_a_section_page_yields_exactly_the_articles_it_lists(site, get):
    body = get("/politics/")

    listed = parse_section_page(body, site.base + "/politics/")

    listed_paths = re.findall(r'<li class="teaser"><a href="([^"]+)"', body.decode())
    assert len(listed_paths) == 20
    assert [c.url for c in listed.candidates] == [site.base + path for path in listed_paths]
    assert all(c.via == "section" for c in listed.candidates)


def test_a_home_page_yields_its_articles_without_navigation_share_or_footer_links(site, get):
    listed = parse_section_page(get("/"), site.base + "/")

    urls = {c.url for c in listed.candidates}
    assert {site.article_url(i) for i in range(site.article_count - 19, site.article_count + 1)} <= urls
    assert set(site.duplicate_urls) <= urls  # canonicalising variants is the crawler's job
    assert not any("facebook" in u or "/about/" in u or u.endswith("/politics/") for u in urls)


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example/politics/2026/11/20/minister-visit-1234/",
        "https://a.example/news/2026/11/20/",
        "https://a.example/article/876543",
        "https://a.example/news.php?id=1234",
        "https://a.example/%D9%88%D8%B2%D9%8A%D8%B1-%D8%A7%D9%84%D8%AE%D8%A7%D8%B1%D8%AC%D9%8A%D8%A9-%D9%8A%D8%B2%D9%88%D8%B1-%D8%B9%D9%85%D8%A7%D9%86/",
        "https://a.example/culture/new-public-library-opens-in-zarqa",
        "https://a.example/story/2026-11-20-floods.html",
    ],
)
def test_article_like_urls(url):
    assert looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example/",
        "https://a.example/politics/",
        "https://a.example/politics/page/2/",
        "https://a.example/tag/2026-elections-in-jordan/",
        "https://a.example/author/sara-al-khatib/",
        "https://a.example/category/local-news-today/",
        "https://a.example/images/2026/11/photo-12345.jpg",
        "https://a.example/about-us/",
        "https://a.example/print/164913",
        "https://a.example/تقارير-مصرية-97",
        "https://a.example/أخبار-الرياضة-المحلية/",
        "mailto:desk@a.example",
    ],
)
def test_listing_utility_and_media_urls_are_not_articles(url):
    assert not looks_like_article(url)


def test_allow_patterns_replace_the_article_guess_and_deny_patterns_still_apply():
    body = b"""<html><body>
    <a href="/live/match-centre">live</a><a href="/live/blog-123/">blog</a>
    <a href="/politics/2026/01/01/x-1/">dated</a></body></html>"""
    source = Source(
        name="a", base_url="https://a.example/", allow=("^https://a.example/live/",), deny=("blog",)
    )

    listed = parse_section_page(body, "https://a.example/", source)

    assert [c.url for c in listed.candidates] == ["https://a.example/live/match-centre"]


def test_links_resolve_against_the_base_element_and_other_sites_are_dropped():
    body = b"""<html><head><base href="https://www.a.example/news/"></head><body>
    <a href="2026/01/01/story-1/">one</a>
    <a href="https://other.example/2026/01/01/story-2/">elsewhere</a>
    <a href="  https://m.a.example/2026/01/01/story-3/#comments ">mobile</a></body></html>"""

    listed = parse_section_page(body, "https://a.example/news/")

    assert [c.url for c in listed.candidates] == [
        "https://www.a.example/news/2026/01/01/story-1/",
    ]


def test_subdomains_count_as_the_same_site_when_a_source_is_given():
    body = b'<a href="https://m.a.example/2026/01/01/story-3/#top">m</a>'

    listed = parse_section_page(
        body, "https://a.example/", Source(name="a", base_url="https://www.a.example/")
    )

    assert [c.url for c in listed.candidates] == ["https://m.a.example/2026/01/01/story-3/"]


def test_an_empty_page_is_an_error_value():
    assert parse_section_page(b"  ", "https://a.example/").error == "not an HTML page"


def test_announced_feeds_are_found_and_the_comments_feed_skipped(site, get):
    assert feed_links(get("/"), site.base + "/") == [site.base + "/rss.xml", site.base + "/atom.xml"]


def test_robots_txt_sitemap_lines_are_found(site, get):
    assert robots_sitemaps(get("/robots.txt"), site.base + "/robots.txt") == [
        site.base + "/sitemap.xml",
        site.base + "/news-sitemap.xml",
    ]


def test_robots_txt_without_sitemaps_gives_none():
    assert robots_sitemaps(b"User-agent: *\nDisallow: /admin/\n", "https://a.example/robots.txt") == []


def test_main_sections_come_from_the_navigation_not_the_footer(site, get):
    sections = section_links(get("/"), site.base + "/")

    assert sections == [
        site.base + f"/{slug}/"
        for slug in ("politics", "economy", "sports", "culture", "technology", "society")
    ]


def test_without_navigation_markup_listing_links_anywhere_are_sections():
    body = """<html><body><a href="/اقتصاد/">اقتصاد</a> <a href="/category/sport/">رياضة</a>
    <a href="/2026/01/01/story-1/">خبر</a> <a href="/contact/">اتصل بنا</a>
    <a href="https://other.example/culture/">ثقافة</a></body></html>""".encode()

    assert section_links(body, "https://a.example/") == [
        "https://a.example/اقتصاد/",
        "https://a.example/category/sport/",
    ]


def test_the_page_language_comes_from_the_html_element(site, get):
    assert page_language(get("/")) == "ar-JO"
    assert page_language(b"<html><body>x</body></html>") is None


def test_deep_listing_paths_are_sections_and_utility_pages_in_arabic_are_not():
    body = """<html><body><nav>
    <a href="/Section/أخبار-عاجلة/65/1">عاجل</a> <a href="/Section/أخبار-الرياضة/298/1">رياضة</a>
    <a href="/home/index">الرئيسية</a> <a href="/AboutUs">من نحن</a> <a href="/إتصل-بنا/">اتصل بنا</a>
    <a href="/Editor/Alleditors">الكتاب</a> <a href="/البث-المباشر/">البث المباشر</a>
    <a href="/a/b/c/">عميق</a></nav></body></html>""".encode()

    assert section_links(body, "https://www.a.example/") == [
        "https://www.a.example/Section/أخبار-عاجلة/65/1",
        "https://www.a.example/Section/أخبار-الرياضة/298/1",
    ]
