"""`akhbar extract --format jsonl` is a contract: exactly these keys, one object per file."""

from __future__ import annotations

import json

from tests.conftest import SITES

CONTRACT = {
    "source",
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
}


def test_jsonl_has_exactly_the_contract_keys(akhbar):
    path = str(SITES / "wp-article.html")

    result = akhbar("extract", "--format", "jsonl", "--url", "https://alwadi.example/x", path)

    record = json.loads(result.stdout)
    assert set(record) == CONTRACT
    assert record["source"] == path
    assert record["url"] == "https://alwadi.example/x"
    assert record["published"].startswith("2024-03-12")
    assert isinstance(record["authors"], list) and isinstance(record["tags"], list)


def test_one_object_per_file_and_failures_exit_non_zero(akhbar, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    good = str(SITES / "wp-article.html")

    result = akhbar("extract", "--format", "jsonl", good, str(empty), str(tmp_path / "missing.html"))

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [good, str(empty)]
    assert records[1]["text"] == ""
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 2


def test_a_page_saved_in_windows_1256_without_a_charset_label_extracts_the_same_article(akhbar, tmp_path):
    page = (SITES / "wp-article.html").read_text(encoding="utf-8")
    legacy = tmp_path / "legacy.html"
    legacy.write_bytes(page.replace('<meta charset="utf-8">', "").encode("cp1256"))

    result = akhbar("extract", "--format", "jsonl", str(SITES / "wp-article.html"), str(legacy))

    utf8, cp1256 = (json.loads(line) for line in result.stdout.splitlines())
    assert result.code == 0, result.stderr
    assert cp1256["title"] == utf8["title"] == "افتتاح مكتبة عامة جديدة في مدينة الزرقاء بتمويل أهلي"
    assert cp1256["text"] == utf8["text"]
