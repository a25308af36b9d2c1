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
# Letters and digits as (from, to) pairs for str.replace: translate() with a dict pays for a
# failed lookup on every character it leaves alone, which made it most of fold()'s time; a
# replace() scans in C. Replacing one pair after another equals one translate() because no
# replacement is itself a letter or digit that gets replaced.
_LETTER_PAIRS = tuple((chr(code), to) for code, to in _LETTERS.items())
_DIGIT_PAIRS = tuple((chr(code), chr(to)) for code, to in _DIGITS.items())
# Most text holds none of those digits: one search spares twenty replace() calls.
_EASTERN_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """The matching form of `text`: same length semantics as words, not as characters."""
    # Checking is far cheaper than normalizing, and almost every text is already in NFKC.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return western_digits(_replace_each(_MARKS.sub("", _INVISIBLE.sub("", text)), _LETTER_PAIRS)).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens of `text`, for indexes, shingles and phrase matching."""
    return _WORD.findall(fold(text))


def western_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits, nothing else changed."""
    return _replace_each(text, _DIGIT_PAIRS) if _EASTERN_DIGIT.search(text) else text


def _replace_each(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text
