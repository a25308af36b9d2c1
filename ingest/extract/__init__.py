"""HTML text + URL -> Article: trafilatura finds the article, our rules make it Arabic-clean.

One parse per page: `dom.parse` bounds the work (size, element count; libxml2 caps nesting),
`metadata.read_page` reads the intact tree, `dom.prune` removes captions and teaser cards for
other articles by DOM context, trafilatura extracts the main text from the pruned tree, and
`boilerplate.clean` removes what themes put inside the article container, by text rules.

Failure is a value: `extract()` returns an `Extraction` whose `article` is None and whose
`reason` says why when a page holds no article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import use_config

from ingest.article import Article
from ingest.extract import dom
from ingest.extract.blocks import blocks_of, render
from ingest.extract.boilerplate import clean, no_story_reason, says_not_found
from ingest.extract.dates import in_page_zone, parse_printed
from ingest.extract.language import detect_language
from ingest.extract.metadata import choose_authors, host_name, read_page

# Below this many characters of body text a page is a stub. Low on purpose: a breaking-news brief
# ("عاجل") is a sentence or two; listings and error pages are told apart by other checks.
MIN_BODY_CHARS = 120
# trafilatura in fast mode skips its fallback extractors (readability, jusText): on news pages
# they cost more than half the time and our rules do the cleaning they would attempt. They still
# run when fast mode finds too little text (see _main_text).
#
# Recall, not trafilatura's default balance: our rules (dom.py, boilerplate.py) are the precision
# stage, so trafilatura's job is to miss no story text. Its balanced mode also re-measures the whole
# page's text (html2txt) after every short extraction to decide whether to retry in recall mode: a
# quarter of all extraction time on news pages. Starting in recall skips that. What balanced mode
# deleted by class and recall keeps, teaser cards, dom.prune removes. Measured on 2,000 bench pages
# and every corpus page: the same articles, text, titles, authors and dates as balanced mode.
TRAFILATURA_SETTINGS = {
    "fast": True,
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_formatting": False,
    "include_links": True,  # link text marks related-article lines (link density)
    "with_metadata": False,  # read by metadata.py from the same tree, cheaper and Arabic-aware
    "deduplicate": False,
}
# trafilatura falls back to dumping the page's whole text when its main extractor finds fewer than
# 250 characters; a news brief is shorter than that, so the bar is our own minimum.
TRAFILATURA_CONFIG = use_config()
TRAFILATURA_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_BODY_CHARS))


@dataclass(slots=True)
class RemovedBlock:
    """A block of text the clean-up removed, and the rule that removed it (for --explain)."""

    text: str
    rule: str


@dataclass(slots=True)
class Extraction:
    article: Article | None
    reason: str | None = None
    removed: list[RemovedBlock] = field(default_factory=list)


def extract(html: str, url: str | None = None) -> Extraction:
    """The article in `html`, or why there is none. Never raises: whatever goes wrong on one page
    is that page's failure, so a crawl or a batch of files carries on with the next."""
    try:
        return _extract(html, url)
    except RecursionError:
        return Extraction(None, "document nested too deeply")
    except Exception as exc:
        return Extraction(None, f"the extractor failed on this page ({type(exc).__name__}: {exc})")


def _extract(html: str, url: str | None) -> Extraction:
    tree = dom.parse(html)
    if isinstance(tree, str):
        return Extraction(None, tree)
    facts = read_page(tree, url)
    if facts.listing_reason:
        return Extraction(None, facts.listing_reason)
    removed = [RemovedBlock(p.text, p.rule) for p in dom.prune(tree, facts.headline_element)]
    try:
        body = _main_text(tree)
    # A third-party library on untrusted input: whatever it raises is this page's failure.
    except Exception as exc:
        return Extraction(None, f"trafilatura failed on this page ({type(exc).__name__}: {exc})", removed)
    if body is None:
        return Extraction(None, "no article text found", removed)
    blocks = blocks_of(body)
    reason = no_story_reason(blocks)
    if reason:
        return Extraction(None, reason, removed)
    cleaned = clean(blocks, facts.title)
    removed.extend(RemovedBlock(block.text, rule) for block, rule in cleaned.removed)
    text = render(cleaned.kept)
    headline = facts.headline_element.text_content() if facts.headline_element is not None else ""
    if says_not_found(f"{facts.title or ''} {headline}", text):
        return Extraction(
            None, "the page says it was not found (an error page served as a normal page)", removed
        )
    if len(text) < MIN_BODY_CHARS:
        return Extraction(None, f"too little text for an article ({len(text)} characters)", removed)
    published = facts.published
    if published is None and cleaned.date_lines:
        printed = parse_printed(cleaned.date_lines[0])
        published = printed.value if printed and not printed.is_update else None
        published = in_page_zone(published, facts.modified)
    article = Article(
        url=url,
        canonical_url=facts.canonical_url,
        title=facts.title,
        text=text,
        published=published,
        modified=facts.modified,
        authors=choose_authors(facts, tree, cleaned.bylines, cleaned.agencies),
        section=facts.section,
        tags=facts.tags,
        image=facts.image,
        # The text decides for Arabic script (pages declare "ar" on Persian text and vice versa);
        # for other scripts the page's own declaration is all we have.
        language=detect_language(f"{facts.title or ''}\n{text}") or facts.declared_language,
        site_name=facts.site_name or host_name(facts.canonical_url or url),
    )
    return Extraction(article, removed=removed)


def _main_text(tree: HtmlElement) -> etree._Element | None:
    """trafilatura's main-text tree: fast mode, then its fallback extractors only when that finds nothing.

    No URL is passed: trafilatura would only resolve every link's target against it, and the rules
    read link text alone (resolving them was about 5% of extraction time on a page with many links).
    """
    document = trafilatura.bare_extraction(
        tree, url=None, as_dict=False, config=TRAFILATURA_CONFIG, **TRAFILATURA_SETTINGS
    )
    if document is not None and len(document.raw_text or "") >= MIN_BODY_CHARS:
        return document.body
    fallback = trafilatura.bare_extraction(
        tree, url=None, as_dict=False, config=TRAFILATURA_CONFIG, **{**TRAFILATURA_SETTINGS, "fast": False}
    )
    chosen = fallback if fallback is not None else document
    return chosen.body if chosen is not None else None
