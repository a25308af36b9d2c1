"""Regression floor on the shared corpus, scored by its own score.py, read in place.

Figures reached when this floor was set (the extract path of `akhbar extract --format jsonl`
on pages/ and synthetic/): body F1 1.000, 0 pages leaking, 0 pages missing a snippet, title 1.00,
date 1.00, authors 1.00. The floor allows a small margin on F1 and one page of authors; leaks,
misses, titles and dates have none (the issue's targets are absolute there). The scoring fixture
is module-scoped (one extraction pass for all checks), so it reads the path the `corpus` fixture
uses and skips the same way.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from ingest.article import Article
from ingest.decode import decode_html
from ingest.extract import extract
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

FLOOR = {"f1": 0.99, "title_acc": 1.0, "date_acc": 1.0, "authors_acc": 0.875}
SEED_PAGE = "alhal-seed-001"


def load_scorer(corpus: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(files: list[Path]) -> dict[str, dict]:
    """What `akhbar extract --format jsonl` prints for each file (same decode, same extract), by id."""
    found = {}
    for path in files:
        article = extract(decode_html(path.read_bytes())).article or Article(url=None, text="")
        found[path.stem] = {"source": str(path), **article.to_json()}
    return found


@pytest.fixture(scope="module")
def scored():
    if not (CORPUS / "gold").is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    scorer = load_scorer(CORPUS)
    files = sorted([*(CORPUS / "pages").glob("*.html"), *(CORPUS / "synthetic").glob("*.html")])
    summary, rows = scorer.score(predictions(files), scorer.load_golds([CORPUS / "gold"]))
    return summary, {row["id"]: row for row in rows}


def test_every_gold_page_is_extracted(scored):
    summary, _ = scored

    assert summary["missing_predictions"] == 0


def test_body_f1_stays_above_the_floor(scored):
    summary, _ = scored

    assert summary["f1"] >= FLOOR["f1"]


def test_no_page_leaks_boilerplate(scored):
    _, rows = scored

    assert {page: row["leaks"] for page, row in rows.items() if row["leaks"]} == {}


def test_no_seed_page_leak(scored):
    _, rows = scored

    assert rows[SEED_PAGE]["leaks"] == []
    assert rows[SEED_PAGE]["f1"] >= FLOOR["f1"]


def test_no_page_misses_its_story_snippets(scored):
    _, rows = scored

    assert {page: row["misses"] for page, row in rows.items() if row["misses"]} == {}


@pytest.mark.parametrize("figure", ["title_acc", "date_acc", "authors_acc"])
def test_metadata_accuracy_stays_above_the_floor(scored, figure):
    summary, _ = scored

    assert summary[figure] >= FLOOR[figure]


def test_persian_pages_are_not_called_arabic(corpus):
    files = sorted((corpus / "other-lang").glob("*.html"))
    assert files

    records = predictions(files)

    assert {page: record["language"] for page, record in records.items() if record["language"] == "ar"} == {}
