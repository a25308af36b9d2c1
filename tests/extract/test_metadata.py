"""Title, authors, section, tags, image, canonical URL and site name, as a reader of the page sees them."""

from __future__ import annotations

import pytest

from ingest.article import Article
from ingest.extract import extract
from tests.extract.theme import DEFAULT_HEAD, HEADLINE, SITE, news_page

URL = "https://alsahel.example/local/2024/05/12/aqaba-desalination/"


def article_of(html: str, url: str = URL) -> Article:
    extraction = extract(html, url)
    assert extraction.article is not None, extraction.reason
    return extraction.article


def test_title_is_the_printed_headline_without_the_site_suffix():
    assert article_of(news_page(title=f"{HEADLINE} - {SITE}")).title == HEADLINE


def test_title_without_a_headline_element_drops_a_portal_suffix():
    head = f'<meta property="og:site_name" content="{SITE}">'

    article = article_of(news_page(head=head, title=f"{HEADLINE} | بوابة الساحل", headline=None))

    assert article.title == HEADLINE


def test_site_name_prefix_learned_from_the_title_is_not_an_author():
    head = f'<meta property="og:title" content="{SITE} - {HEADLINE}"><meta name="author" content="{SITE}">'

    article = article_of(news_page(head=head, title=f"{HEADLINE} - {SITE}", meta_line=""))

    assert article.title == HEADLINE
    assert article.authors == []


def test_printed_byline_near_the_headline_gives_the_author():
    meta_line = '<span class="writer">كتبت هدى المصري</span>'

    assert article_of(news_page(meta_line=meta_line)).authors == ["هدى المصري"]


@pytest.mark.parametrize("label", ["كتب:", "كتبت", "بقلم", "بقلم:", "إعداد:", "تقرير:", "حوار:"])
def test_each_byline_label_gives_the_name_after_it(label):
    meta_line = f'<div class="writer">{label} وليد الحسيني</div>'

    assert article_of(news_page(meta_line=meta_line)).authors == ["وليد الحسيني"]


def test_byline_with_a_dateline_place_keeps_only_the_name():
    meta_line = '<span class="by">بقلم: نادر الشامي - عمّان</span>'

    assert article_of(news_page(meta_line=meta_line)).authors == ["نادر الشامي"]


def test_json_ld_author_printed_on_the_page_is_the_author():
    head = DEFAULT_HEAD + (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "x", "author": [{"@type": "Person", "name": "ليلى حداد"}]}</script>'
    )
    meta_line = '<span class="author-name">ليلى حداد</span>'

    assert article_of(news_page(head=head, meta_line=meta_line)).authors == ["ليلى حداد"]


def test_author_only_in_metadata_or_a_hidden_card_is_not_a_byline():
    head = DEFAULT_HEAD + '<meta itemprop="author" content="webmaster2">'
    hidden = '<div style="display:none" class="vcard author"><span class="fn">webmaster2</span></div>'

    assert article_of(news_page(head=head, meta_line="", outside=hidden)).authors == []


def test_section_tags_image_and_canonical_come_from_the_page_metadata():
    head = DEFAULT_HEAD + (
        '<meta property="article:section" content="محليات">'
        '<meta property="article:tag" content="العقبة"><meta property="article:tag" content="المياه">'
        '<meta property="og:image" content="/uploads/2024/05/plant.jpg">'
        '<link rel="canonical" href="https://alsahel.example/?p=4411">'
    )

    article = article_of(news_page(head=head), url=URL + "?utm_source=x")

    assert article.section == "محليات"
    assert article.tags == ["العقبة", "المياه"]
    assert article.image == "https://alsahel.example/uploads/2024/05/plant.jpg"
    assert article.canonical_url == "https://alsahel.example/?p=4411"
    assert article.url == URL + "?utm_source=x"


def test_site_name_comes_from_og_site_name():
    assert article_of(news_page()).site_name == SITE


def test_site_name_falls_back_to_the_host():
    article = article_of(news_page(head="", title=HEADLINE))

    assert article.site_name == "alsahel.example"


def test_a_logo_heading_with_the_site_name_is_not_the_headline():
    html = news_page().replace(
        '<div class="logo"><a href="/">صحيفة الساحل</a></div>',
        '<h1 class="logo"><a href="/">صحيفة الساحل</a></h1>',
    )

    assert article_of(html).title == HEADLINE


def test_a_byline_with_several_names_gives_several_authors():
    meta_line = '<span class="byline">كتب: سامي الخطيب، ريم العلي</span>'

    assert article_of(news_page(meta_line=meta_line)).authors == ["سامي الخطيب", "ريم العلي"]


def test_a_menu_item_that_starts_like_a_byline_is_not_an_author():
    crumb = '<li><a href="/local/">محليات</a></li></ul>'
    html = news_page(meta_line="").replace(crumb, '<li><a href="/books/">كتب وإصدارات</a></li></ul>')
    assert "كتب وإصدارات" in html

    assert article_of(html).authors == []


def test_when_the_page_title_is_only_the_site_name_the_headline_is_the_title():
    head = f'<meta property="og:site_name" content="{SITE}">'

    assert article_of(news_page(head=head, title=SITE)).title == HEADLINE


def test_the_publisher_named_as_author_is_not_a_byline():
    head = DEFAULT_HEAD + (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Organization",'
        ' "name": "الساحل"}, "publisher": {"@type": "Organization", "name": "صحيفة الساحل"}}</script>'
    )

    assert article_of(news_page(head=head, meta_line="<span>الساحل</span>")).authors == []


def test_stripping_the_site_name_keeps_the_headline_text_verbatim():
    head = f'<meta property="og:site_name" content="{SITE}">'
    title = "الوزير : المحطة جاهزة - مصورة"

    article = article_of(news_page(head=head, title=f"{title} | {SITE}", headline=None))

    assert article.title == title


def test_json_ld_with_a_list_where_a_date_belongs_is_ignored():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": ["x", 1]}</script>'

    article = article_of(news_page(head=head, meta_line=""), url="https://alsahel.example/local/aqaba")

    assert article.published is None


def test_a_reworded_seo_title_gives_way_to_the_printed_headline():
    head = '<meta property="og:title" content="العقبة: افتتاح أول محطة تحلية بالطاقة الشمسية في الأردن">'

    assert article_of(news_page(head=head, title="العقبة تفتتح محطة تحلية شمسية")).title == HEADLINE


def test_an_author_box_that_also_prints_the_date_gives_only_the_name():
    meta_line = '<div class="author-box"><a href="/author/7">رنا الخطيب</a> 12 أيار 2024</div>'

    assert article_of(news_page(meta_line=meta_line)).authors == ["رنا الخطيب"]
