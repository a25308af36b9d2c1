"""The fake news site itself: the crawl tests rely on it being complete, stable and cheap."""

from __future__ import annotations

import asyncio
import gzip
import html
import re
import threading
import tracemalloc
from datetime import UTC, datetime
from itertools import combinations

import httpx

from ingest.discover import discover_source
from ingest.sources import load_sources
from tests.discover.conftest import fetch_document
from tests.fakesite import FakeNewsSite


def paragraphs(html: str) -> str:
    return " ".join(re.findall(r"<p>(.*?)</p>", html))


def shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def test_every_article_is_served_with_its_title_date_and_canonical_url(site):
    with httpx.Client() as client:
        for article_id in range(1, site.article_count + 1):
            info = site.article(article_id)
            page = client.get(site.article_url(article_id))
            assert page.status_code == 200
            assert f'<h1 class="entry-title">{info.title}</h1>' in page.text
            assert f'<link rel="canonical" href="{site.article_url(article_id)}">' in page.text
    assert site.article_count == 240


def test_articles_are_arabic_prose_and_no_two_read_alike(site):
    with httpx.Client() as client:
        texts = [paragraphs(client.get(site.article_url(i)).text) for i in range(1, 41)]

    assert all(len(text.split()) >= 60 for text in texts)
    assert all(len(re.findall(r"[\u0600-\u06ff]", t)) > 0.6 * len(t.replace(" ", "")) for t in texts)
    overlaps = [
        len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b)) for a, b in combinations(texts, 2)
    ]
    assert max(overlaps) < 0.6


def test_the_same_seed_renders_the_same_site(server):
    one = FakeNewsSite(articles=30, newest=datetime(2026, 11, 1, tzinfo=UTC))
    two = FakeNewsSite(articles=30, newest=datetime(2026, 11, 1, tzinfo=UTC))

    assert one.render("/") == two.render("/")
    assert one.render(one.article(7).path) == two.render(two.article(7).path)


def test_headline_and_story_name_the_same_team(site):
    sports = next(i for i in range(1, 241) if site.article(i).slug == "team-wins")
    info = site.article(sports)
    team = info.title.split(" يفوز")[0]

    assert team in paragraphs(httpx.get(site.article_url(sports)).text)


def test_broken_links_answer_404_and_410(site):
    missing, gone = site.broken_urls

    assert httpx.get(missing).status_code == 404
    assert httpx.get(gone).status_code == 410
    assert missing.replace(site.base, "") in httpx.get(site.base + "/").text


def test_duplicate_variants_serve_the_same_page_as_the_article(site):
    for variant, url in site.duplicate_urls.items():
        assert httpx.get(variant).text == httpx.get(url).text
        assert variant.replace(site.base, "") in html.unescape(httpx.get(site.base + "/").text)


def test_an_edit_changes_the_page_its_dates_and_the_sitemap(site):
    url = site.article_url(100)
    before = httpx.get(url)
    when = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)

    site.edit_article(100, at=when)

    after = httpx.get(url)
    assert after.text != before.text and after.headers["etag"] != before.headers["etag"]
    assert "تحديث (1):" in paragraphs(after.text)
    assert set(re.findall(r"<p>(.*?)</p>", before.text)) < set(re.findall(r"<p>(.*?)</p>", after.text))
    assert '"dateModified": "2031-05-06T10:08:09+03:00"' in after.text
    sitemap = gzip.decompress(httpx.get(site.base + "/sitemaps/articles-1.xml.gz").content).decode()
    assert f"<loc>{url}</loc><lastmod>2031-05-06T07:08:09+00:00</lastmod>" in sitemap


def test_an_unchanged_page_answers_a_conditional_request_with_304(site):
    url = site.article_url(5)
    first = httpx.get(url)

    by_etag = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})
    by_date = httpx.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    site.edit_article(5)
    after_edit = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304
    assert after_edit.status_code == 200


def test_published_articles_lead_every_listing(site):
    [new_id] = site.publish(1)
    url = site.article_url(new_id)

    assert httpx.get(url).status_code == 200
    assert url in httpx.get(site.base + "/").text
    assert url in httpx.get(site.base + "/rss.xml").text
    assert url in httpx.get(site.base + "/news-sitemap.xml").text
    assert url in gzip.decompress(httpx.get(site.base + "/sitemaps/articles-1.xml.gz").content).decode()
    section = site.article(new_id).section.slug
    assert site.article(new_id).path in httpx.get(f"{site.base}/{section}/").text


def test_section_pages_paginate_through_every_article_of_the_section(site):
    seen: set[str] = set()
    with httpx.Client() as client:
        for section in ("politics", "economy", "sports", "culture", "technology", "society"):
            path: str | None = f"/{section}/"
            while path:
                page = client.get(site.base + path).text
                seen.update(re.findall(r'<li class="teaser"><a href="([^"]+)"', page))
                following = re.search(r'<a rel="next" href="([^"]+)"', page)
                path = following[1] if following else None

    assert {site.base + p for p in seen} == set(site.article_urls())


def test_a_five_thousand_article_site_is_cheap_to_build(server):
    tracemalloc.start()
    site = FakeNewsSite(articles=5000).mount(server)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert peak < 8 * 1024 * 1024
    assert httpx.get(site.article_url(4321)).status_code == 200
    index = httpx.get(site.base + "/sitemap.xml").text
    assert index.count("/sitemaps/articles-") == 5


def test_the_site_can_be_served_under_another_host_name(server):
    site = FakeNewsSite(articles=10, host="localhost").mount(server)

    assert site.article_url(1).startswith(f"http://localhost:{server.port}/")
    assert f"Sitemap: http://localhost:{server.port}/sitemap.xml" in httpx.get(server.url("/robots.txt")).text


def test_article_requests_can_be_held_at_a_known_point_and_released(site):
    site.hold_articles_after(3)
    with httpx.Client() as client:
        answered = [client.get(site.article_url(i)).status_code for i in (1, 2, 3)]
    held: list[int] = []
    waiting = threading.Thread(target=lambda: held.append(httpx.get(site.article_url(4)).status_code))

    waiting.start()
    waiting.join(timeout=0.5)
    still_waiting = waiting.is_alive()
    site.release()
    waiting.join(timeout=10)

    assert answered == [200, 200, 200]
    assert still_waiting and held == [200]
    assert site.article_requests == 4
    assert httpx.get(site.base + "/rss.xml").status_code == 200  # only article pages are ever held


def test_the_sites_sources_entry_loads_and_lists_every_article(site, tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(site.sources_toml(delay=0), encoding="utf-8")

    [source] = load_sources(path)
    found = asyncio.run(discover_source(source, fetch_document))

    assert (source.name, source.delay) == ("alofoq", 0.0)
    assert set(site.article_urls()) <= {c.url for c in found.candidates}


def test_the_site_can_serve_its_pages_in_windows_1256(server):
    site = FakeNewsSite(articles=20, encoding="windows-1256").mount(server)

    page = httpx.get(site.article_url(3))

    assert page.headers["content-type"] == "text/html; charset=windows-1256"
    assert '<meta charset="windows-1256">' in page.content.decode("windows-1256")
    assert site.article(3).title in page.content.decode("windows-1256")
    assert "&#" not in paragraphs(page.content.decode("windows-1256"))  # every letter is in the charset
