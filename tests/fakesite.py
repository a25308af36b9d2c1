"""A realistic fake Arabic news site ("الأفق"), served by tests/loopback.py, for discovery and crawl tests.

Everything is rendered on request from an article id: a seeded random generator picks the section,
headline, author and sentences from the templates below, so 5,000 articles cost a few dictionary
entries each and the same id always renders the same page. The text is our own, written for these
tests; slot choices vary it combinatorially so that no two articles read alike.

The site has: a home page, paginated section pages, RSS and Atom feeds (site-wide and per section), a
robots.txt with Sitemap lines, a sitemap index pointing to gzip article sitemaps and a Google News
sitemap, about/contact pages, a few broken links (a 404 and a 410 that stale listings still point
to) and duplicate URL variants of one article (a `?utm_source=` link and a path without its trailing
slash, both served with the same page). Pages carry ETag and Last-Modified and answer conditional
requests with 304; HTML can be served in windows-1256 (`encoding=`) like many older Arabic sites.

    site = FakeNewsSite(articles=240).mount(server)      # articles=5000 for benchmarks
    site.article_url(12); site.edit_article(12)          # a correction: the next crawl sees a revision
    site.publish(3)                                      # new articles lead every listing
    site.sources_toml(delay=0)                           # its sources.toml entry
    site.hold_articles_after(50); ...; site.release()    # stop a crawl at a known point (SIGKILL tests)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from ingest.sources import Source, source_as_toml
from tests.loopback import LoopbackServer

SITE_NAME = "الأفق"
SITE_TITLE = "الأفق الإخباري"
SITE_TZ = timezone(timedelta(hours=3))
PER_PAGE = 20
FEED_ITEMS = 30
NEWS_SITEMAP_WINDOW = timedelta(days=2)

WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
AUTHORS = (
    "سارة الخطيب", "محمد العلي", "ليلى حداد", "يوسف بن عمر", "ريم منصور", "خالد الزعبي",
    "نور الهدى سالم", "عمر الفاسي", "هبة النجار", "طارق القاسم",
)  # fmt: skip

COMMON_SLOTS: dict[str, tuple[str, ...]] = {
    "city": (
        "عمّان", "القاهرة", "بيروت", "الرباط", "تونس", "الدوحة", "بغداد", "الخرطوم", "الجزائر",
        "مسقط", "الكويت", "رام الله", "نواكشوط", "طرابلس", "المنامة", "أبوظبي",
    ),
    "when": (
        "يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "صباح اليوم", "مساء أمس",
        "في وقت متأخر من ليلة الأحد", "مطلع الأسبوع الجاري",
    ),
    "source_attrib": (
        "وفق ما نقلته وكالة الأنباء الرسمية", "بحسب بيان صادر عن مكتبه الإعلامي",
        "في تصريحات خاصة لـ«الأفق»", "خلال لقاء مع الصحفيين",
    ),
    "period": (
        "الأشهر الستة المقبلة", "العام المقبل", "الربع الأول من العام", "الأسابيع القليلة المقبلة",
        "السنوات الثلاث المقبلة",
    ),
    "last_period": ("العام الماضي", "الشهر الماضي", "الصيف الماضي", "الربيع الماضي"),
}  # fmt: skip

CLOSINGS = (
    "ولم يصدر حتى ساعة إعداد هذا الخبر أي تعليق رسمي من الجهات المعنية.",
    "ويأتي ذلك في وقت تشهد فيه {city} نشاطًا لافتًا على أكثر من صعيد.",
    "وكانت {city} قد استضافت فعاليات مماثلة خلال {last_period}، لاقت اهتمامًا واسعًا.",
    "وتتابع «الأفق» تطورات هذا الملف، وستوافي قراءها بالمستجدات أولًا بأول.",
    "ويتوقع مراقبون أن تتضح الصورة أكثر خلال {period}.",
)


@dataclass(frozen=True, slots=True)
class Section:
    slug: str
    name: str
    headlines: tuple[tuple[str, str], ...]  # (template, URL slug)
    sentences: tuple[str, ...]
    slots: dict[str, tuple[str, ...]]


SECTIONS: tuple[Section, ...] = (
    Section(
        "politics",
        "سياسة",
        (
            ("{official} يعلن {policy_short}", "announces-plan"),
            ("{official} يلتقي نظيره في {city} لبحث {topic}", "official-meeting"),
            ("البرلمان يناقش {bill} وسط خلافات بين الكتل", "parliament-debate"),
            ("{group} تطالب بـ{demand_short}", "group-demands"),
            ("جولة مفاوضات جديدة في {city} حول {topic}", "talks-round"),
        ),
        (
            "أعلن {official} في {city} {when} عن {policy}، مؤكدًا أن {claim}.",
            "وقال {official} في مؤتمر صحفي إن {claim}، مشيرًا إلى أن {detail}.",
            "وأضاف أن الحكومة ستعمل على متابعة التنفيذ خلال {period}، {source_attrib}.",
            "ويأتي هذا الإعلان بعد {event}.",
            "من جهتها، رحّبت {group} بالخطوة، واعتبرتها {assessment}.",
            "في المقابل، انتقدت {opposition} غياب التفاصيل، وطالبت بـ{demand}.",
            "وبحث الجانبان في {city} سبل تعزيز {topic}، إلى جانب عدد من القضايا ذات الاهتمام المشترك.",
        ),
        {
            "official": (
                "وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الحكومة", "رئيس مجلس النواب",
                "وزير الداخلية", "الأمين العام لجامعة الدول العربية", "المبعوث الأممي",
            ),
            "policy": (
                "خطة وطنية لإصلاح الإدارة العامة", "حزمة إجراءات لدعم الأسر محدودة الدخل",
                "مبادرة جديدة للحوار مع أحزاب المعارضة", "برنامج لتطوير الخدمات في البلديات الصغيرة",
                "جولة جديدة من المفاوضات لتخفيف التوتر على الحدود",
                "مشروع قانون معدل للانتخابات المحلية", "استراتيجية لمكافحة الفساد في المؤسسات العامة",
            ),
            "policy_short": (
                "خطة لإصلاح الإدارة العامة", "حزمة إجراءات لدعم الأسر", "مبادرة للحوار الوطني",
                "استراتيجية لمكافحة الفساد", "خطة لتطوير البلديات",
            ),
            "claim": (
                "المرحلة المقبلة تتطلب تعاون جميع الأطراف", "الحوار يبقى الطريق الوحيد لتجاوز الخلافات",
                "الحكومة ملتزمة بتنفيذ تعهداتها في المواعيد المحددة",
                "تحسين الخدمات المقدمة للمواطنين يأتي في مقدمة الأولويات",
                "الاتفاق سيدخل حيز التنفيذ مطلع العام المقبل",
                "الظروف الإقليمية تفرض مزيدًا من التنسيق بين دول المنطقة",
            ),
            "detail": (
                "اللجان المختصة أنهت مراجعة المسودة الأولى", "عددًا من الوزارات سيشارك في متابعة التنفيذ",
                "التمويل اللازم جرى تأمينه من الموازنة العامة", "الجولة المقبلة من الاجتماعات ستعقد قريبًا",
            ),
            "group": (
                "الكتل النيابية", "نقابة المحامين", "منظمات المجتمع المدني", "غرفة الصناعة",
                "أحزاب الوسط", "النقابات العمالية",
            ),
            "assessment": (
                "خطوة في الاتجاه الصحيح", "خطوة تأخرت كثيرًا لكنها ضرورية",
                "بداية جدية لمعالجة المشكلات المتراكمة", "فرصة لاستعادة ثقة الشارع",
            ),
            "opposition": (
                "أحزاب المعارضة", "مجموعة من النواب المستقلين", "جمعيات حقوقية",
                "شخصيات سياسية بارزة",
            ),
            "demand": (
                "نشر تفاصيل الخطة كاملة أمام الرأي العام", "إشراك البرلمان في صياغة القرارات",
                "جدول زمني واضح للتنفيذ", "ضمانات لحماية الحريات العامة",
            ),
            "demand_short": (
                "جدول زمني واضح للإصلاحات", "إشراك البرلمان في القرار", "نشر تفاصيل الاتفاق",
            ),
            "event": (
                "أسابيع من الجدل داخل البرلمان", "احتجاجات شهدتها عدة مدن",
                "زيارة رسمية قام بها وفد رفيع المستوى", "تقرير رقابي كشف عن ثغرات في الأداء الحكومي",
            ),
            "topic": (
                "التعاون الاقتصادي", "ملف اللاجئين", "أمن الحدود", "الربط الكهربائي",
                "تسهيل حركة التجارة", "الأزمة الإقليمية",
            ),
            "bill": (
                "مشروع قانون الانتخابات", "مشروع قانون الإدارة المحلية", "تعديلات قانون العمل",
                "مشروع قانون حق الحصول على المعلومات",
            ),
        },
    ),
    Section(
        "economy",
        "اقتصاد",
        (
            ("{indicator} يرتفع إلى {pct} في المئة خلال {quarter}", "indicator-rises"),
            ("{econ_official}: {econ_claim_short}", "official-statement"),
            ("توقيع اتفاقيات بقيمة {big} مليون دولار في {city}", "deals-signed"),
            ("{sector} يسجل نموًا بنسبة {pct} في المئة", "sector-growth"),
        ),
        (
            "{direction} {indicator} إلى {pct} في المئة خلال {quarter}، {source_attrib}.",
            "وقال {econ_official} إن {econ_claim}.",
            "وتوقع خبراء اقتصاديون أن {forecast}.",
            "وبلغت قيمة {deal} نحو {big} مليون دولار، بحسب الأرقام الرسمية.",
            "وأشار التقرير إلى أن {sector} سجل نموًا بنسبة {pct} في المئة مقارنة بالفترة نفسها من العام الماضي.",
            "ويعمل في {sector} نحو {n} ألف شخص، أغلبهم من الشباب.",
        ),
        {
            "econ_official": (
                "محافظ البنك المركزي", "وزير المالية", "رئيس غرفة التجارة", "مدير هيئة الاستثمار",
                "رئيس جمعية المصارف",
            ),
            "indicator": (
                "معدل التضخم", "عجز الموازنة", "حجم الدين العام", "مؤشر أسعار المستهلك",
                "معدل النمو الاقتصادي",
            ),
            "direction": ("ارتفع", "انخفض"),
            "quarter": (
                "الربع الثالث", "الشهر الماضي", "النصف الأول من العام", "الأشهر التسعة الأولى من العام",
            ),
            "econ_claim": (
                "الاقتصاد المحلي أظهر قدرة على الصمود رغم الضغوط الخارجية",
                "السياسة النقدية ستبقى حذرة حتى نهاية العام",
                "الاستثمارات الجديدة ستوفر آلاف فرص العمل للشباب",
                "خفض أسعار الفائدة ليس مطروحًا في الوقت الحالي",
                "القطاع السياحي بدأ يستعيد عافيته تدريجيًا",
            ),
            "econ_claim_short": (
                "لا خفض لأسعار الفائدة قريبًا", "الاقتصاد صامد رغم الضغوط",
                "استثمارات جديدة لتوفير فرص العمل",
            ),
            "forecast": (
                "تستمر الضغوط على الأسعار حتى منتصف العام المقبل",
                "يتحسن أداء الصادرات مع افتتاح أسواق جديدة",
                "تنعكس الإجراءات الأخيرة إيجابًا على سعر صرف العملة المحلية",
                "يتباطأ النمو بسبب تراجع الطلب العالمي",
            ),
            "deal": (
                "الاتفاقيات الموقعة خلال المنتدى", "الاستثمارات الأجنبية المباشرة",
                "المنحة المقدمة لدعم المشاريع الصغيرة", "صادرات الفوسفات",
            ),
            "sector": (
                "قطاع السياحة", "قطاع الصناعات التحويلية", "قطاع الاتصالات", "القطاع الزراعي",
                "قطاع الإنشاءات",
            ),
        },
    ),
    Section(
        "sports",
        "رياضة",
        (
            ("{team} يفوز على {team2} ويقترب من الصدارة", "team-wins"),
            ("مدرب {team} يعلن قائمة مباراة الجولة {round}", "squad-list"),
            ("{team} يتعاقد مع مهاجم جديد لتعزيز صفوفه", "new-signing"),
            ("جماهير {team} تحتفل بالفوز في ملعب {stadium}", "fans-celebrate"),
        ),
        (
            "فاز فريق {team} على ضيفه {team2} بنتيجة {score} في المباراة التي جمعتهما على ملعب {stadium} ضمن الجولة {round} من الدوري.",
            "وسجل {player} هدف التقدم في الدقيقة {minute}، قبل أن {second_half}.",
            "وبهذا الفوز رفع {team} رصيده إلى {points} نقطة في المركز {rank}.",
            "من جانبه، قال مدرب الفريق إن {coach_quote}.",
            "وتقام المباراة المقبلة {next_when} على ملعب {stadium} أمام جمهور يتوقع أن يتجاوز {n} ألف متفرج.",
            "وكان {team2} قد خسر مباراته السابقة، ما زاد الضغوط على الجهاز الفني.",
        ),
        {
            "team": (
                "الفيصلي", "الوحدات", "الأهلي", "الزمالك", "الرجاء", "الوداد", "الترجي", "الهلال",
                "النجم الساحلي", "الشرطة", "الجيش الملكي", "الرمثا",
            ),
            "team2": (
                "الجزيرة", "الإسماعيلي", "الصفاقسي", "العربي", "المريخ", "الاتحاد", "شباب الأردن",
                "الفتح",
            ),
            "stadium": (
                "عمّان الدولي", "القاهرة الدولي", "محمد الخامس", "رادس", "الملك فهد الدولي",
                "جاسم بن حمد",
            ),
            "player": (
                "مهاجم الفريق الشاب", "القائد المخضرم", "لاعب الوسط البديل", "الجناح الأيسر",
            ),
            "second_half": (
                "يضيف زميله الهدف الثاني بعد الاستراحة", "يحسم البديل النتيجة بتسديدة بعيدة",
                "ينجح الحارس في التصدي لركلة جزاء في الوقت القاتل",
            ),
            "rank": ("الأول", "الثاني", "الثالث", "الرابع", "الخامس"),
            "coach_quote": (
                "اللاعبين قدموا مباراة كبيرة رغم صعوبة الظروف",
                "الفريق ما زال بحاجة إلى تحسين التنظيم الدفاعي",
                "المنافسة على اللقب ستبقى مفتوحة حتى الجولة الأخيرة",
                "الإصابات أثرت على خياراته في التشكيلة",
            ),
            "next_when": ("الجمعة المقبلة", "الأسبوع المقبل", "بعد فترة التوقف الدولي"),
        },
    ),
    Section(
        "culture",
        "ثقافة",
        (
            ("افتتاح معرض {exhibition} في {city} بمشاركة عربية واسعة", "exhibition-opens"),
            ("{writer} تصدر رواية جديدة عن {theme}", "new-novel"),
            ("مهرجان {city} الثقافي يطلق دورته الجديدة", "festival"),
            ("مكتبة عامة جديدة تفتح أبوابها في {city}", "new-library"),
        ),
        (
            "افتتح {culture_official} في {city} {when} معرض {exhibition} بمشاركة {n} فنانًا من {countries} دول عربية.",
            "وتضم الدورة الحالية {n} عملًا تتناول {theme}.",
            "وقالت الكاتبة {writer} إن روايتها الجديدة {novel_claim}.",
            "ويستمر {cultural_event} حتى نهاية الشهر، وتتضمن برامجه أمسيات شعرية وعروضًا موسيقية وورش عمل للأطفال.",
            "وأكد المنظمون أن {org_claim}.",
            "وتحتوي المكتبة الجديدة على أكثر من {n} ألف كتاب، إضافة إلى قاعة للمطالعة وأخرى للأطفال.",
        ),
        {
            "culture_official": (
                "وزير الثقافة", "رئيس بلدية المدينة", "مدير المتحف الوطني", "رئيس رابطة الكتّاب",
            ),
            "exhibition": (
                "الفن التشكيلي المعاصر", "الخط العربي", "التصوير الفوتوغرافي", "الكتاب السنوي",
                "الحرف اليدوية التراثية",
            ),
            "theme": (
                "الذاكرة والمكان", "تحولات المدن العربية", "علاقة الإنسان بالطبيعة",
                "حكايات الهجرة واللجوء", "التراث الشفوي",
            ),
            "writer": ("هدى الشامي", "منى عبد الله", "سلمى الحسيني", "رنا العمري"),
            "novel_claim": (
                "تستعيد سيرة عائلة عاشت بين ثلاث مدن", "تحاول الإصغاء لأصوات النساء في الأرياف",
                "كُتبت على مدى خمس سنوات من البحث في الأرشيف",
            ),
            "cultural_event": ("المهرجان", "المعرض", "الموسم الثقافي"),
            "org_claim": (
                "الدخول مجاني لجميع الزوار", "الإقبال فاق التوقعات منذ اليوم الأول",
                "الدورة المقبلة ستخصص للمواهب الشابة",
            ),
        },
    ),
    Section(
        "technology",
        "تكنولوجيا",
        (
            ("شركة ناشئة من {city} تطلق تطبيقًا لـ{app_goal_short}", "startup-app"),
            ("بدء تجربة الجيل الخامس في {n_cities} مدن", "5g-trial"),
            ("تحذير من {threat}", "security-warning"),
            ("مؤتمر في {city} يناقش مستقبل الذكاء الاصطناعي بالعربية", "ai-conference"),
        ),
        (
            "أطلقت شركة ناشئة مقرها {city} تطبيقًا جديدًا يهدف إلى {app_goal}.",
            "وقال مؤسس الشركة إن عدد المستخدمين تجاوز {n} ألف مستخدم خلال {period_short}.",
            "وأعلنت {telco} بدء تجربة شبكات الجيل الخامس في {n_cities} مدن، على أن تتوسع التغطية تدريجيًا خلال {period}.",
            "ويرى مختصون أن {tech_view}.",
            "وحذرت جهات مختصة من {threat}، داعية المستخدمين إلى تحديث أجهزتهم.",
        ),
        {
            "app_goal": (
                "تسهيل حجز المواعيد في المستشفيات الحكومية", "ربط المزارعين مباشرة بتجار الجملة",
                "تعليم البرمجة للأطفال باللغة العربية", "مساعدة الطلاب في العثور على منح دراسية",
                "تنظيم مشاركة السيارات بين الموظفين",
            ),
            "app_goal_short": ("حجز المواعيد الطبية", "دعم المزارعين", "تعليم البرمجة للأطفال"),
            "period_short": ("الأسابيع الأولى", "شهرين فقط", "أقل من عام"),
            "telco": ("هيئة تنظيم الاتصالات", "إحدى شركات الاتصالات الكبرى", "وزارة الاقتصاد الرقمي"),
            "tech_view": (
                "نماذج الذكاء الاصطناعي الناطقة بالعربية ما زالت بحاجة إلى بيانات أوسع",
                "حماية البيانات الشخصية يجب أن تسبق التوسع في الخدمات الرقمية",
                "ضعف الاتصال بالإنترنت في الأرياف يحد من فرص التعليم عن بعد",
                "الاستثمار في المهارات الرقمية أهم من شراء الأجهزة",
            ),
            "threat": (
                "رسائل احتيالية تنتحل صفة البنوك", "تطبيقات مزيفة تجمع بيانات المستخدمين",
                "ثغرة أمنية في أجهزة توجيه منزلية منتشرة",
            ),
        },
    ),
    Section(
        "society",
        "مجتمع",
        (
            ("حملة وطنية {campaign} تنطلق {when}", "health-campaign"),
            ("{weather_headline} في {city} وتعطيل الدوام في المدارس", "weather"),
            ("افتتاح {facility_headline} في {city}", "new-facility"),
        ),
        (
            "أطلقت وزارة الصحة {when} حملة وطنية {campaign} تستهدف {n} ألف {target}.",
            "وافتتحت بلدية {city} {facility} جديدًا يخدم سكان الأحياء الشرقية.",
            "وقال مدير التربية في المحافظة إن {school_claim}.",
            "وشهدت {city} {weather}، ما أدى إلى {consequence}.",
            "ودعا الدفاع المدني المواطنين إلى {advice}.",
        ),
        {
            "campaign": (
                "للتطعيم ضد الحصبة", "للكشف المبكر عن السكري", "للتوعية بمخاطر التدخين",
                "للتبرع بالدم",
            ),
            "target": ("طفل", "مواطن", "طالب"),
            "facility": ("مركزًا صحيًا", "ملعبًا للأحياء", "مركزًا للشباب"),
            "facility_headline": ("مركز صحي جديد", "ملعب جديد للأحياء", "مركز جديد للشباب"),
            "school_claim": (
                "العام الدراسي سيبدأ في موعده رغم أعمال الصيانة",
                "عدد الطلاب في الصفوف الأولى ارتفع بشكل ملحوظ",
                "المدارس ستحصل على أجهزة حاسوب جديدة قبل نهاية الفصل",
            ),
            "weather": ("أمطارًا غزيرة", "موجة حر غير مسبوقة", "عاصفة رملية", "تساقطًا للثلوج على المرتفعات"),
            "weather_headline": ("أمطار غزيرة", "موجة حر", "عاصفة رملية"),
            "consequence": (
                "تعطيل الدوام في المدارس", "إغلاق عدد من الطرق الرئيسية",
                "انقطاع التيار الكهربائي عن بعض المناطق", "ازدحام شديد في ساعات الصباح",
            ),
            "advice": (
                "توخي الحذر أثناء القيادة", "متابعة النشرات الجوية", "تجنب الخروج إلا للضرورة",
            ),
        },
    ),
)  # fmt: skip
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}
ARTICLE_PATH = re.compile(r"^/([a-z]+)/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-(\d+)/?$")


# The people, teams and places an article is about: one choice per article, shared by its headline
# and every sentence, so a story names the same team throughout.
ARTICLE_LEVEL_SLOTS = frozenset(
    {
        "city", "official", "econ_official", "indicator", "sector", "team", "team2", "stadium",
        "writer", "culture_official", "exhibition", "telco", "campaign", "facility",
    }
)  # fmt: skip


class _Slots(dict):
    """Slot values for one template: chosen on first use, so a name repeated in a sentence agrees."""

    def __init__(self, rng: random.Random, section: Section, article: _Subjects | None = None) -> None:
        super().__init__()
        self._rng = rng
        self._section = section
        self._article = article

    def __missing__(self, key: str) -> str:
        if self._article is not None and key in ARTICLE_LEVEL_SLOTS:
            return self._article[key]
        rng = self._rng
        numbers = {
            "n": lambda: str(rng.randint(12, 480)),
            "pct": lambda: f"{rng.randint(1, 14)}.{rng.randint(0, 9)}",
            "big": lambda: str(rng.randint(15, 900)),
            "round": lambda: str(rng.randint(3, 28)),
            "minute": lambda: str(rng.randint(5, 88)),
            "points": lambda: str(rng.randint(18, 61)),
            "countries": lambda: str(rng.randint(4, 11)),
            "n_cities": lambda: str(rng.randint(3, 9)),
            "score": lambda: f"{rng.randint(2, 4)}-{rng.randint(0, 1)}",
        }
        if key in numbers:
            value = numbers[key]()
        else:
            choices = self._section.slots.get(key) or COMMON_SLOTS[key]
            value = rng.choice(choices)
        self[key] = value
        return value


class _Subjects(dict):
    """An article's ARTICLE_LEVEL_SLOTS: each drawn from its own seed, whatever order they are asked in."""

    def __init__(self, seed: str, section: Section) -> None:
        super().__init__()
        self._seed = seed
        self._section = section

    def __missing__(self, key: str) -> str:
        choices = self._section.slots.get(key) or COMMON_SLOTS[key]
        value = random.Random(f"{self._seed}:{key}").choice(choices)
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    id: int
    section: Section
    title: str
    slug: str
    author: str
    published: datetime
    modified: datetime
    revision: int
    path: str


class FakeNewsSite:
    """The fake site; `mount(server)` serves it. Nothing per article is stored until it is edited."""

    def __init__(
        self,
        articles: int = 240,
        *,
        host: str | None = None,
        newest: datetime | None = None,
        spacing: timedelta = timedelta(hours=3),
        seed: int = 7,
        sitemap_chunk: int = 1000,
        encoding: str = "utf-8",
    ) -> None:
        self._count = articles
        self._encoding = encoding
        self._host = host
        self._newest = (newest or datetime.now(UTC).replace(second=0, microsecond=0)).astimezone(UTC)
        self._spacing = spacing
        self._seed = seed
        self._sitemap_chunk = sitemap_chunk
        self._edits: dict[int, tuple[int, datetime]] = {}  # id -> (revision, modified)
        self._late: dict[int, datetime] = {}  # id -> published, for articles added by publish()
        self._by_section: dict[str, list[int]] | None = None
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None
        self._article_requests = 0
        self._hold_after: int | None = None
        self._released = threading.Event()
        self.base = ""

    # --- the public surface for tests ---------------------------------------------------------

    def mount(self, server: LoopbackServer) -> FakeNewsSite:
        self._server = server
        self.base = f"http://{self._host or server.host}:{server.port}"
        for path in self._fixed_paths():
            server.handle(path, self._serve)
        for article_id in range(1, self._count + 1):
            self._mount_article(article_id)
        self._mount_section_pages()
        return self

    @property
    def article_count(self) -> int:
        return self._count

    def article(self, article_id: int) -> ArticleInfo:
        if not 1 <= article_id <= self._count:
            raise KeyError(article_id)
        rng = self._rng(article_id)
        section = SECTIONS[rng.randrange(len(SECTIONS))]
        template, slug = section.headlines[rng.randrange(len(section.headlines))]
        title = template.format_map(_Slots(rng, section, self._subjects(article_id, section)))
        author = AUTHORS[rng.randrange(len(AUTHORS))]
        published = self._published(article_id)
        revision, modified = self._edits.get(article_id, (0, published))
        path = f"/{section.slug}/{published.astimezone(SITE_TZ):%Y/%m/%d}/{slug}-{article_id}/"
        return ArticleInfo(article_id, section, title, slug, author, published, modified, revision, path)

    def article_url(self, article_id: int) -> str:
        return self.base + self.article(article_id).path

    def article_urls(self) -> list[str]:
        return [self.article_url(i) for i in range(1, self._count + 1)]

    @property
    def broken_urls(self) -> list[str]:
        """Linked or listed by the site but gone: a 404 from the home page, a 410 from the sitemap."""
        return [self.base + self._missing_path, self.base + self._gone_path]

    @property
    def duplicate_urls(self) -> dict[str, str]:
        """Variant URL -> the article URL it duplicates (same page served at both)."""
        article_id = self._duplicated_id
        url = self.article_url(article_id)
        return {
            url + "?utm_source=homepage&utm_medium=banner": url,
            url.rstrip("/"): url,
        }

    def edit_article(self, article_id: int, *, at: datetime | None = None) -> ArticleInfo:
        """Publish a correction: the body changes, modified dates move, sitemap and feeds follow."""
        self.article(article_id)  # raises KeyError for an unknown id
        with self._lock:
            revision = self._edits.get(article_id, (0, None))[0] + 1
            self._edits[article_id] = (revision, (at or datetime.now(UTC)).astimezone(UTC))
        return self.article(article_id)

    def publish(self, count: int = 1, *, at: datetime | None = None) -> list[int]:
        """Add `count` new articles, newest first on every listing, and serve them."""
        when = (at or datetime.now(UTC)).astimezone(UTC)
        with self._lock:
            new_ids = list(range(self._count + 1, self._count + count + 1))
            for offset, article_id in enumerate(new_ids):
                self._late[article_id] = when + timedelta(seconds=offset)
            self._count += count
            self._by_section = None
        for article_id in new_ids:
            self._mount_article(article_id)
        self._mount_section_pages()
        return new_ids

    def sources_toml(self, name: str = "alofoq", *, delay: float = 0.0) -> str:
        """A sources.toml entry for this site, as `akhbar sources add` would write it."""
        return source_as_toml(
            Source(
                name=name,
                base_url=self.base + "/",
                feeds=(self.base + "/rss.xml", self.base + "/atom.xml"),
                sitemaps=(self.base + "/sitemap.xml", self.base + "/news-sitemap.xml"),
                sections=tuple(f"{self.base}/{section.slug}/" for section in SECTIONS),
                delay=delay,
                date_locale="ar-JO",
            )
        )

    @property
    def article_requests(self) -> int:
        """GET requests for article paths so far, held ones included."""
        return self._article_requests

    def hold_articles_after(self, count: int) -> None:
        """Answer `count` more article requests, then keep further ones waiting until `release()`:
        a crawl can be killed at a known point with no timing in the test."""
        with self._lock:
            self._hold_after = self._article_requests + count
            self._released.clear()

    def release(self) -> None:
        with self._lock:
            self._hold_after = None
        self._released.set()

    def render(self, path: str) -> tuple[int, str, bytes, datetime | None]:
        """(status, content type, body, last modified) for a path; usable without a server too."""
        page = self._route(path)
        if page is None:
            not_found = self._page("الصفحة غير موجودة", "<p>عذرًا، لم نعثر على الصفحة المطلوبة.</p>")
            return 404, f"text/html; charset={self._encoding}", self._encode(not_found), None
        return page

    # --- serving ------------------------------------------------------------------------------

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK hold the body back ~40 ms per page, minutes over a 5,000-page crawl.
        request.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        path = urlsplit(request.path).path
        if ARTICLE_PATH.match(path) and request.command == "GET":
            self._admit_article_request()
        status, content_type, body, modified = self.render(path)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and _not_modified(request, etag, modified):
            request.send_response(304)
            request.send_header("ETag", etag)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        if status == 200:
            request.send_header("ETag", etag)
            if modified:
                request.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    def _admit_article_request(self) -> None:
        with self._lock:
            self._article_requests += 1
            held = self._hold_after is not None and self._article_requests > self._hold_after
        if held:
            # Bounded, so a test that forgets release() cannot hang the server's shutdown forever.
            self._released.wait(timeout=60)

    def _route(self, path: str) -> tuple[int, str, bytes, datetime | None] | None:
        html_type = f"text/html; charset={self._encoding}"
        fixed = {
            "/": lambda: (200, html_type, self._encode(self._home()), self._latest_modified()),
            "/robots.txt": lambda: (200, "text/plain; charset=utf-8", self._robots(), None),
            "/rss.xml": lambda: (200, "application/rss+xml; charset=utf-8", self._rss(None), self._latest_modified()),
            "/atom.xml": lambda: (200, "application/atom+xml; charset=utf-8", self._atom(), self._latest_modified()),
            "/sitemap.xml": lambda: (200, "application/xml; charset=utf-8", self._sitemap_index(), None),
            "/news-sitemap.xml": lambda: (200, "application/xml; charset=utf-8", self._news_sitemap(), None),
            "/about/": lambda: (200, html_type, self._encode(self._page("من نحن", "<p>«الأفق» موقع إخباري مستقل يغطي أخبار المنطقة العربية منذ عام 2009.</p>")), None),
            "/contact/": lambda: (200, html_type, self._encode(self._page("اتصل بنا", "<p>للتواصل مع فريق التحرير: تحرير@الأفق.نت</p>")), None),
            "/privacy/": lambda: (200, html_type, self._encode(self._page("سياسة الخصوصية", "<p>لا نشارك بيانات زوارنا مع أي جهة.</p>")), None),
            self._gone_path: lambda: (410, html_type, self._encode(self._page("حُذف هذا الخبر", "<p>حُذف هذا الخبر بطلب من المحرر.</p>")), None),
        }  # fmt: skip
        if path in fixed:
            return fixed[path]()
        chunk = re.fullmatch(r"/sitemaps/articles-(\d+)\.xml\.gz", path)
        if chunk and 1 <= int(chunk[1]) <= self._chunk_count():
            return 200, "application/x-gzip", self._article_sitemap(int(chunk[1])), None
        section_feed = re.fullmatch(r"/([a-z]+)/rss\.xml", path)
        if section_feed and section_feed[1] in SECTION_BY_SLUG:
            body = self._rss(SECTION_BY_SLUG[section_feed[1]])
            return 200, "application/rss+xml; charset=utf-8", body, None
        listing = re.fullmatch(r"/([a-z]+)/(?:page/(\d+)/)?", path)
        if listing and listing[1] in SECTION_BY_SLUG:
            page = int(listing[2] or 1)
            if (page == 1 and listing[2]) or not 1 <= page <= self._page_count(listing[1]):
                return None
            return 200, html_type, self._encode(self._section_page(SECTION_BY_SLUG[listing[1]], page)), None
        article = ARTICLE_PATH.match(path)
        if article:
            article_id = int(article[2])
            if not 1 <= article_id <= self._count:
                return None
            info = self.article(article_id)
            variant = path == info.path or (
                article_id == self._duplicated_id and path == info.path.rstrip("/")
            )
            if variant:
                return 200, html_type, self._encode(self._article_page(info)), info.modified
        return None

    def _fixed_paths(self) -> list[str]:
        paths = ["/", "/robots.txt", "/rss.xml", "/atom.xml", "/sitemap.xml", "/news-sitemap.xml"]
        paths += ["/about/", "/contact/", "/privacy/", self._gone_path]
        paths += [f"/{s.slug}/rss.xml" for s in SECTIONS]
        # Enough sitemap chunks for any growth by publish(): the route itself checks the count.
        paths += [f"/sitemaps/articles-{n}.xml.gz" for n in range(1, self._chunk_count() + 20)]
        return paths

    def _mount_article(self, article_id: int) -> None:
        assert self._server is not None
        path = self.article(article_id).path
        self._server.handle(path, self._serve)
        if article_id == self._duplicated_id:
            self._server.handle(path.rstrip("/"), self._serve)

    def _mount_section_pages(self) -> None:
        assert self._server is not None
        for section in SECTIONS:
            self._server.handle(f"/{section.slug}/", self._serve)
            for page in range(2, self._page_count(section.slug) + 1):
                self._server.handle(f"/{section.slug}/page/{page}/", self._serve)

    # --- data ---------------------------------------------------------------------------------

    def _rng(self, article_id: int) -> random.Random:
        return random.Random(self._seed * 1_000_003 + article_id)

    def _published(self, article_id: int) -> datetime:
        if article_id in self._late:
            return self._late[article_id]
        return self._newest - (self._initial_count() - article_id) * self._spacing

    def _initial_count(self) -> int:
        return self._count - len(self._late)

    @property
    def _duplicated_id(self) -> int:
        return max(1, self._initial_count() - 4)

    @property
    def _missing_path(self) -> str:
        return "/politics/2025/12/31/deleted-story-99999/"

    @property
    def _gone_path(self) -> str:
        return "/economy/2025/11/30/withdrawn-report-99998/"

    def _newest_first(self) -> Iterator[int]:
        return iter(range(self._count, 0, -1))

    def _section_ids(self, slug: str) -> list[int]:
        with self._lock:
            if self._by_section is None:
                by_section: dict[str, list[int]] = {s.slug: [] for s in SECTIONS}
                for article_id in self._newest_first():
                    rng = self._rng(article_id)
                    by_section[SECTIONS[rng.randrange(len(SECTIONS))].slug].append(article_id)
                self._by_section = by_section
            return self._by_section[slug]

    def _page_count(self, slug: str) -> int:
        return max(1, -(-len(self._section_ids(slug)) // PER_PAGE))

    def _chunk_count(self) -> int:
        return max(1, -(-self._count // self._sitemap_chunk))

    def _latest_modified(self) -> datetime:
        return max([self._published(self._count), *(m for _, m in self._edits.values())])

    def _subjects(self, article_id: int, section: Section) -> _Subjects:
        return _Subjects(f"{self._seed}:{article_id}", section)

    def _paragraphs(self, info: ArticleInfo) -> list[str]:
        """The lead, then most of the section's other sentences in random order, and a closing or two."""
        rng = random.Random(self._seed * 7_919 + info.id)
        section = info.section
        subjects = self._subjects(info.id, section)

        def fill(template: str) -> str:
            return template.format_map(_Slots(rng, section, subjects))

        lead, *others = section.sentences
        body = rng.sample(others, k=max(2, len(others) - rng.randint(1, 2)))
        body += rng.sample(CLOSINGS, k=rng.randint(1, 2))
        paragraphs = [f"{subjects['city']} – «{SITE_NAME}»: {fill(lead)}"]
        while body:
            take = rng.randint(1, 2)
            paragraphs.append(" ".join(fill(sentence) for sentence in body[:take]))
            body = body[take:]
        for revision in range(1, info.revision + 1):
            claim = rng.choice(SECTIONS[0].slots["claim"])
            paragraphs.append(
                f"تحديث ({revision}): أضيفت إلى هذا الخبر تفاصيل جديدة بعد صدور بيان رسمي يوضح أن {claim}."
            )
        return paragraphs

    # --- pages --------------------------------------------------------------------------------

    def _encode(self, page: str) -> bytes:
        return page.encode(self._encoding, errors="xmlcharrefreplace")

    def _page(self, title: str, body_html: str) -> str:
        nav = "".join(f'<li><a href="/{s.slug}/">{s.name}</a></li>' for s in SECTIONS)
        return f"""<!DOCTYPE html>
<html lang="ar-JO" dir="rtl">
<head>
<meta charset="{self._encoding}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {SITE_TITLE}</title>
<link rel="alternate" type="application/rss+xml" title="{SITE_TITLE} - آخر الأخبار" href="{self.base}/rss.xml">
<link rel="alternate" type="application/atom+xml" title="{SITE_TITLE} - Atom" href="{self.base}/atom.xml">
<link rel="alternate" type="application/rss+xml" title="{SITE_TITLE} - التعليقات" href="{self.base}/comments/feed/">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header class="site-header">
<a class="logo" href="/"><img src="/assets/logo.png" alt="{SITE_TITLE}"></a>
<nav class="main-menu" aria-label="الأقسام"><ul><li><a href="/">الرئيسية</a></li>{nav}</ul></nav>
<form class="search" action="/search/"><input name="q" placeholder="ابحث في الأفق"></form>
</header>
<main>
{body_html}
</main>
<footer class="site-footer">
<ul><li><a href="/about/">من نحن</a></li><li><a href="/contact/">اتصل بنا</a></li><li><a href="/privacy/">سياسة الخصوصية</a></li></ul>
<p>جميع الحقوق محفوظة © {SITE_TITLE} 2026</p>
</footer>
</body>
</html>
"""

    def _teaser(self, info: ArticleInfo, href: str | None = None) -> str:
        local = info.published.astimezone(SITE_TZ)
        return (
            f'<li class="teaser"><a href="{escape(href or info.path)}">{escape(info.title)}</a> '
            f'<time datetime="{local.isoformat()}">{_arabic_date(local)}</time></li>'
        )

    def _home(self) -> str:
        latest = [self.article(i) for i in list(self._newest_first())[:PER_PAGE]]
        duplicated = self.article(self._duplicated_id)
        variant, no_slash = list(self.duplicate_urls)
        blocks = [
            '<section class="breaking"><h2>عاجل</h2><ul>'
            + self._teaser(latest[0], variant.replace(self.base, ""))
            + "</ul></section>",
            '<section class="latest"><h2>آخر الأخبار</h2><ul>'
            + "".join(self._teaser(info, self.base + info.path) for info in latest)
            + "</ul></section>",
            '<section class="most-read"><h2>الأكثر قراءة</h2><ul>'
            + self._teaser(duplicated, no_slash)
            + f'<li><a href="{self._missing_path}">بالصور: لحظة وصول الوفد إلى المطار</a></li>'
            + "</ul></section>",
        ]
        return self._page(f"{SITE_TITLE} - أخبار العالم العربي", "\n".join(blocks))

    def _section_page(self, section: Section, page: int) -> str:
        ids = self._section_ids(section.slug)[(page - 1) * PER_PAGE : page * PER_PAGE]
        items = "".join(self._teaser(self.article(i)) for i in ids)
        pager = []
        if page > 1:
            previous = f"/{section.slug}/" if page == 2 else f"/{section.slug}/page/{page - 1}/"
            pager.append(f'<a rel="prev" href="{previous}">الصفحة السابقة</a>')
        if page < self._page_count(section.slug):
            pager.append(f'<a rel="next" href="/{section.slug}/page/{page + 1}/">الصفحة التالية</a>')
        body = (
            f'<h1 class="section-title">{section.name}</h1><ul class="articles">{items}</ul>'
            f'<div class="pagination">{" ".join(pager)}</div>'
            f'<p class="tags">وسوم شائعة: <a href="/tag/{section.slug}-news/">أخبار {section.name}</a></p>'
        )
        suffix = f" - الصفحة {page}" if page > 1 else ""
        return self._page(f"{section.name}{suffix}", body)

    def _article_page(self, info: ArticleInfo) -> str:
        url = self.base + info.path
        published = info.published.astimezone(SITE_TZ)
        modified = info.modified.astimezone(SITE_TZ)
        paragraphs = [f"<p>{escape(p)}</p>" for p in self._paragraphs(info)]
        if info.id > 1:
            related = self.article(info.id - 1)
            read_also = (
                f'<div class="read-also"><strong>اقرأ أيضا:</strong> '
                f'<a href="{related.path}">{escape(related.title)}</a></div>'
            )
            paragraphs.insert(min(2, len(paragraphs)), read_also)
        if info.id % 50 == 0:
            paragraphs.append(
                f'<p>للمزيد، <a href="/culture/2025/02/02/missing-page-{88000 + info.id}/">اضغط هنا</a>.</p>'
            )
        may_like = "".join(
            self._teaser(self.article(other)) for other in range(max(1, info.id - 4), info.id - 1)
        )
        schema = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": info.title,
            "datePublished": published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": {"@type": "Person", "name": info.author},
            "articleSection": info.section.name,
            "inLanguage": "ar",
            "mainEntityOfPage": url,
            "publisher": {"@type": "Organization", "name": SITE_TITLE},
        }
        head_meta = (
            f'<link rel="canonical" href="{url}">'
            f'<meta property="og:title" content="{escape(info.title)}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="og:site_name" content="{SITE_TITLE}">'
            f'<meta property="og:image" content="{self.base}/images/{info.id}.jpg">'
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            f'<meta property="article:modified_time" content="{modified.isoformat()}">'
            f'<meta property="article:section" content="{info.section.name}">'
            f'<meta name="author" content="{info.author}">'
            f'<script type="application/ld+json">{json.dumps(schema, ensure_ascii=False)}</script>'
        )
        city = COMMON_SLOTS["city"][info.id % len(COMMON_SLOTS["city"])]
        body = f"""<div class="breadcrumbs"><a href="/">الرئيسية</a> › <a href="/{info.section.slug}/">{info.section.name}</a></div>
<article class="post">
<h1 class="entry-title">{escape(info.title)}</h1>
<div class="entry-meta"><span class="byline">بقلم: <a href="/author/{info.id % 10}/">{info.author}</a></span>
<time class="published" datetime="{published.isoformat()}">{_arabic_date(published)}</time>
{f'<span class="updated">آخر تحديث: {_arabic_date(modified)}</span>' if info.revision else ""}</div>
<figure><img src="/images/{info.id}.jpg" alt="{escape(info.title)}"><figcaption>صورة أرشيفية من {city}</figcaption></figure>
<div class="entry-content">
{"".join(paragraphs)}
</div>
<div class="post-tags">الوسوم: <a href="/tag/{info.section.slug}/">{info.section.name}</a> <a href="/tag/{info.slug}/">{escape(info.title.split()[0])}</a></div>
<div class="share">شارك هذا الخبر: <a href="https://www.facebook.com/sharer/sharer.php?u={url}">فيسبوك</a> <a href="https://x.com/intent/tweet?url={url}">إكس</a> <a href="https://wa.me/?text={url}">واتساب</a></div>
<div class="newsletter">اشترك في نشرتنا البريدية ليصلك كل جديد</div>
</article>
<aside class="related"><h3>قد يهمك</h3><ul>{may_like}</ul></aside>"""
        page = self._page(info.title, body)
        return page.replace("</title>", "</title>\n" + head_meta, 1)

    # --- feeds and sitemaps -------------------------------------------------------------------

    def _robots(self) -> bytes:
        return (
            "User-agent: *\nDisallow: /search/\nDisallow: /wp-admin/\n\n"
            f"Sitemap: {self.base}/sitemap.xml\nSitemap: {self.base}/news-sitemap.xml\n"
        ).encode()

    def _rss(self, section: Section | None) -> bytes:
        ids = (
            self._section_ids(section.slug)[:FEED_ITEMS]
            if section
            else list(self._newest_first())[:FEED_ITEMS]
        )
        items = []
        for article_id in ids:
            info = self.article(article_id)
            lead = self._paragraphs(info)[0]
            items.append(
                f"<item><title>{escape(info.title)}</title><link>{self.base}{info.path}</link>"
                f'<guid isPermaLink="false">{self.base}/?p={info.id}</guid>'
                f"<pubDate>{format_datetime(info.published.astimezone(SITE_TZ))}</pubDate>"
                f"<dc:creator>{info.author}</dc:creator><category>{info.section.name}</category>"
                f"<description>{escape(lead)}</description></item>"
            )
        title = f"{SITE_TITLE} - {section.name}" if section else SITE_TITLE
        link = f"{self.base}/{section.slug}/" if section else f"{self.base}/"
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{escape(title)}</title><link>{link}</link><description>آخر الأخبار من {SITE_TITLE}</description>"
            f"<language>ar</language>{''.join(items)}</channel></rss>"
        ).encode()

    def _atom(self) -> bytes:
        entries = []
        for article_id in list(self._newest_first())[:FEED_ITEMS]:
            info = self.article(article_id)
            entries.append(
                f"<entry><title>{escape(info.title)}</title>"
                f'<link rel="alternate" type="text/html" href="{self.base}{info.path}"/>'
                f"<id>tag:alofoq.example,2026:{info.id}</id>"
                f"<published>{info.published.astimezone(SITE_TZ).isoformat()}</published>"
                f"<updated>{info.modified.astimezone(SITE_TZ).isoformat()}</updated>"
                f"<author><name>{info.author}</name></author></entry>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'
            f'<title>{SITE_TITLE}</title><link rel="self" href="{self.base}/atom.xml"/>'
            f'<link rel="alternate" href="{self.base}/"/><id>{self.base}/</id>'
            f"<updated>{self._latest_modified().isoformat()}</updated>{''.join(entries)}</feed>"
        ).encode()

    def _sitemap_index(self) -> bytes:
        rows = []
        for chunk in range(1, self._chunk_count() + 1):
            ids = self._chunk_ids(chunk)
            modified = max(self.article(i).modified for i in ids)
            rows.append(
                f"<sitemap><loc>{self.base}/sitemaps/articles-{chunk}.xml.gz</loc>"
                f"<lastmod>{modified.isoformat()}</lastmod></sitemap>"
            )
        rows.append(f"<sitemap><loc>{self.base}/news-sitemap.xml</loc></sitemap>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{''.join(rows)}</sitemapindex>"
        ).encode()

    def _chunk_ids(self, chunk: int) -> range:
        start = (chunk - 1) * self._sitemap_chunk + 1
        return range(start, min(self._count, chunk * self._sitemap_chunk) + 1)

    def _article_sitemap(self, chunk: int) -> bytes:
        rows = []
        for article_id in self._chunk_ids(chunk):
            info = self.article(article_id)
            rows.append(
                f"<url><loc>{self.base}{info.path}</loc><lastmod>{info.modified.isoformat()}</lastmod>"
                f"<image:image><image:loc>{self.base}/images/{info.id}.jpg</image:loc></image:image></url>"
            )
        if chunk == 1:  # a stale entry: the article was withdrawn but the sitemap still lists it
            rows.append(f"<url><loc>{self.base}{self._gone_path}</loc></url>")
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            f"{''.join(rows)}</urlset>"
        )
        return gzip.compress(xml.encode(), mtime=0)

    def _news_sitemap(self) -> bytes:
        newest = self._published(self._count)
        rows = []
        for article_id in self._newest_first():
            info = self.article(article_id)
            if newest - info.published > NEWS_SITEMAP_WINDOW:
                break
            rows.append(
                f"<url><loc>{self.base}{info.path}</loc><news:news><news:publication>"
                f"<news:name>{SITE_NAME}</news:name><news:language>ar</news:language></news:publication>"
                f"<news:publication_date>{info.published.astimezone(SITE_TZ).isoformat()}</news:publication_date>"
                f"<news:title>{escape(info.title)}</news:title></news:news></url>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{''.join(rows)}</urlset>"
        ).encode()


def _arabic_date(moment: datetime) -> str:
    return (
        f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year} - {moment:%H:%M}"
    )


def _not_modified(request: BaseHTTPRequestHandler, etag: str, modified: datetime | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = request.headers.get("If-Modified-Since")
    if since and modified:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
