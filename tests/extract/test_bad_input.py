"""Bad input is "no article" with a reason: never an exception, never unbounded work."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.decode import decode_html
from ingest.extract import extract
from ingest.extract.dom import MAX_ELEMENTS, MAX_HTML_CHARS
from tests.extract.theme import news_page


def reason_for(html: str) -> str:
    extraction = extract(html)
    assert extraction.article is None
    assert extraction.reason
    return extraction.reason


@pytest.mark.parametrize("html", ["", "   \n\t  "])
def test_empty_document(html):
    assert reason_for(html) == "empty document"


def test_random_bytes_are_not_html():
    assert reason_for(decode_html(os.urandom(4000))).startswith("not HTML")


def test_an_image_file_is_not_html():
    assert reason_for(decode_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)).startswith(
        "not HTML"
    )


def test_plain_text_without_markup_is_not_html():
    assert reason_for("هذا نص عادي بلا أي وسم. " * 40) == "not HTML (no markup found)"


def test_page_cut_off_before_its_body():
    assert "body" in reason_for(news_page()[:400])


def test_page_cut_off_mid_story_still_gives_the_part_that_arrived():
    html = news_page()
    cut = html[: html.index("كلفة أقل للمتر المكعب")]

    article = extract(cut).article

    assert article is not None and "افتتحت سلطة منطقة العقبة" in article.text


def home_page() -> str:
    teasers = "".join(
        f'<div class="card"><h3><a href="/n/{i}">عنوان خبر رقم {i} على الصفحة الرئيسية</a></h3>'
        f"<p>ملخص الخبر رقم {i} عن تطورات الأسبوع الماضي في المنطقة وما تلاها من أحداث وتصريحات.</p></div>"
        for i in range(30)
    )
    return f"<html><head><title>صحيفة الساحل</title></head><body><main>{teasers}</main></body></html>"


def test_home_page_of_linked_headlines_and_summaries_is_not_an_article():
    assert reason_for(home_page()).startswith("a home or section page")


def test_page_served_at_the_site_root_is_the_home_page():
    extraction = extract(news_page(), "https://alsahel.example/")

    assert extraction.article is None
    assert extraction.reason == "the site's home page, not an article"


def test_page_of_short_lines_only_is_not_an_article():
    lines = "".join(f"<div>خبر قصير رقم {i}</div>" for i in range(40))

    assert reason_for(f"<html><body><main>{lines}</main></body></html>").startswith("no story paragraph")


def test_not_found_page_served_as_a_normal_page():
    html = news_page(
        head="",
        title="الصفحة غير موجودة - صحيفة الساحل",
        headline="عذرا، الصفحة التي تبحث عنها غير موجودة",
        story=[
            "<p>ربما نقلت الصفحة أو حذفت من الموقع. يمكنك العودة إلى الصفحة الرئيسية أو استخدام خانة البحث "
            "للعثور على الأخبار والمقالات التي تهمك في أقسام الموقع المختلفة.</p>"
        ],
    )

    assert "not found" in reason_for(html)


def test_huge_document_is_refused_before_parsing():
    html = "<html><body><p>" + "كلمة " * (MAX_HTML_CHARS // 5 + 1) + "</p></body></html>"

    assert reason_for(html).startswith("document too large")


def test_document_with_too_many_elements_is_refused():
    html = "<html><body>" + "<span>ا</span>" * (MAX_ELEMENTS + 1) + "</body></html>"

    assert reason_for(html).startswith("document has too many elements")


def test_deeply_nested_document_is_refused():
    html = "<html><body>" + "<div>" * 5000 + "<p>نص</p>" + "</div>" * 5000 + "</body></html>"

    assert reason_for(html).startswith("document nested too deeply")


def test_xml_declaration_with_an_encoding_does_not_break_parsing():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + news_page()

    assert extract(html).article is not None


def test_directory_page_of_links_is_a_listing():
    links = " ".join(f'<a href="/paper/{i}">صحيفة الوطن العربي رقم {i}</a> -' for i in range(60))

    reason = reason_for(f"<html><body><main><p>دليل الصحف: {links}</p></main></body></html>")

    assert reason.startswith("a listing")


def test_an_article_whose_title_tag_differs_from_its_headline_is_still_an_article():
    sidebar = "".join(f'<h3><a href="/n/{i}">خبر جانبي رقم {i} عن المدينة</a></h3>' for i in range(12))

    extraction = extract(news_page(head="", title="عنوان مختلف تماما عن العنوان المطبوع", outside=sidebar))

    assert extraction.article is not None


def test_malformed_urls_on_the_page_and_from_the_caller_do_not_fail_the_page():
    head = '<link rel="canonical" href="http://[bad/x"><meta property="og:image" content="http://[::1">'

    article = extract(news_page(head=head), "http://[::1/broken").article

    assert article is not None
    assert article.url == "http://[::1/broken"


FRAGMENTS = st.sampled_from(
    [
        "<html>",
        "<body>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<br>",
        "<h1>",
        "</h1>",
        "<a href='/x'>",
        "</a>",
        "<script type='application/ld+json'>{\"@type\": [",
        "</script>",
        "<time datetime='2024-13-45'>",
        "<meta property='article:published_time' content='x'>",
        "<img src='a.jpg'>",
        "<figcaption>",
        "اقرأ أيضا:",
        "كتب: ",
        "منذ ساعتين",
        "١٢ أيار ٢٠٢٤",
        "جميع الحقوق محفوظة",
        "نص الخبر هنا ",
        "\x00",
        "&amp;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?xml version='1.0'?>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(FRAGMENTS, max_size=80))
def test_any_mix_of_markup_and_text_gives_an_extraction_not_an_exception(fragments):
    extraction = extract("".join(fragments), "https://alsahel.example/a/1")

    assert (extraction.article is None) == bool(extraction.reason)


def test_a_fault_in_the_extractors_own_rules_is_that_pages_no_article(monkeypatch):
    # No input is known to break the rules (the fuzz tests look for one); a fault is injected so
    # that the next one found is one page's failure, not the end of a crawl or a batch of files.
    def broken_rule(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr("ingest.extract.clean", broken_rule)

    assert (
        reason_for(news_page()) == "the extractor failed on this page (IndexError: list index out of range)"
    )
