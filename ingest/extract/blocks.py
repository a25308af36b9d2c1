"""trafilatura's output tree -> the article as a list of text blocks, one per printed line.

A block keeps what the boilerplate rules need beyond its words: what kind of element it came
from and how much of it is link text. Lines broken with <br> inside one <p> are separate
blocks, because publishers put a whole story, its byline and its sign-off in one <p>.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

_LINE_BREAK = object()


@dataclass(slots=True)
class Block:
    text: str
    kind: str  # "paragraph", "heading", "item", "quote", "row"
    link_chars: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    def render(self) -> str:
        return f"- {self.text}" if self.kind == "item" else self.text


def blocks_of(body: etree._Element) -> list[Block]:
    found: list[Block] = []
    for child in body:
        tag = child.tag
        if tag == "list":
            for item in child.iter("item"):
                found.extend(_lines(item, "item", skip_nested_items=True))
        elif tag == "table":
            for row in child.iter("row"):
                # A cell's own paragraphs and list items are words apart, not glued together.
                cells = [" ".join(line.text for line in _lines(cell, "row")) for cell in row]
                text = " | ".join(cell for cell in cells if cell)
                if text:
                    found.append(Block(text, "row"))
        else:
            kind = {"head": "heading", "quote": "quote"}.get(tag, "paragraph")
            found.extend(_lines(child, kind))
    return found


def render(blocks: list[Block]) -> str:
    return "\n".join(block.render() for block in blocks)


def _lines(element: etree._Element, kind: str, skip_nested_items: bool = False) -> Iterator[Block]:
    text: list[str] = []
    link_chars = 0
    for piece in _pieces(element, in_link=False, skip_nested_items=skip_nested_items):
        if piece is _LINE_BREAK:
            block = _block(text, link_chars, kind)
            if block:
                yield block
            text, link_chars = [], 0
            continue
        chunk, in_link = piece
        # trafilatura's baseline extraction joins lines with newlines inside one <p>.
        first, *more = chunk.split("\n")
        text.append(first)
        link_chars += len(first.strip()) if in_link else 0
        for line in more:
            block = _block(text, link_chars, kind)
            if block:
                yield block
            text, link_chars = [line], len(line.strip()) if in_link else 0
    block = _block(text, link_chars, kind)
    if block:
        yield block


def _block(text: list[str], link_chars: int, kind: str) -> Block | None:
    joined = " ".join("".join(text).split())
    return Block(joined, kind, min(link_chars, len(joined))) if joined else None


def _pieces(element: etree._Element, in_link: bool, skip_nested_items: bool) -> Iterator[object]:
    if element.text:
        yield (element.text, in_link)
    for child in element:
        if child.tag == "lb":
            yield _LINE_BREAK
        elif child.tag in ("p", "head", "list") or (child.tag == "item" and not skip_nested_items):
            yield _LINE_BREAK
            yield from _pieces(child, in_link or child.tag == "ref", skip_nested_items)
            yield _LINE_BREAK
        elif child.tag == "item":
            pass  # a nested list item is its own block, reached by iter("item")
        else:
            yield from _pieces(child, in_link or child.tag == "ref", skip_nested_items)
        if child.tail:
            yield (child.tail, in_link)
