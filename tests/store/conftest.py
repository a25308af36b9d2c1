"""The `store` fixture: every store test runs on SQLite (a temp file) and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432, database `test`; each test gets a fresh schema
(selected through search_path in the URL) that is dropped afterwards. Without a reachable server
those tests skip, unless AKHBAR_REQUIRE_POSTGRES=1 (set by .ci/run) makes them fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ingest.article import Article
from store.captures import RawPage
from store.db import open_engine, session_factory

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"
PG_USERS = ("postgres", "root")


@pytest.fixture(scope="session")
def postgres_user() -> str:
    """A user that can connect to the test database, or a skip (a failure when PostgreSQL is required)."""
    problems = []
    for user in PG_USERS:
        try:
            with psycopg.connect(
                host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, connect_timeout=3
            ):
                return user
        except psycopg.Error as exc:
            problems.append(f"{user}: {str(exc).strip().splitlines()[-1]}")
    reason = f"PostgreSQL at {PG_HOST}:{PG_PORT}/{PG_DATABASE} unreachable ({'; '.join(problems)})"
    if os.environ.get("AKHBAR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}, and AKHBAR_REQUIRE_POSTGRES=1 requires it")
    pytest.skip(reason)


@pytest.fixture
def postgres_url(postgres_user: str) -> Iterator[str]:
    schema = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    dsn = {"host": PG_HOST, "port": PG_PORT, "dbname": PG_DATABASE, "user": postgres_user}
    with psycopg.connect(**dsn, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            f"postgresql+psycopg://{postgres_user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
            f"?options=-csearch_path%3D{schema}"
        )
    finally:
        with psycopg.connect(**dsn, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url: str) -> Iterator[sessionmaker[Session]]:
    engine = open_engine(store_url)
    yield session_factory(engine)
    engine.dispose()


# ---------------------------------------------------------------- our own Arabic test texts

HOSPITAL_STORY = (
    "أعلنت وزارة الصحة افتتاح المستشفى الجديد في مدينة الكرك بعد ثلاث سنوات من العمل المتواصل.\n"
    "وقال مدير المستشفى إن الطاقة الاستيعابية تبلغ مئتي سرير، وإن قسم الطوارئ سيعمل على مدار الساعة.\n"
    "وأضاف أن المستشفى يضم وحدة لغسيل الكلى ومختبرا حديثا وجناحا مخصصا لرعاية الأطفال حديثي الولادة.\n"
    "ويأتي المشروع ضمن خطة حكومية لتحسين الخدمات الطبية في المحافظات الجنوبية"
    " وتقليل الضغط على مستشفيات العاصمة."
)
LIBRARY_STORY = (
    "افتتحت بلدية إربد مكتبة عامة في حي الجامعة تضم آلاف الكتب في الأدب والتاريخ.\n"
    "وقالت رئيسة لجنة الثقافة إن المكتبة ستستقبل طلاب المدارس مجانا طوال أيام الأسبوع.\n"
    "وخصصت المكتبة قاعة للأطفال وورشات للكتابة القصصية يشرف عليها متطوعون من الجامعة."
)
WEATHER_STORY = (
    "توقعت دائرة الأرصاد الجوية انخفاضا ملموسا على درجات الحرارة مع نهاية الأسبوع.\n"
    "ودعت الدائرة السائقين إلى الحذر بسبب الضباب الكثيف في ساعات الصباح الباكر على الطرق الصحراوية.\n"
    "ومن المتوقع هطول أمطار متفرقة على المرتفعات الشمالية مساء الجمعة مع رياح نشطة السرعة."
)


@dataclass(slots=True)
class Page:
    """An article as the extractor would hand it over, with the raw page it came from."""

    url: str
    text: str
    title: str = "عنوان"
    canonical: str | None = None
    published: datetime | None = None
    language: str | None = "ar"
    tags: list[str] = field(default_factory=list)
    body: bytes | None = None

    def article(self) -> Article:
        return Article(
            url=self.url,
            canonical_url=self.canonical or self.url,
            title=self.title,
            text=self.text,
            published=self.published,
            language=self.language,
            tags=list(self.tags),
        )

    def raw(self, when: datetime | None = None) -> RawPage:
        html = self.body or f"<html><body><h1>{self.title}</h1><p>{self.text}</p></body></html>".encode()
        return RawPage(
            url=self.url,
            final_url=self.url,
            status=200,
            body=html,
            response_headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
            request_headers={"User-Agent": "akhbar-test"},
            fetched_at=when or datetime.now(UTC),
        )


def when(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)
