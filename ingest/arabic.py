"""Arabic text folding for matching and search. Stored text keeps the publisher's own spelling.

`fold()` maps the spellings that readers treat as the same word onto one form: NFKC
(presentation forms), no diacritics or tatweel, no zero-width joiners or direction marks (pasted
text is full of them and they split words invisibly), one alef, ى→ي, ة→ه, ؤ→و, ئ→ي, Persian and
Urdu kaf/yeh/heh to Arabic, Arabic-Indic and Persian digits to ASCII, case-folded Latin.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, Quranic marks, superscript alef and tatweel: marks readers ignore when matching.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Zero-width (non-)joiners, direction marks and the BOM: invisible, but they break words apart.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        "ے": "ي",
        "ۓ": "ي",
        "ہ": "ه",
        "ھ": "ه",
        "ۃ": "ه",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Letters and digits in one table: one pass over the text instead of two.
_FOLD = {**_LETTERS, **_DIGITS}
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """The matching form of `text`: same length semantics as words, not as characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _MARKS.sub("", text).translate(_FOLD).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens of `text`, for indexes, shingles and phrase matching."""
    return _WORD.findall(fold(text))


def western_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits, nothing else changed."""
    return text.translate(_DIGITS)
