"""Feed and sitemap items fill what a page lacks: its title and dates; the source's date-locale
hint places the local time a page prints without a zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

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


# The same story with a printed date and local time, no zone anywhere on the page.
PRINTED_BODY = BODY.replace(
    b"<article>", "<article><p class='date'>نشر في 9 آذار 2025 - 11:30 صباحًا</p>".encode()
)


def processed(sessions, result: FetchResult, hints: Hints | None = None):
    with sessions() as session:
        return process_fetched(result, session, hints)


def page(body: bytes = BODY) -> FetchResult:
    return FetchResult(
        url=URL, final_url=URL, status=200, headers={"content-type": "text/html; charset=utf-8"}, body=body
    )


def test_a_page_without_title_or_date_takes_them_from_its_listing(db_url):
    sessions = session_factory(open_engine(db_url))
    outcome = processed(sessions, page(), Hints(title="افتتاح حديقة عامة جديدة", published=PUBLISHED))
    assert outcome.outcome == "stored"
    with sessions() as session:
        row = find_article(session, URL)
        assert row.title == "افتتاح حديقة عامة جديدة"
        assert row.published.replace(tzinfo=UTC) == PUBLISHED


def test_without_a_listing_the_gaps_stay_empty(db_url):
    sessions = session_factory(open_engine(db_url))
    processed(sessions, page())
    with sessions() as session:
        row = find_article(session, URL)
        assert row.title is None
        assert row.published is None


@pytest.mark.parametrize("date_locale", ["ar-JO", "ar_jo"])  # BCP 47 and POSIX spellings
def test_a_printed_local_time_is_read_in_the_zone_of_the_sources_date_locale(db_url, date_locale):
    sessions = session_factory(open_engine(db_url))
    processed(sessions, page(PRINTED_BODY), Hints(date_locale=date_locale))
    with sessions() as session:
        published = find_article(session, URL).published.replace(tzinfo=UTC)
    # 11:30 in Amman (UTC+3 all year) is 08:30 UTC.
    assert published == datetime(2025, 3, 9, 11, 30, tzinfo=timezone(timedelta(hours=3)))


def test_without_a_date_locale_a_printed_local_time_is_kept_as_printed(db_url):
    sessions = session_factory(open_engine(db_url))
    processed(sessions, page(PRINTED_BODY), Hints())
    with sessions() as session:
        published = find_article(session, URL).published.replace(tzinfo=UTC)
    assert published == datetime(2025, 3, 9, 11, 30, tzinfo=UTC)
