"""Arabic boilerplate that news themes put inside the article container, found by text rules.

The phrase lists below are data: a new spelling of "اقرأ أيضا" is a new string, not new code.
Phrases are matched as whole words after `fold()`, so hamza, tanween and teh-marbuta variants
match as one, and a conjunction و/ف in front does not hide them.

How the rules apply (the rule names are what `akhbar extract --explain` prints):
- Anywhere in the body, a block matches a phrase rule when it holds one of the rule's phrases (at
  its start for prefix rules, as the whole line for label rules) and is short enough to be a
  prompt rather than a story paragraph: read also / related, tags, newsletter prompt, share /
  follow prompt, copyright line, photo caption or credit, ad label, page tools. A block that is
  all link text is a "related link"; a read-also or tags label alone on its line takes the link
  lines under it; a line without a word is dropped.
- Edge-only rules hold phrases a story may also use ("بريدك الإلكتروني", "التعليقات", "يحظر نشر");
  they only remove blocks peeled from the head or the tail of the body, outside in, because that
  is where themes put such prompts: comment form or policy, opinion disclaimer, and the edge
  variants of the above.
- Position rules: the headline repeated among the first lines; at the head or tail the byline
  (its name becomes an author), an editor credit, the printed date line, relative or reading-time
  stamps; at the tail an agency sign-off "(بترا)" or "المصدر: وكالات" (credited when the page
  has no byline), an end mark "(انتهى)" or a bare number, and an author biography.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.arabic import fold, western_digits
from ingest.extract.blocks import Block
from ingest.extract.dates import looks_like_date_line

# fmt: off
READ_ALSO = (
    "اقرأ أيضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "اقرأ:", "طالع أيضا", "طالع:", "شاهد أيضا",
    "شاهد:", "شاهد الفيديو:", "قد يهمك", "قد يعجبك", "يهمك أيضا", "تابع أيضا", "ذات صلة", "مواضيع ذات صلة",
    "أخبار ذات صلة", "مقالات ذات صلة", "روابط ذات صلة", "مواضيع ذات علاقة", "أخبار متعلقة",
    "الموضوعات المتعلقة", "مواضيع متعلقة", "المزيد من الأخبار", "المزيد من المقالات", "اخترنا لك",
    "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تصفحا", "مواضيع ساخنة", "اقرأ الخبر كاملا", "للمزيد اقرأ",
    "مواضيع قد تهمك", "ننصحك بقراءة", "ربما يعجبك", "مقالات مقترحة", "مواضيع مقترحة", "أخبار مقترحة",
    "المزيد:", "اقرأ في هذا الملف", "read more", "read also",
    # Persian sites, in the same script, print the same labels in Persian.
    "مطالب مرتبط", "اخبار مرتبط", "مطالب پیشنهادی",
)
# Newsletter words that only a prompt uses, anywhere in the body ...
NEWSLETTER = (
    "النشرة البريدية", "نشرتنا البريدية", "اشترك في النشرة", "اشترك بنشرتنا", "اشترك في نشرتنا",
    "سجل بريدك", "أدخل بريدك", "newsletter",
)
# ... and words a story may use too ("النشرة الإخبارية" is also a TV bulletin), so only at the edge.
NEWSLETTER_AT_EDGE = (
    "بريدك الإلكتروني", "صندوق بريدك", "اشترك الآن", "اشترك مجانا", "هل أعجبك المحتوى", "هل أعجبك المقال",
    "النشرة الإخبارية", "نشرتنا الإخبارية", "subscribe",
)
SHARE_FOLLOW = (
    "تابعونا على", "تابعنا على", "شارك المقال", "شارك الخبر", "شاركوا المقال", "انشر على",
    "لمتابعة آخر الأخبار", "لمتابعة أهم الأخبار", "لمتابعة أخر الأخبار", "تابعوا آخر الأخبار",
    "انضم إلى قناتنا", "انضموا إلى قناتنا", "اشترك في قناتنا", "follow us",
    "جوجل نيوز", "google news", "اضغط هنا", "انقر هنا", "اضغط على الرابط", "نسخ الرابط", "تم نسخ الرابط",
    "انسخ الرابط", "رابط مختصر",
)
# ("شارك هذا الأسبوع في …" and "تابعنا الوضع" are story sentences: short lines at the edge only.)
SHARE_FOLLOW_AT_EDGE = (
    "تابعونا", "شاركونا", "شارك هذا", "قناتنا على", "صفحتنا على", "حسابنا على", "حمل تطبيق", "نزل تطبيق",
    "share", "follow",
)
# What app and alert prompts promise the reader, a line of any length at the edge ("حمّل تطبيق
# الصحيفة على هاتفك لتصلك الأخبار العاجلة لحظة بلحظة"): second person, which a story does not use.
ALERTS_AT_EDGE = (
    "لتصلك الأخبار", "لتصلك آخر الأخبار", "لتصلك أهم الأخبار", "ليصلك كل جديد", "ليصلك جديد",
    "فعل الإشعارات", "فعل التنبيهات",
)
# Words only a comment form or policy uses: one is enough on a short line at the edge ...
COMMENTS_AT_EDGE = (
    "تعليقك", "اترك تعليقا", "أضف تعليق", "اضف تعليق", "إضافة تعليق", "أرسل تعليق", "لن يتم نشر عنوان بريدك",
    "الحقول الإلزامية", "الحقول المطلوبة", "إلغاء الرد", "الآراء الواردة", "لا تعبر عن رأي",
    "وجهات نظر أصحابها", "سياسة التعليق", "شروط التعليق", "لا توجد تعليقات",
    "كن أول من يعلق", "بروتوكول نشر التعليقات", "سياسة نشر التعليقات", "شروط نشر التعليقات",
    "قواعد نشر التعليقات",
)
# ... words a story uses too: alone they make only a heading ("التعليقات (3)"), or count as a
# second phrase in a long notice.
COMMENT_WORDS = ("التعليقات", "تعليقات القراء", "comments")
# What a moderation notice cites besides comments: the site's own rules. Only ever a second phrase.
COMMENT_POLICY_WORDS = (
    "شروط الاستخدام", "شروط استخدام الموقع", "إرشادات الاستخدام", "سياسة الخصوصية", "معايير النشر",
    "قواعد النشر", "terms of use", "privacy policy",
)
COPYRIGHT = (
    "جميع الحقوق محفوظة", "حقوق النشر محفوظة", "الحقوق محفوظة", "©", "all rights reserved", "copyright",
    "لا مانع من الاقتباس",
)
# A court story says "يحظر نشر أسماء المتهمين": republishing bans only at the edge.
COPYRIGHT_AT_EDGE = ("يحظر نشر", "يمنع نسخ", "يحظر إعادة نشر", "يمنع إعادة نشر", "يحظر نسخ", "يمنع النقل")
# The opinion page's disclaimer under a column.
DISCLAIMERS = (
    "تعبر عن رأي كاتبها", "تعبر عن رأي كاتبه", "لا تعبر بالضرورة عن", "لا تعكس بالضرورة",
    "تعبر عن وجهة نظر كاتبها", "مسؤولية كاتبها",
)
# A heading over the writer's biography at the end of a column.
AUTHOR_BIO_LABELS = ("عن الكاتب", "نبذة عن الكاتب", "عن المؤلف", "about the author")
# Tag labels need their colon: "العلامات التجارية …" opens story sentences.
TAGS = (
    "الوسوم:", "وسوم:", "كلمات مفتاحية:", "الكلمات المفتاحية:", "الكلمات الدلالية:", "تاجز:", "العلامات:",
    "tags:", "برچسب ها:", "برچسب‌ها:",
)
# The same labels alone on their line, as themes print them above a list of tag links.
TAG_LABELS = (
    "الوسوم", "وسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "الكلمات الدلالية", "تاجز", "tags",
    "برچسب ها", "برچسب‌ها",
)
PHOTO_CREDIT = (
    "صورة أرشيفية", "صورة ارشيفية", "- أرشيف", "(أرشيف", "(أرشيفية", "تصوير:", "الصورة:", "مصدر الصورة",
    "حقوق الصورة", "(صورة", "صورة:", "photo:", "getty images",
)
# A credit line that opens with its label and a separator: "تصوير - فلان", "عدسة: فلان".
PHOTO_CREDIT_LABELS = (
    "تصوير:", "تصوير -", "تصوير-", "تصوير/", "عدسة:", "عدسة -", "بعدسة:", "الصورة -", "صورة -",
)
AD_LABELS = (
    "إعلان", "إعلانات", "الإعلان", "مساحة إعلانية", "إعلان ممول", "محتوى مدفوع", "محتوى ممول", "برعاية",
    "advertisement", "advertising", "ad", "sponsored",
)
# What a page interrupts the story with around an ad or an embedded player.
AD_INTERRUPTIONS = (
    "واصل القراءة", "تابع القراءة", "تخطى البودكاست", "نهاية البودكاست", "يتبع بعد الإعلان",
    "المقال يتبع أسفل الإعلان", "continue reading",
)
# Page tools printed as text: a whole line of one of these is not story.
PAGE_TOOLS = (
    "طباعة", "نسخة للطباعة", "حجم الخط", "تكبير الخط", "تصغير الخط", "استمع", "استمع للمقال",
    "استمع إلى المقال", "شارك", "مشاركة", "مشاركة الخبر", "أرسل لصديق", "حفظ", "print", "listen",
)
# A page served with status 200 that says it has no such page.
NOT_FOUND = (
    "الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "الصفحة التي تبحث عنها غير موجودة",
    "لم يتم العثور على الصفحة", "لم نتمكن من العثور على الصفحة", "خطأ 404", "page not found",
    "404 not found", "the page you requested", "nothing was found",
)
# Bylines: labels that need no colon, and labels that open sentences too and so need one.
BYLINE_LABELS = ("كتب", "كتبت", "كتبه", "بقلم", "بواسطة", "by")
BYLINE_LABELS_WITH_COLON = ("إعداد", "تقرير", "حوار", "متابعة", "ترجمة", "مراسلة", "رصد", "تغطية")
# Credits for the desk, not the writer: removed from the body, never made authors.
EDITOR_LABELS = ("تحرير", "تدقيق", "مراجعة", "إشراف", "المحرر", "editing", "edited by")
# fmt: on

# A block longer than this is a story paragraph whatever words it holds.
PROMPT_MAX_WORDS = 30
# Comment-policy notices and copyright footers run longer, but only ever at the edge, and a long
# one must hold two of the rule's phrases (a story's last paragraph may mention "التعليقات").
EDGE_NOTICE_MAX_WORDS = 80
SHORT_NOTICE_MAX_WORDS = 12
COMMENT_HEADING_MAX_WORDS = 4
DISCLAIMER_MAX_WORDS = 40
# An author's biography under an "عن الكاتب" heading: this many lines at most, at the end.
AUTHOR_BIO_MAX_BLOCKS = 3
BYLINE_MAX_WORDS = 9
CAPTION_MAX_WORDS = 15
# At least this share of the characters are link text: the line is a link to another article.
LINK_LINE_DENSITY = 0.85
RELATED_MAX_WORDS = 25
# Under a read-also label, a line that is mostly a link (a headline with its date) is one more.
RELATED_UNDER_LABEL_DENSITY = 0.5
# Pages whose extracted text is mostly link text are listings or home pages.
LISTING_LINK_SHARE = 0.5
# The headline repeated in the body sits among its first lines.
HEADLINE_REPEAT_WITHIN = 3
# A page whose text has no line this long (and mostly not link text) holds no story.
STORY_MIN_WORDS = 12
NOT_FOUND_MAX_WORDS = 120
# Longer than any block a rule can remove (EDGE_NOTICE_MAX_WORDS words of long Arabic words).
LONGEST_RULED_CHARS = 1500
STORY_WORDS = 10_000


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Blocks holding one of `phrases` (whole words, after fold) and at most `max_words` words.

    `prefix`: the phrase opens the block. `exact`: the phrase is the whole block. `min_hits`:
    how many different phrases the block must hold. `edge_only`: head/tail peeling only.
    """

    name: str
    phrases: tuple[str, ...]
    max_words: int = PROMPT_MAX_WORDS
    prefix: bool = False
    exact: bool = False
    edge_only: bool = False
    min_hits: int = 1
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = sorted({fold(p).strip() for p in self.phrases}, key=len, reverse=True)
        object.__setattr__(self, "pattern", re.compile(_alternation(folded, self.prefix)))
        object.__setattr__(self, "phrases", tuple(folded))

    def matches(self, folded: str, word_count: int) -> bool:
        if word_count > self.max_words:
            return False
        if self.exact:
            return _bare(folded) in self.phrases
        if self.min_hits == 1:
            return self.pattern.search(folded) is not None
        return len(set(self.pattern.findall(folded))) >= self.min_hits


LABELS_OF_LINK_LISTS = ("read also / related", "tags")


def _alternation(phrases: list[str], prefix: bool) -> str:
    """One regex for all phrases, as whole words, also with the conjunction و or ف attached
    ("وتابعونا على"); a phrase that starts or ends with punctuation ("©", "(صورة") has no word
    boundary on that side. One alternation per boundary kind keeps the regex engine fast."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for phrase in phrases:
        groups.setdefault((phrase[0].isalnum(), phrase[-1].isalnum()), []).append(re.escape(phrase))
    lead = r"^[\W_]*" if prefix else ""
    parts = []
    for (word_start, word_end), escaped in groups.items():
        start = r"(?<!\w)[وف]?" if word_start and not prefix else ""
        end = r"(?!\w)" if word_end else ""
        parts.append(f"{lead}{start}(?:{'|'.join(escaped)}){end}")
    return "|".join(parts)


PHRASE_RULES = (
    PhraseRule("ad label", AD_LABELS, max_words=3, exact=True),
    PhraseRule("ad label", AD_INTERRUPTIONS, max_words=10),
    PhraseRule("page tools", PAGE_TOOLS, max_words=4, exact=True),
    PhraseRule("read also / related", READ_ALSO, prefix=True),
    PhraseRule("tags", TAGS, max_words=40, prefix=True),
    PhraseRule("tags", TAG_LABELS, max_words=3, exact=True),
    PhraseRule("newsletter prompt", NEWSLETTER),
    PhraseRule("share / follow prompt", SHARE_FOLLOW),
    PhraseRule("copyright line", COPYRIGHT),
    PhraseRule("photo caption or credit", PHOTO_CREDIT, max_words=CAPTION_MAX_WORDS),
    PhraseRule("photo caption or credit", PHOTO_CREDIT_LABELS, max_words=BYLINE_MAX_WORDS, prefix=True),
    # Edge-only rules, most specific first: a comment form mentions "بريدك الإلكتروني" too.
    PhraseRule("comment form or policy", COMMENTS_AT_EDGE, SHORT_NOTICE_MAX_WORDS, edge_only=True),
    PhraseRule("comment form or policy", COMMENT_WORDS, COMMENT_HEADING_MAX_WORDS, edge_only=True),
    PhraseRule(
        "comment form or policy",
        COMMENTS_AT_EDGE + COMMENT_WORDS + COMMENT_POLICY_WORDS,
        EDGE_NOTICE_MAX_WORDS,
        edge_only=True,
        min_hits=2,
    ),
    PhraseRule("copyright line", COPYRIGHT + COPYRIGHT_AT_EDGE, EDGE_NOTICE_MAX_WORDS, edge_only=True),
    PhraseRule("opinion disclaimer", DISCLAIMERS, DISCLAIMER_MAX_WORDS, edge_only=True),
    PhraseRule("newsletter prompt", NEWSLETTER_AT_EDGE, edge_only=True),
    PhraseRule("share / follow prompt", SHARE_FOLLOW_AT_EDGE, max_words=8, edge_only=True),
    PhraseRule("share / follow prompt", ALERTS_AT_EDGE, edge_only=True),
)

_LEADING_JUNK = re.compile(r"^[\W_]+")
_TRAILING_JUNK = re.compile(r"[\W_]+$")
_WORD = re.compile(r"\w+")
# "(بترا)", "--(بترا)", "- (وكالات)", also followed by the editors' initials "ع ح/ م ع".
_AGENCY_SIGNOFF = re.compile(r"^[\s\-–—_.]*\(\s*([^()]{2,40}?)\s*\)[\s.\-–—]*(?:\w{1,2}[\s./]*){0,6}$")
_SOURCE_CREDIT = re.compile(r"^\s*(?:المصدر|المصادر|source)\s*[:：]\s*(?P<source>[^:：]{2,40}?)[\s.]*$", re.I)
# Relative stamps ("منذ ساعتين") and reading time ("وقت القراءة: 3 دقائق"), matched on folded text.
_TIME_UNITS = "|".join(
    fold(unit)
    for unit in [
        "ساعة",
        "ساعتين",
        "ساعات",
        "دقيقة",
        "دقيقتين",
        "دقائق",
        "يوم",
        "يومين",
        "أيام",
        "أسبوع",
        "أسابيع",
        "شهر",
    ]
)
_RELATIVE_TIME = re.compile(rf"^\s*(?:نشر\s+)?منذ\s+(?:\d+\s+)?(?:{_TIME_UNITS})\s*$")
_READING_LABEL = f"{fold('وقت القراءة')}|{fold('مدة القراءة')}"
_READING_TAIL = f"{fold('للقراءة')}|{fold('قراءة')}|read"
_READING_TIME = re.compile(
    rf"^\s*(?:(?:{_READING_LABEL})\s*[:：]?\s*)?\d+\s*(?:{_TIME_UNITS}|min)\s*(?:{_READING_TAIL})?\s*$"
)
# Wire services close a story with "(انتهى)", "-انتهى-", perhaps with the editor's initials.
_END_MARK = re.compile(
    rf"^[\W_]*(?:{fold('انتهى')}(?: {fold('الخبر')})?|{fold('النهاية')}|end)[\W_]*(?:\w{{1,2}}[\W_]*){{0,4}}$"
)
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?؟…:]\s*$")


def _bare(folded: str) -> str:
    return _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", folded)).strip()


@dataclass(slots=True)
class Cleaned:
    """The story blocks, what was removed and why, and the facts found on the way."""

    kept: list[Block]
    removed: list[tuple[Block, str]] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)


def clean(blocks: list[Block], title: str | None) -> Cleaned:
    # Every rule has a word limit far below this length: a longer block is story, unread.
    folded = [fold(block.text) if len(block.text) <= LONGEST_RULED_CHARS else "" for block in blocks]
    counts = [len(_WORD.findall(f)) if f else STORY_WORDS for f in folded]
    verdicts: list[str | None] = [None] * len(blocks)
    found = Cleaned(kept=[])
    title_folded = _bare(fold(title)) if title else ""

    # Rules that hold anywhere in the body.
    for i, block in enumerate(blocks):
        verdicts[i] = "no words" if counts[i] == 0 else _inner_rule(block, folded[i], counts[i])

    # A read-also or tags label alone on its line takes the links that follow it.
    for i in range(len(blocks)):
        if verdicts[i] in LABELS_OF_LINK_LISTS and counts[i] <= 5:
            j = i + 1
            while (
                j < len(blocks) and verdicts[j] in (None, "related link") and counts[j] <= RELATED_MAX_WORDS
            ):
                if blocks[j].link_density < RELATED_UNDER_LABEL_DENSITY:
                    break
                verdicts[j] = verdicts[i]
                j += 1

    # "عن الكاتب" near the end: the heading and the biography under it.
    for i in range(max(0, len(blocks) - AUTHOR_BIO_MAX_BLOCKS - 1), len(blocks)):
        if counts[i] <= 4 and _bare(folded[i]) in _AUTHOR_BIO_LABELS:
            for j in range(i, len(blocks)):
                verdicts[j] = verdicts[j] or "author biography"
            break

    # The headline again among the first lines (after a kicker line, say) is not story.
    for i in range(min(HEADLINE_REPEAT_WITHIN, len(blocks))):
        if verdicts[i] is None and title_folded and _bare(folded[i]) == title_folded:
            verdicts[i] = "headline repeated in body"

    # Peel the head, then the tail, from the outside in.
    def peel(order: range, at_head: bool) -> None:
        for i in order:
            if verdicts[i] is not None:
                continue
            rule = _edge_rule(blocks[i], folded[i], counts[i], at_head, title_folded, found)
            if rule is None:
                return
            verdicts[i] = rule

    peel(range(len(blocks)), at_head=True)
    peel(range(len(blocks) - 1, -1, -1), at_head=False)

    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict is None:
            found.kept.append(block)
        else:
            found.removed.append((block, verdict))
    return found


def _inner_rule(block: Block, folded: str, words: int) -> str | None:
    for rule in PHRASE_RULES:
        if not rule.edge_only and rule.matches(folded, words):
            return rule.name
    if block.link_density >= LINK_LINE_DENSITY and words <= RELATED_MAX_WORDS:
        return "related link"
    return None


def _edge_rule(
    block: Block, folded: str, words: int, at_head: bool, title: str, found: Cleaned
) -> str | None:
    if at_head and title and _bare(folded) == title:
        return "headline repeated in body"
    if words <= BYLINE_MAX_WORDS and _EDITOR_CREDIT.match(folded):
        return "editor credit"
    byline = byline_name(block.text)
    if byline and words <= BYLINE_MAX_WORDS:
        found.bylines.append(byline)
        return "byline"
    if words <= 14 and looks_like_date_line(block.text):
        found.date_lines.append(block.text)
        return "date line"
    if _RELATIVE_TIME.match(folded) or _READING_TIME.match(western_digits(folded)):
        return "date line"
    if not at_head:
        if _END_MARK.match(folded) or not _LETTER.search(folded):
            return "end mark or number"
        agency = _AGENCY_SIGNOFF.match(block.text) or _SOURCE_CREDIT.match(block.text)
        if agency and len(agency.group(1).split()) <= 4:
            found.agencies.append(agency.group(1).strip())
            return "agency sign-off"
    for rule in PHRASE_RULES:
        if rule.edge_only and rule.matches(folded, words):
            return rule.name
    return None


_BYLINE = re.compile(
    r"^\s*(?:(?:{plain})(?!\w)\s*[:：\-–/]?|(?:{colon})\s*[:：/])\s*(?P<name>[^:：\n]+?)\s*[:：]?\s*$".format(
        plain="|".join(sorted(BYLINE_LABELS, key=len, reverse=True)),
        colon="|".join(sorted(BYLINE_LABELS_WITH_COLON, key=len, reverse=True)),
    ),
    re.IGNORECASE,
)


def byline_name(text: str) -> str | None:
    """The name in a printed byline ("كتب: فلان", "بقلم فلان", "حوار: فلان"), or None."""
    match = _BYLINE.match(text.strip())
    if not match:
        return None
    if _SENTENCE_END.search(match["name"]):
        return None
    # A byline often runs on into its date ("كتب: فلان - 12 مايو 2024"); names hold no digits.
    name = name_before_date(match["name"]).strip(" -–—،,.")
    if not name or name[0].isdigit() or len(name.split()) > 7:
        return None
    return name


_EDITOR_CREDIT = re.compile(
    r"^[\W_]*(?:{})\s*[:：/\-–]\s*\S".format("|".join(re.escape(fold(label)) for label in EDITOR_LABELS))
)
_RUNS_INTO_DATE = re.compile(r"[\s\-–—|/،,]+(?=\S*\d)")


def name_before_date(text: str) -> str:
    """A printed name without the date printed after it ("فلان - 12 مايو 2024"): names hold no digits."""
    return _RUNS_INTO_DATE.split(text)[0]


_NOT_FOUND = tuple(fold(p) for p in NOT_FOUND)
_AUTHOR_BIO_LABELS = frozenset(fold(label) for label in AUTHOR_BIO_LABELS)


def says_not_found(title: str | None, text: str) -> bool:
    """A short page whose title or text says the page does not exist (an error page served as 200)."""
    if len(_WORD.findall(text)) > NOT_FOUND_MAX_WORDS:
        return False
    folded = fold(f"{title or ''} {text}")
    return any(phrase in folded for phrase in _NOT_FOUND)


def no_story_reason(blocks: list[Block]) -> str | None:
    """Why these blocks are not an article (a listing, a home page), or None if they are one."""
    total = sum(len(block.text) for block in blocks)
    if total and sum(block.link_chars for block in blocks) / total >= LISTING_LINK_SHARE:
        return "a listing, not an article (most of the text is links)"
    if not any(
        len(_WORD.findall(block.text)) >= STORY_MIN_WORDS and block.link_density < 0.5 for block in blocks
    ):
        return "no story paragraph (headlines and short lines only)"
    return None
