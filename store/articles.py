"""Write and read articles: upsert by canonical URL, list, look up."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.article import Article
from store.schema import ArticleRow


class SaveOutcome(StrEnum):
    STORED = "stored"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.title or ''}\n{article.text}".encode()).hexdigest()


def save_article(session: Session, article: Article, fetched_url: str) -> tuple[SaveOutcome, ArticleRow]:
    """Insert or update one article in its own transaction."""
    now = datetime.now(UTC)
    canonical = article.canonical_url or fetched_url
    digest = content_hash(article)
    with session.begin():
        row = session.scalar(select(ArticleRow).where(ArticleRow.canonical_url == canonical))
        if row is None:
            row = ArticleRow(canonical_url=canonical, url=fetched_url, content_hash=digest, first_seen=now)
            _copy_fields(row, article)
            row.last_fetched = now
            session.add(row)
            return SaveOutcome.STORED, row
        row.last_fetched = now
        if row.content_hash == digest:
            return SaveOutcome.UNCHANGED, row
        _copy_fields(row, article)
        row.content_hash = digest
        return SaveOutcome.UPDATED, row


def _copy_fields(row: ArticleRow, article: Article) -> None:
    row.site = urlsplit(row.canonical_url).hostname or ""
    row.title = article.title
    row.text = article.text
    row.published = article.published
    row.modified = article.modified
    row.authors = list(article.authors)
    row.section = article.section
    row.tags = list(article.tags)
    row.image = article.image
    row.language = article.language
    row.site_name = article.site_name


def latest_articles(session: Session, *, limit: int = 20, site: str | None = None) -> list[ArticleRow]:
    query = select(ArticleRow)
    if site:
        query = query.where(ArticleRow.site == site)
    query = query.order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc()).limit(limit)
    return list(session.scalars(query))


def find_article(session: Session, id_or_url: str) -> ArticleRow | None:
    if id_or_url.isdigit():
        return session.get(ArticleRow, int(id_or_url))
    return session.scalar(
        select(ArticleRow).where((ArticleRow.canonical_url == id_or_url) | (ArticleRow.url == id_or_url))
    )


def row_to_article(row: ArticleRow) -> Article:
    return Article(
        url=row.url,
        canonical_url=row.canonical_url,
        title=row.title,
        text=row.text,
        published=row.published,
        modified=row.modified,
        authors=list(row.authors or []),
        section=row.section,
        tags=list(row.tags or []),
        image=row.image,
        language=row.language,
        site_name=row.site_name,
    )
