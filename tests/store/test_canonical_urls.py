"""URL canonicalisation for dedup: one spelling per page, and different pages stay different."""

from __future__ import annotations

import pytest

from ingest.urls import canonical_url


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("HTTPS://WWW.Alwadi.EXAMPLE/news/1", "https://www.alwadi.example/news/1"),
        ("https://alwadi.example:443/news/1", "https://alwadi.example/news/1"),
        ("http://alwadi.example:80/news/1", "http://alwadi.example/news/1"),
        ("https://alwadi.example/news/1/", "https://alwadi.example/news/1"),
        ("https://alwadi.example/news/1#comments", "https://alwadi.example/news/1"),
        ("https://alwadi.example/news/1?utm_source=fb&utm_medium=social", "https://alwadi.example/news/1"),
        ("https://alwadi.example/news/1?fbclid=IwAR0x&gclid=Cj0K", "https://alwadi.example/news/1"),
        ("https://alwadi.example/news.php?utm_campaign=x&id=42", "https://alwadi.example/news.php?id=42"),
        ("https://alwadi.example/a?b=2&a=1", "https://alwadi.example/a?a=1&b=2"),
        ("https://alwadi.example/", "https://alwadi.example/"),
    ],
)
def test_variants_of_one_url_share_a_canonical_form(variant, canonical):
    assert canonical_url(variant) == canonical


def test_parameters_that_name_the_article_are_kept():
    assert canonical_url("https://alwadi.example/News.aspx?ArticleID=7") != canonical_url(
        "https://alwadi.example/News.aspx?ArticleID=8"
    )


def test_the_path_keeps_its_case_and_arabic_slug():
    a = canonical_url("https://alwadi.example/News/مكتبة-الزرقاء")
    assert a == canonical_url(
        "https://alwadi.example/News/%D9%85%D9%83%D8%AA%D8%A8%D8%A9-%D8%A7%D9%84%D8%B2%D8%B1%D9%82%D8%A7%D8%A1"
    )
    assert a != canonical_url("https://alwadi.example/news/مكتبة-الزرقاء")


def test_an_unparsable_url_is_returned_without_its_fragment():
    assert canonical_url("http://[broken/page#top") == "http://[broken/page"
