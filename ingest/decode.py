"""Response bytes + headers -> text, with every declared charset verified against the bytes.

Order: a byte-order mark (unambiguous, so it wins, as in the WHATWG encoding standard), then the
HTTP charset, then `<meta charset>` / http-equiv, then detection. A declaration is only believed
when the text it produces is plausible: Arabic news sites often serve windows-1256 labelled
ISO-8859-1, UTF-8 labelled windows-1256, or nothing at all, and mojibake must never be stored.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers decode these labels as windows-1252 (WHATWG), and so do we: ISO-8859-1 pages use
# 0x80-0x9F for curly quotes and dashes far more often than for C1 control characters.
_WHATWG_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
# Legacy charsets tried when nothing declared is believable: the two Arabic pages actually use,
# and windows-1252 for the French and English pages of the region's sites.
_FALLBACKS = ("cp1256", "iso8859_6", "cp1252")
_WORD = re.compile(r"[^\W\d_]+")
# Share of suspicious words above which a decoding is judged to be mojibake: wrong decodings of
# Arabic score 0.6-1.0, real French or Turkish text stays near 0.1 at worst ("çà").
_MAX_MOJIBAKE_SHARE = 0.25
# The word-level judgements read this many characters: enough for any page's head and opening
# paragraphs, and a 10 MB page is judged in a fraction of a second instead of tens of seconds.
_SAMPLE_CHARS = 256 * 1024
_C1_OR_REPLACEMENT = re.compile("[\x80-\x9f\ufffd]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    charset: str
    source: str  # bom / http / meta / detected / fallback


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML document to text; see `decode_document` for how the charset is chosen."""
    return decode_document(body, content_type).text


def decode_document(body: bytes, content_type: str | None = None) -> Decoded:
    for bom, charset in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(charset, errors="replace"), charset, "bom")
    if not body.isascii() and (utf8 := _strict(body, "utf-8")) is not None:
        # Legacy single-byte text is practically never valid UTF-8, so valid UTF-8 beats any label.
        return Decoded(utf8, "utf-8", "detected")
    declared = [
        (charset_from_content_type(content_type), "http"),
        (meta_charset(body), "meta"),
    ]
    for charset, source in declared:
        if (
            charset
            and _label_fits(body, charset)
            and (text := _plausible_decoding(body, charset)) is not None
        ):
            return Decoded(text, charset, source)
    if body.isascii():
        return Decoded(body.decode("ascii"), "ascii", "detected")
    return _detect(body)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return _known_codec(match.group(1).decode("ascii", "ignore")) if match else None


def mojibake_share(text: str) -> float:
    """Share of words with non-ASCII letters that look like a wrong decoding (0.0 = all plausible).

    Suspicious: words mixing Arabic and Latin letters (ISO-8859-6 read as windows-1256), words made
    only of accented Latin letters (Arabic or UTF-8 bytes read as Latin-1: "ÇáÕÍÉ"), and any C1
    control or replacement character. Genuine French or Turkish words mix accented and plain
    ASCII letters, so they pass.
    """
    if _C1_OR_REPLACEMENT.search(text):
        return 1.0
    suspicious = considered = 0
    for word in _WORD.findall(text, 0, _SAMPLE_CHARS):
        if word.isascii():
            continue
        considered += 1
        scripts = {_script(ch) for ch in word}
        if len(scripts - {"other"}) > 1 or (scripts == {"latin"} and len(word) > 1 and _no_ascii(word)):
            suspicious += 1
    return suspicious / considered if considered else 0.0


def _label_fits(body: bytes, charset: str) -> bool:
    """A UTF-16/32 label is believed only for bytes that have the NULs such text has (its markup is
    ASCII): ASCII or Arabic single-byte text read as UTF-16 gives CJK that no plausibility test
    catches, and WHATWG reads a meta UTF-16 label as UTF-8 anyway."""
    return not charset.startswith(("utf-16", "utf-32")) or b"\x00" in body[:1024]


def _plausible_decoding(body: bytes, charset: str) -> str | None:
    text = _strict(body, charset)
    return text if text is not None and mojibake_share(text) <= _MAX_MOJIBAKE_SHARE else None


def _strict(body: bytes, charset: str) -> str | None:
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> Decoded:
    """Nothing declared is believable and the bytes are not UTF-8: ask the detector, then try the
    fallbacks; keep the least suspicious decoding, and among equals the one with fewer rare letters
    (the detector takes short French text for Baltic or Central European charsets)."""
    candidates: list[str] = []
    best = from_bytes(body).best()
    if best is not None and (codec := _known_codec(best.encoding)):
        candidates.append(codec)
    candidates.extend(c for c in _FALLBACKS if c not in candidates)
    scored: list[tuple[float, float, int, str, str]] = []
    for order, charset in enumerate(candidates):
        if (text := _strict(body, charset)) is not None:
            scored.append((mojibake_share(text), _rare_letter_share(text), order, charset, text))
    if scored:
        *_, order, charset, text = min(scored)
        return Decoded(text, charset, "detected" if order == 0 and best is not None else "fallback")
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "fallback")


def _rare_letter_share(text: str) -> float:
    """Share of non-ASCII letters outside Latin-1 and Arabic (č, ė, ŕ... in a misdetected page)."""
    letters = [ch for ch in text[:_SAMPLE_CHARS] if not ch.isascii() and ch.isalpha()]
    rare = [ch for ch in letters if not ("\u00c0" <= ch <= "\u00ff" or _script(ch) == "arabic")]
    return len(rare) / len(letters) if letters else 0.0


def _script(ch: str) -> str:
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
        return "arabic"
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "latin"
    if unicodedata.category(ch).startswith("M"):
        return "other"  # combining marks belong to the letter before them
    return unicodedata.name(ch, "other").split(" ")[0].lower()


def _no_ascii(word: str) -> bool:
    return not any(ch.isascii() for ch in word)


def _known_codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(codec.replace("-", "_"), codec)
