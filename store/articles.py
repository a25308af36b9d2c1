"""Write and read articles: upsert by canonical URL with revisions, URL aliases, dedup, search index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import bindparam, delete, func, insert, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.arabic import words
from ingest.article import Article
from ingest.urls import canonical_url as canonical_form
from store import dedup, direct
from store.captures import RawPage, StoredCapture, add_capture
from store.db import write_transaction
from store.schema import ArticleRow, ArticleUrlRow, CaptureRow, MinhashBandRow, RevisionRow, SiteRow
from store.search import IndexedText, index_article
from store.types import in_original_zone, offset_minutes

# How many near-duplicate candidates (by shared LSH bands) are compared with a new article, and
# how many articles are read per band: the newest. A band shared by thousands of articles (a
# stock paragraph, a much-syndicated story) would otherwise make every new article read them all,
# and the cost of a write would grow with the archive. Copies of a story are published close
# together in time, so the newest holders of a band are where its near-duplicates are.
MAX_NEAR_DUP_CANDIDATES = 50
NEAR_DUP_PER_BAND = 32
# An article is looked up under at most four URLs: its declared canonical, and the canonical forms
# of the URL asked for, the URL fetched and the URL it redirected to.
SEEN_UNDER_SLOTS = 4
# Sites known to have a `sites` row, per engine: saves a statement per article. A site row lost
# to a rolled-back transaction is only a missing display name; articles do not depend on it.
_known_sites: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()
# Statements built once: building and cache-keying a statement per call costs more than running
# it. They run through `store.direct` (on SQLite's cursor), not Session.execute. An updated row
# is the one ORM write and is flushed at commit; none of these statements reads it back before.
_INSERT_REVISION = insert(RevisionRow.__table__)
_INSERT_BANDS = insert(MinhashBandRow.__table__)
_ignoring_conflict: dict[tuple[str, str], Any] = {}
_articles, _bands, _urls = ArticleRow.__table__, MinhashBandRow.__table__, ArticleUrlRow.__table__
_INSERT_ARTICLE = insert(_articles).returning(_articles.c.id)
_ARTICLES_SEEN_UNDER = select(_urls.c.url, _urls.c.article_id).where(
    _urls.c.url.in_([bindparam(f"url{slot}") for slot in range(SEEN_UNDER_SLOTS)])
)
_SAME_TEXT_ON_SITE = (
    select(_articles.c.id)
    .where(_articles.c.text_hash == bindparam("hash"), _articles.c.site == bindparam("site"))
    .order_by(_articles.c.id)
    .limit(1)
)
_newest_per_band = union_all(
    *(
        select(
            select(_bands.c.article_id)
            .where(_bands.c.band_key == bindparam(f"band{band}"))
            .order_by(_bands.c.article_id.desc())
            .limit(NEAR_DUP_PER_BAND)
            .subquery()
        )
        for band in range(dedup.BANDS)
    )
).subquery()
_NEAR_DUP_CANDIDATES = select(_articles.c.id, _articles.c.minhash, _articles.c.cluster_id).where(
    _articles.c.id.in_(
        select(_newest_per_band.c.article_id)
        .group_by(_newest_per_band.c.article_id)
        .order_by(func.count().desc(), _newest_per_band.c.article_id.desc())
        .limit(MAX_NEAR_DUP_CANDIDATES)
    )
)


class SaveOutcome(StrEnum):
    STORED = "stored"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.title or ''}\n{article.text}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PreparedText:
    """Everything saving an article derives from its title and text alone.

    A pure computation (folding, hashes, MinHash, search terms), so a pipeline can run it in its
    extraction workers and leave only the database work to the writer.
    """

    content_hash: str
    text_hash: str
    signature: np.ndarray
    band_keys: list[int]
    indexed: IndexedText

    @classmethod
    def of(cls, article: Article) -> PreparedText:
        folded = words(article.text)
        signature = dedup.signature(folded)
        return cls(
            content_hash=content_hash(article),
            text_hash=dedup.text_hash(folded),
            signature=signature,
            band_keys=dedup.band_keys(signature),
            indexed=IndexedText.of(article.title, folded),
        )


def site_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def save_article(
    session: Session,
    article: Article,
    fetched_url: str,
    raw: RawPage | None = None,
    *,
    stored_capture: StoredCapture | None = None,
    prepared: PreparedText | None = None,
    alongside: Callable[[Session, SaveOutcome, ArticleRow], None] | None = None,
) -> tuple[SaveOutcome, ArticleRow]:
    """Insert or update one article (and keep its raw page) in one transaction of its own, or in a
    savepoint of the caller's transaction (a batch of pages).

    A new title or text makes a new revision; a re-fetch with the same text only moves
    last_fetched. A page whose folded text equals an article of the same site is that article
    under another URL: the URL is added to it. Copies on other sites are kept as their own
    articles and linked to it as near-duplicates (cluster_id).

    `raw` is a page just fetched, kept with the article; `stored_capture` instead names a page
    already in the archive that the article was re-extracted from (`akhbar reextract`).
    `prepared` is `PreparedText.of(article)` when the caller computed it already. `alongside` is
    the caller's own write, done in the same transaction (a crawl settles the page's claim).
    """
    prepared = prepared or PreparedText.of(article)
    for attempt in range(2):
        try:
            with write_transaction(session):
                outcome, row = _save(session, article, prepared, fetched_url, raw, stored_capture)
                if alongside is not None:
                    alongside(session, outcome, row)
                return outcome, row
        except IntegrityError:
            # Another worker stored the same URL or body between our read and our write: the
            # second attempt finds its row and updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _save(
    session: Session,
    article: Article,
    prepared: PreparedText,
    fetched_url: str,
    raw: RawPage | None,
    stored_capture: StoredCapture | None,
) -> tuple[SaveOutcome, ArticleRow]:
    if raw is not None:
        now = raw.fetched_at
    elif stored_capture is not None:
        now = stored_capture.fetched_at
    else:
        now = datetime.now(UTC)
    declared = article.canonical_url or fetched_url
    canonical = canonical_form(declared)
    spellings = {fetched_url} | ({raw.url, raw.final_url} if raw is not None else set())
    seen = {canonical} | {canonical_form(url) for url in spellings - {declared}}

    # Identity is the canonical form of any URL the article was seen under (the declared canonical
    # first); the row keeps the canonical URL the way the publisher declared it.
    connection = session.connection()
    known = direct.rows(connection, _ARTICLES_SEEN_UNDER, _url_slots(seen))
    article_id = next((i for url, i in known if url == canonical), None) or next((i for _, i in known), None)
    row = session.get(ArticleRow, article_id) if article_id is not None else None
    exact_duplicate = False
    if row is None:
        same_text = direct.value(
            connection, _SAME_TEXT_ON_SITE, {"hash": prepared.text_hash, "site": site_of(declared)}
        )
        row = session.get(ArticleRow, same_text) if same_text is not None else None
        exact_duplicate = row is not None

    if row is None:
        outcome = SaveOutcome.STORED
        row = _insert_article(session, connection, article, prepared, declared, fetched_url, now)
        known_urls: set[str] = set()
        revision = 1
    else:
        known_urls = {url for url, i in known if i == row.id}
        row.last_fetched = max(_as_utc(row.last_fetched), _as_utc(now))
        revision = None
        if not exact_duplicate and row.content_hash != prepared.content_hash:
            outcome = SaveOutcome.UPDATED
            previous = _indexed_as_stored(row)
            _copy_fields(row, article)
            row.url = fetched_url
            row.content_hash = prepared.content_hash
            row.text_hash = prepared.text_hash
            row.minhash = dedup.signature_to_bytes(prepared.signature)
            connection.execute(delete(MinhashBandRow).where(MinhashBandRow.article_id == row.id))
            _index(session, connection, row, prepared, previous=previous)
            revision = _next_revision(session, row.id)
        elif not exact_duplicate and row.language != article.language:
            # Same text, language told apart anew (a better extractor, via reextract): the
            # language is a search facet, so the index entry follows it.
            outcome = SaveOutcome.UPDATED
            previous = _indexed_as_stored(row)
            _copy_fields(row, article)
            index_article(session, row.id, prepared.indexed.with_facets(row.site, row.language), previous)
        elif not exact_duplicate and _copy_fields(row, article):
            outcome = SaveOutcome.UPDATED
        else:
            outcome = SaveOutcome.UNCHANGED

    _add_urls(connection, row.id, seen - known_urls, now)
    capture_id = None
    if raw is not None:
        capture_id = add_capture(session, raw, row.id)
    elif stored_capture is not None:
        capture_id = stored_capture.id
        connection.execute(update(CaptureRow).where(CaptureRow.id == capture_id).values(article_id=row.id))
    if revision is not None:
        direct.run(
            connection,
            _INSERT_REVISION,
            {
                "article_id": row.id,
                "number": revision,
                "title": row.title,
                "text": row.text,
                "content_hash": row.content_hash,
                "recorded_at": now,
                "capture_id": capture_id,
            },
        )
    return outcome, row


def _insert_article(
    session: Session,
    connection: Connection,
    article: Article,
    prepared: PreparedText,
    declared_canonical: str,
    fetched_url: str,
    now: datetime,
) -> ArticleRow:
    values = _fields_of(article, declared_canonical) | {
        "canonical_url": declared_canonical,
        "url": fetched_url,
        "content_hash": prepared.content_hash,
        "text_hash": prepared.text_hash,
        "first_seen": now,
        "last_fetched": now,
        "minhash": dedup.signature_to_bytes(prepared.signature),
        "cluster_id": _nearest_cluster(connection, prepared),
    }
    _add_site(connection, values["site"], article.site_name, now)
    # A Core insert: the ORM's unit of work costs more than the rest of the write. The row handed
    # back is transient (not in the session) and carries the new id.
    row = ArticleRow(id=direct.value(connection, _INSERT_ARTICLE, values), **values)
    _index(session, connection, row, prepared)
    return row


def _fields_of(article: Article, canonical_url: str) -> dict[str, Any]:
    """The article's own fields as the row stores them."""
    return {
        "site": site_of(canonical_url),
        "title": article.title,
        "text": article.text,
        "published": article.published,
        "published_offset": offset_minutes(article.published),
        "modified": article.modified,
        "modified_offset": offset_minutes(article.modified),
        "authors": list(article.authors),
        "section": article.section,
        "tags": list(article.tags),
        "image": article.image,
        "language": article.language,
        "site_name": article.site_name,
    }


def _copy_fields(row: ArticleRow, article: Article) -> bool:
    """Copy the article's fields onto the row; True when any stored value changed."""
    values = _fields_of(article, row.canonical_url)
    changed = False
    for name, value in values.items():
        current = getattr(row, name, None)
        if isinstance(current, datetime) and isinstance(value, datetime):
            same = _as_utc(current) == _as_utc(value)
        else:
            same = current == value
        if not same:
            setattr(row, name, value)
            changed = True
    return changed


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for values stored as UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _index(
    session: Session,
    connection: Connection,
    row: ArticleRow,
    prepared: PreparedText,
    *,
    previous: IndexedText | None = None,
) -> None:
    """Search-index entry and MinHash bands for the article's current text, site and language."""
    index_article(session, row.id, prepared.indexed.with_facets(row.site, row.language), previous)
    direct.run_many(
        connection, _INSERT_BANDS, [{"band_key": key, "article_id": row.id} for key in prepared.band_keys]
    )


def _indexed_as_stored(row: ArticleRow) -> IndexedText:
    """What the search index holds for the row as it is now (needed to replace that entry)."""
    return IndexedText.of(row.title, words(row.text)).with_facets(row.site, row.language)


def _nearest_cluster(connection: Connection, prepared: PreparedText) -> int | None:
    """The cluster (its first article's id) of the most similar stored article above the threshold."""
    best: tuple[float, int] | None = None
    bands = {f"band{band}": key for band, key in enumerate(prepared.band_keys)}
    for other_id, other_minhash, other_cluster in direct.rows(connection, _NEAR_DUP_CANDIDATES, bands):
        if other_minhash is None:
            continue
        score = dedup.similarity(prepared.signature, dedup.signature_from_bytes(other_minhash))
        if score >= dedup.NEAR_DUP_JACCARD and (best is None or score > best[0]):
            best = (score, other_cluster or other_id)
    return best[1] if best else None


def _add_site(connection: Connection, host: str, name: str | None, now: datetime) -> None:
    known = _known_sites.setdefault(connection.engine, set())
    if host in known:
        return
    _insert_ignoring_conflict(connection, SiteRow, [{"host": host, "name": name, "first_seen": now}], "host")
    known.add(host)


def _add_urls(connection: Connection, article_id: int, urls: set[str], now: datetime) -> None:
    if urls:
        rows = [{"url": url, "article_id": article_id, "first_seen": now} for url in sorted(urls)]
        _insert_ignoring_conflict(connection, ArticleUrlRow, rows, "url")


def _next_revision(session: Session, article_id: int) -> int:
    last = session.connection().scalar(
        select(func.max(RevisionRow.number)).where(RevisionRow.article_id == article_id)
    )
    return (last or 0) + 1


def _insert_ignoring_conflict(
    connection: Connection, model: type, rows: list[dict[str, Any]], key: str
) -> None:
    dialect = connection.dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    statement = _ignoring_conflict.get((dialect, table.name))
    if statement is None:
        insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert_for(table).on_conflict_do_nothing(index_elements=[key])
        _ignoring_conflict[(dialect, table.name)] = statement
    direct.run_many(connection, statement, rows)


def _url_slots(urls: set[str]) -> dict[str, str]:
    """The URLs as the lookup's fixed parameters, the first repeated in unused slots."""
    ordered = sorted(urls)
    if len(ordered) > SEEN_UNDER_SLOTS:
        raise ValueError(f"an article is looked up under at most {SEEN_UNDER_SLOTS} URLs: {ordered}")
    return {f"url{slot}": ordered[min(slot, len(ordered) - 1)] for slot in range(SEEN_UNDER_SLOTS)}


# ---------------------------------------------------------------- reading back


def latest_articles(session: Session, *, limit: int = 20, site: str | None = None) -> list[ArticleRow]:
    query = select(ArticleRow)
    if site:
        query = query.where(ArticleRow.site == site.lower())
    query = query.order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc()).limit(limit)
    return list(session.scalars(query))


def find_article(session: Session, id_or_url: str) -> ArticleRow | None:
    """By id, or by any URL the article was seen under (in any spelling that canonicalises alike)."""
    if id_or_url.isdigit():
        return session.get(ArticleRow, int(id_or_url))
    canonical = canonical_form(id_or_url)
    row = session.scalar(select(ArticleRow).join(ArticleUrlRow).where(ArticleUrlRow.url == canonical))
    if row is not None:
        return row
    return session.scalar(
        select(ArticleRow).where((ArticleRow.canonical_url == canonical) | (ArticleRow.url == id_or_url))
    )


def urls_of(session: Session, article_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ArticleUrlRow.url)
            .where(ArticleUrlRow.article_id == article_id)
            .order_by(ArticleUrlRow.url)
        )
    )


def revisions_of(session: Session, article_id: int) -> list[RevisionRow]:
    return list(
        session.scalars(
            select(RevisionRow).where(RevisionRow.article_id == article_id).order_by(RevisionRow.number)
        )
    )


def near_duplicates_of(session: Session, row: ArticleRow) -> list[ArticleRow]:
    """The other articles in the row's near-duplicate cluster, oldest first.

    A cluster is named by its first article's id: that article has cluster_id NULL, the others
    carry its id. An article with no near-duplicate is a cluster of one.
    """
    root = row.cluster_id or row.id
    return list(
        session.scalars(
            select(ArticleRow)
            .where(or_(ArticleRow.id == root, ArticleRow.cluster_id == root), ArticleRow.id != row.id)
            .order_by(ArticleRow.id)
        )
    )


def row_to_article(row: ArticleRow) -> Article:
    return Article(
        url=row.url,
        canonical_url=row.canonical_url,
        title=row.title,
        text=row.text,
        published=in_original_zone(row.published, row.published_offset),
        modified=in_original_zone(row.modified, row.modified_offset),
        authors=list(row.authors or []),
        section=row.section,
        tags=list(row.tags or []),
        image=row.image,
        language=row.language,
        site_name=row.site_name,
    )
