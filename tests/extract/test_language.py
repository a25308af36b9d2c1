"""The language of an Arabic-script page is read from its text: Persian and Urdu are not Arabic."""

from __future__ import annotations

from ingest.extract import extract
from ingest.extract.language import detect_language
from tests.extract.theme import news_page

PERSIAN = [
    "<p>سازمان منطقه آزاد اروند روز یکشنبه از افتتاح نخستین آب‌شیرین‌کن خورشیدی در این منطقه خبر داد "
    "که روزانه پنج هزار متر مکعب آب آشامیدنی تولید می‌کند.</p>",
    "<p>مدیر این طرح گفت که هزینه تولید هر متر مکعب آب در این واحد به کمتر از نصف واحدهای قدیمی رسیده "
    "است و این تجربه می‌تواند در شهرهای ساحلی دیگر نیز تکرار شود.</p>",
    "<p>به گفته او، مرحله دوم طرح تا پایان سال آینده اجرا خواهد شد و ظرفیت تولید را دو برابر می‌کند.</p>",
]
URDU = [
    "<p>کراچی میں سمندری پانی کو میٹھا بنانے کے پہلے شمسی پلانٹ کا افتتاح اتوار کے روز کیا گیا جو روزانہ "
    "پانچ ہزار مکعب میٹر پینے کا پانی فراہم کرے گا۔</p>",
    "<p>منصوبے کے ڈائریکٹر نے کہا کہ اس پلانٹ میں پانی کی پیداوار کی لاگت پرانے پلانٹس سے آدھی ہے اور یہ "
    "تجربہ دوسرے ساحلی شہروں میں بھی دہرایا جا سکتا ہے۔</p>",
    "<p>ان کے مطابق منصوبے کا دوسرا مرحلہ اگلے سال کے آخر تک مکمل ہو جائے گا۔</p>",
]


def test_arabic_page_is_arabic():
    assert extract(news_page()).article.language == "ar"


def test_persian_page_is_not_arabic():
    article = extract(news_page(story=PERSIAN, headline="افتتاح نخستین آب‌شیرین‌کن خورشیدی در اروند")).article

    assert article.language == "fa"


def test_urdu_page_is_not_arabic():
    article = extract(news_page(story=URDU, headline="کراچی میں شمسی پلانٹ کا افتتاح")).article

    assert article.language == "ur"


def test_text_in_another_script_has_no_arabic_script_language():
    assert detect_language("The first solar desalination plant opened in Aqaba on Sunday morning.") is None


def test_arabic_with_a_borrowed_persian_name_stays_arabic():
    text = (
        "التقى وزير الخارجية نظيره الإيراني في طهران، وبحث معه ملف پارس الجنوبي للغاز وقضايا أخرى في المنطقة."
    )

    assert detect_language(text) == "ar"


def test_a_page_in_another_script_keeps_the_language_it_declares():
    story = [
        "<p>The Aqaba authority opened the first solar-powered desalination plant on Sunday, able to supply "
        "thirty thousand people with drinking water every day from the sea.</p>",
        "<p>Its director said the cost per cubic metre fell to half that of plants that burn fuel oil.</p>",
    ]
    html = news_page(story=story, headline="Aqaba opens a solar desalination plant").replace(
        '<html lang="ar"', '<html lang="en-GB"'
    )

    assert extract(html).article.language == "en"


def test_arabic_typed_with_persian_yeh_and_kaf_is_still_arabic():
    text = "وقال المتحدث إن الحكومة ستعلن خطة جديدة للمياه في المدينة خلال الأيام المقبلة."

    assert detect_language(text.replace("ي", "ی").replace("ك", "ک")) == "ar"


def test_persian_typed_with_arabic_yeh_and_kaf_is_still_persian():
    text = "مدیر این طرح گفت که هزینه تولید هر متر مکعب آب در این واحد به کمتر از نصف رسیده است."

    assert detect_language(text.replace("ی", "ي").replace("ک", "ك")) == "fa"
