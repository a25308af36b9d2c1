"""Raw pages as fetched: response bytes kept zstd-compressed (once per distinct body), never lost."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import zstandard
from sqlalchemy import Select, and_, bindparam, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from ingest.urls import canonical_url as canonical_form
from store import direct
from store.db import write_transaction
from store.schema import ArticleRow, ArticleUrlRow, BlobRow, CaptureRow

# Level 3 compresses article pages nearly as well as 10 (within 5%) at a quarter of the time.
ZSTD_LEVEL = 3
_INSERT_BLOB = (
    sqlite.insert(BlobRow.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
    postgresql.insert(BlobRow.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
)
_INSERT_CAPTURE = insert(CaptureRow.__table__).returning(CaptureRow.__table__.c.id)


@dataclass(frozen=True, slots=True)
class PackedBody:
    """A page body as the archive keeps it. Hashing and compressing are CPU work an extraction
    worker can do, leaving the writer only the writing."""

    sha256: str
    size: int
    zstd: bytes

    @classmethod
    def of(cls, body: bytes) -> PackedBody:
        return cls(hashlib.sha256(body).hexdigest(), len(body), compress(body))


@dataclass(slots=True)
class RawPage:
    """What the fetcher got for one URL, as the store keeps it (no httpx types cross into store/)."""

    url: str
    final_url: str
    status: int
    body: bytes
    response_headers: dict[str, str] = field(default_factory=dict)
    request_headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    packed: PackedBody | None = None  # the body packed already, else packed when stored

    @property
    def content_type(self) -> str | None:
        return {k.lower(): v for k, v in self.response_headers.items()}.get("content-type")


@dataclass(frozen=True, slots=True)
class StoredCapture:
    """A page already in the archive that an article is (re-)extracted from."""

    id: int
    fetched_at: datetime


def save_capture(session: Session, page: RawPage, alongside: Callable[[Session], None] | None = None) -> int:
    """Keep a page no article came out of, in a transaction of its own (shared with the caller's
    `alongside` write); returns the capture id."""
    with write_transaction(session):
        capture_id = add_capture(session, page)
        if alongside is not None:
            alongside(session)
        return capture_id


def add_capture(session: Session, page: RawPage, article_id: int | None = None) -> int:
    """Store `page` inside the caller's transaction; an identical body is stored once. Returns its id."""
    packed = page.packed or PackedBody.of(page.body)
    dialect = session.get_bind().dialect.name
    # Compressing is cheaper than asking first; another worker may store the same body meanwhile.
    connection = session.connection()
    direct.run(
        connection,
        _INSERT_BLOB[dialect == "postgresql"],
        {"sha256": packed.sha256, "size": packed.size, "zstd": packed.zstd},
    )
    return direct.value(
        connection,
        _INSERT_CAPTURE,
        {
            "url": page.url,
            "final_url": page.final_url,
            "site": (urlsplit(page.final_url).hostname or "").lower(),
            "status": page.status,
            "request_headers": dict(page.request_headers),
            "response_headers": dict(page.response_headers),
            "body_sha256": packed.sha256,
            "fetched_at": page.fetched_at,
            "article_id": article_id,
        },
    )


def kept_validators(session: Session, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) the server sent with the newest page of each URL that an article was
    stored from.

    They come from the capture written in the article's own transaction, never from the fetch log:
    a page fetched but not stored (the process died in between) must not make its next fetch
    conditional, or a 304 would hide the very correction that was never kept.
    """
    canonical = {url: canonical_form(url) for url in dict.fromkeys(urls)}
    found: dict[str, tuple[str | None, str | None]] = {}
    requested = list(canonical)
    connection = session.connection()
    for start in range(0, len(requested), 400):  # stay under SQLite's bound-parameter limit
        batch = requested[start : start + 400]
        rows = connection.execute(
            _KEPT_VALIDATORS, {"canonical": list({canonical[url] for url in batch}), "urls": batch}
        )
        for url, headers in rows:  # oldest first: the newest capture of a URL has the last word
            lowered = {name.lower(): value for name, value in (headers or {}).items()}
            found[url] = (lowered.get("etag"), lowered.get("last-modified"))
    return {url: pair for url, pair in found.items() if any(pair)}


# Built once: a crawl asks this for every batch of URLs it claims.
_captures, _article_urls = CaptureRow.__table__, ArticleUrlRow.__table__
_KEPT_VALIDATORS = (
    select(_captures.c.url, _captures.c.response_headers)
    .join(_article_urls, _article_urls.c.article_id == _captures.c.article_id)
    .where(
        _article_urls.c.url.in_(bindparam("canonical", expanding=True)),
        _captures.c.url.in_(bindparam("urls", expanding=True)),
    )
    .order_by(_captures.c.id)
)


def compress(body: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)


def body_of(session: Session, capture: CaptureRow) -> bytes:
    blob = session.get(BlobRow, capture.body_sha256)
    if blob is None:  # a foreign key guarantees it; a missing blob is a corrupted archive
        raise LookupError(f"capture {capture.id}: body {capture.body_sha256} missing")
    return zstandard.ZstdDecompressor().decompress(blob.zstd, max_output_size=max(blob.size, 1))


def captures_query(
    *, since: datetime | None = None, site: str | None = None, latest_per_url: bool = False
) -> Select[tuple[CaptureRow]]:
    query = select(CaptureRow)
    if since is not None:
        query = query.where(CaptureRow.fetched_at >= since)
    if site:
        # The host served from, or the site of the article the page became (a canonical elsewhere).
        of_site = select(ArticleRow.id).where(ArticleRow.site == site.lower())
        query = query.where(or_(CaptureRow.site == site.lower(), CaptureRow.article_id.in_(of_site)))
    if latest_per_url:
        newer = aliased(CaptureRow)
        query = query.where(
            ~select(newer.id)
            .where(and_(newer.final_url == CaptureRow.final_url, newer.id > CaptureRow.id))
            .exists()
        )
    return query


def iter_captures(
    session: Session, query: Select[tuple[CaptureRow]], *, batch: int = 200
) -> Iterator[CaptureRow]:
    """Captures in id order, a batch at a time (keyset pages: constant memory on both backends)."""
    last_id = 0
    while True:
        rows = list(
            session.scalars(query.where(CaptureRow.id > last_id).order_by(CaptureRow.id).limit(batch))
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()
