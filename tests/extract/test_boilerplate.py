"""Each boilerplate rule removes its block from the body, says so, and leaves the story whole."""

from __future__ import annotations

import pytest

from ingest.extract import Extraction, extract
from tests.extract.theme import (
    HEADLINE,
    STORY_CLOSING,
    STORY_LIST_ITEM,
    STORY_OPENING,
    STORY_QUOTE,
    STORY_SUBHEADING,
    news_page,
)


def extracted(html: str) -> Extraction:
    extraction = extract(html, "https://alsahel.example/local/2024/05/12/aqaba-desalination/")
    assert extraction.article is not None, extraction.reason
    return extraction


def removed_by(extraction: Extraction, snippet: str) -> str | None:
    for block in extraction.removed:
        if snippet in block.text:
            return block.rule
    return None


def assert_story_whole(text: str) -> None:
    for part in (STORY_OPENING, STORY_SUBHEADING, STORY_QUOTE, STORY_LIST_ITEM, STORY_CLOSING):
        assert part in text


def test_story_keeps_subheadings_quotes_lists_and_paragraph_boundaries():
    text = extracted(news_page()).article.text

    assert_story_whole(text)
    lines = text.splitlines()
    assert any(line == STORY_SUBHEADING for line in lines)
    assert any(line.endswith("توسعة المحطة لمضاعفة إنتاجها بحلول نهاية العام المقبل") for line in lines)
    assert len(lines) == 10


def test_a_lead_paragraph_styled_as_a_teaser_stays_in_the_story():
    # Themes style the standfirst "teaser"; trafilatura's balanced mode deletes such blocks, and
    # telling a lead from a related-story teaser is our rules' job, not trafilatura's.
    lead = "تدخل المحطة الجديدة الخدمة بعد عامين من العمل، وتغطي حاجة ثلاثين ألف نسمة من مياه الشرب"
    text = extracted(news_page(before=[f'<p class="article-teaser">{lead}</p>'])).article.text

    assert text.startswith(lead)
    assert_story_whole(text)


def test_an_app_prompt_after_the_story_is_removed_whatever_its_length():
    prompt = "<p>حمّل تطبيق صحيفة الساحل على هاتفك لتصلك الأخبار العاجلة لحظة بلحظة أينما كنت.</p>"

    extraction = extracted(news_page(after=[prompt]))

    assert "حمّل تطبيق" not in extraction.article.text
    assert removed_by(extraction, "حمّل تطبيق") == "share / follow prompt"
    assert_story_whole(extraction.article.text)


def test_a_table_in_the_story_keeps_every_cell_and_the_list_items_inside_cells_words_apart():
    table = (
        "<table><tr><td>المرحلة الأولى</td><td><ul><li>حفر الآبار الجديدة</li><li>تركيب المضخات</li></ul>"
        "</td></tr><tr><td>المرحلة الثانية</td><td>مد الأنابيب إلى الأحياء</td></tr></table>"
    )

    lines = extracted(news_page(between=[table])).article.text.splitlines()

    assert "المرحلة الأولى | حفر الآبار الجديدة تركيب المضخات" in lines
    assert "المرحلة الثانية | مد الأنابيب إلى الأحياء" in lines


def test_a_teaser_card_for_another_article_inside_the_story_is_removed_with_its_excerpt():
    card = (
        '<div class="news-teaser"><h4><a href="/local/77">وزير المياه يتفقد مشاريع الحصاد المائي</a></h4>'
        "<p>تفقد الوزير أمس عددا من السدود الترابية والحفائر في البادية الشرقية.</p></div>"
    )

    extraction = extracted(news_page(between=[card]))

    assert "السدود الترابية" not in extraction.article.text
    assert removed_by(extraction, "السدود الترابية") == "teaser (a card linking another article)"
    assert_story_whole(extraction.article.text)


def test_a_teaser_class_on_the_container_of_the_headline_and_story_removes_nothing():
    page = news_page().replace('<article class="post type-post">', '<div class="story-teaser"><article>')
    page = page.replace("</article>", "</article></div>")

    extraction = extracted(page)

    assert extraction.article.title == HEADLINE
    assert_story_whole(extraction.article.text)


@pytest.mark.parametrize(
    "label",
    [
        "اقرأ أيضا:",
        "إقرأ أيضاً:",
        "طالع أيضا:",
        "شاهد أيضاً:",
        "قد يهمك:",
        "اقرأ المزيد:",
        "ذات صلة:",
        "المزيد من الأخبار:",
        "مطالب مرتبط:",  # Persian
    ],
)
def test_read_also_line_inside_the_story_is_removed_in_each_spelling(label):
    link = '<a href="/economy/55">تراجع أسعار الوقود للشهر الثالث على التوالي</a>'
    line = f"<p><strong>{label}</strong> {link}</p>"

    extraction = extracted(news_page(between=[line]))

    assert "تراجع أسعار الوقود" not in extraction.article.text
    assert removed_by(extraction, "تراجع أسعار الوقود") == "read also / related"
    assert_story_whole(extraction.article.text)


def test_related_label_takes_the_list_of_links_under_it():
    related = [
        "<p><strong>مواضيع ذات صلة</strong></p>",
        '<p><a href="/a">وزير المياه يتفقد سد الموجب</a> - 12 أيار</p>',
        '<p><a href="/b">خطة لإعادة استخدام المياه المعالجة في الزراعة</a> - 11 أيار</p>',
    ]

    extraction = extracted(news_page(between=related))

    assert "سد الموجب" not in extraction.article.text
    assert "المياه المعالجة" not in extraction.article.text
    assert removed_by(extraction, "سد الموجب") == "read also / related"
    assert_story_whole(extraction.article.text)


def test_a_line_that_is_only_a_link_is_a_related_article():
    line = '<p><a href="/local/77">بلدية العقبة تطلق حملة لتنظيف الشواطئ قبل موسم الصيف</a></p>'

    extraction = extracted(news_page(between=[line]))

    assert "حملة لتنظيف الشواطئ" not in extraction.article.text
    assert removed_by(extraction, "حملة لتنظيف الشواطئ") == "related link"


def test_newsletter_prompt_at_the_end_is_removed():
    prompt = [
        "<p>هل أعجبك المحتوى وتريد أن يصلك جديدنا إلى بريدك الإلكتروني كل صباح؟</p>",
        "<p>اشترك في النشرة البريدية لصحيفة الساحل مجانا.</p>",
    ]

    extraction = extracted(news_page(after=prompt))

    assert "هل أعجبك" not in extraction.article.text
    assert "النشرة البريدية" not in extraction.article.text
    assert removed_by(extraction, "هل أعجبك") == "newsletter prompt"


def test_email_in_a_story_paragraph_is_story_not_a_prompt():
    story_line = "<p>وطلبت السلطة من المواطنين إرسال ملاحظاتهم إلى بريدك الإلكتروني الرسمي للمشروع.</p>"

    extraction = extracted(news_page(between=[story_line]))

    assert "إرسال ملاحظاتهم" in extraction.article.text


@pytest.mark.parametrize(
    "prompt",
    [
        "تابعونا على تطبيق تلغرام لمعرفة آخر الأخبار",
        "لمتابعة آخر الأخبار المحلية اشترك في قناتنا على يوتيوب",
        "شارك المقال مع أصدقائك",
    ],
)
def test_follow_and_share_prompts_are_removed(prompt):
    extraction = extracted(news_page(between=[f"<p>{prompt}</p>"]))

    assert prompt not in extraction.article.text
    assert removed_by(extraction, prompt) == "share / follow prompt"


def test_comment_form_text_at_the_end_is_removed():
    form = [
        "<h3>اترك تعليقاً</h3>",
        "<p>لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p>",
    ]

    extraction = extracted(news_page(after=form))

    assert "اترك تعليق" not in extraction.article.text
    assert removed_by(extraction, "لن يتم نشر عنوان بريدك") == "comment form or policy"


def test_long_comment_policy_notice_at_the_end_is_removed():
    notice = (
        "<p>نرحب بتعليقاتكم ونقاشكم حول ما ننشر، ونرجو الالتزام بآداب الحوار وعدم الإساءة إلى الأشخاص "
        "أو الجماعات، علما بأن إدارة الموقع تراجع التعليقات قبل نشرها وتحتفظ بحق حذف أي تعليق مخالف "
        "لشروط النشر، والآراء الواردة في التعليقات لا تعبر عن رأي الصحيفة بل عن رأي أصحابها فقط.</p>"
    )

    extraction = extracted(news_page(after=[notice]))

    assert "آداب الحوار" not in extraction.article.text
    assert removed_by(extraction, "آداب الحوار") == "comment form or policy"


def test_moderation_notice_citing_the_sites_rules_at_the_end_is_removed():
    notice = (
        "<p>يسعدنا تفاعل القراء مع موضوعاتنا، وتخضع جميع التعليقات للمراجعة قبل ظهورها على الصفحة، "
        "فالرجاء الاطلاع على شروط الاستخدام وسياسة الخصوصية الخاصة بصحيفة الساحل قبل المشاركة.</p>"
    )

    extraction = extracted(news_page(after=[notice]))

    assert "يسعدنا تفاعل القراء" not in extraction.article.text
    assert removed_by(extraction, "يسعدنا تفاعل القراء") == "comment form or policy"
    assert_story_whole(extraction.article.text)


@pytest.mark.parametrize("heading", ["قواعد نشر التعليقات", "سياسة نشر التعليقات في صحيفة الساحل"])
def test_comment_rules_link_at_the_end_is_removed(heading):
    extraction = extracted(news_page(after=[f"<p>{heading}</p>"]))

    assert heading not in extraction.article.text
    assert removed_by(extraction, heading) == "comment form or policy"


def test_copyright_line_in_the_container_is_removed():
    line = "<p>جميع الحقوق محفوظة لصحيفة الساحل، ولا يجوز النقل دون ذكر المصدر</p>"

    extraction = extracted(news_page(after=[line]))

    assert "جميع الحقوق محفوظة" not in extraction.article.text
    assert removed_by(extraction, "جميع الحقوق محفوظة") == "copyright line"


def test_tags_line_is_removed():
    line = "<p>كلمات مفتاحية: العقبة، المياه، الطاقة الشمسية</p>"

    extraction = extracted(news_page(after=[line]))

    assert "كلمات مفتاحية" not in extraction.article.text
    assert removed_by(extraction, "كلمات مفتاحية") == "tags"


@pytest.mark.parametrize("label", ["إعلان", "مساحة إعلانية", "- إعلان -"])
def test_ad_label_is_removed(label):
    extraction = extracted(news_page(between=[f'<p class="text-center">{label}</p>']))

    assert extraction.article.text.count("إعلان") == 0
    assert removed_by(extraction, label) == "ad label"


def test_photo_credit_text_line_is_removed():
    line = "<p>المحطة الجديدة على الشاطئ الجنوبي (صورة: وكالة الأنباء)</p>"

    extraction = extracted(news_page(between=[line]))

    assert "الشاطئ الجنوبي (صورة" not in extraction.article.text
    assert removed_by(extraction, "وكالة الأنباء") == "photo caption or credit"


def test_figcaption_is_removed():
    figure = (
        '<figure class="wp-block-image"><img src="/up/plant.jpg" alt="">'
        "<figcaption>ألواح شمسية تغطي سطح المحطة</figcaption></figure>"
    )

    extraction = extracted(news_page(before=[figure]))

    assert "ألواح شمسية تغطي" not in extraction.article.text
    assert removed_by(extraction, "ألواح شمسية تغطي") == "caption (image caption or photo credit)"


def test_caption_by_class_name_is_removed():
    caption = (
        '<div class="image-box"><img src="/up/a.jpg"><span class="img-credit">تصوير أحمد سالم</span></div>'
    )

    extraction = extracted(news_page(between=[caption]))

    assert "أحمد سالم" not in extraction.article.text


@pytest.mark.parametrize("css_class", ["img-cap", "photo_cap", "picDesc", "image-desc", "wp-caption-text"])
def test_caption_by_the_short_class_names_themes_use_is_removed(css_class):
    picture_then_caption = [
        '<p><img src="/up/d.jpg" alt=""></p>',
        f'<div class="{css_class}">محطة التحلية الجديدة كما تبدو من الجو</div>',
    ]

    extraction = extracted(news_page(between=picture_then_caption))

    assert "كما تبدو من الجو" not in extraction.article.text
    assert removed_by(extraction, "كما تبدو من الجو") == "caption (image caption or photo credit)"


def test_short_text_beside_an_image_in_its_own_box_is_a_caption():
    box = (
        '<div class="lead-box"><img src="/up/b.jpg"><div></div>'
        '<div class="txt-red">عمال يركبون الأنابيب الجديدة</div></div>'
    )

    extraction = extracted(news_page(before=[box]))

    assert "عمال يركبون الأنابيب" not in extraction.article.text
    assert removed_by(extraction, "عمال يركبون الأنابيب") == "caption (image caption or photo credit)"


def test_headline_repeated_at_the_top_of_the_body_is_removed():
    extraction = extracted(news_page(before=[f"<p><strong>{HEADLINE}</strong></p>"]))

    assert HEADLINE not in extraction.article.text
    assert removed_by(extraction, HEADLINE) == "headline repeated in body"


def test_byline_at_the_top_of_the_body_is_removed_and_becomes_the_author():
    extraction = extracted(news_page(before=["<p>كتب: سليم العمري</p>"]))

    assert "سليم العمري" not in extraction.article.text
    assert removed_by(extraction, "سليم العمري") == "byline"
    assert extraction.article.authors == ["سليم العمري"]


def test_printed_date_line_at_the_top_of_the_body_is_removed():
    extraction = extracted(news_page(before=["<p>نشر بتاريخ الأحد ١٢ أيار ٢٠٢٤ - ٠٩:١٥ ص</p>"]))

    assert "نشر بتاريخ" not in extraction.article.text
    assert removed_by(extraction, "نشر بتاريخ") == "date line"


def test_agency_sign_off_at_the_end_is_removed_and_credited():
    extraction = extracted(news_page(after=["<p>--(بترا)</p>"], meta_line=""))

    assert "بترا" not in extraction.article.text
    assert removed_by(extraction, "بترا") == "agency sign-off"
    assert extraction.article.authors == ["بترا"]


def test_a_story_paragraph_that_mentions_read_also_words_is_kept():
    line = (
        "<p>وقال الحوراني إن على الطلاب أن يقرؤوا أيضا عن تجارب الدول المجاورة، فالمزيد من الأخبار "
        "عن مشاريع التحلية يصل كل يوم من الخليج وشمال أفريقيا ويستحق المتابعة الدقيقة.</p>"
    )

    extraction = extracted(news_page(between=[line]))

    assert "تجارب الدول المجاورة" in extraction.article.text


def test_a_last_story_paragraph_about_comments_is_kept():
    line = (
        "<p>ورفض المتحدث باسم الوزارة التعليق على التعليقات التي نشرها سكان الحي على مواقع التواصل، مكتفيا "
        "بالقول إن لجنة فنية ستزور الموقع خلال الأسبوع المقبل لتقييم الأضرار ورفع تقرير مفصل إلى الوزير.</p>"
    )

    extraction = extracted(news_page(after=[line]))

    assert "ورفض المتحدث باسم الوزارة" in extraction.article.text


def test_a_short_last_sentence_with_a_share_word_inside_another_word_is_kept():
    extraction = extracted(news_page(after=["<p>وشارك في الافتتاح عدد من النواب.</p>"]))

    assert "وشارك في الافتتاح" in extraction.article.text


def test_a_story_paragraph_opening_with_a_tag_word_is_kept():
    line = "<p>العلامات التجارية الكبرى في قطاع المياه تتنافس على عقود المرحلة الثانية من المشروع.</p>"

    extraction = extracted(news_page(between=[line]))

    assert "العلامات التجارية الكبرى" in extraction.article.text


def test_a_short_wire_paragraph_with_an_agency_dateline_is_kept():
    extraction = extracted(
        news_page(between=["<p>عمان (رويترز) - قالت الحكومة إن المحطة ستعمل بكامل طاقتها.</p>"])
    )

    assert "قالت الحكومة إن المحطة" in extraction.article.text


@pytest.mark.parametrize("tool", ["طباعة", "حجم الخط", "استمع للمقال"])
def test_page_tool_labels_printed_as_text_are_removed(tool):
    extraction = extracted(news_page(before=[f"<p>{tool}</p>"]))

    assert removed_by(extraction, tool) == "page tools"


def test_continue_reading_after_an_ad_is_removed():
    extraction = extracted(news_page(between=["<p>واصل القراءة بعد الإعلان</p>"]))

    assert "واصل القراءة" not in extraction.article.text
    assert removed_by(extraction, "واصل القراءة") == "ad label"


def test_google_news_follow_prompt_is_removed():
    prompt = "تابعوا آخر أخبار صحيفة الساحل عبر جوجل نيوز"

    extraction = extracted(news_page(after=[f"<p>{prompt}</p>"]))

    assert removed_by(extraction, prompt) == "share / follow prompt"


def test_source_credit_at_the_end_is_removed_and_credited():
    extraction = extracted(news_page(after=["<p>المصدر: وكالات</p>"], meta_line=""))

    assert removed_by(extraction, "المصدر: وكالات") == "agency sign-off"
    assert extraction.article.authors == ["وكالات"]


def test_agency_sign_off_with_editors_initials_is_removed():
    extraction = extracted(news_page(after=["<p>--(بترا) ع ح/ م ع</p>"], meta_line=""))

    assert removed_by(extraction, "بترا") == "agency sign-off"
    assert extraction.article.authors == ["بترا"]


@pytest.mark.parametrize("stamp", ["منذ ساعتين", "منذ 3 ساعات", "وقت القراءة: ٣ دقائق"])
def test_relative_time_and_reading_time_stamps_at_the_top_are_removed(stamp):
    extraction = extracted(news_page(before=[f"<p>{stamp}</p>"]))

    assert removed_by(extraction, stamp) == "date line"


def test_byline_with_a_slash_after_the_label():
    extraction = extracted(news_page(before=["<p>كتب/ سليم العمري</p>"]))

    assert extraction.article.authors == ["سليم العمري"]


def test_headline_repeated_after_a_kicker_line_is_removed():
    extraction = extracted(news_page(before=["<p>في خطوة هي الأولى من نوعها:</p>", f"<p>{HEADLINE}</p>"]))

    assert HEADLINE not in extraction.article.text
    assert "في خطوة هي الأولى من نوعها" in extraction.article.text


@pytest.mark.parametrize("mark", ["(انتهى)", "-انتهى- ع ع", "17302"])
def test_end_mark_or_bare_number_at_the_end_is_removed(mark):
    extraction = extracted(news_page(after=[f"<p>{mark}</p>"]))

    assert removed_by(extraction, mark) == "end mark or number"


def test_a_line_of_punctuation_only_is_removed():
    extraction = extracted(news_page(between=["<p>* * *</p>"]))

    assert removed_by(extraction, "* * *") == "no words"


@pytest.mark.parametrize(
    ("line", "author"),
    [("كتب- يوسف الراشد:", "يوسف الراشد"), ("كتب: هالة سمير - 12 أيار 2024", "هالة سمير")],
)
def test_byline_punctuation_and_a_trailing_date_are_not_part_of_the_name(line, author):
    extraction = extracted(news_page(before=[f"<p>{line}</p>"], meta_line=""))

    assert extraction.article.authors == [author]


def test_a_sentence_opening_with_a_byline_word_and_a_number_is_not_a_byline():
    extraction = extracted(news_page(before=["<p>كتب ٢٠ شخصا رسالة</p>"], meta_line=""))

    assert extraction.article.authors == []


@pytest.mark.parametrize("credit", ["تصوير - أحمد حسن", "عدسة: سامي داود"])
def test_photo_credit_line_with_its_label_is_removed(credit):
    extraction = extracted(news_page(before=[f"<p>{credit}</p>"]))

    assert removed_by(extraction, credit) == "photo caption or credit"


def test_a_story_sentence_opening_with_the_word_for_filming_is_kept():
    extraction = extracted(news_page(between=["<p>تصوير المسلسل بدأ في العقبة الأسبوع الماضي.</p>"]))

    assert "تصوير المسلسل" in extraction.article.text


def test_the_site_credited_as_source_is_not_an_author():
    extraction = extracted(news_page(after=["<p>المصدر: صحيفة الساحل</p>"], meta_line=""))

    assert removed_by(extraction, "المصدر: صحيفة الساحل") == "agency sign-off"
    assert extraction.article.authors == []


def test_a_caption_styled_title_over_a_linked_teaser_picture_is_not_reported_as_a_caption():
    teaser = (
        '<div class="more"><a href="/local/9"><img src="/t/9.jpg"><div class="caption">'
        "<div>بلدية العقبة تزرع ألف شجرة</div></div></a></div>"
    )

    extraction = extracted(news_page(outside=teaser))

    assert removed_by(extraction, "بلدية العقبة تزرع") is None


def test_editor_credit_at_the_end_is_removed_but_is_not_an_author():
    extraction = extracted(news_page(after=["<p>تحرير: منى عيسى</p>"], meta_line=""))

    assert removed_by(extraction, "منى عيسى") == "editor credit"
    assert extraction.article.authors == []


@pytest.mark.parametrize("label", ["الوسوم", "برچسب ها"])  # Arabic, Persian
def test_tags_label_alone_takes_the_tag_links_under_it(label):
    tags = [
        f"<ul><li><span>{label}</span></li>"
        '<li><a href="/tag/aqaba">العقبة</a></li><li><a href="/tag/water">تحلية المياه</a></li></ul>'
    ]

    extraction = extracted(news_page(after=tags))

    assert label not in extraction.article.text
    assert removed_by(extraction, "تحلية المياه") == "tags"
    assert_story_whole(extraction.article.text)


@pytest.mark.parametrize(
    "sentence",
    [
        "وقالت المذيعة في النشرة الإخبارية المسائية إن المحطة ستعمل بكامل طاقتها قريبا.",
        "وقال القاضي إنه يحظر نشر أسماء العمال المصابين في حادث المحطة.",
        "وسيتم الكشف عن أسعار المياه الجديدة بعد الإعلان الرسمي.",
        "وشارك هذا الأسبوع في الافتتاح وزراء المياه والطاقة والبيئة.",
    ],
)
def test_story_sentences_that_share_words_with_prompts_are_kept(sentence):
    extraction = extracted(news_page(between=[f"<p>{sentence}</p>"]))

    assert sentence in extraction.article.text


def test_a_short_last_sentence_mentioning_comments_is_kept():
    extraction = extracted(news_page(after=["<p>ولم ترد الوزارة على التعليقات.</p>"]))

    assert "ولم ترد الوزارة على التعليقات." in extraction.article.text


def test_a_comments_heading_at_the_end_is_removed():
    extraction = extracted(news_page(after=["<p><strong>التعليقات (2)</strong></p>"]))

    assert removed_by(extraction, "التعليقات (2)") == "comment form or policy"


def test_a_subheading_beside_a_picture_is_kept():
    box = '<div class="row"><img src="/up/c.jpg"><h2>خزان احتياطي للطوارئ</h2></div>'

    extraction = extracted(news_page(between=[box]))

    assert "خزان احتياطي للطوارئ" in extraction.article.text


def test_opinion_disclaimer_at_the_end_is_removed():
    line = "<p>* المقالات المنشورة تعبر عن رأي كاتبها ولا تعبر بالضرورة عن رأي صحيفة الساحل.</p>"

    extraction = extracted(news_page(after=[line]))

    assert removed_by(extraction, "تعبر عن رأي كاتبها") == "opinion disclaimer"


def test_author_biography_under_its_heading_at_the_end_is_removed():
    bio = [
        "<h3>عن الكاتب</h3>",
        "<p>صحفي أردني يكتب في شؤون المياه والبيئة منذ عشرين عاما، وعمل مراسلا لعدد من الصحف العربية.</p>",
    ]

    extraction = extracted(news_page(after=bio))

    assert "صحفي أردني يكتب" not in extraction.article.text
    assert removed_by(extraction, "صحفي أردني يكتب") == "author biography"
    assert_story_whole(extraction.article.text)
