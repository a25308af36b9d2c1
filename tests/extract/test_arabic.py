"""`fold` and `words`: the matching form of Arabic text that search uses; stored text is never folded."""

from __future__ import annotations

from ingest.arabic import fold, western_digits, words
from ingest.extract import extract
from tests.extract.theme import news_page


def test_hamza_forms_of_alef_fold_to_bare_alef():
    assert fold("أحمد إبراهيم آمال ٱلله") == "احمد ابراهيم امال الله"


def test_alef_maqsura_and_teh_marbuta_fold():
    assert fold("مستشفى المدينة") == "مستشفي المدينه"


def test_diacritics_and_tatweel_are_dropped():
    assert fold("الـمَـدْرَسَةُ") == "المدرسه"


def test_invisible_joiners_and_direction_marks_do_not_split_words():
    assert words("إقرأ\u200f أيضاً\u200c") == ["اقرا", "ايضا"]


def test_arabic_indic_and_persian_digits_become_ascii():
    assert fold("٢٠٢٤ و۱۴۰۳") == "2024 و1403"
    assert western_digits("١٢ أيار") == "12 أيار"


def test_persian_and_urdu_letters_fold_onto_arabic():
    assert fold("کتاب یک") == fold("كتاب يك")


def test_presentation_forms_normalise():
    assert fold("\ufefb") == "لا"


def test_words_are_folded_tokens():
    assert words("قالت الحكومةُ: «سنعلن الخطة»!") == ["قالت", "الحكومه", "سنعلن", "الخطه"]


def test_extracted_text_keeps_the_publishers_own_spelling():
    paragraph = "وقالَ المُـديرُ إنّ المحطّة ستُنتج ٢٥٠ ألف مترٍ مكعّب يومياً، وهي أكبرُ منشأةٍ في إقليم العقبة."

    article = extract(news_page(between=[f"<p>{paragraph}</p>"])).article

    assert article is not None
    assert paragraph in article.text.splitlines()
