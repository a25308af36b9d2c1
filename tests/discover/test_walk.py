"""The async shell: profiling a new site, and one pass over a source's feeds, sitemaps and sections."""

from __future__ import annotations

from datetime import timedelta

from ingest.discover import discover_site, discover_source, fetch_for, merge_candidates
from ingest.fetch import Fetcher, FetchSettings
from ingest.sources import Source
from tests.discover.conftest import fetch_document
from tests.fakesite import FakeNewsSite


def source_for(site: FakeNewsSite, **settings) -> Source:
    return Source(
        name="alofoq",
        base_url=site.base + "/",
        **{
            "feeds": (site.base + "/rss.xml", site.base + "/atom.xml"),
            "sitemaps": (site.base + "/sitemap.xml",),
            "sections": (site.base + "/politics/", site.base + "/sports/"),
            **settings,
        },
    )


def test_a_site_profile_has_its_feeds_sitemaps_sections_and_language(site, run):
    profile = run(discover_site(site.base + "/", fetch_document))

    assert profile.error is None and profile.problems == []
    assert profile.feeds == [site.base + "/rss.xml", site.base + "/atom.xml"]
    assert profile.sitemaps == [site.base + "/sitemap.xml", site.base + "/news-sitemap.xml"]
    assert len(profile.sections) == 6 and profile.sections[0] == site.base + "/politics/"
    assert (profile.language, profile.date_locale) == ("ar", "ar-JO")


def test_a_declared_region_without_a_known_time_zone_is_not_proposed_as_date_locale(server, run):
    # The United States spans several zones: "en-US" says the language, not the site's clock.
    server.add("/", '<html lang="en-US"><body><nav><a href="/news/">News</a></nav></body></html>')

    profile = run(discover_site(server.url("/"), fetch_document))

    assert (profile.language, profile.date_locale) == ("en", None)


def test_a_site_that_announces_nothing_is_probed_at_common_paths(server, run):
    server.add("/", '<html lang="ar"><body><nav><a href="/news/">أخبار</a></nav></body></html>')
    server.add(
        "/feed/",
        '<rss version="2.0"><channel><title>t</title>'
        "<item><link>/news/2026/01/01/a-1/</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    server.add("/rss.xml", server.routes["/feed/"].body, content_type="application/rss+xml")
    server.add(
        "/sitemap_index.xml",
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></sitemapindex>',
        content_type="application/xml",
    )

    profile = run(discover_site(server.url("/"), fetch_document))

    assert profile.feeds == [server.url("/feed/")]  # the first alias found; /rss.xml is not asked
    assert server.requests_to("/rss.xml") == []
    assert profile.sitemaps == [server.url("/sitemap_index.xml")]
    assert profile.sections == [server.url("/news/")]
    assert profile.problems == []  # probes that miss are not problems


def test_an_announced_feed_that_fails_is_reported_and_left_out(server, run):
    server.add(
        "/", '<html><head><link rel="alternate" type="application/rss+xml" href="/gone.xml"></head></html>'
    )

    profile = run(discover_site(server.url("/"), fetch_document))

    assert profile.feeds == []
    assert profile.problems == [f"{server.url('/gone.xml')}: HTTP 404 Not Found"]


def test_an_unreachable_site_is_an_error_value(run):
    profile = run(discover_site("http://127.0.0.1:9/", fetch_document))

    assert profile.error.startswith("cannot read http://127.0.0.1:9/")


def test_one_pass_finds_every_article_once_with_what_the_listings_said(site, run):
    found = run(discover_source(source_for(site), fetch_document))

    urls = [c.url for c in found.candidates]
    assert len(urls) == len(set(urls))
    assert set(urls) == set(site.article_urls()) | {site.broken_urls[1]}
    newest = next(c for c in found.candidates if c.url == site.article_url(site.article_count))
    assert newest.title == site.article(site.article_count).title
    assert newest.published is not None and newest.modified is not None
    assert found.problems == []


def test_the_news_sitemap_behind_the_index_gives_titles_and_dates(server, site, run):
    source = source_for(site, feeds=(), sections=())

    found = run(discover_source(source, fetch_document))

    newest = site.article(site.article_count)
    candidate = next(c for c in found.candidates if c.url == site.article_url(newest.id))
    assert (candidate.title, candidate.published) == (newest.title, newest.published)
    assert candidate.modified == newest.modified
    assert len(server.requests_to("/news-sitemap.xml")) == 1


def test_child_sitemaps_unchanged_since_the_last_crawl_are_not_fetched(server, run):
    site = FakeNewsSite(articles=300, sitemap_chunk=100).mount(server)
    since = site.article(250).published
    source = source_for(site, feeds=(), sections=())

    found = run(discover_source(source, fetch_document, sitemaps_modified_since=since))

    assert [len(server.requests_to(f"/sitemaps/articles-{n}.xml.gz")) for n in (1, 2, 3)] == [0, 0, 1]
    assert {site.article_url(i) for i in range(201, 301)} <= {c.url for c in found.candidates}
    assert site.article_url(150) not in {c.url for c in found.candidates}


def test_an_edit_moves_its_old_sitemap_back_into_the_pass(server, run):
    site = FakeNewsSite(articles=300, sitemap_chunk=100).mount(server)
    since = site.article(300).published + timedelta(minutes=1)
    site.edit_article(42, at=since + timedelta(hours=1))

    found = run(
        discover_source(
            source_for(site, feeds=(), sections=()), fetch_document, sitemaps_modified_since=since
        )
    )

    assert site.article_url(42) in {c.url for c in found.candidates}
    assert len(server.requests_to("/sitemaps/articles-2.xml.gz")) == 0


def test_failing_listings_are_problems_and_the_rest_is_still_read(site, run):
    source = source_for(
        site, feeds=(site.base + "/no-feed.xml", site.base + "/rss.xml"), sitemaps=(site.base + "/",)
    )

    found = run(discover_source(source, fetch_document))

    assert found.problems == [
        f"feed {site.base}/no-feed.xml: HTTP 404 Not Found",
        f"sitemap {site.base}/: not a sitemap (root element <html>)",
    ]
    assert len(found.candidates) > 30


def test_a_sitemap_index_listing_itself_is_read_once(server, run):
    index = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{server.url("/s.xml")}</loc></sitemap></sitemapindex>'
    server.add("/s.xml", index, content_type="application/xml")

    found = run(
        discover_source(
            Source(name="s", base_url=server.url("/"), sitemaps=(server.url("/s.xml"),)), fetch_document
        )
    )

    assert found.candidates == [] and found.problems == []
    assert len(server.requests_to("/s.xml")) == 1


def test_section_pages_in_windows_1256_give_arabic_urls(server, run):
    page = '<html><body><a href="/أخبار/2026/01/01/وزير-الخارجية-يزور-عمان/">خبر</a></body></html>'
    server.add("/news/", page.encode("windows-1256"), content_type="text/html; charset=windows-1256")
    source = Source(name="s", base_url=server.url("/"), sections=(server.url("/news/"),))

    found = run(discover_source(source, fetch_document))

    assert [c.url for c in found.candidates] == [server.url("/أخبار/2026/01/01/وزير-الخارجية-يزور-عمان/")]


def test_merging_keeps_one_candidate_per_url_with_every_known_field(site, run):
    found = run(discover_source(source_for(site), fetch_document))
    merged_again = merge_candidates([*found.candidates, *found.candidates])

    assert merged_again == found.candidates


def test_listings_are_fetched_with_the_sources_user_agent(site, server, run):
    source = source_for(
        site, sections=(), sitemaps=(), delay=0.0, user_agent="alofoq-archive/1.0 (+mailto:a@b.example)"
    )

    async def one_pass():
        async with Fetcher(FetchSettings(host_delay=0)) as fetcher:
            return await discover_source(source, fetch_for(fetcher, source))

    found = run(one_pass())

    assert len(found.candidates) == 30
    assert [r.headers["User-Agent"] for r in server.requests_to("/rss.xml")] == [source.user_agent]


def test_a_news_sitemap_missing_from_robots_txt_is_still_found(server, run):
    news = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        f"<loc>{server.url('/2026/11/25/story-1/')}</loc><news:news><news:publication_date>2026-11-25"
        "</news:publication_date><news:title>خبر</news:title></news:news></url></urlset>"
    )
    plain = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{server.url("/a-b-c-d")}</loc></url></urlset>'
    server.add("/", "<html><body></body></html>")
    server.add("/robots.txt", f"Sitemap: {server.url('/sitemap.xml')}\n", content_type="text/plain")
    server.add("/sitemap.xml", plain, content_type="application/xml")
    server.add("/sitemap-news.xml", news, content_type="application/xml")
    server.add("/news-sitemap.xml", plain, content_type="application/xml")  # not news: left out

    profile = run(discover_site(server.url("/"), fetch_document))

    assert profile.sitemaps == [server.url("/sitemap.xml"), server.url("/sitemap-news.xml")]
    assert profile.problems == []
