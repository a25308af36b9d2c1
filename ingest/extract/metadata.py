"""What a page says about its article: title, authors, dates, section, tags, image, canonical URL, site.

Sources, most trusted first: JSON-LD, <meta>/microdata, the printed page (the headline, the byline
and the date line near it), then the URL. Printed facts are searched near the headline element,
because a news page also prints other articles' bylines and dates in its lists and sidebars.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import SplitResult, urljoin, urlsplit

import lxml.html
from lxml import etree

from ingest.arabic import fold, words
from ingest.extract.boilerplate import byline_name, name_before_date
from ingest.extract.dates import (
    PrintedDate,
    date_in_url,
    in_page_zone,
    in_printed_zone,
    parse_iso,
    parse_printed,
)
from ingest.extract.dom import is_hidden

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "blogposting",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "socialmediaposting",
    "liveblogposting",
    "report",
}
PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dc:date",
    "dcterms:created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "article.published",
    "cxenseparse:recs:publishtime",
)
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "lastmod")
AUTHOR_KEYS = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")
TAG_KEYS = ("article:tag", "news_keywords")
SECTION_KEYS = ("article:section", "articlesection", "section", "category")
TITLE_SEPARATORS = re.compile(r"\s+[-|–—:•·»«]{1,2}\s+|\s+::\s+")
# Printed byline and date line are searched this many elements around the headline.
NEAR_BEFORE, NEAR_AFTER = 30, 80
SHORT_TEXT_CHARS = 160
# What <title> may carry besides the headline: a site name and a section ("اقتصاد - الحل نت").
SITE_NAME_MAX_WORDS = 8


@dataclass(slots=True)
class PageFacts:
    title: str | None = None
    headline_element: lxml.html.HtmlElement | None = None
    site_names: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    image: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    declared_authors: Callable[[], list[str]] = list
    printed_bylines: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    printed_published: datetime | None = None
    printed_modified: datetime | None = None
    listing_reason: str | None = None
    declared_language: str | None = None

    @property
    def site_name(self) -> str | None:
        return self.site_names[0] if self.site_names else None


def read_page(tree: lxml.html.HtmlElement, url: str | None) -> PageFacts:
    facts = PageFacts()
    metas = _metas(tree)
    ld = _json_ld_article(tree, metas)
    publisher = _name_of(ld.get("publisher")) if ld else None
    facts.site_names = _unique(
        [
            *metas.get("og:site_name", []),
            *([publisher] if publisher else []),
            *metas.get("application-name", []),
        ]
    )
    facts.canonical_url = _canonical(tree, metas, url)
    is_article = bool(ld and _ld_types(ld) & ARTICLE_TYPES) or "article" in metas.get("og:type", [])
    facts.title, facts.headline_element = _title(tree, metas, ld, facts)
    facts.declared_language = _declared_language(tree, metas)
    facts.listing_reason = _listing_reason(tree, url, facts.headline_element, is_article)
    # A <meta name="publisher"> is often the owning company: a name of last resort.
    facts.site_names = _unique([*facts.site_names, *metas.get("publisher", [])])
    facts.image = _absolute(
        _first(metas.get("og:image", []) + metas.get("twitter:image", []) + _ld_images(ld)), url
    )
    facts.section = _first(
        ([ld["articleSection"]] if ld and isinstance(ld.get("articleSection"), str) else [])
        + (ld["articleSection"] if ld and isinstance(ld.get("articleSection"), list) else [])
        + [v for key in SECTION_KEYS for v in metas.get(key, [])]
    )
    facts.tags = _tags(tree, metas, ld)
    # Read only when the page prints no byline: the DOM search for author elements is not free.
    facts.declared_authors = lambda: _declared_authors(tree, metas, ld)
    near = _near_headline(tree, facts.headline_element)
    facts.printed_bylines = near.bylines[:1]
    # A <time> near the headline is this article's; without a headline, the page's first one.
    times = near.times if facts.headline_element is not None else _time_elements(tree)[:1]
    facts.published = _first_date(
        [
            ld.get("datePublished") if ld else None,
            *(v for k in PUBLISHED_KEYS for v in metas.get(k, [])),
            *times,
        ]
    )
    facts.modified = _first_date([ld.get("dateModified") if ld else None, *_values(metas, MODIFIED_KEYS)])
    printed_dates = near.dates
    for printed in printed_dates:
        if printed.is_update and facts.printed_modified is None:
            facts.printed_modified = printed.value
        elif not printed.is_update and facts.printed_published is None:
            facts.printed_published = printed.value
    if facts.published is None:
        facts.published = facts.printed_published or date_in_url(facts.canonical_url) or date_in_url(url)
    elif facts.printed_published is not None:
        facts.published = in_printed_zone(facts.published, facts.printed_published)
    if facts.modified is None:
        facts.modified = facts.printed_modified
    facts.published = in_page_zone(facts.published, facts.modified)
    facts.modified = in_page_zone(facts.modified, facts.published)
    return facts


# A page without a headline of its own that links this many headings is a home or section page.
LISTING_LINKED_HEADINGS = 8
_LINKED_HEADINGS = etree.XPath("count(//body//*[self::h1 or self::h2 or self::h3 or self::h4][.//a])")


def _listing_reason(
    tree: lxml.html.HtmlElement, url: str | None, headline: lxml.html.HtmlElement | None, is_article: bool
) -> str | None:
    parts = _split_url(url)
    if parts is not None and parts.path in ("", "/") and not parts.query:
        return "the site's home page, not an article"
    if headline is None and not is_article and _LINKED_HEADINGS(tree) >= LISTING_LINKED_HEADINGS:
        return "a home or section page (linked headlines and no headline of its own)"
    return None


def choose_authors(
    facts: PageFacts, tree: lxml.html.HtmlElement, body_bylines: list[str], agencies: list[str]
) -> list[str]:
    """Printed bylines first; declared authors only when the page prints them; then a wire credit."""
    printed = [
        clean_author(name) for line in (*body_bylines, *facts.printed_bylines) for name in _split(line)
    ]
    printed = _unique([name for name in printed if name])
    if printed:
        return printed
    site = [fold(name) for name in (*facts.site_names, host_name(facts.canonical_url) or "") if name]
    declared = [clean_author(name) for line in facts.declared_authors() for name in _split(line)]
    # The publisher named as author ("الجزيرة" on "الجزيرة نت") is not a byline.
    declared = [name for name in _unique([n for n in declared if n]) if not _is_site(fold(name), site)]
    if declared:
        # A name that appears only in metadata or a hidden vcard is the CMS account that posted
        # the item, not a byline the reader sees.
        declared = [name for name in declared if _printed_in(name, tree)]
        if declared:
            return declared
    credits = [clean_author(a) for a in agencies]
    return _unique([name for name in credits if name and not _is_site(fold(name), site)])


def _is_site(name: str, site_names: list[str]) -> bool:
    return any(name in site or site in name for site in site_names)


def _printed_in(name: str, tree: lxml.html.HtmlElement) -> bool:
    """Whether a reader sees `name` on the page: in a text node outside scripts and hidden elements."""
    for text in _TEXT_CONTAINING(tree, name=name):
        holder = text.getparent()
        if holder is not None and not any(
            e.tag in ("script", "style", "noscript", "template", "title", "head") or is_hidden(e)
            for e in (holder, *holder.iterancestors())
        ):
            return True
    return False


_TEXT_CONTAINING = etree.XPath("//body//text()[contains(normalize-space(.), $name)]")


# Several authors in one byline: "فلان، فلانة", "A, B and C". Not on " و": names start with و too.
_AUTHOR_SEPARATORS = re.compile(r"\s*[،,؛;&]\s*|\s+and\s+", re.IGNORECASE)


def _split(byline: str) -> list[str]:
    return [part for part in _AUTHOR_SEPARATORS.split(byline) if part.strip()]


_DATELINE_TAIL = re.compile(r"\s+[-–—|/]\s*(\S+(?:\s+\S+)?)\s*$")
_AUTHOR_NOISE = re.compile(r"^(?:by|بواسطة|بقلم|كتب|كتبت)\s*[:：]?\s*", re.IGNORECASE)


def clean_author(name: str) -> str:
    """One author as printed: no label, no trailing dateline place ("فلان - القاهرة"), no URL."""
    name = " ".join(name.split())
    if not name or name.startswith(("http://", "https://", "/")) or "@" in name:
        return ""
    name = _AUTHOR_NOISE.sub("", name)
    name = name_before_date(name)  # an author box that also prints the date
    tail = _DATELINE_TAIL.search(name)
    if tail and len(name[: tail.start()].split()) >= 2:
        name = name[: tail.start()]
    return name.strip(" -–—،,.:")


def _metas(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = element.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), []).append(value.strip())
    # Microdata on visible elements (<span itemprop="datePublished" content=...>, property="dc:date").
    for element in tree.xpath("//body//*[(@itemprop or @property) and (@content or @datetime)]"):
        if element.tag == "meta":
            continue
        key = (element.get("itemprop") or element.get("property") or "").strip().lower()
        value = element.get("content") or element.get("datetime")
        if key and value:
            found.setdefault(key, []).append(value.strip())
    return found


def _values(metas: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in metas.get(key, [])]


def _json_ld_article(tree: lxml.html.HtmlElement, metas: dict[str, list[str]]) -> dict | None:
    candidates: list[dict] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        candidates.extend(_ld_objects(data, depth=0))
    titles = [fold(t) for t in (*metas.get("og:title", []), *(t.text_content() for t in tree.iter("title")))]
    for wanted in (ARTICLE_TYPES, {"webpage", "itempage"}):
        found = [obj for obj in candidates if _ld_types(obj) & wanted]
        # A page may also describe its related articles: this page's own object carries its title.
        for obj in found:
            headline = obj.get("headline")
            if isinstance(headline, str) and headline.strip() and any(fold(headline) in t for t in titles):
                return obj
        if found:
            return found[0]
    return None


def _ld_objects(data: object, depth: int) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _ld_objects(data[key], depth + 1)


def _ld_types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _name_of(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name_of(value.get("name"))
    if isinstance(value, list) and value:
        return _name_of(value[0])
    return None


def _ld_images(ld: dict | None) -> list[str]:
    if not ld:
        return []
    image = ld.get("image") or ld.get("thumbnailUrl")
    items = image if isinstance(image, list) else [image]
    found = []
    for item in items:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            found.append(item["url"])
    return found


def _canonical(tree: lxml.html.HtmlElement, metas: dict[str, list[str]], url: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return _absolute(link.get("href").strip(), url)
    return _absolute(_first(metas.get("og:url", [])), url) or url


def _absolute(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    if not base:
        return value
    try:
        return urljoin(base, value)
    except ValueError:  # a malformed URL on the page or given by the caller ("http://[bad")
        return value if _split_url(value) is not None else None


def _title(
    tree: lxml.html.HtmlElement, metas: dict[str, list[str]], ld: dict | None, facts: PageFacts
) -> tuple[str | None, lxml.html.HtmlElement | None]:
    declared = [
        *metas.get("og:title", []),
        *metas.get("twitter:title", []),
        *([ld["headline"]] if ld and isinstance(ld.get("headline"), str) else []),
        *metas.get("headline", []),
        *(_squash(t.text_content()) for t in tree.iter("title")),
    ]
    declared = [d for d in (_squash(d) for d in declared) if d]
    folded_declared = [fold(d) for d in declared]
    headings = [h for h in tree.iter("h1", "h2") if not _inside_hidden(h)]
    # The headline as printed: an <h1> (or <h2>) whose words the page's declared titles carry.
    site_names = {fold(name) for name in facts.site_names}
    for heading in headings:
        text = _squash(heading.text_content())
        folded = fold(text)
        if len(text.split()) < 2 or folded in site_names:
            continue
        # The declared title is the headline, perhaps with the site's name around it; a logo or
        # section heading is only a small part of it.
        if any(
            folded in d and len(d.replace(folded, " ").split()) <= SITE_NAME_MAX_WORDS
            for d in folded_declared
        ):
            _learn_site_name(text, declared, facts)
            return text, heading
    if declared:
        title = _strip_site_name(declared[0], facts)
        heading = _find_heading(headings, title) or _first_headline_like(tree, site_names)
        if heading is not None and (
            fold(title) in site_names | {""} or _same_story(_squash(heading.text_content()), title)
        ):
            # <title> holds only the site's name, or a reworded (SEO) headline: the headline as
            # printed above the story is the title.
            return _squash(heading.text_content()), heading
        return title, heading
    heading = _first_headline_like(tree, site_names)
    return (_squash(heading.text_content()), heading) if heading is not None else (None, None)


# An <h1> sharing this share of its words with the declared title is the same headline, reworded.
SAME_HEADLINE_SHARE = 0.6


def _same_story(heading: str, title: str) -> bool:
    heading_words, title_words = set(words(heading)), set(words(title))
    return bool(heading_words) and len(heading_words & title_words) >= SAME_HEADLINE_SHARE * len(
        heading_words
    )


def _first_headline_like(tree: lxml.html.HtmlElement, site_names: set[str]) -> lxml.html.HtmlElement | None:
    """The first visible <h1> that reads like a headline: a few words, not the site's name."""
    for heading in tree.iter("h1"):
        text = _squash(heading.text_content())
        if len(text.split()) >= 3 and fold(text) not in site_names and not _inside_hidden(heading):
            return heading
    return None


def _learn_site_name(headline: str, declared: list[str], facts: PageFacts) -> None:
    # What <title> carries around the headline is the site's name ("المدينة نيوز - …").
    for title in declared:
        rest = _squash(TITLE_SEPARATORS.sub(" ", title.replace(headline, " ")))
        rest = rest.strip(" -|–—:•·»«")
        if rest and rest != title and len(rest.split()) <= 5:
            facts.site_names = _unique([*facts.site_names, rest])


def _strip_site_name(title: str, facts: PageFacts) -> str:
    """The title without the site's name (and section) at its start or end; the middle verbatim."""
    cuts = [0, *(i for m in TITLE_SEPARATORS.finditer(title) for i in m.span()), len(title)]
    parts = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    if len(parts) < 2:
        return title
    names = [fold(n) for n in facts.site_names if n.strip()]

    def is_site(span: tuple[int, int]) -> bool:
        part = fold(title[span[0] : span[1]]).strip()
        return bool(part) and any(part in name or name in part for name in names)

    count = len(parts)
    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) == count:
        # No known site name around it: a short last part after a long headline is the site's name.
        last = title[parts[-1][0] : parts[-1][1]].strip()
        if len(last.split()) <= 4 < len(title[parts[0][0] : parts[-2][1]].split()):
            facts.site_names = _unique([*facts.site_names, last])
            parts.pop()
    return title[parts[0][0] : parts[-1][1]].strip()


def _find_heading(headings: list[lxml.html.HtmlElement], title: str | None) -> lxml.html.HtmlElement | None:
    if not title:
        return None
    wanted = fold(title)
    for heading in headings:
        if fold(_squash(heading.text_content())) == wanted:
            return heading
    return None


def _inside_hidden(element: lxml.html.HtmlElement) -> bool:
    return any(is_hidden(e) for e in (element, *element.iterancestors()))


def _tags(tree: lxml.html.HtmlElement, metas: dict[str, list[str]], ld: dict | None) -> list[str]:
    tags: list[str] = []
    for key in TAG_KEYS:
        for value in metas.get(key, []):
            tags.extend(value.split(",") if key == "news_keywords" else [value])
    if not tags and ld:
        keywords = ld.get("keywords")
        if isinstance(keywords, str):
            tags.extend(keywords.split(","))
        elif isinstance(keywords, list):
            tags.extend(k for k in keywords if isinstance(k, str))
    if not tags:
        tags.extend(a.text_content() for a in tree.xpath('//a[contains(concat(" ", @rel, " "), " tag ")]'))
    return _unique([_squash(t) for t in tags if _squash(t)])


def _declared_authors(tree: lxml.html.HtmlElement, metas: dict[str, list[str]], ld: dict | None) -> list[str]:
    names: list[str] = []
    if ld:
        authors = ld.get("author") or ld.get("creator")
        for author in authors if isinstance(authors, list) else [authors]:
            name = _name_of(author)
            if name:
                names.append(name)
    names.extend(_values(metas, AUTHOR_KEYS))
    for element in tree.xpath('//body//*[@rel="author" or @itemprop="author" or contains(@class, "author")]'):
        text = _squash(element.text_content())
        if text and len(text.split()) <= 6 and not _inside_hidden(element):
            names.append(text)
    return names


def _time_elements(tree: lxml.html.HtmlElement) -> list[str]:
    return [t.get("datetime") for t in tree.iter("time") if t.get("datetime")]


def _first_date(values: list[str | None]) -> datetime | None:
    for value in values:
        parsed = parse_iso(value)
        if parsed is not None:
            return parsed
    return None


@dataclass(slots=True)
class NearHeadline:
    """What the page prints next to its headline, nearest first."""

    bylines: list[str] = field(default_factory=list)
    dates: list[PrintedDate] = field(default_factory=list)
    times: list[str] = field(default_factory=list)


def _near_headline(tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None) -> NearHeadline:
    body = tree.find("body")
    near = NearHeadline()
    if body is None or headline is None:
        return near
    bylines: list[tuple[int, str]] = []
    dates: list[tuple[int, PrintedDate]] = []
    times: list[tuple[int, str]] = []
    for distance, element in _around(headline):
        if element.tag == "time" and element.get("datetime"):
            times.append((distance, element.get("datetime")))
        if len(element) > 6:
            continue
        text = _short_text(element)
        if not text or is_hidden(element):
            continue
        name = byline_name(text)
        printed = parse_printed(text) if _HAS_DIGIT.search(text) else None
        if (name or printed) and _in_navigation(element):
            continue
        if name:
            bylines.append((distance, name))
        if printed is not None:
            dates.append((distance, printed))
    for found, pairs in ((near.bylines, bylines), (near.dates, dates), (near.times, times)):
        found.extend(value for _, value in sorted(pairs, key=lambda pair: pair[0]))
    return near


_NAVIGATION_CLASS = re.compile(
    r"(?<![a-z])(?:breadcrumbs?|menu|nav|navbar|navigation)(?![a-z])", re.IGNORECASE
)


def _in_navigation(element: lxml.html.HtmlElement) -> bool:
    # A menu item "كتب وإصدارات" (a books section) is not a byline.
    return any(
        e.tag == "nav" or _NAVIGATION_CLASS.search(e.get("class") or "")
        for e in (element, *element.iterancestors())
    )


_HAS_DIGIT = re.compile(r"\d")


def _short_text(element: lxml.html.HtmlElement) -> str | None:
    """The element's text if it is a short line, else None (containers are longer).

    The text is gathered by libxml2 (XPath string()): a loop over `itertext()` in Python cost twice
    as much on the hundred-odd elements read around every headline, though it could stop early.
    """
    text = _TEXT_OF(element)
    if len(text) > 2 * SHORT_TEXT_CHARS:
        return None
    text = _squash(text)
    return text if len(text) <= SHORT_TEXT_CHARS else None


_TEXT_OF = etree.XPath("string()", smart_strings=False)


def _around(headline: lxml.html.HtmlElement) -> Iterator[tuple[int, lxml.html.HtmlElement]]:
    """Elements within NEAR_BEFORE before and NEAR_AFTER after the headline, with their distance.

    XPath's preceding/following axes skip the headline's own containers and children, and run in
    libxml2 rather than over Python proxies of every element of the page."""
    before = _PRECEDING(headline)
    yield from enumerate(reversed(before), start=1)
    yield from enumerate(_FOLLOWING(headline), start=1)


_PRECEDING = etree.XPath(f"preceding::*[not(self::script or self::style)][position() <= {NEAR_BEFORE}]")
_FOLLOWING = etree.XPath(f"following::*[not(self::script or self::style)][position() <= {NEAR_AFTER}]")


def _declared_language(tree: lxml.html.HtmlElement, metas: dict[str, list[str]]) -> str | None:
    """The primary language subtag the page declares (<html lang>, og:locale), lower-cased."""
    for value in (
        tree.get("lang"),
        tree.get("xml:lang"),
        *metas.get("og:locale", []),
        *metas.get("language", []),
    ):
        tag = (value or "").strip().replace("_", "-").split("-")[0].lower()
        if tag.isalpha() and 2 <= len(tag) <= 3:
            return tag
    return None


def _first(values: list[object]) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        key = fold(value)
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _squash(text: str) -> str:
    return " ".join(text.split())


def _split_url(url: str | None) -> SplitResult | None:
    if not url:
        return None
    try:
        return urlsplit(url)
    except ValueError:
        return None


def host_name(url: str | None) -> str | None:
    parts = _split_url(url)
    if parts is None:
        return None
    try:
        host = parts.hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None
