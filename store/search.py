"""Arabic-aware full-text search: SQLite FTS5 or PostgreSQL full-text, over folded, light-stemmed words.

Both index and query go through `index_terms()`: `ingest.arabic.words()` folds diacritics, tatweel,
alef forms, ى/ي, ة/ه and digits; then the definite article is removed together with a conjunction
or preposition fused to it (ال، وال، بال، كال، فال، لل), so "المستشفى" and "للمستشفى" index as
"مستشفي". A bare و/ب/ل/ف/ك is not stripped: too many nouns begin with those letters (وزير، بلد، لبنان،
فريق، كتاب) and stripping would merge them with unrelated words. Suffixes are kept: "stem" here
means the word without its article, not a morphological root.

The database only matches and ranks; snippets and highlights are made here from the stored text,
so both backends show the same thing and highlight the publisher's own spelling.

The site and the language are indexed too, as one opaque term each: in a third FTS5 column
(`facets`) on SQLite, in a second tsvector of the same GIN index on PostgreSQL. A search filtered
by site is then an intersection inside the index, not one look-up per article of the site, which
made a common word on a big site the slowest query.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from ingest.arabic import words
from store import direct
from store.schema import ArticleRow

# The definite article, alone or fused to و ب ك ف, or ل+ال written لل; at least MIN_STEM_CHARS
# letters must remain (so "الي" and "لله" stay whole).
_FUSED_ARTICLE = re.compile(r"(?<!\w)(?:[وبكف]?ال|لل)(?=\w\w)")
SEARCH_TABLE = "article_search"
# Title words weigh more than body words in the ranking.
TITLE_WEIGHT = 4.0
SNIPPET_WORDS = 32
# A query matching more articles than this ranks only the newest this many (see search()).
RANK_WINDOW = 5000
# PostgreSQL reads the newest matches by blocks of 2**ID_BLOCK_BITS ids: each article's block is a
# term of the search index, an expression of its id (migration 0008: a query uses the index only
# with this very expression).
ID_BLOCK_BITS = 10
_ID_BLOCK = f"array_to_tsvector(ARRAY['r' || (article_id >> {ID_BLOCK_BITS})::text])"
# A range of more blocks costs the index one posting list per block, as much as reading the whole
# archive's matches: the whole archive is read instead.
_MAX_RANGE_BLOCKS = 128
# A range is sized to hold this many times the matches still wanted, at the density seen so far:
# a range too short costs one more short range, one too long the reading of matches not ranked.
_RANGE_MARGIN = 1.1


class QueryError(ValueError):
    """A query with nothing to search for; the message is one line for the user."""


def stem(word: str) -> str:
    return _FUSED_ARTICLE.sub("", word, count=1)


def terms_of_words(folded_words: list[str]) -> list[str]:
    """Search terms from `ingest.arabic.words()` output (underscores split, as the databases do)."""
    return _FUSED_ARTICLE.sub("", " ".join(folded_words).replace("_", " ")).split()


def index_terms(text: str) -> list[str]:
    """The searchable terms of `text`, in order (positions matter for phrase queries)."""
    return terms_of_words(words(text))


# ---------------------------------------------------------------- queries


@dataclass(slots=True)
class Query:
    """Each entry is a phrase of terms (a single word is a phrase of one)."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def terms(self) -> set[str]:
        return {term for phrase in self.required for term in phrase}


_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def parse_query(raw: str) -> Query:
    """Words, "quoted phrases" and -excluded words; every other character is only a separator.

    Operators of the database's own syntax (NEAR, *, AND, OR, parentheses, ^, :) are never passed
    through, so no user query can be a syntax error.
    """
    query = Query()
    for match in _QUERY_PART.finditer(raw):
        minus = match.group(1) or match.group(3)
        chunk = match.group(2) if match.group(2) is not None else match.group(4)
        terms = index_terms(chunk)
        if not terms:
            continue
        (query.excluded if minus else query.required).append(terms)
    if not query.required:
        raise QueryError(
            "the query has no words to search for"
            if not query.excluded
            else "the query only excludes words; add a word to search for"
        )
    return query


def fts5_match(query: Query, facets: str = "") -> str:
    """The FTS5 expression: the words in title and body only, and each facet term in `facets`."""

    def phrase(terms: list[str]) -> str:
        return '"' + " ".join(terms) + '"'

    expression = " AND ".join(phrase(p) for p in query.required)
    for p in query.excluded:
        expression += f" NOT {phrase(p)}"
    expression = f"{{title body}} : ({expression})"
    for term in facets.split():
        expression += f" AND facets : {term}"
    return expression


def facet_terms(site: str | None, language: str | None) -> str:
    """The terms that index an article's site and language (SQLite's `facets` column).

    A hash makes each one a single term of ASCII letters and digits, which the `ascii` tokenizer
    keeps whole whatever the host name or language tag contains, and which no folded word equals.
    """

    def term(kind: str, value: str) -> str:
        return kind + hashlib.blake2b(value.encode(), digest_size=8).hexdigest()

    terms = []
    if site:
        terms.append(term("s", site.lower()))
    if language:
        terms.append(term("l", language))
    return " ".join(terms)


def pg_facets_query(facets: str) -> str:
    """The tsquery text requiring each facet term (facet terms are lexemes already, never parsed)."""
    return " & ".join(f"'{term}'" for term in facets.split())


def pg_tsquery(query: Query) -> str:
    def phrase(terms: list[str]) -> str:
        return "(" + " <-> ".join(f"'{t}'" for t in terms) + ")"

    parts = [phrase(p) for p in query.required] + [f"!{phrase(p)}" for p in query.excluded]
    return " & ".join(parts)


# ---------------------------------------------------------------- index maintenance


@dataclass(frozen=True, slots=True)
class IndexedText:
    """An article's title and body as search terms joined by spaces, and its facet terms."""

    title: str
    body: str
    facets: str = ""

    @classmethod
    def of(cls, title: str | None, body_words: list[str]) -> IndexedText:
        return cls(" ".join(index_terms(title or "")), " ".join(terms_of_words(body_words)))

    def with_facets(self, site: str | None, language: str | None) -> IndexedText:
        return replace(self, facets=facet_terms(site, language))


def index_article(
    session: Session, article_id: int, indexed: IndexedText, previous: IndexedText | None = None
) -> None:
    """(Re)index one article inside the caller's transaction.

    SQLite's FTS5 table is contentless (the terms are not stored twice), so replacing an entry
    means deleting it with the terms it was indexed with: `previous`.
    """
    values = {"id": article_id, "title": indexed.title, "body": indexed.body, "facets": indexed.facets}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        direct.run(connection, _UPSERT_POSTGRES_ENTRY, values)
        return
    if previous is not None:
        direct.run(
            connection,
            _DELETE_SQLITE_ENTRY,
            {"id": article_id, "title": previous.title, "body": previous.body, "facets": previous.facets},
        )
    direct.run(connection, _INSERT_SQLITE_ENTRY, values)


# Facet terms are lexemes as they are: no parser may split or fold them.
_UPSERT_POSTGRES_ENTRY = sql(
    f"INSERT INTO {SEARCH_TABLE} (article_id, document, facets) VALUES (:id, "
    "setweight(to_tsvector('simple', :title), 'A') || to_tsvector('simple', :body), "
    "array_to_tsvector(string_to_array(:facets, ' '))) "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, facets = EXCLUDED.facets"
)
_DELETE_SQLITE_ENTRY = sql(
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title, body, facets)"
    " VALUES ('delete', :id, :title, :body, :facets)"
)
_INSERT_SQLITE_ENTRY = sql(
    f"INSERT INTO {SEARCH_TABLE} (rowid, title, body, facets) VALUES (:id, :title, :body, :facets)"
)


# ---------------------------------------------------------------- searching


@dataclass(slots=True)
class SearchFilters:
    site: str | None = None
    since: date | None = None
    until: date | None = None
    language: str | None = None


@dataclass(slots=True)
class SearchHit:
    article_id: int
    score: float
    title: str | None
    url: str
    site: str
    published: datetime | None
    language: str | None
    snippet: str
    highlights: list[tuple[int, int]]  # [start, end) character offsets into `snippet`

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "score": round(self.score, 4),
            "title": self.title,
            "url": self.url,
            "site": self.site,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
        }


def search(
    session: Session, raw_query: str, filters: SearchFilters | None = None, *, limit: int = 20
) -> list[SearchHit]:
    """Ranked matches for `raw_query`, best first. Raises QueryError for a query with no words.

    Ranking reads only ids and index data; the articles' text is fetched for the hits alone.
    A query matching more than RANK_WINDOW articles (a very common word, on one site or all of
    them) ranks the newest RANK_WINDOW of them, so its cost stays flat as the archive grows;
    a query with a date range ranks every match in the range.
    """
    query = parse_query(raw_query)
    filters = filters or SearchFilters()
    if session.get_bind().dialect.name == "postgresql":
        ranked = _postgres_ranked(session, query, filters, limit)
    else:
        ranked = _sqlite_ranked(session, query, filters, limit)
    scores = {article_id: score for article_id, score in ranked}
    if not scores:
        return []
    rows = {row.id: row for row in session.execute(_HIT_ARTICLES, {"ids": list(scores)})}
    hits = []
    for article_id, score in scores.items():
        row = rows.get(article_id)
        if row is None:  # an article deleted by hand, outside akhbar, with its index entry left
            continue
        snippet, highlights = make_snippet(row.text, query.terms)
        hits.append(
            SearchHit(
                article_id,
                float(score),
                row.title,
                row.url,
                row.site,
                row.published,
                row.language,
                snippet,
                highlights,
            )
        )
    return hits


def _postgres_match(query: Query, filters: SearchFilters, params: dict[str, Any]) -> str:
    """The condition on `article_search` for the query's words and its site and language facets."""
    params["q"] = pg_tsquery(query)
    match = "document @@ to_tsquery('simple', :q)"
    facets = facet_terms(filters.site, filters.language)
    if facets:
        match += " AND facets @@ CAST(:facets AS tsquery)"
        params["facets"] = pg_facets_query(facets)
    return match


def _postgres_ranked(
    session: Session, query: Query, filters: SearchFilters, limit: int
) -> list[tuple[int, float]]:
    conditions, params = _date_sql(filters)
    params["limit"] = limit
    match = _postgres_match(query, filters, params)
    score = "ts_rank_cd(document, to_tsquery('simple', :q), 1)"
    if conditions:
        return _pairs(
            session.execute(sql(_date_range_ranking("article_id", match, score, conditions)), params)
        )
    return _postgres_newest_window(session, match, score, params)


def _range_ranking(match: str, score: str, *, in_blocks: bool) -> str:
    """The statement ranking the newest :window matches, of the id blocks :blocks if `in_blocks`
    or of the whole archive, and counting every match it read.

    The matches are scored in a subquery of their own (OFFSET 0), planned to read them all through
    the index: ordered by id and limited, PostgreSQL may walk the primary key backwards through
    every article (a phrase estimated common but matching few read the whole table that way), or
    sort whole documents by id when the score is computed after the sort.
    """
    blocks = f" AND {_ID_BLOCK} @@ CAST(:blocks AS tsquery)" if in_blocks else ""
    matches = f"SELECT article_id, {score} AS score FROM {SEARCH_TABLE} WHERE {match}{blocks} OFFSET 0"
    newest = (
        f"SELECT article_id, score, count(*) OVER () AS matched FROM ({matches}) AS matches"
        " ORDER BY article_id DESC LIMIT :window"
    )
    return (
        f"SELECT article_id, score, matched FROM ({newest}) AS newest"
        " ORDER BY score DESC, article_id DESC LIMIT :limit"
    )


def _postgres_newest_window(
    session: Session, match: str, score: str, params: dict[str, Any]
) -> list[tuple[int, float]]:
    """The ranking of the newest RANK_WINDOW matches, read block range by block range from the newest.

    Finding the window's oldest match first (as on SQLite) made PostgreSQL read every match of a
    common word or pair of words, tens of thousands of articles. A range of id blocks is an
    intersection inside the index (migration 0008), so only its matches are read. The first range
    holds RANK_WINDOW ids; each next one, just older, is sized by the density of matches seen so
    far to hold the rest of the window. The ranges' own rankings, each of the newest matches still
    wanted, merge into the window's. A range reaching the oldest articles, or so near them that what
    it would leave older is under a quarter of its own length (read next, that rest cost a third
    query that reread nearly everything), or too long for an OR of its blocks, gives way to one
    reading of the whole archive.
    """
    newest = session.scalar(sql(f"SELECT max(article_id) FROM {SEARCH_TABLE}")) or 0
    in_blocks = sql(_range_ranking(match, score, in_blocks=True))
    ranked: list[tuple[int, float]] = []
    matched = 0
    unread = newest >> ID_BLOCK_BITS  # the newest block not read yet
    span = RANK_WINDOW  # ids to read next
    while True:
        first = unread - math.ceil(span / 2**ID_BLOCK_BITS) + 1
        if first <= (unread - first) // 4 or unread - first >= _MAX_RANGE_BLOCKS:
            everywhere = sql(_range_ranking(match, score, in_blocks=False))
            return _pairs(session.execute(everywhere, params | {"window": RANK_WINDOW}))
        blocks = " | ".join(f"'r{block}'" for block in range(first, unread + 1))
        rows = session.execute(in_blocks, params | {"window": RANK_WINDOW - matched, "blocks": blocks}).all()
        ranked += _pairs(rows)
        matched += rows[0].matched if rows else 0
        if matched >= RANK_WINDOW:
            return sorted(ranked, key=lambda hit: (hit[1], hit[0]), reverse=True)[: params["limit"]]
        ids_read = newest - (first << ID_BLOCK_BITS) + 1
        span = math.ceil((RANK_WINDOW - matched) * _RANGE_MARGIN * ids_read / max(matched, 1))
        unread = first - 1


def _pairs(rows: Iterable[Row[Any]]) -> list[tuple[int, float]]:
    """(article id, score) of each row of a ranking statement."""
    return [(row[0], row[1]) for row in rows]


def _sqlite_ranked(
    session: Session, query: Query, filters: SearchFilters, limit: int
) -> list[tuple[int, float]]:
    conditions, params = _date_sql(filters)
    params["q"] = fts5_match(query, facet_terms(filters.site, filters.language))
    params["limit"] = limit
    ids = f"{SEARCH_TABLE}.rowid"
    # bm25() is lower for better matches; negated so that a higher score is better everywhere.
    score = f"-bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, 1.0, 0.0)"
    match = f"{SEARCH_TABLE} MATCH :q"
    if conditions:
        return _pairs(session.execute(sql(_date_range_ranking(ids, match, score, conditions)), params))
    # FTS5 reads its matches in rowid order, so the window's oldest id is found cheaply first,
    # reading ids only, and the ranking then reads that window alone.
    floor = session.scalar(
        sql(f"SELECT {ids} FROM {SEARCH_TABLE} WHERE {match} ORDER BY {ids} DESC LIMIT 1 OFFSET :window"),
        params | {"window": RANK_WINDOW - 1},
    )
    params["floor"] = floor or 0
    # Every indexed id is an article (both are written in one transaction and articles are never
    # deleted), so the articles table is not read until the hits are known.
    ranking = (
        f"SELECT {ids}, {score} AS score FROM {SEARCH_TABLE} WHERE {match} AND {ids} >= :floor"
        f" ORDER BY score DESC, {ids} DESC LIMIT :limit"
    )
    return _pairs(session.execute(sql(ranking), params))


def _date_range_ranking(ids: str, match: str, score: str, conditions: str) -> str:
    """The statement ranking every match in a date range, the same on both backends but for the
    index's own SQL: a window of the newest matches could hold none of an older period's articles,
    and the dates are checked on the articles."""
    return (
        f"SELECT a.id, {score} AS score FROM {SEARCH_TABLE} JOIN articles a ON a.id = {ids}"
        f" WHERE {match}{conditions} ORDER BY score DESC, a.id DESC LIMIT :limit"
    )


_articles = ArticleRow.__table__
_HIT_ARTICLES = select(
    _articles.c.id,
    _articles.c.title,
    _articles.c.url,
    _articles.c.site,
    _articles.c.published,
    _articles.c.language,
    _articles.c.text,
).where(_articles.c.id.in_(bindparam("ids", expanding=True)))


def _date_sql(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    """SQL conditions on the articles table `a` for the date range (site and language are facet
    terms of the index match instead)."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if filters.since:
        conditions.append("a.published >= :since")
        params["since"] = datetime.combine(filters.since, time.min)
    if filters.until:
        conditions.append("a.published <= :until")
        params["until"] = datetime.combine(filters.until, time.max)
    return "".join(f" AND {c}" for c in conditions), params


# A word as written, diacritics and tatweel included (\w alone would cut "مُسْتَشْفَى" at each mark).
_WORD_SPAN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")


@lru_cache(maxsize=65536)
def _terms_of_word(word: str) -> frozenset[str]:
    """Folding word by word is the cost of a snippet; news vocabulary repeats, so it is cached."""
    return frozenset(index_terms(word))


def make_snippet(text: str, terms: set[str]) -> tuple[str, list[tuple[int, int]]]:
    """The window of SNIPPET_WORDS words with the most matching words, and where they are in it."""
    words_ = _WORD_SPAN.findall(text)
    if not words_:
        return "", []
    # Each distinct word is looked up once: an article repeats many of its words.
    matching = {word for word in set(words_) if not _terms_of_word(word).isdisjoint(terms)}
    hits = [i for i, word in enumerate(words_) if word in matching]
    first = 0
    if hits:
        best = max(hits, key=lambda i: sum(1 for j in hits if i <= j < i + SNIPPET_WORDS))
        first = max(0, min(best - 4, len(words_) - SNIPPET_WORDS))
    last = min(len(words_), first + SNIPPET_WORDS) - 1
    # Where words are in the text matters for the snippet's words only.
    shown = list(islice(_WORD_SPAN.finditer(text), first, last + 1))
    start, end = shown[0].start(), shown[-1].end()
    prefix = "… " if first > 0 else ""
    suffix = " …" if last < len(words_) - 1 else ""
    snippet = prefix + " ".join(text[start:end].split()) + suffix
    highlights = []
    for i in hits:
        if first <= i <= last:
            word = words_[i]
            offset = _locate(snippet, word, highlights)
            if offset is not None:
                highlights.append((offset, offset + len(word)))
    return snippet, highlights


def _locate(snippet: str, word: str, done: list[tuple[int, int]]) -> int | None:
    """Where the next occurrence of `word` as a whole word starts, after the spans already placed."""
    after = done[-1][1] if done else 0
    for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", snippet):
        if match.start() >= after:
            return match.start()
    return None
