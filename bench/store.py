"""Store benchmark: ingest rate and search latency on a generated archive, SQLite and PostgreSQL.

Articles are generated from the text of the shared corpus (read in place, never copied): each one
is a random draw of corpus sentences with a title, a date, a site and a raw HTML page, written
through the same `save_article` the pipeline uses (revision, URL aliases, raw page in zstd,
near-dup bands, search index), one transaction per article. Worker processes generate articles
and prepare their text (`PreparedText`), as extraction workers would; the writer does the rest.
Searches go through `search()`, snippets included, with the mix a reader would type: single
words in any spelling, two words, phrases, and filtered queries.

    python bench/store.py                      # 100,000 articles, both backends
    python bench/store.py --articles 5000 --backend sqlite
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.article import Article
from ingest.decode import decode_html
from store.articles import PreparedText, save_article
from store.captures import PackedBody, RawPage
from store.db import open_engine, session_factory
from store.search import SearchFilters, search

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
TARGET_INGEST_PER_S = 500
TARGET_SEARCH_P95_MS = 50
SITES = [f"site{i}.example" for i in range(12)]
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")


def corpus_sentences(corpus: Path) -> list[str]:
    """Sentences of Arabic running text from the corpus pages (page text, not markup)."""
    sentences: list[str] = []
    for page in sorted((corpus / "pages").glob("*.html")) + sorted((corpus / "synthetic").glob("*.html")):
        tree = lxml_html.fromstring(decode_html(page.read_bytes()))
        for bad in tree.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        for block in tree.xpath("//p|//h1|//h2|//h3|//li|//div[not(*)]"):
            text = " ".join(block.text_content().split())
            sentences.extend(s for s in _SENTENCE_END.split(text) if len(s.split()) >= 6)
    unique = sorted(set(sentences))
    if len(unique) < 50:
        raise SystemExit(f"too little text in {corpus} to generate articles")
    return unique


def make_article(i: int, sentences: list[str]) -> tuple[Article, RawPage]:
    rng = random.Random(i)
    body = "\n".join(rng.sample(sentences, rng.randint(6, 18)))
    title = " ".join(rng.choice(sentences).split()[:10])
    site = rng.choice(SITES)
    url = f"https://{site}/news/{i}"
    published = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * i)
    article = Article(url=url, canonical_url=url, title=title, text=body, published=published, language="ar")
    page = f"<html lang='ar'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    page += "".join(f"<p>{p}</p>" for p in body.split("\n")) + "</article></body></html>"
    raw = RawPage(url, url, 200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
    return article, raw


_worker_sentences: list[str] = []


def _start_worker(sentences: list[str]) -> None:
    _worker_sentences[:] = sentences


def prepared_article(i: int) -> tuple[Article, RawPage, PreparedText]:
    """What an extraction worker hands the writer: the article, its raw page packed, its derived text."""
    article, raw = make_article(i, _worker_sentences)
    raw.packed = PackedBody.of(raw.body)
    return article, raw, PreparedText.of(article)


def queries(sentences: list[str], count: int, seed: int = 11) -> list[tuple[str, SearchFilters]]:
    rng = random.Random(seed)
    words = [w for s in sentences for w in s.split() if len(w) >= 4 and re.fullmatch(r"\w+", w)]
    mix: list[tuple[str, SearchFilters]] = []
    for i in range(count):
        kind = i % 4
        if kind == 0:  # one word, spelt with the article or with diacritics as readers do
            word = rng.choice(words)
            mix.append((word if word.startswith("ال") else "ال" + word, SearchFilters()))
        elif kind == 1:
            mix.append((f"{rng.choice(words)} {rng.choice(words)}", SearchFilters()))
        elif kind == 2:  # a phrase of adjacent words
            tokens = rng.choice(sentences).split()
            at = rng.randrange(0, max(1, len(tokens) - 2))
            mix.append(('"' + " ".join(tokens[at : at + 2]) + '"', SearchFilters()))
        else:
            mix.append((rng.choice(words), SearchFilters(site=rng.choice(SITES))))
    return mix


def run(
    label: str, url: str, count: int, sentences: list[str], query_count: int, workers: int
) -> dict[str, float]:
    engine = open_engine(url)
    sessions = session_factory(engine)
    # As in the pipeline: workers extract and prepare (fold, hash, MinHash, search terms), one
    # writer stores, one transaction per article. The rate is wall-clock articles per second.
    with multiprocessing.Pool(workers, initializer=_start_worker, initargs=(sentences,)) as pool:
        started = time.perf_counter()
        writing = 0.0
        with sessions() as session:
            for n, (article, raw, prepared) in enumerate(pool.imap(prepared_article, range(count), 64), 1):
                began = time.perf_counter()
                save_article(session, article, article.url or "", raw, prepared=prepared)
                session.expunge_all()
                writing += time.perf_counter() - began
                if n % 10000 == 0:
                    rate = n / (time.perf_counter() - started)
                    print(f"  {label}: {n} articles, {rate:.0f}/s", file=sys.stderr, flush=True)
        ingest_rate = count / (time.perf_counter() - started)

    if engine.dialect.name == "postgresql":
        # What autovacuum does after this many inserts on a server with its default settings (it is
        # off on some, this machine's among them): planner statistics, the heap's hint bits and
        # visibility map set, and the search index's pending list merged into it.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) article_search, articles")
            connection.exec_driver_sql("ANALYZE")
    timings, hits = [], 0
    with sessions() as session:
        for raw_query, filters in queries(sentences, query_count):
            began = time.perf_counter()
            hits += len(search(session, raw_query, filters, limit=20))
            timings.append((time.perf_counter() - began) * 1000)
    engine.dispose()
    timings.sort()
    return {
        "ingest": ingest_rate,
        "writer": count / writing,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "hits": hits / len(timings),
    }


def postgres_schema(base: str):
    schema = f"akhbar_bench_{uuid.uuid4().hex[:8]}"
    conninfo = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    return schema, f"{base}?options=-csearch_path%3D{schema}", conninfo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--workers", type=int, default=1, help="processes preparing articles for the writer")
    args = parser.parse_args()

    sentences = corpus_sentences(args.corpus)
    print(f"{len(sentences)} corpus sentences; {args.articles} articles; {args.queries} queries", flush=True)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend in ("sqlite", "both"):
            results["sqlite"] = run(
                "sqlite", f"sqlite:///{tmp}/bench.db", args.articles, sentences, args.queries, args.workers
            )
            size = sum(p.stat().st_size for p in Path(tmp).iterdir())
            print(f"  sqlite archive on disk: {size / 2**20:.0f} MiB", flush=True)
    if args.backend in ("postgresql", "both"):
        schema, url, conninfo = postgres_schema(args.postgres)
        try:
            results["postgresql"] = run(
                "postgresql", url, args.articles, sentences, args.queries, args.workers
            )
        finally:
            with psycopg.connect(conninfo, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')

    print(
        f"\n{'backend':<11} {'ingest/s':>9} {'vs 500':>7} {'writer/s':>9} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'vs 50':>6} {'max ms':>7} {'hits/q':>7}"
    )
    for backend, r in results.items():
        print(
            f"{backend:<11} {r['ingest']:>9.0f} {r['ingest'] / TARGET_INGEST_PER_S:>6.2f}x"
            f" {r['writer']:>9.0f} {r['p50']:>7.1f} {r['p95']:>7.1f}"
            f" {r['p95'] / TARGET_SEARCH_P95_MS:>5.2f}x {r['max']:>7.1f} {r['hits']:>7.1f}"
        )
    print("ingest/s: wall clock, workers preparing in parallel; writer/s: time inside save_article only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
