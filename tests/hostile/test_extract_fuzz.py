"""The extractor's public entry points on hostile pages: a value every time, never an exception."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.decode import decode_html
from ingest.extract import Extraction, extract
from ingest.extract.dates import date_in_url, in_printed_zone, parse_iso, parse_printed
from tests.hostile.seeds import (
    FUZZ,
    SITE_BASE,
    bounded,
    html_seeds,
    mutated,
    mutated_date,
    ten_megabyte_line,
)

ARTICLE_URL = SITE_BASE + "/politics/2026/01/05/talks-round-12/"
PARAGRAPH = (
    "<p>أعلن وزير الخارجية في مؤتمر صحفي عقده صباح اليوم في العاصمة أن جولة جديدة من المفاوضات "
    "ستنطلق الأسبوع المقبل بمشاركة وفود من عدة دول، مؤكدًا أن الأجواء إيجابية وأن الأطراف جادة.</p>"
)


def _assert_is_a_value(result: Extraction) -> None:
    assert isinstance(result, Extraction)
    if result.article is None:
        assert isinstance(result.reason, str) and result.reason
        return
    article = result.article
    assert article.text.strip()
    article.text.encode("utf-8")  # storable: no lone surrogates
    assert article.published is None or isinstance(article.published, datetime)


def _page(date_line: str = "", meta: str = "") -> str:
    return (
        f'<html lang="ar" dir="rtl"><head><title>جولة مفاوضات جديدة</title>{meta}</head><body>'
        f"<article><h1>جولة مفاوضات جديدة</h1><p>{date_line}</p>{PARAGRAPH * 3}</article></body></html>"
    )


@FUZZ
@given(mutated(html_seeds()))
def test_mutated_pages_extract_to_a_value(body):
    _assert_is_a_value(bounded(extract, decode_html(body), ARTICLE_URL))


@FUZZ
@given(st.text(max_size=3000))
def test_any_text_extracts_to_a_value(text):
    _assert_is_a_value(bounded(extract, text, ARTICLE_URL))


def test_a_10_mb_single_line_page_is_refused_with_a_reason(corpus):
    html = decode_html(ten_megabyte_line((corpus / "pages" / "youm7-001.html").read_bytes()))

    result = bounded(extract, html, ARTICLE_URL, seconds=120)

    _assert_is_a_value(result)


@pytest.mark.parametrize(
    "hostile",
    [
        "<div>" * 100_000,
        "<table><tr><td>" * 20_000,
        "\x00" * 10_000 + PARAGRAPH * 3,
        f'<a href="{"ا" * 2_000_000}">رابط</a>' + PARAGRAPH * 3,
        f'<div class="{"x " * 500_000}">{PARAGRAPH * 3}</div>',
        "<!--" + PARAGRAPH * 3,
        "<script>" + PARAGRAPH * 3,
        "<![CDATA[" + PARAGRAPH * 3,
        "&#0;&#xD800;&#99999999999;" + PARAGRAPH * 3,
    ],
    ids=["nested-divs", "nested-tables", "nul-bytes", "2mb-href", "1mb-class", "open-comment", "open-script",
         "open-cdata", "bad-character-references"],
)  # fmt: skip
def test_hostile_markup_extracts_to_a_value(hostile):
    _assert_is_a_value(bounded(extract, f"<html><body>{hostile}</body></html>", ARTICLE_URL))


HOSTILE_DATES = [
    "9999-99-99T99:99:99",
    "0000-00-00",
    "2026-02-30T10:00:00+03:00",
    "2026-01-05T10:00:00+99:00",
    "٢٠٢٦-٠١-٠٥T١٠:٠٠:٠٠",
    "2026-01-05T10:00:00.999999999999Z",
    "99999999999999999999",
    "-2026-01-05",
    "2026-01-05" + " " * 100_000,
    "\x00",
]


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_hostile_metadata_dates_are_read_or_ignored(value):
    meta = f'<meta property="article:published_time" content="{value}">'

    _assert_is_a_value(extract(_page(meta=meta), ARTICLE_URL))
    assert parse_iso(value) is None or isinstance(parse_iso(value), datetime)


@FUZZ
@given(st.one_of(st.text(max_size=80), st.sampled_from(HOSTILE_DATES), st.integers(), st.none()))
def test_parse_iso_answers_a_datetime_or_none(value):
    assert parse_iso(value) is None or isinstance(parse_iso(value), datetime)


@FUZZ
@given(st.text(max_size=200))
def test_date_in_url_answers_a_datetime_or_none(tail):
    assert date_in_url(SITE_BASE + "/" + tail) is None or isinstance(
        date_in_url(SITE_BASE + "/" + tail), datetime
    )


PRINTED = st.builds(
    "{} {} {} {} {}".format,
    st.sampled_from(["25", "٢٥", "31", "0", "99"]),
    st.sampled_from(["نوفمبر", "تشرين الثاني", "11", "ذو القعدة", ""]),
    st.sampled_from(["2026", "٢٠٢٦", "1447", "99999"]),
    st.sampled_from(["", "10:30 ص", "23:59 م", "99:99", "12:00 صباحا"]),
    st.sampled_from(["", "GMT+3", "GMT-12:30", "UTC+14"]),
)


@FUZZ
@given(st.one_of(PRINTED, st.text(max_size=120)))
def test_printed_dates_parse_to_a_value_or_none(text):
    printed = parse_printed(text)
    if printed is not None:
        assert isinstance(printed.value, datetime)
        declared = datetime(2026, 1, 5, 7, 30).astimezone()
        assert isinstance(in_printed_zone(declared, printed.value.replace(tzinfo=None)), datetime)


@FUZZ
@given(mutated_date())
def test_damaged_dates_from_real_pages_parse_to_a_value_or_none(text):
    iso = bounded(parse_iso, text)
    printed = bounded(parse_printed, text)

    assert iso is None or isinstance(iso, datetime)
    assert printed is None or isinstance(printed.value, datetime)


@pytest.mark.parametrize("zone", ["GMT+99", "GMT+23:99", "UTC-24"])
def test_a_printed_time_zone_of_a_day_or_more_is_ignored(zone):
    printed = parse_printed(f"25 نوفمبر 2026 10:30 {zone}")

    assert printed is not None and printed.value.tzinfo is None
    assert (printed.value.day, printed.value.hour) == (25, 10)


def test_a_page_printing_an_impossible_time_zone_extracts_to_a_value():
    _assert_is_a_value(extract(_page(date_line="الأحد 25 نوفمبر 2026 10:30 GMT+99"), ARTICLE_URL))
