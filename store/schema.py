"""The archive's tables as SQLAlchemy 2.0 typed models."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class SiteRow(Base):
    """A publisher host that articles were stored from."""

    __tablename__ = "sites"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())


class ArticleRow(Base):
    """The current state of one article, identified by its canonical URL.

    `content_hash` covers title and text as published (a change makes a new revision);
    `text_hash` covers the folded text only (exact duplicates across URLs of one site);
    `cluster_id` links near-duplicates, e.g. one agency story syndicated on several sites.
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    site: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    modified: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The publisher's UTC offset of published/modified in minutes (stored in UTC); None: no zone given.
    published_offset: Mapped[int | None] = mapped_column(SmallInteger)
    modified_offset: Mapped[int | None] = mapped_column(SmallInteger)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    image: Mapped[str | None] = mapped_column(String(2048))
    language: Mapped[str | None] = mapped_column(String(16))
    site_name: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_fetched: Mapped[datetime] = mapped_column(UtcDateTime())
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ArticleUrlRow(Base):
    """Every URL (canonical form) an article was seen under: fetched, redirected-to, declared."""

    __tablename__ = "article_urls"
    # On SQLite the table is its primary-key index: one b-tree written per row instead of two.
    __table_args__: ClassVar[dict[str, bool]] = {"sqlite_with_rowid": False}

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())


class RevisionRow(Base):
    """One version of an article's title and text; number 1 is the first one stored."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id", ondelete="SET NULL"))


class BlobRow(Base):
    """Raw response bytes, zstd-compressed, stored once per distinct body (sha256 of the raw bytes)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    zstd: Mapped[bytes] = mapped_column(LargeBinary)


class CaptureRow(Base):
    """One fetched page as served: the request, the response head and its body (in `blobs`).

    Kept for every page fetched, whether or not an article came out of it, so that
    `akhbar reextract` can rebuild articles with a later extractor and exports can write WARC.
    """

    __tablename__ = "captures"
    # Finds the newest capture of each page (reextract).
    __table_args__ = (Index("ix_captures_final_url", "final_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    final_url: Mapped[str] = mapped_column(String(2048))
    site: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[int] = mapped_column(Integer)
    request_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    response_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)


class MinhashBandRow(Base):
    """One LSH band of an article's MinHash signature: articles sharing a band are near-dup candidates."""

    __tablename__ = "minhash_bands"
    __table_args__: ClassVar[dict[str, bool]] = {"sqlite_with_rowid": False}

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FetchRow(Base):
    """One HTTP fetch, whatever its outcome: the audit log behind `akhbar fetches`.

    The newest row for a URL also carries the validators (ETag, Last-Modified) that the next
    fetch of that URL sends as If-None-Match / If-Modified-Since.
    """

    __tablename__ = "fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), index=True)
    final_url: Mapped[str | None] = mapped_column(String(2048))
    status: Mapped[int | None] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    elapsed: Mapped[float] = mapped_column(default=0.0)
    outcome: Mapped[str] = mapped_column(String(32), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class RobotsRow(Base):
    """robots.txt of one origin (scheme://host:port), cached with its fetch time and expiry."""

    __tablename__ = "robots"

    origin: Mapped[str] = mapped_column(String(512), primary_key=True)
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FrontierRow(Base):
    """One URL the crawler knows of (canonical form): when it is due, and how its fetches went.

    `next_due_at` NULL means never again (an old article already stored, or a URL given up after
    too many failures). A claim is a lease: `claimed_by` holds it until `lease_expires_at`, after
    which any crawler or worker may claim the URL again (its holder is presumed dead).
    The listing_* columns are what a feed or sitemap said about the URL; they fill gaps in pages.
    """

    __tablename__ = "frontier"
    __table_args__ = (Index("ix_frontier_due", "next_due_at", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)  # canonical form: one row per page
    fetch_url: Mapped[str] = mapped_column(String(2048))  # as listed: not every site serves the canonical
    source: Mapped[str] = mapped_column(String(255), index=True)
    discovered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # consecutive failures
    fetches: Mapped[int] = mapped_column(Integer, default=0)  # successful fetches
    last_outcome: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    listing_title: Mapped[str | None] = mapped_column(Text)
    listing_published: Mapped[datetime | None] = mapped_column(UtcDateTime())
    listing_modified: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CrawlRunRow(Base):
    """One crawl pass over one source: when, and what it stored (behind `sources list`)."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_source_started", "source", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    discovered: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class WorkerRow(Base):
    """One `akhbar worker` process: who it is, when it last said it was alive, what it did.

    A worker whose heartbeat is older than a few intervals is presumed dead; its claims return to
    the queue when their leases expire. `stopped_at` is set by a graceful stop.
    """

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)  # hostname:pid
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    pages: Mapped[int] = mapped_column(Integer, default=0)  # pages settled since it started
    failed: Mapped[int] = mapped_column(Integer, default=0)
    claimed: Mapped[int] = mapped_column(Integer, default=0)  # claims held at the last heartbeat


class WorkerMinuteRow(Base):
    """Pages one worker settled in one minute: throughput over the last minutes, per worker."""

    __tablename__ = "worker_minutes"

    worker: Mapped[str] = mapped_column(String(255), primary_key=True)
    minute: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True, index=True)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class HostTurnRow(Base):
    """Politeness shared by every worker: a host's next request may start at `next_allowed_at`
    (the database's clock), taken atomically by whichever worker fetches it next."""

    __tablename__ = "host_turns"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)  # host[:port]
    next_allowed_at: Mapped[datetime] = mapped_column(UtcDateTime())
