"""A news page the way WordPress-style Arabic news themes build one, around the story we give it.

Our own text and markup. Tests pass the parts they are about (extra blocks inside the article
container, metadata, bylines) and keep the rest of the page realistic: header and navigation,
a breadcrumb, the headline, a meta line, the content container, a sidebar and a footer.
"""

from __future__ import annotations

HEADLINE = "افتتاح أول محطة لتحلية مياه البحر بالطاقة الشمسية في مدينة العقبة"
SITE = "صحيفة الساحل"

# The story: four paragraphs, a subheading, a quote and a list, all of which must be kept.
STORY = [
    "<p>افتتحت سلطة منطقة العقبة الاقتصادية صباح الأحد أول محطة لتحلية مياه البحر تعمل بالطاقة الشمسية "
    "بالكامل، بطاقة إنتاجية تبلغ خمسة آلاف متر مكعب يوميا تكفي لتزويد نحو ثلاثين ألف نسمة بمياه الشرب.</p>",
    "<p>وقال مدير المشروع، المهندس رامي الحوراني، إن المحطة أقيمت على أرض مساحتها اثنا عشر دونما قرب "
    "الشاطئ الجنوبي، وإن ألواحها الشمسية تغطي حاجتها من الكهرباء في ساعات النهار كلها.</p>",
    "<h2>كلفة أقل للمتر المكعب</h2>",
    "<p>وأوضح الحوراني أن كلفة إنتاج المتر المكعب الواحد انخفضت إلى أقل من نصف دينار، مقارنة بأكثر من "
    "دينار في المحطات التي تعمل بالوقود، وهو ما يجعل التجربة قابلة للتكرار في مدن ساحلية أخرى.</p>",
    "<blockquote><p>نريد أن تكون العقبة نموذجا للمدن التي تنتج ماءها من الشمس والبحر معا.</p></blockquote>",
    "<p>وتشمل المرحلة الثانية من المشروع ثلاثة أعمال رئيسية:</p>",
    "<ul><li>توسعة المحطة لمضاعفة إنتاجها بحلول نهاية العام المقبل</li>"
    "<li>مد خط ناقل جديد إلى الأحياء الشمالية من المدينة</li>"
    "<li>إنشاء خزان احتياطي يتسع لاستهلاك ثلاثة أيام</li></ul>",
    "<p>ويأمل القائمون على المشروع أن يخفف تشغيل المحطة الضغط على المياه الجوفية في جنوب البلاد، "
    "التي تراجع منسوبها خلال العقدين الماضيين بسبب الضخ الجائر وقلة الأمطار.</p>",
]
# Words from each part of the story, to check that it survived.
STORY_OPENING = "افتتحت سلطة منطقة العقبة الاقتصادية"
STORY_SUBHEADING = "كلفة أقل للمتر المكعب"
STORY_QUOTE = "نريد أن تكون العقبة نموذجا"
STORY_LIST_ITEM = "مد خط ناقل جديد إلى الأحياء الشمالية"
STORY_CLOSING = "بسبب الضخ الجائر وقلة الأمطار."

DEFAULT_HEAD = f"""<meta property="og:site_name" content="{SITE}">
<meta property="og:title" content="{HEADLINE}">
<meta property="article:published_time" content="2024-05-12T09:15:00+03:00">"""
DEFAULT_META_LINE = (
    '<span class="posted-on"><time datetime="2024-05-12T09:15:00+03:00">12 أيار 2024</time></span>'
)


def news_page(
    *,
    before: list[str] | None = None,
    after: list[str] | None = None,
    between: list[str] | None = None,
    story: list[str] | None = None,
    head: str = DEFAULT_HEAD,
    title: str = f"{HEADLINE} - {SITE}",
    headline: str | None = HEADLINE,
    meta_line: str = DEFAULT_META_LINE,
    outside: str = "",
) -> str:
    """The page HTML. `before`/`after` go inside the content container around the story,
    `between` after its second paragraph; `outside` after the article (comments, related)."""
    paragraphs = list(story if story is not None else STORY)
    if between:
        paragraphs[2:2] = between
    content = "\n".join([*(before or []), *paragraphs, *(after or [])])
    heading = f'<h1 class="entry-title">{headline}</h1>' if headline else ""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{title}</title>
{head}
</head>
<body class="single single-post">
<header class="site-header"><div class="logo"><a href="/">{SITE}</a></div>
<nav class="main-menu"><ul><li><a href="/">الرئيسية</a></li><li><a href="/local/">محليات</a></li>
<li><a href="/economy/">اقتصاد</a></li><li><a href="/sport/">رياضة</a></li></ul></nav></header>
<main class="site-main">
<article class="post type-post">
<ul class="breadcrumb"><li><a href="/">الرئيسية</a></li><li><a href="/local/">محليات</a></li></ul>
{heading}
<div class="entry-meta">{meta_line}</div>
<div class="entry-content">
{content}
</div>
</article>
{outside}
</main>
<aside class="sidebar"><h3>الأكثر قراءة</h3><ul>
<li><a href="/local/1">ارتفاع أسعار الخضار في الأسواق المركزية</a></li>
<li><a href="/local/2">بدء التسجيل في الجامعات الرسمية الأسبوع المقبل</a></li></ul></aside>
<footer class="site-footer"><p>جميع الحقوق محفوظة © {SITE} 2024</p></footer>
</body>
</html>"""
