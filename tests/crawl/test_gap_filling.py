"""Feed and sitemap items fill what a page lacks: its title and dates."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.fetch import FetchResult
from ingest.pipeline import Hints, process_fetched
from store.articles import find_article
from store.db import open_engine, session_factory

# Our own text; the page has no <title>, no headline and no date anywhere.
BODY = (
    "<html lang='ar'><body><article>"
    "<p>افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي الشرقي بعد عامين من أعمال التأهيل.</p>"
    "<p>وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارا للمشي وأكثر من ثلاثمئة شجرة زيتون.</p>"
    "<p>وأضاف أن الدخول سيكون مجانيا طوال أيام الأسبوع، وأن فرقا تطوعية ستتولى العناية بالمكان.</p>"
    "</article></body></html>"
).encode()
URL = "https://akhbar.example/news/park-opening"
PUBLISHED = datetime(2025, 3, 9, 8, 30, tzinfo=UTC)


def page() -> FetchResult:
    return FetchResult(
        url=URL, final_url=URL, status=200, headers={"content-type": "text/html; charset=utf-8"}, body=BODY
    )


def test_a_page_without_title_or_date_takes_them_from_its_listing(db_url):
    sessions = session_factory(open_engine(db_url))
    outcome = process_fetched(page(), sessions, Hints(title="افتتاح حديقة عامة جديدة", published=PUBLISHED))
    assert outcome.outcome == "stored"
    with sessions() as session:
        row = find_article(session, URL)
        assert row.title == "افتتاح حديقة عامة جديدة"
        assert row.published.replace(tzinfo=UTC) == PUBLISHED


def test_without_a_listing_the_gaps_stay_empty(db_url):
    sessions = session_factory(open_engine(db_url))
    process_fetched(page(), sessions)
    with sessions() as session:
        row = find_article(session, URL)
        assert row.title is None
        assert row.published is None
