"""Extraction speed: akhbar's extractor against bare trafilatura on the same pages, in one run.

    python bench/extraction.py [HTML_FILE ...] [--rounds N]
    python bench/extraction.py --score

`--score` instead runs akhbar and bare trafilatura (default settings, with metadata so that it
has a title, date and authors to score) over the corpus gold pages in one run and prints the
corpus's own score.py figures for both, per page and averaged.

Without files it reads the shared corpus in place (../shared/corpus or $AKHBAR_CORPUS: pages/,
synthetic/, other-lang/, listings/). Every page is decoded once up front; each extractor then
gets the same text. Reports ms/page (best of the rounds, averaged over pages) for:

- akhbar: `ingest.extract.extract` (text, cleaning and all metadata)
- trafilatura: `trafilatura.extract(html)` with default settings (text only, fallbacks on)
- trafilatura+meta: the same with `with_metadata=True`, the nearest thing to what akhbar returns

and the ratio akhbar / trafilatura (below 1.0 means akhbar is faster), plus the peak Python-heap
memory each extractor allocates on the largest page (tracemalloc: lxml's C allocations are not
counted, so this compares the Python side only).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.decode import decode_html  # noqa: E402
from ingest.extract import extract  # noqa: E402

CORPUS = Path(os.environ.get("AKHBAR_CORPUS", REPO.parent / "shared" / "corpus"))
CORPUS_FOLDERS = ("pages", "synthetic", "other-lang", "listings")

EXTRACTORS: dict[str, Callable[[str], object]] = {
    "akhbar": lambda html: extract(html),
    "trafilatura": lambda html: trafilatura.extract(html),
    "trafilatura+meta": lambda html: trafilatura.extract(html, with_metadata=True),
}


def corpus_files() -> list[Path]:
    return sorted(p for folder in CORPUS_FOLDERS for p in (CORPUS / folder).glob("*.html"))


def time_page(html: str, rounds: int) -> dict[str, float]:
    """Best-of-`rounds` seconds per extractor on one page. The extractors take turns within each
    round, so that load from other processes on the machine falls on all of them alike; the best
    round is the one least disturbed (as `timeit` reports)."""
    samples: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for _ in range(rounds):
        for name, run in EXTRACTORS.items():
            start = time.perf_counter()
            run(html)
            samples[name].append(time.perf_counter() - start)
    return {name: min(times) for name, times in samples.items()}


def peak_memory(run: Callable[[str], object], html: str) -> int:
    tracemalloc.start()
    run(html)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def akhbar_prediction(html: str) -> dict[str, object]:
    article = extract(html).article
    return article.to_json() if article else {}


def trafilatura_prediction(html: str) -> dict[str, object]:
    result = trafilatura.bare_extraction(html, with_metadata=True)
    document = result.as_dict() if result is not None else {}
    authors = [a.strip() for a in (document.get("author") or "").split(";") if a.strip()]
    return {**document, "published": document.get("date"), "authors": authors}


def score(files: list[Path]) -> int:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    if spec is None or spec.loader is None or not (CORPUS / "gold").is_dir():
        print(f"no corpus scorer at {CORPUS}", file=sys.stderr)
        return 2
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    golds = scorer.load_golds([CORPUS / "gold"])
    pages = {p.stem: decode_html(p.read_bytes()) for p in files if p.stem in golds}
    for name, predict in (("akhbar", akhbar_prediction), ("trafilatura", trafilatura_prediction)):
        summary, rows = scorer.score({pid: predict(html) for pid, html in pages.items()}, golds)
        print(f"== {name}")
        for r in rows:
            print(
                f"  {r['id']:<22} F1 {r['f1']:.3f} P {r['precision']:.3f} R {r['recall']:.3f}"
                f" title {_ok(r['title_ok'])} date {_ok(r.get('date_ok'))} authors {_ok(r.get('authors_ok'))}"
                f" leaks {len(r['leaks'])} misses {len(r['misses'])}"
            )
        print("  " + " ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


def _ok(flag: object) -> str:
    return "ok" if flag else "NO"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--score", action="store_true", help="score.py figures instead of timings")
    args = parser.parse_args(argv)
    if args.score:
        return score(args.files or corpus_files())
    files = args.files or corpus_files()
    if not files:
        print(f"no pages: give HTML files or set AKHBAR_CORPUS (looked in {CORPUS})", file=sys.stderr)
        return 2
    pages = {path.stem: decode_html(path.read_bytes()) for path in files}
    for run in EXTRACTORS.values():  # warm-up: imports, compiled regexes, caches
        run(next(iter(pages.values())))

    totals = dict.fromkeys(EXTRACTORS, 0.0)
    print(f"{'page':<28}" + "".join(f"{name:>18}" for name in EXTRACTORS))
    for name, html in pages.items():
        row = {extractor: seconds * 1000 for extractor, seconds in time_page(html, args.rounds).items()}
        for extractor, ms in row.items():
            totals[extractor] += ms
        print(f"{name:<28}" + "".join(f"{row[e]:>15.1f} ms" for e in EXTRACTORS))
    count = len(pages)
    print(f"{'mean ms/page':<28}" + "".join(f"{totals[e] / count:>15.1f} ms" for e in EXTRACTORS))
    largest = max(pages.values(), key=len)
    print(
        f"{'peak Python heap, largest':<28}"
        + "".join(f"{peak_memory(run, largest) / 1e6:>15.1f} MB" for run in EXTRACTORS.values())
    )
    print(
        f"ratio akhbar/trafilatura = {totals['akhbar'] / totals['trafilatura']:.2f}; "
        f"akhbar/trafilatura+meta = {totals['akhbar'] / totals['trafilatura+meta']:.2f} "
        f"({count} pages, best of {args.rounds} rounds)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
