"""Seed documents and the ways a hostile or broken web mangles them.

Seeds: our own Arabic pages, feeds, sitemaps and robots.txt (rendered by the fake site, in UTF-8
and windows-1256), plus the shared corpus pages read in place when present. Mutations: invalid
UTF-8, spliced foreign encodings, truncation (unclosed tags), deep nesting, NUL bytes, huge
attribute values, stray BOMs, hostile markup (entities, CDATA, comments, scripts left open); the
links and dates found on those pages, damaged (NUL, lone surrogates, bad escapes, huge hosts
and paths).
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS
from tests.fakesite import FakeNewsSite

# The default profile keeps tests/hostile to seconds; AKHBAR_HYPOTHESIS_PROFILE=hostile-long runs
# a fuzzing session. No per-example deadline in either: time per document is bounded by `bounded`,
# which allows generous seconds (a loaded 2-core machine is not a failure; a hang is).
settings.register_profile(
    "hostile",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile("hostile-long", parent=settings.get_profile("hostile"), max_examples=1500)
FUZZ = settings.get_profile(os.environ.get("AKHBAR_HYPOTHESIS_PROFILE", "hostile"))

# Per document: far above anything a healthy parser needs, far below "hung".
DOCUMENT_SECONDS = 60.0

T = TypeVar("T")


def bounded(call: Callable[..., T], *args: object, seconds: float = DOCUMENT_SECONDS, **kwargs: object) -> T:
    """`call(*args)`, failing the test if it has not returned within `seconds`."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(call, *args, **kwargs)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        raise AssertionError(f"{getattr(call, '__name__', call)} took more than {seconds:g} s") from None
    finally:
        pool.shutdown(wait=False)


SITE_BASE = "https://alofoq.example"


@cache
def own_documents() -> dict[str, bytes]:
    """Our own Arabic site, rendered without a server: HTML pages in two encodings, feeds, sitemaps."""
    utf8 = FakeNewsSite(articles=12, host="alofoq.example", seed=3)
    legacy = FakeNewsSite(articles=12, host="alofoq.example", seed=3, encoding="windows-1256")
    article_path = utf8.article_url(5).split("alofoq.example", 1)[-1]
    return {
        "home.html": utf8.render("/")[2],
        "article.html": utf8.render(article_path)[2],
        "article-1256.html": legacy.render(article_path)[2],
        "section.html": utf8.render("/" + article_path.split("/")[1] + "/")[2],
        "rss.xml": utf8.render("/rss.xml")[2],
        "atom.xml": utf8.render("/atom.xml")[2],
        "sitemap-index.xml": utf8.render("/sitemap.xml")[2],
        "sitemap.xml": gzip.decompress(utf8.render("/sitemaps/articles-1.xml.gz")[2]),
        "news-sitemap.xml": utf8.render("/news-sitemap.xml")[2],
        "robots.txt": utf8.render("/robots.txt")[2],
    }


@cache
def corpus_pages() -> tuple[bytes, ...]:
    """The shared corpus's pages as served (not the sealed set), or nothing when it is absent."""
    folders = ("pages", "listings", "synthetic", "other-lang")
    return tuple(
        path.read_bytes()
        for folder in folders
        if (CORPUS / folder).is_dir()
        for path in sorted(Path(CORPUS / folder).glob("*.html"))
    )


def html_seeds() -> list[bytes]:
    own = own_documents()
    pages = [own[name] for name in ("home.html", "article.html", "article-1256.html", "section.html")]
    return [*pages, *corpus_pages()]


def xml_seeds() -> list[bytes]:
    own = own_documents()
    return [
        own[name] for name in ("rss.xml", "atom.xml", "sitemap-index.xml", "sitemap.xml", "news-sitemap.xml")
    ]


ARABIC = "عاجل: وزير الخارجية يلتقي نظيره في القاهرة لبحث التطورات الإقليمية"
INVALID_UTF8 = (
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xa0\xa1",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xe2\x82",
)
FOREIGN = (
    *(ARABIC.encode(codec) for codec in ("cp1256", "iso8859_6", "utf-16-le", "utf-16", "cp720")),
    "éàç — “quotes”".encode("cp1252"),
)
HOSTILE_MARKUP = (
    b"<![CDATA[",
    b"<!--",
    b"<script>",
    b"<style>",
    b"<textarea>",
    b"<title>",
    b"]]>",
    b"&#0;",
    b"&#xD800;",
    b"&#99999999999;",
    b"&nosuchentity;",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>&x;',
    b'<meta charset="utf-16">',
    b'<meta charset="x-no-such-charset">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">',
    b'<a href="javascript:alert(1)">\xd8\xa7\xd9\x82\xd8\xb1\xd8\xa3 \xd8\xa3\xd9\x8a\xd8\xb6\xd8\xa7</a>',
    b'<a href="file:///etc/passwd">x</a><a href="ftp://files.example/a">y</a>',
    b'<a href="data:text/html,hi">z</a><a href="//alofoq.example/2026/01/05/a-b-c-d/">',
    b'<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">',
    b"<loc>file:///etc/passwd</loc><loc>gopher://a.example/</loc><link>ftp://a.example/x</link>",
    b"<?xml version='1.0' encoding='x-unknown'?>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r\r\r\n\n\t\x0b\x0c",
    b"</html></body></head>",
    b"<html><html><body><body>",
    b"<svg><math><table><tr><td><select><option>",
    b"<p dir='rtl' lang='ar' " + b"x=1 " * 2000 + b">",
)


@st.composite
def _position(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def _insert(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at] + piece + data[at:]


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(_position(data))
    kind = draw(
        st.sampled_from(
            (
                "invalid-utf8", "foreign", "truncate", "nest", "nul", "attribute", "markup", "delete",
                "repeat", "flip", "random",
            )
        )
    )  # fmt: skip
    if kind == "invalid-utf8":
        return _insert(data, at, draw(st.sampled_from(INVALID_UTF8)) * draw(st.integers(1, 50)))
    if kind == "foreign":
        return _insert(data, at, draw(st.sampled_from(FOREIGN)))
    if kind == "truncate":
        return data[:at]
    if kind == "nest":
        tag = draw(st.sampled_from((b"div", b"p", b"b", b"table", b"a", b"span", b"item", b"url")))
        depth = draw(st.integers(1, 20_000))
        closed = draw(st.booleans())
        return _insert(data, at, b"<%s>" % tag * depth + (b"</%s>" % tag * depth if closed else b""))
    if kind == "nul":
        return _insert(data, at, b"\x00" * draw(st.integers(1, 5000)))
    if kind == "attribute":
        size = draw(st.integers(1, 2_000_000))
        value = draw(st.sampled_from((b"x", "ا".encode(), b"&amp;", b"%", b"\x00", b'"')))
        name = draw(st.sampled_from((b"href", b"class", b"content", b"style", b"src", b"data-x")))
        return _insert(data, at, b'<a %s="%s">' % (name, value * (size // len(value) or 1)))
    if kind == "markup":
        return _insert(data, at, draw(st.sampled_from(HOSTILE_MARKUP)))
    if kind == "delete":
        end = draw(st.integers(at, min(len(data), at + 20_000)))
        return data[:at] + data[end:]
    if kind == "repeat":
        end = draw(st.integers(at, min(len(data), at + 2000)))
        return _insert(data, at, data[at:end] * draw(st.integers(1, 200)))
    if kind == "flip":
        if not data:
            return data
        spot = min(at, len(data) - 1)
        return data[:spot] + bytes([draw(st.integers(0, 255))]) + data[spot + 1 :]
    return _insert(data, at, draw(st.binary(max_size=300)))


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with one to four mutations applied in turn."""
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return data


def ten_megabyte_line(seed: bytes) -> bytes:
    """The seed with its line breaks removed, repeated to 10 MB: one line, no newline anywhere."""
    line = seed.replace(b"\r", b" ").replace(b"\n", b" ")
    size = 10 * 1024 * 1024
    return (line * (size // len(line) + 1))[:size]


_LINK = re.compile(rb"""(?:href|src|content)\s*=\s*["']([^"'<>]{1,2000})["']""", re.IGNORECASE)


@cache
def url_seeds() -> tuple[str, ...]:
    """Links as pages write them (href, src, content values of our pages and the corpus pages),
    made absolute the way a page's links are."""
    found: dict[str, None] = {}
    for page in html_seeds():
        for raw in _LINK.findall(page):
            link = raw.decode("utf-8", errors="replace").strip()
            if "/" in link or link.startswith(("http", "www.")):
                found.setdefault(urljoin(SITE_BASE + "/news/", link), None)
    return tuple(found)


URL_DAMAGE = (
    "\x00", "\ud800", "\ufffd", " ", "\t", "\n", "\x85", "\u200f", "%", "%zz", "%FF%FE", "#", "?", "??&&",
    "@", ":", ":99999", "[", "]", "\\", "..", "//", "ا" * 50_000, "%D8" * 20_000, "x" * 1_000_000,
)  # fmt: skip


@cache
def date_seeds() -> tuple[str, ...]:
    """Dates as pages write them: machine dates from attributes (`content`, `datetime`) and the
    short printed lines of our pages and the corpus pages that the date parser takes for dates."""
    from ingest.decode import decode_html
    from ingest.extract.dates import looks_like_date_line

    found: dict[str, None] = {}
    for page in html_seeds():
        text = decode_html(page)
        for value in _MACHINE_DATE.findall(text):
            found.setdefault(value, None)
        for line in re.split(r"<[^>]*>|\n", text):
            line = line.strip()
            if 4 <= len(line) <= 160 and looks_like_date_line(line):
                found.setdefault(line, None)
    return tuple(found)


_MACHINE_DATE = re.compile(r"""(?:content|datetime)\s*=\s*["'](\d{4}-\d\d-\d\d[^"'<>]{0,40})["']""")


@st.composite
def damaged(draw: st.DrawFn, seeds: tuple[str, ...]) -> str:
    """A seed string with one to three insertions, cuts or repeats."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(("insert", "truncate", "repeat", "random")))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(URL_DAMAGE)) + text[at:]
        elif kind == "truncate":
            text = text[:at]
        elif kind == "repeat":
            text = text[:at] + text[at:] * draw(st.integers(2, 50))
        else:
            text = text[:at] + draw(st.text(max_size=40)) + text[at:]
    return text


def mutated_url() -> st.SearchStrategy[str]:
    """A link from a real page, damaged."""
    return damaged(url_seeds())


def mutated_date() -> st.SearchStrategy[str]:
    """A date from a real page, damaged."""
    return damaged(date_seeds())
