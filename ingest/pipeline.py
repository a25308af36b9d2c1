"""The one path from URLs to stored articles: fetch -> decode -> extract -> store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from ingest.article import Article
from ingest.decode import decode_html
from ingest.extract import Extraction, extract
from ingest.fetch import (
    USER_AGENT,
    FetchOutcome,
    FetchResult,
    FetchSettings,
    Politeness,
    Validators,
    fetch_all,
)
from ingest.zones import in_local_zone, locale_zone
from store.articles import PreparedText, SaveOutcome, find_article, save_article
from store.captures import PackedBody, RawPage, kept_validators, save_capture
from store.db import write_transaction
from store.fetchlog import StoreRobotsCache, record_fetch
from store.schema import ArticleRow


@dataclass(slots=True)
class PageOutcome:
    url: str
    outcome: str  # stored / updated / unchanged / failed
    title: str | None = None
    reason: str | None = None
    article_id: int | None = None
    published: datetime | None = None
    # A failure that trying again will not mend: robots.txt forbids it, 410 Gone, no article.
    permanent: bool = False
    language: str | None = None  # the stored article's

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


# A caller's own write for a page, done in the transaction that stores the page.
Alongside = Callable[[Session, PageOutcome], None]


@dataclass(slots=True)
class Extracted:
    """A fetched page after all its CPU work: decoded, extracted, gaps filled, text prepared.

    Computed without a database, so an extraction process pool can produce it while the writer
    only writes; `prepared` is None when the page holds no article.
    """

    extraction: Extraction
    packed: PackedBody
    prepared: PreparedText | None = None


@dataclass(frozen=True, slots=True)
class Hints:
    """What a feed or sitemap said about a page, and what its source's entry in sources.toml says
    about the site: fills the gaps the page itself leaves."""

    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    # The source's date-locale hint ("ar-JO"): local times the page prints without a zone are read
    # in that region's zone.
    date_locale: str | None = None


def scrape(
    urls: Iterable[str],
    sessions: sessionmaker[Session],
    settings: FetchSettings | None = None,
    politeness: Mapping[str, Politeness] | None = None,
) -> list[PageOutcome]:
    """Fetch, extract and store each URL; `politeness` gives a URL its source's delay and User-Agent."""
    url_list = list(urls)
    settings = settings or FetchSettings()
    own = politeness or {}
    fetched = asyncio.run(
        fetch_all(
            url_list,
            settings,
            validators=stored_validators(url_list, sessions),
            politeness=own,
            robots_cache=StoreRobotsCache(sessions),
            on_result=_fetch_logger(sessions),
        )
    )
    sent_as = {url: manners.user_agent for url, manners in own.items()}
    return [
        _processed(result, sessions, sent_as.get(result.url) or settings.user_agent) for result in fetched
    ]


def _processed(result: FetchResult, sessions: sessionmaker[Session], user_agent: str) -> PageOutcome:
    with sessions() as session:
        return process_fetched(result, session, None, user_agent)


def stored_validators(urls: list[str], sessions: sessionmaker[Session]) -> dict[str, Validators]:
    """Validators of the pages articles were stored from: a 304 is only good news if we kept the page."""
    with sessions() as session:
        return {url: Validators(*pair) for url, pair in kept_validators(session, urls).items()}


def _fetch_logger(sessions: sessionmaker[Session]) -> Callable[[FetchResult], None]:
    def log(result: FetchResult) -> None:
        with sessions() as session:
            record_fetch(session, result)

    return log


def extract_page(
    body: bytes, content_type: str | None, page_url: str, hints: Hints | None = None
) -> Extracted:
    """The CPU-bound part of a page: decode -> extract -> fill gaps -> prepare the text for the store."""
    extraction = extract(decode_html(body, content_type), page_url)
    packed = PackedBody.of(body)  # the raw page is kept, article or not
    if extraction.article is None:
        return Extracted(extraction, packed)
    extraction.article = fill_gaps(extraction.article, hints)
    return Extracted(extraction, packed, PreparedText.of(extraction.article))


def process_fetched(
    result: FetchResult,
    session: Session,
    hints: Hints | None = None,
    user_agent: str = USER_AGENT,
    *,
    extracted: Extracted | None = None,
    alongside: Alongside | None = None,
) -> PageOutcome:
    """The one per-page path, shared by scrape and crawl: fetch result -> decode -> extract -> store.

    `extracted` is `extract_page()` of this result when an extraction pool already ran it.
    `alongside` is the caller's own write for the page (a crawl settles its claim): it runs once,
    in the transaction that stores the page, or in one of its own when there is nothing to store.
    Each write is a transaction of its own, or a savepoint when `session` is in a transaction
    already (a crawl writes its pages a batch per transaction).
    """
    if not result.ok:
        permanent = result.outcome is FetchOutcome.DISALLOWED or result.status == 410
        return _written_alongside(
            session, alongside, PageOutcome(result.url, "failed", reason=result.error, permanent=permanent)
        )
    if result.unchanged:
        row = find_article(session, result.url)
        outcome = (
            PageOutcome(result.url, "unchanged")
            if row is None
            else PageOutcome(
                result.url, "unchanged", title=row.title, article_id=row.id, published=row.published
            )
        )
        return _written_alongside(session, alongside, outcome)
    page_url = result.final_url or result.url
    if extracted is None:
        extracted = extract_page(result.body, result.content_type, page_url, hints)
    extraction = extracted.extraction
    raw = RawPage(
        result.url,
        page_url,
        result.status or 0,
        result.body,
        dict(result.headers),
        {"User-Agent": user_agent},
        packed=extracted.packed,
    )
    if extraction.article is None:
        # The raw page is kept all the same: a later extractor may find the article (reextract).
        outcome = PageOutcome(result.url, "failed", reason=f"no article: {extraction.reason}", permanent=True)
        save_capture(session, raw, alongside and (lambda session: alongside(session, outcome)))
        return outcome

    def stored(saved: SaveOutcome, row: ArticleRow) -> PageOutcome:
        return PageOutcome(
            result.url,
            saved.value,
            title=row.title,
            article_id=row.id,
            published=row.published,
            language=row.language,
        )

    saved, row = save_article(
        session,
        extraction.article,
        page_url,
        raw,
        prepared=extracted.prepared,
        alongside=alongside and (lambda session, saved, row: alongside(session, stored(saved, row))),
    )
    return stored(saved, row)


def _written_alongside(session: Session, alongside: Alongside | None, outcome: PageOutcome) -> PageOutcome:
    if alongside is not None:
        with write_transaction(session):
            alongside(session, outcome)
    return outcome


def fill_gaps(article: Article, hints: Hints | None) -> Article:
    """The article with its missing title and dates taken from the listing that named it, and
    zone-less local times placed in its source's zone."""
    if hints is None:
        return article
    zone = locale_zone(hints.date_locale)
    article.published = in_local_zone(article.published, zone)
    article.modified = in_local_zone(article.modified, zone)
    if not article.title and hints.title:
        article.title = hints.title
    if article.published is None and hints.published is not None:
        article.published = hints.published
    if article.modified is None and hints.modified is not None:
        article.modified = hints.modified
    return article
