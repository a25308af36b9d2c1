"""The article value type that crosses from ingest/ into store/ and out through the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The keys of `akhbar extract --format jsonl`, in order. A contract: extend, never rename.
CONTRACT_KEYS = (
    "url",
    "canonical_url",
    "title",
    "text",
    "published",
    "modified",
    "authors",
    "section",
    "tags",
    "image",
    "language",
    "site_name",
)


@dataclass(slots=True)
class Article:
    url: str | None
    text: str
    title: str | None = None
    canonical_url: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    site_name: str | None = None

    def to_json(self) -> dict[str, object]:
        """The contract fields, dates as ISO 8601 strings."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "text": self.text,
            "published": _iso(self.published),
            "modified": _iso(self.modified),
            "authors": list(self.authors),
            "section": self.section,
            "tags": list(self.tags),
            "image": self.image,
            "language": self.language,
            "site_name": self.site_name,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
