"""Statements run on the driver's cursor store what SQLAlchemy would, and fail the way it would."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from store import direct
from store.schema import BlobRow, CaptureRow, FetchRow, SiteRow

_INSERT_SITE = insert(SiteRow.__table__)
_INSERT_FETCH = insert(FetchRow.__table__)
_INSERT_BLOB = insert(BlobRow.__table__)
_INSERT_CAPTURE = insert(CaptureRow.__table__).returning(CaptureRow.__table__.c.id)
AMMAN = timezone(timedelta(hours=3))


def test_a_zoned_time_and_json_written_directly_read_back_as_through_the_orm(store):
    fetched = datetime(2024, 3, 1, 9, 30, tzinfo=AMMAN)
    with store() as session, session.begin():
        direct.run(
            session.connection(),
            _INSERT_SITE,
            {"host": "alkarak.example", "name": "الكرك", "first_seen": fetched},
        )
        direct.run(session.connection(), _INSERT_BLOB, {"sha256": "0" * 64, "size": 0, "zstd": b""})
        capture_id = direct.value(
            session.connection(),
            _INSERT_CAPTURE,
            {
                "url": "https://alkarak.example/1",
                "final_url": "https://alkarak.example/1",
                "site": "alkarak.example",
                "status": 200,
                "request_headers": {"User-Agent": "akhbar"},
                "response_headers": {"Content-Type": "text/html; charset=windows-1256"},
                "body_sha256": "0" * 64,
                "fetched_at": fetched,
                "article_id": None,
            },
        )

    with store() as session:
        site = session.get(SiteRow, "alkarak.example")
        capture = session.get(CaptureRow, capture_id)
        assert site.name == "الكرك" and site.first_seen == fetched
        assert capture.response_headers == {"Content-Type": "text/html; charset=windows-1256"}
        assert capture.fetched_at == fetched


def test_a_duplicate_key_raises_sqlalchemys_integrity_error(store):
    row = {"host": "alkarak.example", "name": None, "first_seen": datetime(2024, 3, 1, tzinfo=AMMAN)}
    with store() as session, session.begin():
        direct.run(session.connection(), _INSERT_SITE, row)

    with store() as session, session.begin(), pytest.raises(IntegrityError):
        direct.run(session.connection(), _INSERT_SITE, row)


def test_a_statement_missing_columns_with_python_defaults_is_refused_on_sqlite(store):
    # bytes and elapsed have Python-side defaults, which only SQLAlchemy's execution would fill in.
    fetch = {"url": "https://alkarak.example/1", "outcome": "stored", "fetched_at": datetime(2024, 3, 1)}
    with store() as session, session.begin():
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            direct.run(connection, _INSERT_FETCH, fetch)
            assert session.scalar(select(FetchRow.bytes)) == 0
            return
        with pytest.raises(TypeError, match="Python-side column defaults"):
            direct.run(connection, _INSERT_FETCH, fetch)
