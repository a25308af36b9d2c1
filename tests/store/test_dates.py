"""Publisher dates keep their moment and their own UTC offset on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from store.articles import find_article, latest_articles, row_to_article, save_article
from tests.store.conftest import HOSPITAL_STORY, LIBRARY_STORY, Page

AMMAN = timezone(timedelta(hours=3))


def test_a_dated_article_reads_back_in_the_publishers_own_offset(store):
    late_evening = datetime(2024, 3, 12, 23, 40, tzinfo=AMMAN)  # 20:40 UTC, still the 12th in Amman
    page = Page("https://alwadi.example/a/1", HOSPITAL_STORY, published=late_evening)
    with store() as session:
        save_article(session, page.article(), page.url, page.raw())

    with store() as session:
        article = row_to_article(find_article(session, page.url))

    assert article.published == late_evening
    assert article.published.isoformat() == "2024-03-12T23:40:00+03:00"


def test_a_date_printed_without_a_zone_reads_back_without_one(store):
    printed = datetime(2024, 3, 12, 9, 15)
    page = Page("https://alwadi.example/a/2", HOSPITAL_STORY, published=printed)
    with store() as session:
        save_article(session, page.article(), page.url, page.raw())

    with store() as session:
        assert row_to_article(find_article(session, page.url)).published == printed


def test_refetching_a_dated_article_unchanged_is_reported_unchanged(store):
    page = Page(
        "https://alwadi.example/a/3", HOSPITAL_STORY, published=datetime(2024, 3, 12, 10, tzinfo=AMMAN)
    )
    with store() as session:
        save_article(session, page.article(), page.url, page.raw())
    with store() as session:
        outcome, _ = save_article(session, page.article(), page.url, page.raw())

    assert outcome.value == "unchanged"


def test_latest_articles_order_by_the_moment_not_the_printed_clock(store):
    # 10:00 in Amman is 07:00 UTC: earlier than 08:00 UTC although its clock reads later.
    amman = Page(
        "https://alwadi.example/a/4", HOSPITAL_STORY, published=datetime(2024, 3, 12, 10, tzinfo=AMMAN)
    )
    utc = Page("https://other.example/b/1", LIBRARY_STORY, published=datetime(2024, 3, 12, 8, tzinfo=UTC))
    with store() as session:
        save_article(session, amman.article(), amman.url, amman.raw())
        save_article(session, utc.article(), utc.url, utc.raw())

    with store() as session:
        assert [row.url for row in latest_articles(session, limit=2)] == [utc.url, amman.url]
