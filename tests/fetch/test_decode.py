"""Decoding: a declared charset is believed only when the bytes agree with it."""

from __future__ import annotations

import codecs
import re

import pytest

from ingest.decode import decode_document, decode_html, mojibake_share
from tests.fetch.pages import PARAGRAPHS, TITLE, article_html

PAGE = article_html()
FRENCH = (
    "<html><body><p>Le ministère a annoncé l'ouverture d'un hôpital à Irbid, très attendu. "
    "L'École ouvre aussi.</p></body></html>"
)


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("cp1256", None),
        ("cp1256", "text/html"),
        ("cp1256", "text/html; charset=ISO-8859-1"),
        ("cp1256", "text/html; charset=utf-8"),
        ("cp1256", "text/html; charset=windows-1256"),
        ("iso8859_6", None),
        ("iso8859_6", "text/html; charset=windows-1256"),
        ("iso8859_6", "text/html; charset=ISO-8859-6"),
        ("utf-8", "text/html; charset=windows-1256"),
        ("utf-8", "text/html; charset=ISO-8859-1"),
        ("utf-8", None),
    ],
)
def test_arabic_pages_decode_exactly_whatever_they_declare(encoding, content_type):
    assert decode_html(PAGE.encode(encoding), content_type) == PAGE


def test_a_wrong_meta_charset_is_not_believed():
    page = article_html(meta_charset="iso-8859-1")

    decoded = decode_document(page.encode("cp1256"), "text/html")

    assert decoded.text == page
    assert decoded.charset == "cp1256"


def test_a_right_meta_charset_is_used():
    page = article_html(meta_charset="windows-1256")

    decoded = decode_document(page.encode("cp1256"), None)

    assert (decoded.text, decoded.charset, decoded.source) == (page, "cp1256", "meta")


def test_a_byte_order_mark_wins_over_a_wrong_label():
    decoded = decode_document(codecs.BOM_UTF8 + PAGE.encode(), "text/html; charset=windows-1256")

    assert (decoded.text, decoded.source) == (PAGE, "bom")


def test_a_french_latin_1_page_keeps_its_declared_charset():
    decoded = decode_document(FRENCH.encode("latin-1"), "text/html; charset=ISO-8859-1")

    assert decoded.text == FRENCH
    assert decoded.source == "http"


def test_an_undeclared_french_windows_1252_page_is_not_taken_for_a_baltic_one():
    decoded = decode_document(FRENCH.encode("cp1252"), "text/html")

    assert decoded.text == FRENCH


def test_mojibake_scores_high_and_real_text_low():
    arabic = " ".join([TITLE, *PARAGRAPHS])

    assert mojibake_share(arabic) == 0.0
    assert mojibake_share(FRENCH) == 0.0
    assert mojibake_share(arabic.encode("cp1256").decode("latin-1")) > 0.9
    assert mojibake_share(arabic.encode("iso8859_6").decode("cp1256")) > 0.5
    assert mojibake_share(arabic.encode("utf-8").decode("cp1256")) > 0.1


@pytest.mark.corpus
@pytest.mark.parametrize("content_type", [None, "text/html; charset=ISO-8859-1", "text/html; charset=utf-8"])
@pytest.mark.parametrize("keep_meta", [True, False], ids=["meta-kept", "meta-removed"])
def test_the_windows_1256_corpus_listing_decodes_exactly(corpus, content_type, keep_meta):
    raw = (corpus / "listings" / "arabicmedia-list-001.html").read_bytes()
    if not keep_meta:
        raw = re.sub(rb"<meta[^>]*charset[^>]*>", b"", raw, flags=re.IGNORECASE)

    assert decode_html(raw, content_type) == raw.decode("cp1256")


@pytest.mark.corpus
def test_every_utf_8_corpus_page_survives_a_latin_1_label(corpus):
    pages = sorted((corpus / "pages").glob("*.html")) + sorted((corpus / "other-lang").glob("*.html"))

    for page in pages:
        assert decode_html(page.read_bytes(), "text/html; charset=ISO-8859-1") == page.read_bytes().decode(
            "utf-8"
        ), page.name
