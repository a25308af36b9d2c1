"""Dates as Arabic news pages print and declare them -> datetime.

Machine dates (JSON-LD, meta, `<time datetime>`) are ISO 8601 and go through
`parse_iso`. Printed dates ("الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "٠٢:٠٠ الثلاثاء ١ / ١٢ / ٢٠٢٠",
"الجمعة 8 فيفري 2019") go through `parse_printed`.

Why hand-written rather than dateparser: dateparser's Arabic locale knows only one month-name set
(no Maghrebi جانفي/فيفري or Moroccan غشت/شتنبر), is slow (tens of ms per call, while a page has
dozens of candidate strings) and guesses at free text; a printed news date has a handful of shapes
that a few regexes over month-name tables (data, below) read exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from ingest.arabic import fold, western_digits

# Month names per region, as publishers spell them; matched after `fold()`, so hamza and
# teh-marbuta variants need no separate entries. A new spelling is a new string here.
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "January", "Jan"),
    2: ("فبراير", "شباط", "فيفري", "February", "Feb"),
    3: ("مارس", "آذار", "أذار", "March", "Mar"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "April", "Apr"),
    5: ("مايو", "أيار", "ماي", "May"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "June", "Jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "July", "Jul"),
    8: ("أغسطس", "آب", "أوت", "غشت", "August", "Aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "September", "Sep", "Sept"),
    10: ("أكتوبر", "تشرين الأول", "October", "Oct"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "November", "Nov"),
    12: ("ديسمبر", "كانون الأول", "دجنبر", "December", "Dec"),
}

# Words that mark a printed date as a last-update stamp rather than first publication.
UPDATE_LABELS = ("آخر تحديث", "اخر تحديث", "تم التحديث", "تحديث", "محدث", "updated", "last update")
# Words that mark a printed date as the publication date.
PUBLISH_LABELS = ("نشر", "تم نشره", "نشر في", "تاريخ النشر", "بتاريخ", "published", "posted")

# Folded once here: parse_printed and looks_like_date_line run on dozens of lines per page.
_FOLDED_UPDATE_LABELS = tuple(fold(label).casefold() for label in UPDATE_LABELS)
_FOLDED_LABELS_LONGEST_FIRST = sorted(
    (fold(label).casefold() for label in (*PUBLISH_LABELS, *UPDATE_LABELS)), key=len, reverse=True
)
_FOLDED_MONTHS = {fold(name): number for number, names in MONTHS.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(n) for n in _FOLDED_MONTHS), key=len, reverse=True))
_MONTH = rf"(?<!\w)(?:{_MONTH_ALT})(?!\w)"
_SEP = r"\s*[/\-–.]\s*"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*[-–/.]?\s*(?:من\s+)?(?P<month>{_MONTH})(?:{_SEP}{_MONTH})?"
    rf"\s*[-–/.,،]?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
_YEAR_FIRST = re.compile(
    rf"(?<!\d)(?P<year>(?:19|20)\d\d){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<day>\d{{1,2}})(?!\d)"
)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}}){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<year>(?:19|20)\d\d)(?!\d)"
)
_TIME = re.compile(
    r"(?<!\d)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?\s*"
    r"(?P<half>صباحا|صباح|مساءا|مساء|ص|م|am|pm|a\.m\.|p\.m\.)?(?!\w)"
)
_ZONE = re.compile(r"(?:gmt|utc)\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?")
_MORNING = {"صباحا", "صباح", "ص", "am", "a.m."}

# In the URL path: /2013/08/03/ or /2013/middle_east/8/3/ (a section slug between year and month).
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?:[a-z_-]+/)?(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)")


@dataclass(frozen=True, slots=True)
class PrintedDate:
    value: datetime
    is_update: bool


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 date or date-time as sites write it in metadata (also with a space, 'Z', '+0300')."""
    if not isinstance(value, str) or not value.strip():
        return None  # JSON-LD sometimes holds a list or an object where a date belongs
    text = western_digits(value.strip())
    text = re.sub(r"\s+", " ", text)
    text = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    text = re.sub(r"\.\d+(?=[Z+-]|$)", "", text)
    for candidate in (text, text[:25], text[:19], text[:10]):
        try:
            parsed = datetime.fromisoformat(candidate.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            continue
        return parsed if _plausible(parsed.date()) else None
    return None


def parse_printed(text: str) -> PrintedDate | None:
    """The date (and time, and zone when printed) in a short printed date line, or None."""
    folded = western_digits(fold(text))
    day = _find_day(folded)
    if day is None:
        return None
    value = datetime(day.year, day.month, day.day)
    clock = _TIME.search(folded)
    if clock:
        hour, minute = int(clock["hour"]), int(clock["minute"])
        half = clock["half"]
        if half and half not in _MORNING and hour < 12:
            hour += 12
        elif half in _MORNING and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            value = value.replace(hour=hour, minute=minute)
    zone = _ZONE.search(folded)
    if zone:
        offset = timedelta(hours=int(zone["hours"]), minutes=int(zone["minutes"] or 0))
        # Real zones lie within ±14 h; a printed "GMT+99" is a typo, not a zone.
        if offset <= timedelta(hours=14):
            value = value.replace(tzinfo=timezone(offset if zone["sign"] == "+" else -offset))
    return PrintedDate(value, any(label in folded for label in _FOLDED_UPDATE_LABELS))


def in_printed_zone(declared: datetime, printed: datetime) -> datetime:
    """`declared` (from metadata, often in UTC) in the zone the page prints its local time in.

    "2020-12-24T23:59:50Z" in meta and "2020/12/25 - 1:59 صباحًا" printed: the same moment at UTC+2,
    which is the publisher's own date. Used only when the printed time is that same moment within
    a day and a whole quarter-hour apart, i.e. a plain time-zone difference."""
    if declared.tzinfo is None or printed.tzinfo is not None or (printed.hour, printed.minute) == (0, 0):
        return declared
    offset = printed - declared.replace(tzinfo=None, second=0, microsecond=0) + declared.utcoffset()
    if abs(offset) > timedelta(hours=14) or offset % timedelta(minutes=15):
        return declared
    return declared.astimezone(timezone(offset))


def in_page_zone(value: datetime | None, *others: datetime | None) -> datetime | None:
    """`value` as an aware datetime when it is naive (a date from the URL, a printed line without a
    zone) and another date of the same page carries the publisher's local zone.

    Only a non-zero offset is taken for the publisher's: metadata stamped in UTC ("Z") is usually
    the server's clock, while the page prints local time. The wall-clock value is kept as printed."""
    if value is None or value.tzinfo is not None:
        return value
    for other in others:
        if other is not None and other.tzinfo is not None and other.utcoffset():
            return value.replace(tzinfo=other.tzinfo)
    return value


def date_in_url(url: str | None) -> datetime | None:
    if not url:
        return None
    match = _URL_DATE.search(url.lower())
    if not match:
        return None
    try:
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day) if _plausible(day) else None


def looks_like_date_line(text: str) -> bool:
    """A short line that is mostly a date: the printed date line of a page, not a sentence."""
    folded = western_digits(fold(text))
    if len(folded.split()) > 14 or _find_day(folded) is None:
        return False
    rest = _strip_dates(folded)
    for label in _FOLDED_LABELS_LONGEST_FIRST:
        rest = rest.replace(label, " ")
    leftover = [w for w in re.findall(r"\w+", rest) if not w.isdigit() and w not in _WEEKDAYS]
    return len(leftover) <= 2


_WEEKDAYS = {
    fold(name)
    for name in [
        "السبت",
        "الأحد",
        "الاحد",
        "الإثنين",
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الاربعاء",
        "الخميس",
        "الجمعة",
        "saturday",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "ص",
        "م",
        "صباحا",
        "مساء",
        "مساءا",
        "gmt",
        "utc",
    ]
}


def _strip_dates(folded: str) -> str:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _YEAR_FIRST, _DAY_FIRST, _TIME, _ZONE):
        folded = pattern.sub(" ", folded)
    return folded


# Every date shape above prints a four-digit year: a line without one holds no date, found
# without trying the month-name patterns at each of its positions.
_YEAR = re.compile(r"(?:19|20)\d\d")


def _find_day(folded: str) -> date | None:
    if not _YEAR.search(folded):
        return None
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(folded):
            month = _FOLDED_MONTHS.get(match["month"])
            found = _safe_date(int(match["year"]), month, int(match["day"]))
            if found:
                return found
    for pattern in (_YEAR_FIRST, _DAY_FIRST):
        for match in pattern.finditer(folded):
            year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
            # Day first is the Arab convention; a "month" over 12 means the page wrote it US-style.
            found = _safe_date(year, month, day) or (_safe_date(year, day, month) if month > 12 else None)
            if found:
                return found
    return None


def _safe_date(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if _plausible(found) else None


def _plausible(day: date) -> bool:
    # Online news starts in the 1990s; a date past next year is a typo or a countdown widget.
    return 1990 <= day.year <= datetime.now(UTC).year + 1
