"""The one path from URLs to stored articles: fetch -> decode -> extract -> store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ingest.decode import decode_html
from ingest.extract import extract
from ingest.fetch import FetchResult, FetchSettings, Validators, fetch_all
from store.articles import find_article, save_article
from store.fetchlog import StoreRobotsCache, forget_validators, record_fetch, validators_for


@dataclass(slots=True)
class PageOutcome:
    url: str
    outcome: str  # stored / updated / unchanged / failed
    title: str | None = None
    reason: str | None = None
    article_id: int | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


def scrape(
    urls: Iterable[str], sessions: sessionmaker[Session], settings: FetchSettings | None = None
) -> list[PageOutcome]:
    url_list = list(urls)
    fetched = asyncio.run(
        fetch_all(
            url_list,
            settings,
            validators=_stored_validators(url_list, sessions),
            robots_cache=StoreRobotsCache(sessions),
            on_result=_fetch_logger(sessions),
        )
    )
    return [_process(result, sessions) for result in fetched]


def _stored_validators(urls: list[str], sessions: sessionmaker[Session]) -> dict[str, Validators]:
    """Validators of URLs whose article is stored: a 304 is only good news if we kept the page."""
    with sessions() as session:
        return {
            url: Validators(*pair)
            for url, pair in validators_for(session, urls).items()
            if find_article(session, url) is not None
        }


def _fetch_logger(sessions: sessionmaker[Session]) -> Callable[[FetchResult], None]:
    def log(result: FetchResult) -> None:
        with sessions() as session:
            record_fetch(session, result)

    return log


def _process(result: FetchResult, sessions: sessionmaker[Session]) -> PageOutcome:
    if not result.ok:
        return PageOutcome(result.url, "failed", reason=result.error)
    if result.unchanged:
        with sessions() as session:
            row = find_article(session, result.url)
            return PageOutcome(result.url, "unchanged", title=row.title if row else None)
    html = decode_html(result.body, result.content_type)
    page_url = result.final_url or result.url
    extraction = extract(html, page_url)
    if extraction.article is None:
        with sessions() as session:
            forget_validators(session, result.url)
        return PageOutcome(result.url, "failed", reason=f"no article: {extraction.reason}")
    with sessions() as session:
        outcome, row = save_article(session, extraction.article, page_url)
        return PageOutcome(result.url, outcome.value, title=row.title, article_id=row.id)
