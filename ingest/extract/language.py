"""Which language an Arabic-script text is written in: Arabic, Persian, Urdu, Kurdish (Sorani), Pashto.

Why a hand-written heuristic is enough (and better here than a general language identifier):
the question akhbar asks is narrow — "is this Arabic-script page Arabic?" — and the languages that
share the script are told apart reliably by letters and function words that each one uses on every
line and the others do not: Arabic writes ة and ى and fills sentences with في، من، على، التي;
Persian writes پ چ ژ گ and است، این، که، را، می; Urdu adds ے ں ٹ ڈ ڑ ھ ہ and کے، کی، میں، ہے;
Sorani has ە ۆ ێ ڵ ڕ; Pashto ټ ډ ړ ښ ږ ځ څ ې. General identifiers (langid, fastText) ship models
of tens of megabytes, cost milliseconds per page, and still confuse short Persian and Arabic
snippets because they mostly see the shared letters. A text in another script gets None: akhbar
archives Arabic news and only needs to know that such a page is not Arabic.
"""

from __future__ import annotations

import re
from collections import Counter

# fmt: off
# Letters that one Arabic-script language writes and Arabic does not (data, per language). Yeh and
# kaf are left out on purpose: which of ي/ی and ك/ک a site types depends on its keyboard (Arabic
# sites run from Iran type ی and ک; old Persian sites type ي and ك), not on its language.
MARKER_LETTERS: dict[str, str] = {
    "fa": "پچژگ",
    "ur": "ٹڈڑںےھہۂۓ",
    "ckb": "ەۆێڵڕ",
    "ps": "ټډړښږځڅېۍګ",
}
# Teh marbuta and alef maqsura: on every line of Arabic, rare in Persian and Urdu.
ARABIC_LETTERS = "ةى"
# Frequent short words, written with Arabic yeh and kaf (tokens are compared that way).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "ar": frozenset(["في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "التي", "الذي", "الذين", "هذا",
                     "هذه", "كان", "قد", "مع", "بعد", "حيث", "كما", "وقال", "لم", "إن"]),
    "fa": frozenset(["در", "به", "از", "كه", "اين", "را", "با", "است", "براي", "آن", "مي", "شد", "هاي",
                     "هم", "خود", "يك", "شده", "نيز", "پس", "اند", "بود"]),
    "ur": frozenset(["كے", "كي", "ميں", "ہے", "سے", "اور", "كو", "نے", "كا", "پر", "ہيں", "يہ", "تھا",
                     "گيا", "ايك"]),
    "ckb": frozenset(["لە", "بە", "كە", "ئەم", "بۆ", "لەگەڵ", "دەكات"]),
    "ps": frozenset(["د", "په", "له", "چې", "دا", "او", "كې", "سره", "ته"]),
}
# fmt: on
# Runs of letters rather than single letters: far fewer matches to count on the same text.
_ARABIC_SCRIPT_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[\w\u200c]+")
# Enough text to decide; reading a whole long page adds nothing but time.
SAMPLE_CHARS = 3000


def detect_language(text: str) -> str | None:
    """'ar', 'fa', 'ur', 'ckb' or 'ps' for Arabic-script text; None when the text is not in that script."""
    sample = text[:SAMPLE_CHARS]
    script_letters = sum(map(len, _ARABIC_SCRIPT_RUN.findall(sample)))
    if script_letters < 20 or script_letters < _LATIN.subn("", sample)[1]:
        return None
    letters = Counter({ch: sample.count(ch) for ch in _ALL_MARKERS})
    # Persian yeh and kaf as Arabic ones; str.replace, as translate() fails a lookup per character.
    words = Counter(_WORD.findall(sample.replace("ی", "ي").replace("ک", "ك")))
    arabic = _count(letters, ARABIC_LETTERS) + _word_weight(words, "ar")
    # Persian's letters are shared by Urdu, Sorani and Pashto: they say "not Arabic", and the
    # letters and words of each of the others then say which one.
    persianate = _count(letters, MARKER_LETTERS["fa"]) + _word_weight(words, "fa")
    if arabic >= persianate:
        return "ar"
    others = {
        language: _count(letters, MARKER_LETTERS[language]) + _word_weight(words, language)
        for language in ("ur", "ckb", "ps")
    }
    best = max(others, key=lambda language: others[language])
    # One of them only when its own marks are a real share of the text, not a borrowed name.
    return best if others[best] > 0.1 * persianate else "fa"


_ALL_MARKERS = frozenset(ARABIC_LETTERS + "".join(MARKER_LETTERS.values()))


def _count(letters: Counter[str], which: str) -> float:
    return float(sum(letters[ch] for ch in which))


def _word_weight(words: Counter[str], language: str) -> float:
    # A function word weighs like a few letters: words separate languages that share letters.
    return 3.0 * sum(count for word, count in words.items() if word in FUNCTION_WORDS[language])
