"""Whole pages of our own, built the way two other kinds of news CMS build them, end to end."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ingest.extract import extract

PAGES = Path(__file__).parent / "pages"


def test_custom_cms_page_with_the_story_in_one_br_separated_paragraph():
    extraction = extract(
        (PAGES / "cms-br-body.html").read_text(encoding="utf-8"), "https://alwadi.example/a/1"
    )
    article = extraction.article

    assert article is not None
    assert article.title == "أمطار غزيرة تغلق طرقا في جنوب البلاد"
    assert article.published == datetime(2023, 12, 5, 7, 40)
    assert article.authors == ["قنا"]
    assert article.site_name == "الوادي نيوز"
    lines = article.text.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("الوادي نيوز :- أغلقت مديرية الأمن العام")
    assert lines[-1].endswith("مع انخفاض ملموس على درجات الحرارة.")
    assert {"caption (image caption or photo credit)", "agency sign-off"} <= {
        b.rule for b in extraction.removed
    }
    for boilerplate in ("تم نشره", "سيول في أحد الأودية", "قنا", "فيسبوك", "ارتفاع منسوب", "لا مانع"):
        assert boilerplate not in article.text


def test_drupal_interview_page_with_the_byline_as_its_first_paragraph():
    extraction = extract(
        (PAGES / "drupal-interview.html").read_text(encoding="utf-8"), "https://e.example/a/2"
    )
    article = extraction.article

    assert article is not None
    assert article.title == "الباحثة منى الطرابلسي لـ«الشروق»: الفلاحة الصغيرة تحتاج إلى تمويل لا إلى وعود"
    assert article.published == datetime(2024, 6, 14)
    assert article.authors == ["كريم بن سالم"]
    lines = article.text.splitlines()
    assert lines[0].startswith("تعيش الفلاحة الصغيرة في الشمال الغربي")
    assert "* وهل تكفي القروض الموسمية الحالية؟" in lines
    assert lines[-1].endswith("تشتري البذور جماعيا وتبيع المحصول دون وسطاء.")
    for boilerplate in ("حوار:", "إضافة تعليق", "تعليقك", "يحظر نشر", "غائم جزئيا", "طباعة"):
        assert boilerplate not in article.text


def test_portal_page_with_an_inline_read_also_block_and_follow_prompts():
    html = (PAGES / "portal-related-inline.html").read_text(encoding="utf-8")

    article = extract(html, "https://nakheel.example/eco/2024/01/13/dates-exports").article

    assert article is not None
    assert article.title == "ارتفاع صادرات التمور إلى أوروبا بنسبة الثلث"
    assert article.authors == ["يوسف الراشد"]
    assert article.published is not None and article.published.isoformat() == "2024-01-13T10:10:00+02:00"
    assert article.section == "اقتصاد"
    assert article.tags == ["تمور", "صادرات", "أوروبا"]
    assert article.text.splitlines()[3] == "تحديات النقل"
    for boilerplate in ("اقرأ أيضًا", "موسم جني التمور", "تابعونا", "اضغط هنا", "صورة أرشيفية", "الوسوم"):
        assert boilerplate not in article.text


def test_broadcaster_page_with_image_credits_and_an_ad_break_in_the_story():
    html = (PAGES / "broadcaster-credits.html").read_text(encoding="utf-8")

    article = extract(html, "https://muhit.example/news/science-67").article

    assert article is not None
    assert article.authors == ["مريم الفاسي"]
    assert article.published is not None and article.published.isoformat() == "2023-11-09T14:30:00+01:00"
    assert len(article.text.splitlines()) == 6
    assert "- تبني أعشاشها من الطين على الجزر الضحلة" in article.text.splitlines()
    for boilerplate in ("Getty", "التعليق على الصورة", "إعلان", "البودكاست", "قصص ذات صلة", "سلاحف"):
        assert boilerplate not in article.text


def test_a_two_sentence_breaking_news_brief_is_an_article():
    from tests.extract.theme import news_page

    brief = [
        "<p>عاجل: انقطاع التيار الكهربائي عن أجزاء واسعة من مدينة العقبة بسبب عطل في محطة التحويل.</p>",
        "<p>وقالت شركة الكهرباء إن فرقها تعمل على إعادة التيار خلال ساعتين.</p>",
    ]

    article = extract(news_page(story=brief), "https://alsahel.example/local/brief-1").article

    assert article is not None
    assert article.text.startswith("عاجل: انقطاع التيار الكهربائي")
