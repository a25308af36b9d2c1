"""Whatever bytes a site serves, discovery answers with a value and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.discover import (
    feed_links,
    looks_like_article,
    page_language,
    parse_feed,
    parse_section_page,
    parse_sitemap,
    robots_sitemaps,
    section_links,
)

MARKUP = st.one_of(
    st.binary(max_size=400),
    st.text(
        alphabet=st.sampled_from(list("<>/=\"' &;#?:.-_abclinkhrefurlsetlocسياسة\n\x00")), max_size=300
    ).map(str.encode),
)
PAGE_URL = "https://a.example/news/"


@settings(max_examples=150, deadline=None)
@given(MARKUP)
def test_listing_parsers_return_values_for_any_bytes(body):
    for parse in (parse_feed, parse_sitemap, parse_section_page):
        listed = parse(body, PAGE_URL)
        assert all(c.url.startswith(("http://", "https://")) for c in listed.candidates)


@settings(max_examples=150, deadline=None)
@given(MARKUP)
def test_site_helpers_return_values_for_any_bytes(body):
    assert isinstance(feed_links(body, PAGE_URL), list)
    assert isinstance(section_links(body, PAGE_URL), list)
    assert isinstance(robots_sitemaps(body, PAGE_URL), list)
    assert page_language(body) is None or isinstance(page_language(body), str)


@given(st.text(max_size=120))
def test_the_article_guess_accepts_any_string(text):
    assert looks_like_article(PAGE_URL + text) in (True, False)
