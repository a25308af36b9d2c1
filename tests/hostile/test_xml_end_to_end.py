"""Hostile feeds, sitemaps and robots.txt served over HTTP and read by the real Fetcher and discovery:
no entity is expanded, no external reference followed, no scheme but http(s) ever fetched."""

from __future__ import annotations

import asyncio
import gzip

from ingest.discover import discover_site, discover_source, fetch_for
from ingest.fetch import Fetcher, FetchSettings
from ingest.sources import Source
from ingest.urls import url_problem
from tests.hostile.seeds import bounded

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))


def _billion_laughs(root: str, inner: str) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY l0 "lol">{LAUGHS}]>{inner}'.encode()


def _xxe(root: str, inner: str, system: str) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{system}">]>{inner}'.encode()


def _discover(source: Source):
    async def run():
        async with Fetcher(FetchSettings(host_delay=0)) as fetcher:
            return await discover_source(source, fetch_for(fetcher, source))

    return bounded(asyncio.run, run(), seconds=120)


def _profile(url: str):
    async def run():
        async with Fetcher(FetchSettings(host_delay=0)) as fetcher:
            return await discover_site(url, lambda u: fetcher.fetch(u, accept=None, delay=0))

    return bounded(asyncio.run, run(), seconds=120)


def _article(server, n: int) -> str:
    return server.url(f"/2026/01/05/khabar-{n}/")


def test_hostile_feeds_and_sitemaps_over_http_are_refused_and_nothing_external_is_touched(server):
    rss, atom, xml = "application/rss+xml", "application/atom+xml", "application/xml"
    item = f"<item><title>&xxe;</title><link>{_article(server, 1)}</link></item>"
    url_entry = f"<url><loc>{_article(server, 2)}</loc></url>"
    children = ["file:///etc/passwd", "ftp://127.0.0.1/s.xml", "gopher://127.0.0.1/", server.url("/good.xml")]
    index = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    documents = {
        "/xxe-feed.xml": (rss, _xxe("rss", f"<rss><channel>{item}</channel></rss>", "file:///etc/passwd")),
        "/laughs-feed.xml": (atom, _billion_laughs("feed", "<feed><title>&l9;</title></feed>")),
        "/dtd-feed.xml": (
            rss,
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/evil-feed.dtd")}">'
            f"<rss><channel><item><link>{_article(server, 3)}</link></item></channel></rss>",
        ),
        "/laughs-sitemap.xml": (
            xml,
            _billion_laughs("urlset", f'<urlset xmlns="{SITEMAP_NS}">&l9;</urlset>'),
        ),
        "/xxe-sitemap.xml.gz": (
            "application/x-gzip",
            gzip.compress(
                _xxe("urlset", "<urlset><url><loc>&xxe;</loc></url></urlset>", server.url("/exfil"))
            ),
        ),
        "/dtd-sitemap.xml": (
            xml,
            f'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{server.url("/evil.dtd")}">'
            f'<urlset xmlns="{SITEMAP_NS}">{url_entry}</urlset>',
        ),
        "/index.xml": (xml, f'<sitemapindex xmlns="{SITEMAP_NS}">{index}</sitemapindex>'),
        "/good.xml": (xml, f'<urlset xmlns="{SITEMAP_NS}">{url_entry}</urlset>'),
    }
    for path, (content_type, body) in documents.items():
        server.add(path, body, content_type=content_type)
    source = Source(
        name="hostile",
        base_url=server.base + "/",
        feeds=tuple(server.url(p) for p in documents if "feed" in p),
        sitemaps=tuple(
            server.url(p)
            for p in ("/laughs-sitemap.xml", "/xxe-sitemap.xml.gz", "/dtd-sitemap.xml", "/index.xml")
        ),
        delay=0,
    )

    found = _discover(source)

    refused = [p for p in found.problems if "unsafe XML refused" in p]
    assert len(refused) == 4, found.problems  # an external DTD is harmless: never fetched, see below
    assert [c.url for c in found.candidates] == [_article(server, 3), _article(server, 2)]
    assert not server.requests_to("/exfil")
    assert not server.requests_to("/evil.dtd") and not server.requests_to("/evil-feed.dtd")
    assert {r.path for r in server.requests} <= {"/robots.txt", *documents}


def test_a_site_profile_skips_hostile_robots_sitemaps_and_announced_feeds(server):
    server.add("/", '<html lang="ar"><head><link rel="alternate" type="application/rss+xml" '
               'href="/rss.xml"><link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">'
               "</head><body><p>الأفق</p></body></html>")  # fmt: skip
    server.add("/rss.xml", _xxe("rss", "<rss><channel><title>&xxe;</title></channel></rss>", "file:///etc/passwd"),
               content_type="application/rss+xml")  # fmt: skip
    server.add("/robots.txt", "User-agent: *\nAllow: /\nSitemap: file:///etc/passwd\nSitemap: ftp://127.0.0.1/s.xml\n"
               f"Sitemap: {server.url('/laughs.xml')}\n", content_type="text/plain")  # fmt: skip
    server.add("/laughs.xml", _billion_laughs("urlset", f'<urlset xmlns="{SITEMAP_NS}">&l9;</urlset>'),
               content_type="application/xml")  # fmt: skip

    profile = _profile(server.url("/"))

    assert profile.feeds == []
    assert all(url_problem(s) is None for s in profile.sitemaps)
    assert server.url("/laughs.xml") not in profile.sitemaps
    assert any("/rss.xml" in p and "unsafe XML refused" in p for p in profile.problems)
    assert any("/laughs.xml" in p and "unsafe XML refused" in p for p in profile.problems)


def test_a_feed_that_redirects_to_a_local_file_is_not_followed(server):
    server.add("/rss.xml", status=302, headers={"Location": "file:///etc/passwd"})
    source = Source(name="redirecting", base_url=server.base + "/", feeds=(server.url("/rss.xml"),), delay=0)

    found = _discover(source)

    assert found.candidates == []
    assert found.problems == [
        f"feed {server.url('/rss.xml')}: redirect to an unfetchable URL file:///etc/passwd: "
        "unsupported URL scheme 'file' (only http and https)"
    ]
