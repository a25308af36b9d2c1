"""The one path from URLs to stored articles: fetch -> decode -> extract -> store."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ingest.decode import decode_html
from ingest.extract import extract
from ingest.fetch import USER_AGENT, FetchResult, fetch_all
from store.articles import save_article
from store.captures import RawPage, save_capture


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


def scrape(urls: Iterable[str], sessions: sessionmaker[Session]) -> list[PageOutcome]:
    url_list = list(urls)
    fetched = asyncio.run(fetch_all(url_list))
    return [_process(result, sessions) for result in fetched]


def _process(result: FetchResult, sessions: sessionmaker[Session]) -> PageOutcome:
    if not result.ok:
        return PageOutcome(result.url, "failed", reason=result.error)
    html = decode_html(result.body, result.content_type)
    page_url = result.final_url or result.url
    extraction = extract(html, page_url)
    raw = RawPage(
        result.url,
        page_url,
        result.status or 0,
        result.body,
        dict(result.headers),
        {"User-Agent": USER_AGENT},
    )
    if extraction.article is None:
        # The raw page is kept all the same: a later extractor may find the article (reextract).
        with sessions() as session:
            save_capture(session, raw)
        return PageOutcome(result.url, "failed", reason=f"no article: {extraction.reason}")
    with sessions() as session:
        outcome, row = save_article(session, extraction.article, page_url, raw)
        return PageOutcome(result.url, outcome.value, title=row.title, article_id=row.id)
