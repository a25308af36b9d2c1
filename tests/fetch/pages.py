"""Our own Arabic test article, to be encoded in legacy charsets by the tests."""

from __future__ import annotations

TITLE = "افتتاح سوق الكتاب الشتوي في مدينة إربد"
PARAGRAPHS = [
    "افتتحت بلدية إربد صباح اليوم سوق الكتاب الشتوي في ساحة المدينة القديمة، بمشاركة أكثر من "
    "ستين دار نشر من الأردن والدول العربية المجاورة.",
    "وقال رئيس البلدية في كلمته إن السوق يهدف إلى تقريب الكتاب من القراء الشباب، وإن الأسعار "
    "خفضت هذا العام بنسبة كبيرة بفضل دعم وزارة الثقافة.",
    "وتضم أجنحة السوق كتبا في الأدب والتاريخ والعلوم، إضافة إلى ركن خاص بكتب الأطفال يقدم فيه "
    "متطوعون جلسات قراءة يومية بعد الظهر.",
    "وأشار عدد من الناشرين إلى أن الإقبال في اليوم الأول فاق توقعاتهم، معربين عن أملهم في أن "
    "يصبح السوق موعدا ثابتا في كل شتاء.",
    "ويستمر السوق عشرة أيام، وتفتح أبوابه من العاشرة صباحا حتى التاسعة مساء، والدخول إليه مجاني "
    "لجميع الزوار.",
]


def article_html(meta_charset: str | None = None) -> str:
    """A news article page; only characters that windows-1256 and ISO-8859-6 both have."""
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>{meta}
<title>{TITLE}</title>
<meta property="og:title" content="{TITLE}">
<meta property="article:published_time" content="2026-01-12T09:30:00+02:00">
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/culture/">ثقافة</a></nav></header>
<article>
<h1>{TITLE}</h1>
<time datetime="2026-01-12T09:30:00+02:00">12 2026</time>
{body}
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>
"""
