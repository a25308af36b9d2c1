"""HTML text + URL -> Article: trafilatura finds the article, our rules make it Arabic-clean.

Failure is a value: `extract()` returns an `Extraction` whose `article` is None and whose
`reason` says why when a page holds no article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import trafilatura

from ingest.article import Article

# Below this many characters of body text a page is a listing, an error page or a stub.
MIN_BODY_CHARS = 200


@dataclass(slots=True)
class RemovedBlock:
    """A block of text the clean-up removed, and the rule that removed it (for --explain)."""

    text: str
    rule: str


@dataclass(slots=True)
class Extraction:
    article: Article | None
    reason: str | None = None
    removed: list[RemovedBlock] = field(default_factory=list)


def extract(html: str, url: str | None = None) -> Extraction:
    if not html or not html.strip():
        return Extraction(None, "empty document")
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, as_dict=False
    )
    if document is None or not (document.text or "").strip():
        return Extraction(None, "no article text found")
    text = (document.text or "").strip()
    if len(text) < MIN_BODY_CHARS:
        return Extraction(None, f"too little text for an article ({len(text)} characters)")
    article = Article(
        url=url,
        canonical_url=document.url if document.url and document.url != url else url,
        title=document.title,
        text=text,
        published=_parse_date(document.date),
        authors=[a.strip() for a in (document.author or "").split(";") if a.strip()],
        section=(document.categories or [None])[0],
        tags=list(document.tags or []),
        image=document.image,
        language=document.language,
        site_name=document.sitename,
    )
    return Extraction(article)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
