"""Streaming exports of the archive: JSONL and CSV (one row per article), WARC (the raw captures).

Everything is read in keyset pages of a few hundred rows, so memory stays flat on any archive size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.article import CONTRACT_KEYS
from store.articles import row_to_article
from store.captures import body_of, captures_query, iter_captures
from store.schema import ArticleRow, ArticleUrlRow, RevisionRow

# `akhbar export --format jsonl|csv` columns: the `akhbar extract --format jsonl` keys (without
# `source`; `url` is the URL the article was last fetched from), then the archive's own.
# Articles with the same cluster_id are near-duplicates (the id of the cluster's first article).
ARCHIVE_KEYS = ("id", "site", "urls", "first_seen", "last_fetched", "revision_count", "cluster_id")
EXPORT_KEYS = (*CONTRACT_KEYS, *ARCHIVE_KEYS)
PAGE_SIZE = 500
# Headers that describe the transfer, not the payload: the stored body is already decoded.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


def article_records(
    session: Session, *, since: datetime | None = None, site: str | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per article (never per URL variant), in id order."""
    query = select(ArticleRow)
    if since is not None:
        query = query.where(ArticleRow.last_fetched >= since)
    if site:
        query = query.where(ArticleRow.site == site.lower())
    last_id = 0
    while True:
        rows = list(
            session.scalars(query.where(ArticleRow.id > last_id).order_by(ArticleRow.id).limit(PAGE_SIZE))
        )
        if not rows:
            return
        ids = [row.id for row in rows]
        urls: dict[int, list[str]] = {}
        for article_id, url in session.execute(
            select(ArticleUrlRow.article_id, ArticleUrlRow.url)
            .where(ArticleUrlRow.article_id.in_(ids))
            .order_by(ArticleUrlRow.url)
        ):
            urls.setdefault(article_id, []).append(url)
        revisions = dict(
            session.execute(
                select(RevisionRow.article_id, func.count())
                .where(RevisionRow.article_id.in_(ids))
                .group_by(RevisionRow.article_id)
            ).all()
        )
        for row in rows:
            yield {
                **row_to_article(row).to_json(),
                "id": row.id,
                "site": row.site,
                "urls": urls.get(row.id, []),
                "first_seen": row.first_seen.isoformat(),
                "last_fetched": row.last_fetched.isoformat(),
                "revision_count": revisions.get(row.id, 0),
                "cluster_id": row.cluster_id or row.id,
            }
        last_id = rows[-1].id
        session.expunge_all()


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """List fields (authors, tags, urls) are JSON arrays in their cell: unambiguous and parseable."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_KEYS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                for key, value in record.items()
            }
        )
        count += 1
    return count


def write_warc(
    session: Session,
    out: IO[bytes],
    *,
    since: datetime | None = None,
    site: str | None = None,
    gzip: bool = True,
) -> int:
    """A request and a response record per stored capture; returns the number of captures written."""
    writer = WARCWriter(out, gzip=gzip)
    count = 0
    for capture in iter_captures(session, captures_query(since=since, site=site)):
        body = body_of(session, capture)
        # WARC/1.0 dates are whole seconds in UTC; stored times are UTC (SQLite returns them naive).
        fetched_at = capture.fetched_at.astimezone(UTC) if capture.fetched_at.tzinfo else capture.fetched_at
        date = fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        response = writer.create_warc_record(
            capture.final_url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=_response_head(capture.status, capture.response_headers, len(body)),
            warc_headers_dict={"WARC-Date": date},
        )
        request = writer.create_warc_record(
            capture.final_url,
            "request",
            http_headers=_request_head(capture.final_url, capture.request_headers),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(request)
        writer.write_record(response)
        count += 1
    return count


def _response_head(status: int, headers: dict[str, str], length: int) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    kept = [(k, v) for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS]
    kept.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")


def _request_head(url: str, headers: dict[str, str]) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    sent = [("Host", parts.netloc), *((k, v) for k, v in headers.items() if k.lower() != "host")]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", sent, is_http_request=True)
