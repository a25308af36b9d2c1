"""Published and modified dates from JSON-LD, meta, <time>, the printed date line and the URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.extract import extract
from ingest.extract.dates import looks_like_date_line, parse_iso, parse_printed
from tests.extract.theme import HEADLINE, news_page

AMMAN = timezone(timedelta(hours=3))


def dates_of(html: str, url: str | None = None) -> tuple[datetime | None, datetime | None]:
    article = extract(html, url).article
    assert article is not None
    return article.published, article.modified


def test_json_ld_date_wins_over_meta_and_keeps_the_publisher_zone():
    head = (
        '<meta property="article:published_time" content="2024-05-11T23:50:00+00:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        '"2024-05-12T02:50:00+03:00", "dateModified": "2024-05-12T08:00:00+03:00"}</script>'
    )

    published, modified = dates_of(news_page(head=head, meta_line=""))

    assert published == datetime(2024, 5, 12, 2, 50, tzinfo=AMMAN)
    assert published.utcoffset() == timedelta(hours=3)
    assert modified == datetime(2024, 5, 12, 8, 0, tzinfo=AMMAN)


def test_meta_published_time():
    head = '<meta property="article:published_time" content="2024-05-12T09:15:00+03:00">'

    assert dates_of(news_page(head=head, meta_line=""))[0] == datetime(2024, 5, 12, 9, 15, tzinfo=AMMAN)


def test_time_element_datetime():
    meta_line = '<time class="entry-date" datetime="2024-05-12T09:15:00+03:00">منذ ساعتين</time>'

    assert dates_of(news_page(head="", meta_line=meta_line))[0] == datetime(2024, 5, 12, 9, 15, tzinfo=AMMAN)


def test_printed_date_line_near_the_headline_when_there_is_no_metadata():
    meta_line = '<div class="date">الأحد ١٢ أيار ٢٠٢٤ - ٠٩:١٥ م</div>'

    published, _ = dates_of(news_page(head="", meta_line=meta_line))

    assert published == datetime(2024, 5, 12, 21, 15)


def test_printed_last_update_stamp_is_the_modified_date_not_the_published_one():
    meta_line = '<div class="stamp">الأحد، 12 أيار/مايو 2024، آخر تحديث 14:00 (GMT+0300)</div>'

    published, modified = dates_of(
        news_page(head="", meta_line=meta_line), "https://alsahel.example/2024/local/5/10/plant/index.html"
    )

    assert modified == datetime(2024, 5, 12, 14, 0, tzinfo=AMMAN)
    assert published.date() == datetime(2024, 5, 10).date()


def test_a_date_printed_without_a_zone_takes_the_zone_the_page_prints_elsewhere():
    meta_line = '<div class="stamp">الأحد، 12 أيار/مايو 2024، آخر تحديث 14:00 (GMT+0300)</div>'
    url = "https://alsahel.example/2024/local/5/10/plant/index.html"

    published, _ = dates_of(news_page(head="", meta_line=meta_line), url)

    assert published == datetime(2024, 5, 10, tzinfo=AMMAN)


def test_a_utc_server_stamp_does_not_lend_its_zone_to_the_printed_local_time():
    head = '<meta property="article:modified_time" content="2024-05-12T11:00:00Z">'
    meta_line = '<div class="date">الأحد ١٢ أيار ٢٠٢٤ - ٠٩:١٥ م</div>'

    published, _ = dates_of(news_page(head=head, meta_line=meta_line))

    assert published == datetime(2024, 5, 12, 21, 15)


def test_date_in_the_url_is_the_last_resort():
    published, _ = dates_of(news_page(head="", meta_line=""), "https://alsahel.example/2024/05/09/plant/")

    assert published == datetime(2024, 5, 9)


def test_date_in_a_url_with_a_section_between_year_and_month():
    url = "https://alsahel.example/2024/local/5/9/plant/index.html"

    published, _ = dates_of(news_page(head="", meta_line=""), url)

    assert published == datetime(2024, 5, 9)


MONTH_SETS = {
    "Egyptian/Gulf": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "Levantine/Iraqi": (
        "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول"
    ),
    "Algerian/Tunisian": "جانفي فيفري مارس أفريل ماي جوان جويلية أوت سبتمبر أكتوبر نوفمبر ديسمبر",
    "Moroccan": "يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر",
}


@pytest.mark.parametrize("region", MONTH_SETS)
def test_every_month_of_each_regional_set_is_read(region):
    names = [name.replace("_", " ") for name in MONTH_SETS[region].split()]

    months = [parse_printed(f"السبت 3 {name} 2024").value.month for name in names]

    assert months == list(range(1, 13))


@pytest.mark.parametrize(
    ("printed", "day"),
    [
        ("الخميس 4 يناير 2024", (2024, 1, 4)),
        ("4 كانون الثاني 2024", (2024, 1, 4)),
        ("الخميس 4 جانفي 2024", (2024, 1, 4)),
        ("14 فيفري 2024", (2024, 2, 14)),
        ("3 تشرين الأول 2023", (2023, 10, 3)),
        ("9 تشرين الثاني 2023", (2023, 11, 9)),
        ("25 كانون الأول 2023", (2023, 12, 25)),
        ("1 آب / أغسطس 2023", (2023, 8, 1)),
        ("12 غشت 2023", (2023, 8, 12)),
        ("7 جوان 2023", (2023, 6, 7)),
        ("7 جويلية 2023", (2023, 7, 7)),
        ("15 أوت 2023", (2023, 8, 15)),
        ("٢٠ حزيران ٢٠٢٢", (2022, 6, 20)),
        ("١ / ١٢ / ٢٠٢٠", (2020, 12, 1)),
        ("2020/12/25", (2020, 12, 25)),
        ("12/05/2024", (2024, 5, 12)),
        ("05/25/2024", (2024, 5, 25)),
        ("November 9, 2020", (2020, 11, 9)),
        ("12 - مايو - 2024", (2024, 5, 12)),
        ("الأحد 12 مايو 2024م", (2024, 5, 12)),
    ],
)
def test_printed_dates_in_every_regional_month_set_and_digit_style(printed, day):
    parsed = parse_printed(printed)

    assert parsed is not None
    assert parsed.value.date() == datetime(*day).date()


@pytest.mark.parametrize(
    ("printed", "hour"),
    [("09:23 ص", 9), ("09:23 م", 21), ("12:05 ص", 0), ("1:59 صباحًا", 1), ("9:22 مساءً", 21), ("٠٢:٠٠", 2)],
)
def test_morning_and_evening_markers(printed, hour):
    parsed = parse_printed(f"الاثنين 24 أغسطس 2020 {printed}")

    assert parsed is not None and parsed.value.hour == hour


def test_printed_zone_makes_the_date_timezone_aware():
    parsed = parse_printed("28 آب 2013 14:00 (GMT+0400)")

    assert parsed is not None and parsed.value.utcoffset() == timedelta(hours=4)


def test_printed_date_without_a_zone_stays_naive():
    parsed = parse_printed("28 آب 2013 14:00")

    assert parsed is not None and parsed.value.tzinfo is None


def test_iso_dates_as_sites_write_them():
    assert parse_iso("2020-12-01 02:00:00") == datetime(2020, 12, 1, 2, 0)
    assert parse_iso("2020-08-24T09:23:13Z") == datetime(2020, 8, 24, 9, 23, 13, tzinfo=UTC)
    assert parse_iso("2022-01-31T13:05:00+0300") == datetime(2022, 1, 31, 13, 5, tzinfo=AMMAN)
    assert parse_iso("not a date") is None


def test_a_sentence_with_a_date_is_not_a_date_line():
    assert looks_like_date_line("تم نشره الجمعة 24 نيسان 2020 09:22 مساءً")
    assert not looks_like_date_line("وقال الوزير في 24 أغسطس 2020 إن الحكومة ستعلن خطة جديدة للمياه")


def test_the_time_next_to_the_headline_wins_over_an_earlier_one_in_a_ticker():
    ticker = '<div class="ticker"><time datetime="2024-05-01T08:00:00+03:00">1 أيار</time> خبر سابق</div>'
    html = news_page(head="").replace('<main class="site-main">', f'<main class="site-main">{ticker}')

    assert dates_of(html)[0] == datetime(2024, 5, 12, 9, 15, tzinfo=AMMAN)


def test_a_utc_meta_date_is_put_in_the_zone_the_page_prints_its_time_in():
    head = '<meta property="article:published_time" content="2024-05-11T23:50:00+00:00">'
    meta_line = '<span class="date">2024/05/12 - 2:50 صباحًا</span>'

    published, _ = dates_of(news_page(head=head, meta_line=meta_line))

    assert published == datetime(2024, 5, 12, 2, 50, tzinfo=AMMAN)
    assert published.utcoffset() == timedelta(hours=3)


def test_json_ld_of_a_related_article_listed_first_is_not_this_pages_date():
    head = (
        f'<meta property="og:title" content="{HEADLINE}">'
        '<script type="application/ld+json">[{"@type": "NewsArticle", "headline": "خبر آخر",'
        ' "datePublished": "2024-04-01T10:00:00+03:00"}, {"@type": "NewsArticle", "headline":'
        f' "{HEADLINE}", "datePublished": "2024-05-12T09:15:00+03:00"}}]</script>'
    )

    assert dates_of(news_page(head=head, meta_line=""))[0] == datetime(2024, 5, 12, 9, 15, tzinfo=AMMAN)
