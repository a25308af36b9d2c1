"""Discovery: feeds, sitemaps and section pages turned into candidate article URLs.

Pure parsers take bytes and return a `Discovered` value (failure is its `error`, never an exception).
A thin async shell walks one source (`discover_source`) or profiles a new site (`discover_site`); it
fetches through any `fetch(url) -> FetchResult` coroutine, normally `fetch_for(fetcher, source)`.

XML is untrusted: it goes through defusedxml with entity declarations and external references
forbidden, so a billion-laughs sitemap or an XXE feed is rejected without being expanded or followed.
"""

from __future__ import annotations

import email.utils
import functools
import io
import re
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import ParseError

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from lxml.etree import ParserError
from protego import Protego

from ingest.decode import decode_html
from ingest.fetch import Fetcher, FetchResult
from ingest.sources import Source
from ingest.urls import url_problem
from ingest.zones import date_locale_problem

FetchFn = Callable[[str], Awaitable[FetchResult]]

# sitemaps.org caps an uncompressed sitemap at 50 MB; a gzip that inflates past it is refused.
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS_PER_SOURCE = 500
MAX_SECTIONS = 30

# JSON Feed is left out: feedparser 6.0 cannot read it, and Arabic news sites rarely offer only that.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/rss/", "/index.xml", "/?feed=rss2")
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml.gz")
# Probed even when robots.txt names sitemaps: a news sitemap lists the freshest articles and is
# often left out of robots.txt.
NEWS_SITEMAP_PATHS = ("/news-sitemap.xml", "/sitemap-news.xml", "/sitemap_news.xml", "/news_sitemap.xml")

# Path segments that mark listing, utility or account pages rather than a single article.
NOT_ARTICLE_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "section", "sections", "author", "authors", "writer",
        "writers", "page", "search", "login", "logout", "register", "signup", "account", "wp-admin",
        "wp-login.php", "feed", "rss", "contact", "contact-us", "about", "about-us", "privacy",
        "privacy-policy", "terms", "subscribe", "newsletter", "advertise", "jobs", "topics", "live",
        "video", "videos", "gallery", "photos", "print",
    }
)  # fmt: skip
# Segments that are never a main section of a news site (navigation to legal, account or feed pages).
NOT_SECTION_SEGMENTS = frozenset(
    {
        "tag", "tags", "author", "authors", "page", "search", "login", "login-page", "logout",
        "register", "signup", "account", "wp-admin", "wp-login.php", "feed", "rss", "contact",
        "contact-us", "contactus", "about", "about-us", "aboutus", "privacy", "privacy-policy", "terms",
        "subscribe", "newsletter", "advertise", "advert", "jobs", "cdn-cgi", "home", "index", "archive",
        "editor", "editors", "ereader", "اتصل-بنا", "إتصل-بنا", "من-نحن", "سياسة-الخصوصية",
        "شروط-الاستخدام", "أعلن-معنا", "اعلن-معنا", "البث-المباشر",
    }
)  # fmt: skip
# Segments that announce a listing: such paths may run deeper ("/Section/أخبار-عاجلة/65/1").
LISTING_SEGMENTS = frozenset({"section", "sections", "category", "categories", "cat", "topics"})
NON_PAGE_SUFFIXES = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".pdf", ".mp3", ".mp4", ".zip", ".xml",
    ".gz", ".rss", ".css", ".js", ".json", ".txt",
)  # fmt: skip
DATE_IN_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/|$)|/(19|20)\d{2}-\d{2}-\d{2}")
LONG_NUMBER = re.compile(r"(?<![\d.])\d{4,}(?![\d.])")
ID_QUERY = re.compile(r"(^|&)(p|id|article|articleid|newsid|nid|story)=\d+", re.IGNORECASE)
SLUG_WORD_SEPARATORS = re.compile(r"[-_]+")
NAVIGATION_HINT = re.compile(r"nav|menu", re.IGNORECASE)
COMMENT_FEED = re.compile(r"/comments?/|comments?-feed|تعليقات", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL worth fetching, with what the listing said about it (to fill gaps the page leaves)."""

    url: str
    via: str  # "feed", "sitemap", "news-sitemap" or "section"
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class SitemapRef:
    url: str
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Discovered:
    """What one document listed: candidates, child sitemaps (from an index), or why nothing."""

    candidates: tuple[Candidate, ...] = ()
    sitemaps: tuple[SitemapRef, ...] = ()
    error: str | None = None


@dataclass(slots=True)
class SourceDiscovery:
    """Everything one pass over a source's feeds, sitemaps and sections found."""

    candidates: list[Candidate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SiteProfile:
    """What `akhbar sources add` learned about a site, to be written for the user to review."""

    base_url: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    language: str | None = None
    date_locale: str | None = None
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    def to_source(self, name: str) -> Source:
        return Source(
            name=name,
            base_url=self.base_url,
            feeds=tuple(self.feeds),
            sitemaps=tuple(self.sitemaps),
            sections=tuple(self.sections),
            language=self.language or "ar",
            date_locale=self.date_locale,
        )


# --- pure parsers ---------------------------------------------------------------------------------


def parse_feed(
    body: bytes, feed_url: str, source: Source | None = None, *, content_type: str | None = None
) -> Discovered:
    """RSS, Atom or RDF items -> candidates with their titles and dates."""
    body, problem = _inflate(body)
    if problem:
        return Discovered(error=problem)
    problem = _xml_safety_problem(body)
    if problem:
        return Discovered(error=problem)
    if not _FEED_ROOT.search(body[:_FEED_ROOT_WINDOW].replace(b"\x00", b"")):  # NULs: UTF-16
        # feedparser's lenient parser takes ~10 s per MB of tag soup; a page with no feed element
        # near its start is not worth that (a 10 MB HTML page served as a feed tied up a worker).
        return Discovered(error="not a feed: no <rss>, <feed> or <rdf:RDF> element")
    headers = {"content-location": feed_url, **({"content-type": content_type} if content_type else {})}
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except Exception as exc:
        # feedparser's own handlers fail on some malformed input (invalid bytes in a namespace URI
        # make its SAX handler unpack three names): for us that is an unreadable feed, not a crash.
        return Discovered(error=f"not a feed: {type(exc).__name__} in the feed parser")
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom feed found"
        return Discovered(error=f"not a feed: {reason}")
    candidates = []
    for entry in parsed.entries:
        # FeedBurner-style proxies wrap the publisher's link; the original is what the site serves.
        link = entry.get("feedburner_origlink") or entry.get("link")
        url = _absolute(link, feed_url)
        # dict.get: FeedParserDict.get quietly answers `updated_parsed` with the published date.
        published, updated = dict.get(entry, "published_parsed"), dict.get(entry, "updated_parsed")
        if url and _wanted(url, source):
            candidates.append(
                Candidate(
                    url=url,
                    via="feed",
                    title=_clean_text(entry.get("title")),
                    published=_struct_time(published or updated),
                    modified=_struct_time(updated),
                )
            )
    return Discovered(candidates=tuple(candidates))


_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|rdf)[\s>/]", re.IGNORECASE)
_FEED_ROOT_WINDOW = 64 * 1024


def parse_sitemap(body: bytes, sitemap_url: str, source: Source | None = None) -> Discovered:
    """A sitemap (plain, gzip, Google News or plain-text) or a sitemap index.

    An index yields `sitemaps` to fetch next; a urlset yields candidates; an RSS/Atom feed given as a
    sitemap (sitemaps.org allows it) is read as a feed.
    """
    body, problem = _inflate(body)
    if problem:
        return Discovered(error=problem)
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return Discovered(error="empty sitemap")
    if not head.startswith(b"<"):
        return _parse_text_sitemap(head, sitemap_url, source)
    try:
        return _parse_xml_sitemap(body, sitemap_url, source)
    except DefusedXmlException as exc:
        return Discovered(error=f"unsafe XML refused ({type(exc).__name__})")
    except ParseError as exc:
        return Discovered(error=f"malformed sitemap XML: {exc}")
    except (ValueError, LookupError) as exc:  # an encoding declaration expat cannot honour
        return Discovered(error=f"unreadable sitemap XML: {exc}")


def parse_section_page(
    body: bytes, page_url: str, source: Source | None = None, *, content_type: str | None = None
) -> Discovered:
    """Links on a listing page that look like articles on the same site.

    With a source, its allow patterns (when given) replace the article-URL guess and its deny
    patterns always apply; without one, the page's own host is the site.
    """
    doc = _html(body, content_type)
    if doc is None:
        return Discovered(error="not an HTML page")
    candidates = []
    seen: set[str] = set()
    for url in _links(doc, page_url):
        if url in seen or not _same_site(url, page_url, source):
            continue
        seen.add(url)
        if source is not None and source.allow:
            keep = source.permits(url)
        else:
            keep = looks_like_article(url) and (source is None or source.permits(url))
        if keep:
            candidates.append(Candidate(url=url, via="section"))
    return Discovered(candidates=tuple(candidates))


def looks_like_article(url: str) -> bool:
    """A guess from the URL alone: a date or a long numeric id in the path, or a many-word slug.

    Measured on the links of 7 real Arabic publishers' pages (354 same-site links): every listing
    and utility link is refused; the few wrong guesses are e-paper issue pages.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    segments = [s for s in unquote(parts.path).split("/") if s]
    if any(s.lower() in NOT_ARTICLE_SEGMENTS for s in segments):
        return False
    if segments and segments[-1].lower().endswith(NON_PAGE_SUFFIXES):
        return False
    if ID_QUERY.search(parts.query):
        return True
    if not segments:
        return False
    path = "/" + "/".join(segments)
    if DATE_IN_PATH.search(path) or any(LONG_NUMBER.search(s) for s in segments):
        return True
    slug = segments[-1].rsplit(".", 1)[0]
    # Four words: section names run to three ("أخبار-الرياضة-المحلية"), headlines run longer.
    return len([w for w in SLUG_WORD_SEPARATORS.split(slug) if not w.isdigit()]) >= 4


def feed_links(body: bytes, page_url: str, *, content_type: str | None = None) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    doc = _html(body, content_type)
    if doc is None:
        return []
    base = _base_url(doc, page_url)
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = _absolute(link.get("href"), base)
        title = link.get("title") or ""
        if url and url not in found and not COMMENT_FEED.search(url + " " + title):
            found.append(url)
    return found


def robots_sitemaps(body: bytes, robots_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, made absolute, http(s) only."""
    text = body.decode("utf-8-sig", errors="replace")  # -sig: a BOM must not hide the first line
    found: list[str] = []
    for line in Protego.parse(text).sitemaps:
        url = _absolute(line, robots_url)
        if url and url not in found:
            found.append(url)
    return found


def section_links(body: bytes, page_url: str, *, content_type: str | None = None) -> list[str]:
    """A home page's main sections: same-site listing links, preferring those in its navigation."""
    doc = _html(body, content_type)
    if doc is None:
        return []
    in_navigation: list[str] = []
    elsewhere: list[str] = []
    for anchor in doc.iter("a"):
        url = _absolute(anchor.get("href"), _base_url(doc, page_url))
        if not url or not _looks_like_section(url, page_url):
            continue
        target = in_navigation if _inside_navigation(anchor) else elsewhere
        if url not in in_navigation and url not in elsewhere:
            target.append(url)
    return (in_navigation or elsewhere)[:MAX_SECTIONS]


def page_language(body: bytes, *, content_type: str | None = None) -> str | None:
    """The `lang` of the <html> element, e.g. "ar" or "ar-EG"."""
    doc = _html(body, content_type)
    if doc is None:
        return None
    lang = (doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    return lang or None


def merge_candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per URL, in first-seen order, each field taken from whichever listing had it."""
    merged: dict[str, Candidate] = {}
    for candidate in candidates:
        known = merged.get(candidate.url)
        if known is None:
            merged[candidate.url] = candidate
            continue
        merged[candidate.url] = replace(
            known,
            title=known.title or candidate.title,
            published=known.published or candidate.published,
            modified=max((d for d in (known.modified, candidate.modified) if d), default=None),
        )
    return list(merged.values())


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap date (W3C Datetime: YYYY, YYYY-MM, YYYY-MM-DD or full) as an aware datetime.

    Times without a zone and bare dates are taken as UTC; RFC 822 dates, which some sites put in
    sitemaps, are accepted too.
    """
    if not text or not text.strip():
        return None
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = _partial_date(value) or _rfc822(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- the async shell ------------------------------------------------------------------------------


def fetch_for(fetcher: Fetcher, source: Source) -> FetchFn:
    """How discovery reads a source's listings: any content type (robots.txt, XML, gzip), at the
    source's own pace and with its User-Agent."""
    return functools.partial(fetcher.fetch, accept=None, delay=source.delay, user_agent=source.user_agent)


async def discover_source(
    source: Source,
    fetch: FetchFn,
    *,
    sitemaps_modified_since: datetime | None = None,
    max_sitemaps: int = MAX_SITEMAPS_PER_SOURCE,
) -> SourceDiscovery:
    """Read every feed, sitemap (following indexes) and section page of `source` once.

    Child sitemaps an index dates before `sitemaps_modified_since` are skipped, so a daily crawl
    of a site with monthly sitemaps reads only the current ones.
    """
    result = SourceDiscovery()
    found: list[Candidate] = []
    for feed_url in source.feeds:
        listed = await _read(fetch, feed_url, "feed", _feed_of, source, result.problems)
        found.extend(listed.candidates)
    found.extend(await _walk_sitemaps(source, fetch, sitemaps_modified_since, max_sitemaps, result.problems))
    for page_url in source.sections:
        listed = await _read(fetch, page_url, "section", _section_of, source, result.problems)
        found.extend(listed.candidates)
    result.candidates = merge_candidates(found)
    return result


async def discover_site(url: str, fetch: FetchFn) -> SiteProfile:
    """Profile a site from its home page and robots.txt.

    Common feed and sitemap paths are probed only when the page and robots.txt name none; news
    sitemap paths are always probed. Failures of what the site itself announced become `problems`.
    """
    home = await fetch(url)
    if not home.ok:
        return SiteProfile(base_url=url, error=f"cannot read {url}: {home.error}")
    landed = home.final_url or url
    parts = urlsplit(landed)
    profile = SiteProfile(base_url=f"{parts.scheme}://{parts.netloc}/")
    language = page_language(home.body, content_type=home.content_type)
    profile.language = language.split("-")[0].lower() if language else None
    # A region akhbar has no zone for would make the new entry unreadable: the language alone says it.
    with_region = language is not None and "-" in language
    profile.date_locale = language if with_region and date_locale_problem(language) is None else None
    profile.sections = section_links(home.body, landed, content_type=home.content_type)

    declared = feed_links(home.body, landed, content_type=home.content_type)
    for feed_url in declared or _common(profile.base_url, COMMON_FEED_PATHS):
        if await _usable(fetch, feed_url, _feed_of, profile.problems, announced=bool(declared)):
            profile.feeds.append(feed_url)
            if not declared:
                break  # common paths are aliases of one feed on most CMSs (/feed/, /rss/ ...)

    robots = await fetch(urljoin(profile.base_url, "/robots.txt"))
    announced = robots_sitemaps(robots.body, robots.final_url or robots.url) if robots.ok else []
    for sitemap_url in announced or _common(profile.base_url, COMMON_SITEMAP_PATHS):
        if await _usable(fetch, sitemap_url, _sitemap_of, profile.problems, announced=bool(announced)):
            profile.sitemaps.append(sitemap_url)
    for news_url in _common(profile.base_url, NEWS_SITEMAP_PATHS):
        if news_url not in announced and await _usable(
            fetch, news_url, _news_sitemap_of, profile.problems, announced=False
        ):
            profile.sitemaps.append(news_url)
    return profile


async def _walk_sitemaps(
    source: Source,
    fetch: FetchFn,
    modified_since: datetime | None,
    max_sitemaps: int,
    problems: list[str],
) -> list[Candidate]:
    found: list[Candidate] = []
    queue = deque((url, 0) for url in source.sitemaps)
    seen: set[str] = set()
    while queue:
        url, depth = queue.popleft()
        if url in seen:
            continue
        if len(seen) >= max_sitemaps:
            problems.append(f"sitemap {url}: skipped, more than {max_sitemaps} sitemaps for this source")
            break
        seen.add(url)
        listed = await _read(fetch, url, "sitemap", _sitemap_of, source, problems)
        found.extend(listed.candidates)
        for child in listed.sitemaps:
            if depth + 1 > MAX_SITEMAP_DEPTH:
                problems.append(f"sitemap {child.url}: skipped, sitemap indexes nested too deep")
            elif modified_since is None or child.modified is None or child.modified >= modified_since:
                queue.append((child.url, depth + 1))
    return found


async def _read(
    fetch: FetchFn,
    url: str,
    kind: str,
    parse: ParseFn,
    source: Source | None,
    problems: list[str],
) -> Discovered:
    fetched = await fetch(url)
    if not fetched.ok:
        problems.append(f"{kind} {url}: {fetched.error}")
        return Discovered(error=fetched.error)
    listed = parse(fetched, source)
    if listed.error:
        problems.append(f"{kind} {url}: {listed.error}")
    return listed


async def _usable(
    fetch: FetchFn,
    url: str,
    parse: ParseFn,
    problems: list[str],
    *,
    announced: bool,
) -> bool:
    """Whether `url` serves a parsable feed/sitemap; failures of announced URLs are worth reporting."""
    fetched = await fetch(url)
    listed = parse(fetched, None) if fetched.ok else None
    if listed is not None and not listed.error:
        return True
    if announced:
        problems.append(f"{url}: {fetched.error or (listed.error if listed else 'unreadable')}")
    return False


ParseFn = Callable[[FetchResult, Source | None], Discovered]


def _feed_of(fetched: FetchResult, source: Source | None) -> Discovered:
    url = fetched.final_url or fetched.url
    return parse_feed(fetched.body, url, source, content_type=fetched.content_type)


def _sitemap_of(fetched: FetchResult, source: Source | None) -> Discovered:
    return parse_sitemap(fetched.body, fetched.final_url or fetched.url, source)


def _news_sitemap_of(fetched: FetchResult, source: Source | None) -> Discovered:
    listed = _sitemap_of(fetched, source)
    if listed.error or any(c.via == "news-sitemap" for c in listed.candidates):
        return listed
    return Discovered(error="no Google News entries")


def _section_of(fetched: FetchResult, source: Source | None) -> Discovered:
    url = fetched.final_url or fetched.url
    return parse_section_page(fetched.body, url, source, content_type=fetched.content_type)


# --- helpers --------------------------------------------------------------------------------------


def _inflate(body: bytes) -> tuple[bytes, str | None]:
    """Gunzip by magic number (servers label .gz files every which way), refusing gzip bombs."""
    if not body.startswith(b"\x1f\x8b"):
        return body, None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_XML_BYTES + 1)
    except zlib.error as exc:
        return b"", f"corrupt gzip: {exc}"
    if len(data) > MAX_XML_BYTES:
        return b"", f"gzip inflates past {MAX_XML_BYTES // (1024 * 1024)} MB, refused"
    if not inflater.eof:
        return b"", "corrupt gzip: truncated"
    return data, None


def _xml_safety_problem(body: bytes) -> str | None:
    """Why an XML document must not be parsed at all (entity declarations, external references)."""
    if not body.lstrip().startswith(b"<"):
        return None
    try:
        return _entity_problem(body)
    except (ValueError, LookupError):
        # expat refuses an unknown or multi-byte encoding declaration ("ATF-8", "gb2312") before
        # reading the DTD; feedparser would still read the document, so check its text as UTF-8.
        text = _XML_DECLARATION.sub("", decode_html(body), count=1)
        try:
            return _entity_problem(text.encode("utf-8"))
        except (ValueError, LookupError) as exc:
            return f"unreadable XML ({exc})"


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _entity_problem(body: bytes) -> str | None:
    try:
        for _ in iterparse(io.BytesIO(body), events=("start",), forbid_entities=True, forbid_external=True):
            break  # the DTD, where entities are declared, comes before the first element
    except DefusedXmlException as exc:
        return f"unsafe XML refused ({type(exc).__name__})"
    except ParseError:
        return None  # not well-formed: feedparser's lenient parser copes and expands no DTD entities
    return None


def _parse_xml_sitemap(body: bytes, sitemap_url: str, source: Source | None) -> Discovered:
    events = iterparse(io.BytesIO(body), events=("start", "end"), forbid_entities=True, forbid_external=True)
    root_name: str | None = None
    candidates: list[Candidate] = []
    children: list[SitemapRef] = []
    for event, element in events:
        name = _local(element.tag)
        if root_name is None:
            root_name = name
            if name in ("rss", "feed", "RDF"):
                return parse_feed(body, sitemap_url, source)
            if name not in ("urlset", "sitemapindex"):
                return Discovered(error=f"not a sitemap (root element <{name}>)")
            continue
        if event != "end":
            continue
        if name == "url" and root_name == "urlset":
            candidate = _url_entry(element, sitemap_url, source)
            if candidate:
                candidates.append(candidate)
            element.clear()  # keeps memory flat on 50,000-URL sitemaps
        elif name == "sitemap" and root_name == "sitemapindex":
            fields = _child_texts(element)
            url = _absolute(fields.get("loc"), sitemap_url)
            if url:
                children.append(SitemapRef(url, parse_w3c_datetime(fields.get("lastmod"))))
            element.clear()
    return Discovered(candidates=tuple(candidates), sitemaps=tuple(children))


def _url_entry(element: Any, sitemap_url: str, source: Source | None) -> Candidate | None:
    fields = _child_texts(element)
    url = _absolute(fields.get("loc"), sitemap_url)
    if not url or not _wanted(url, source):
        return None
    news = next((child for child in element if _local(child.tag) == "news"), None)
    modified = parse_w3c_datetime(fields.get("lastmod"))
    if news is None:
        return Candidate(url=url, via="sitemap", modified=modified)
    news_fields = _child_texts(news)
    return Candidate(
        url=url,
        via="news-sitemap",
        title=_clean_text(news_fields.get("title")),
        published=parse_w3c_datetime(news_fields.get("publication_date")),
        modified=modified,
    )


def _parse_text_sitemap(body: bytes, sitemap_url: str, source: Source | None) -> Discovered:
    text = body.decode("utf-8", errors="replace")
    if "<" in text[:512]:
        return Discovered(error="not a sitemap (neither XML nor a list of URLs)")
    candidates = []
    for line in text.splitlines():
        url = _absolute(line, sitemap_url)
        if url and _wanted(url, source):
            candidates.append(Candidate(url=url, via="sitemap"))
    return Discovered(candidates=tuple(candidates))


def _child_texts(element: Any) -> dict[str, str]:
    return {_local(child.tag): (child.text or "").strip() for child in element}


def _local(tag: object) -> str:
    # Namespaces are matched loosely: many sites declare the sitemap or news namespace wrongly.
    return str(tag).rsplit("}", 1)[-1]


def _html(body: bytes, content_type: str | None) -> Any | None:
    if not body.strip():
        return None
    try:
        return lxml.html.document_fromstring(decode_html(body, content_type))
    except ValueError:  # an XHTML page with an XML encoding declaration: lxml reads that itself
        pass
    except ParserError:
        return None
    try:
        return lxml.html.document_fromstring(body)
    except (ParserError, ValueError):
        return None


def _base_url(doc: Any, page_url: str) -> str:
    base = doc.find(".//base[@href]")
    return urljoin(page_url, base.get("href").strip()) if base is not None else page_url


def _links(doc: Any, page_url: str) -> Iterator[str]:
    base = _base_url(doc, page_url)
    for anchor in doc.iter("a"):
        url = _absolute(anchor.get("href"), base)
        if url:
            yield url


def _absolute(href: str | None, base: str) -> str | None:
    """`href` resolved against `base`, without its fragment; None unless it is a fetchable http(s) URL."""
    if not href or not href.strip():
        return None
    try:
        url = urldefrag(urljoin(base, href.strip())).url
    except ValueError:
        return None
    return None if url_problem(url) else url


def _same_site(url: str, page_url: str, source: Source | None) -> bool:
    if source is not None:
        return source.is_same_site(url)
    return (urlsplit(url).hostname or "").removeprefix("www.") == (
        urlsplit(page_url).hostname or ""
    ).removeprefix("www.")


def _wanted(url: str, source: Source | None) -> bool:
    return source.permits(url) if source is not None else url_problem(url) is None


def _looks_like_section(url: str, page_url: str) -> bool:
    if not _same_site(url, page_url, None) or looks_like_article(url) or urlsplit(url).query:
        return False
    segments = [s.lower() for s in unquote(urlsplit(url).path).split("/") if s]
    if not segments or segments[-1].endswith(NON_PAGE_SUFFIXES):
        return False
    deepest = 4 if LISTING_SEGMENTS.intersection(segments) else 2
    return len(segments) <= deepest and not NOT_SECTION_SEGMENTS.intersection(segments)


def _inside_navigation(element: Any) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "header"):
            return True
        hints = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''} {ancestor.get('role') or ''}"
        if NAVIGATION_HINT.search(hints):
            return True
    return False


def _common(base_url: str, paths: Iterable[str]) -> list[str]:
    return [urljoin(base_url, path) for path in paths]


def _clean_text(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _struct_time(value: Any) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _partial_date(value: str) -> datetime | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2] or 1), 1)
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _rfc822(value: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
