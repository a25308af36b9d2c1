"""The decoder answers every byte string with storable text, in bounded time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.decode import decode_document
from tests.hostile.seeds import FUZZ, bounded, html_seeds, mutated, ten_megabyte_line

CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=windows-1256",
            "text/html; charset=ISO-8859-1",
            "text/html; charset=utf-16",
            "text/html; charset=x-no-such-charset",
            'text/html; charset="',
            "text/html; charset=" + "a" * 10_000,
        ]
    ),
    st.text(max_size=200),
)


def _assert_storable(text: str) -> None:
    """Text that any store accepts: encodable as UTF-8 (no lone surrogates)."""
    text.encode("utf-8")


@FUZZ
@given(body=mutated(html_seeds()), content_type=CONTENT_TYPES)
def test_mutated_pages_decode_to_storable_text(body, content_type):
    decoded = bounded(decode_document, body, content_type)

    _assert_storable(decoded.text)
    assert decoded.source in ("bom", "http", "meta", "detected", "fallback")


@FUZZ
@given(body=st.binary(max_size=2000), content_type=CONTENT_TYPES)
def test_arbitrary_bytes_decode_to_storable_text(body, content_type):
    _assert_storable(decode_document(body, content_type).text)


@FUZZ
@given(text=st.text(min_size=1, max_size=500).filter(lambda t: not t.isascii()), content_type=CONTENT_TYPES)
def test_valid_utf8_is_decoded_as_utf8_whatever_the_label_says(text, content_type):
    body = text.encode("utf-8")
    decoded = decode_document(body, content_type)

    if not body.startswith(b"\xef\xbb\xbf"):
        assert decoded.text == text


def test_a_10_mb_single_line_page_in_utf8_decodes_quickly_and_whole(corpus):
    body = ten_megabyte_line((corpus / "pages" / "youm7-001.html").read_bytes())

    decoded = bounded(decode_document, body, "text/html", seconds=30)

    assert decoded.charset == "utf-8"
    assert "\n" not in decoded.text


def test_a_10_mb_single_line_page_in_windows_1256_is_judged_on_a_sample():
    line = "<p>قال وزير المالية إن الموازنة الجديدة تركز على دعم القطاعات الإنتاجية</p>" * 150_000
    body = ("<html><body>" + line + "</body></html>").encode("cp1256")

    decoded = bounded(decode_document, body, None, seconds=30)

    assert decoded.charset == "cp1256"
    assert decoded.text.count("وزير المالية") == 150_000


def test_nul_bytes_do_not_stop_the_decoder():
    body = "<p>خبر</p>".encode() + b"\x00" * 10_000 + "<p>عاجل</p>".encode()

    decoded = decode_document(body, "text/html; charset=utf-8")

    assert decoded.text.startswith("<p>خبر</p>") and decoded.text.endswith("<p>عاجل</p>")


# Found while fuzzing the labels: a UTF-16 label on bytes that are not UTF-16 gave CJK text.


def test_a_meta_utf16_label_on_an_ascii_page_is_not_believed():
    body = b'<html><head><meta charset="utf-16"></head><body>akhbar</body></html>'

    assert decode_document(body).text == body.decode("ascii")


def test_a_utf16_header_on_a_windows_1256_page_is_not_believed():
    page = "<p>مرحبا بكم في موقعنا الإخباري، آخر الأخبار العاجلة</p>"

    decoded = decode_document(page.encode("cp1256"), "text/html; charset=utf-16")

    assert (decoded.text, decoded.charset) == (page, "cp1256")


def test_utf16_without_a_byte_order_mark_is_still_read_by_its_label():
    page = "<p>مرحبا بكم في موقعنا الإخباري</p>"

    assert decode_document(page.encode("utf-16-le"), "text/html; charset=utf-16le").text == page
