"""HTML text -> one lxml tree, with the work per document bounded, and DOM-context clean-up.

Parsing happens once: metadata reads this tree, the caption and teaser rules prune it, and trafilatura
extracts from it (trafilatura copies a tree it is given, so the tree stays readable).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
from lxml import etree

# Bounds on one document. Real article pages are well under 2 MB of markup; beyond these a page
# is a data dump or an attack, and reading it would cost seconds of CPU for nothing.
MAX_HTML_CHARS = 6_000_000
# The same bound on raw bytes before decoding (UTF-8 spends at most four bytes on a character).
MAX_HTML_BYTES = 4 * MAX_HTML_CHARS
MAX_ELEMENTS = 60_000
# libxml2 already flattens HTML nested deeper than 256 levels, which keeps every recursive walk
# (ours and trafilatura's) far below Python's recursion limit.

_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)
# lxml.html picks each element's class in Python (form, input, label... get their own), once per
# element proxy; trafilatura and our rules make a million proxies per few hundred pages, and
# nothing here uses those form classes. A fixed class is looked up in C.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|article|main|meta|title|section|span|h1)\b", re.I)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_WORDS = re.compile(r"\w+")

# Class/id vocabulary that news themes use for image captions and credits (generic, not per site).
# Besides "caption" and "credit", the short forms themes build from a picture word and "cap" or "desc"
# ("img-cap", "photo_cap", "picDesc", "image-desc"), and "figure-text".
_CAPTION_CLASS = re.compile(
    r"caption|credit|(?:img|image|photo|pic)[-_]?(?:cap|desc)(?![a-z])|figure-?text", re.I
)
# Every class and id value, as strings: matching them in Python is cheaper than an XPath
# that lower-cases each attribute in libxml2.
_CLASS_AND_ID = etree.XPath("//body//@class | //body//@id")
# The same values as plain strings (no link back to their element, so far cheaper to make), for
# _ClassNames' first look.
_CLASS_AND_ID_TEXT = etree.XPath("//body//@class | //body//@id", smart_strings=False)
_CAPTION_CLASS_LOWER = re.compile(_CAPTION_CLASS.pattern)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A caption is a line, not a paragraph.
CAPTION_MAX_WORDS = 25


@dataclass(slots=True)
class Pruned:
    text: str
    rule: str


def parse(html: str) -> lxml.html.HtmlElement | str:
    """The document tree, or a one-line reason why this text is not a parseable HTML page."""
    if not html or not html.strip():
        return "empty document"
    if len(html) > MAX_HTML_CHARS:
        return f"document too large ({len(html):,} characters; limit {MAX_HTML_CHARS:,})"
    head = html[:4096]
    if len(_CONTROL.findall(head)) > len(head) // 20:
        return "not HTML (binary data)"
    if not _MARKUP.search(html[:65536]):
        return "not HTML (no markup found)"
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        return f"unparseable HTML ({exc})"
    if any("Excessive depth" in entry.message for entry in _PARSER.error_log):
        return "document nested too deeply (libxml2 stops at 256 levels)"
    if tree.xpath("count(//*)") > MAX_ELEMENTS:
        return f"document has too many elements (more than {MAX_ELEMENTS:,})"
    if tree.find("body") is None:
        return "no <body> in document"
    return tree


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def prune(tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None) -> list[Pruned]:
    """Remove what themes put inside the article container that DOM context gives away: image
    captions and photo credits, and teaser cards for other articles."""
    body = tree.find("body")
    if body is None:
        return []
    names = _ClassNames(body)
    return [*_prune_captions(body, names), *_prune_teasers(body, names, headline)]


class _ClassNames:
    """Every class and id in the body, for a first look: most pages have no class a rule names,
    which one search over all of them tells."""

    def __init__(self, body: lxml.html.HtmlElement) -> None:
        values = "\n".join(_CLASS_AND_ID_TEXT(body))
        # On ASCII, a case-insensitive search is a search of the lower-cased text; Unicode has letters
        # that match ASCII ones case-insensitively (long s "ſ" matches "s"), so other text says "maybe".
        self._lowered = values.lower() if values.isascii() else None

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        return self._lowered is None or pattern.search(self._lowered) is not None


def _prune_captions(body: lxml.html.HtmlElement, names: _ClassNames) -> list[Pruned]:
    pruned: list[Pruned] = []
    for element in list(_caption_elements(body, names)):
        text = _squash(element.text_content())
        if text:
            pruned.append(Pruned(text, "caption (image caption or photo credit)"))
        _drop(element)
    return pruned


def _prune_teasers(
    body: lxml.html.HtmlElement, names: _ClassNames, headline: lxml.html.HtmlElement | None
) -> list[Pruned]:
    """trafilatura deletes teaser-class blocks in its balanced mode only, which extraction does not
    run (see extract/__init__.py). A teaser that links nowhere is the story's own standfirst and
    stays; so does one that holds the headline (a wrapper, whatever its class says)."""
    pruned: list[Pruned] = []
    if not names.may_match(_TEASER_CLASS):
        return pruned
    keep = set(headline.iterancestors()) if headline is not None else set()
    dropped: set[lxml.html.HtmlElement] = set()
    for value in _CLASS_AND_ID(body):
        element = value.getparent()
        if element.tag not in _TEASER_TAGS or not _TEASER_CLASS.search(value) or element in dropped:
            continue
        if element in keep or element.find(".//a[@href]") is None:
            continue
        if any(ancestor in dropped for ancestor in element.iterancestors()):
            continue
        text = _squash(element.text_content())
        if text:
            pruned.append(Pruned(text, "teaser (a card linking another article)"))
        dropped.add(element)
        _drop(element)
    return pruned


# The elements trafilatura's TEASER_DISCARD_XPATH names, as HTML tags.
_TEASER_TAGS = frozenset({"div", "section", "p", "span", "li", "ul", "ol"})
_TEASER_CLASS = re.compile("teaser", re.I)


def _caption_elements(body: lxml.html.HtmlElement, names: _ClassNames) -> Iterator[lxml.html.HtmlElement]:
    seen: set[lxml.html.HtmlElement] = set()
    for element in body.iter("figcaption"):
        seen.add(element)
        yield element
    for value in _CLASS_AND_ID(body) if names.may_match(_CAPTION_CLASS_LOWER) else ():
        if not _CAPTION_CLASS.search(value):
            continue
        element = value.getparent()
        if element in seen or element.tag in _NEVER_CAPTION:
            continue
        if _is_caption_text(element) and not _in_page_chrome(element):
            seen.add(element)
            yield element
    # DOM context: a short text sitting next to an image, in a box that holds nothing else and
    # links nowhere (a box with a link is a teaser card for another article, not a caption).
    for image in list(body.iter("img")):
        box = _image_box(image)
        if box is None or box.find(".//a") is not None or _in_page_chrome(box):
            continue
        for sibling in box.iterchildren():
            if sibling in seen or not isinstance(sibling.tag, str) or sibling.tag in _NEVER_CAPTION:
                continue
            if sibling.tag in _HEADINGS:  # a subheading set beside a picture is still the story's
                continue
            if sibling.find(".//img") is None and _is_caption_text(sibling):
                seen.add(sibling)
                yield sibling


# Elements that are never a caption themselves: story paragraphs, containers, code, controls.
_NEVER_CAPTION = frozenset(
    {"p", "body", "article", "main", "img", "script", "style", "noscript", "button", "form", "input"}
)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _is_caption_text(element: lxml.html.HtmlElement) -> bool:
    if element.find(".//script") is not None or element.find(".//a") is not None:
        return False
    return 2 <= _word_count(element.text_content()) <= CAPTION_MAX_WORDS


def _in_page_chrome(element: lxml.html.HtmlElement) -> bool:
    # Also inside a link: a "caption" over a linked picture is a teaser for another article.
    return any(a.tag in ("header", "footer", "nav", "aside", "a") for a in element.iterancestors())


def _image_box(image: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element (up to two levels above the image) that holds the image and at most a caption line."""
    box = image.getparent()
    while box is not None and box.tag in ("a", "picture"):
        box = box.getparent()
    for _ in range(2):
        if box is None or box.tag in ("p", "body", "article", "main", "section", "li", "a"):
            return None
        words = _word_count(box.text_content())
        if 0 < words <= CAPTION_MAX_WORDS and (box.text or "").strip() == "" and len(box) <= 4:
            return box
        if words:
            return None
        box = box.getparent()
    return None


def _drop(element: lxml.html.HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def _squash(text: str) -> str:
    return " ".join(text.split())
