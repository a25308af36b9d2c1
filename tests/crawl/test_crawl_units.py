"""The pure parts of a crawl: which listed items enter the frontier, what --since means."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.cli.crawl import parse_since
from ingest.crawl import listings_of
from ingest.discover import Candidate
from ingest.sources import Source

NOW = datetime(2025, 3, 10, 12, tzinfo=UTC)
SOURCE = Source(name="example", base_url="https://akhbar.example/")


def test_since_skips_items_dated_before_it_and_keeps_undated_ones():
    candidates = [
        Candidate("https://akhbar.example/a/1/", "feed", published=NOW - timedelta(days=5)),
        Candidate("https://akhbar.example/a/2/", "sitemap", modified=NOW - timedelta(hours=1)),
        Candidate("https://akhbar.example/a/3/", "section"),
    ]
    kept = listings_of(SOURCE, candidates, NOW - timedelta(days=1))
    assert [listing.url for listing in kept] == ["https://akhbar.example/a/2/", "https://akhbar.example/a/3/"]
    assert {listing.source for listing in kept} == {"example"}


def test_listing_hints_travel_with_the_url():
    candidate = Candidate("https://akhbar.example/a/1/", "feed", title="عنوان الخبر", published=NOW)
    [listing] = listings_of(SOURCE, [candidate], None)
    assert (listing.title, listing.published) == ("عنوان الخبر", NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12h", NOW - timedelta(hours=12)),
        ("2d", NOW - timedelta(days=2)),
        ("1w", NOW - timedelta(weeks=1)),
        ("2025-01-31", datetime(2025, 1, 31, tzinfo=UTC)),
        ("2025-01-31T08:00+03:00", datetime(2025, 1, 31, 5, tzinfo=UTC)),
    ],
)
def test_since_is_a_date_or_an_age(text, expected):
    assert parse_since(text, NOW) == expected


def test_since_rejects_what_is_neither():
    with pytest.raises(ValueError, match="not a date"):
        parse_since("last tuesday", NOW)
