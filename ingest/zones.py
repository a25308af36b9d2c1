"""The time zone a site prints its local times in, from its date-locale hint ("ar-JO" -> Asia/Amman).

sources.toml's `date_locale` names a language and the region whose clock the site prints; akhbar
places zone-less local times in that region's zone. A region akhbar has no zone for is refused when
sources.toml is read: ignoring it would store every such time without its zone, silently.
A module of its own, outside extract/: reading sources.toml must not import the extractor.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# One zone per country (data; a new country is a new line). Countries that span several zones
# (the United States, Russia) are left out: one region code cannot say which clock a site keeps.
ZONES_BY_REGION: dict[str, str] = {
    "AE": "Asia/Dubai", "BH": "Asia/Bahrain", "DJ": "Africa/Djibouti", "DZ": "Africa/Algiers",
    "EG": "Africa/Cairo", "EH": "Africa/El_Aaiun", "IQ": "Asia/Baghdad", "JO": "Asia/Amman",
    "KM": "Indian/Comoro", "KW": "Asia/Kuwait", "LB": "Asia/Beirut", "LY": "Africa/Tripoli",
    "MA": "Africa/Casablanca", "MR": "Africa/Nouakchott", "OM": "Asia/Muscat", "PS": "Asia/Gaza",
    "QA": "Asia/Qatar", "SA": "Asia/Riyadh", "SD": "Africa/Khartoum", "SO": "Africa/Mogadishu",
    "SS": "Africa/Juba", "SY": "Asia/Damascus", "TD": "Africa/Ndjamena", "TN": "Africa/Tunis",
    "YE": "Asia/Aden", "IL": "Asia/Jerusalem", "TR": "Europe/Istanbul", "IR": "Asia/Tehran",
    "GB": "Europe/London", "FR": "Europe/Paris", "DE": "Europe/Berlin",
}  # fmt: skip

# A language subtag, then optionally a region subtag ("ar", "ar-JO", "ar_JO"; BCP 47 or POSIX style).
_DATE_LOCALE = re.compile(r"^(?P<language>[A-Za-z]{2,3})(?:[-_](?P<region>[A-Za-z]{2}))?$")


def date_locale_problem(value: str) -> str | None:
    """Why `value` cannot be a date locale, in a few words, or None when it can."""
    shape = _DATE_LOCALE.match(value.strip())
    if shape is None:
        return f"date_locale must be a language, or language and region, like 'ar' or 'ar-JO', not {value!r}"
    region = (shape["region"] or "").upper()
    if region and region not in ZONES_BY_REGION:
        known = ", ".join(sorted(ZONES_BY_REGION))
        return f"date_locale {value!r}: akhbar knows no time zone for region {region} (it knows {known})"
    return None


def locale_zone(date_locale: str | None) -> tzinfo | None:
    """The zone of a date-locale hint's region, or None: no hint, no region, or one akhbar does not know."""
    shape = _DATE_LOCALE.match(date_locale.strip()) if date_locale else None
    name = ZONES_BY_REGION.get((shape["region"] or "").upper()) if shape else None
    try:
        return ZoneInfo(name) if name else None
    except ZoneInfoNotFoundError:  # a system without time-zone data: times stay as printed
        return None


def in_local_zone(value: datetime | None, zone: tzinfo | None) -> datetime | None:
    """A naive date-time with a time of day (a printed local time, a metadata time without an
    offset) placed in the site's `zone`; aware values, bare dates (midnight) and no zone unchanged."""
    if value is None or zone is None or value.tzinfo is not None or (value.hour, value.minute) == (0, 0):
        return value
    return value.replace(tzinfo=zone)
