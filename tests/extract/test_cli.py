"""`akhbar extract`: --explain lists what the clean-up removed; oversized files are refused unread."""

from __future__ import annotations

import json

from tests.extract.theme import news_page


def test_explain_lists_removed_blocks_and_their_rules_on_stderr(akhbar, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        news_page(after=["<p>اشترك في النشرة البريدية لتصلك أخبارنا كل صباح</p>"]), encoding="utf-8"
    )

    result = akhbar("extract", "--explain", "--format", "jsonl", str(page))

    assert result.code == 0
    record = json.loads(result.stdout)
    assert "النشرة البريدية" not in record["text"]
    assert "removed 1 block(s)" in result.stderr
    assert "[newsletter prompt] اشترك في النشرة البريدية لتصلك أخبارنا كل صباح" in result.stderr


def test_without_explain_nothing_is_listed(akhbar, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        news_page(after=["<p>اشترك في النشرة البريدية لتصلك أخبارنا كل صباح</p>"]), encoding="utf-8"
    )

    result = akhbar("extract", str(page))

    assert result.code == 0
    assert result.stderr == ""


def test_a_file_too_large_to_be_a_page_is_refused_without_reading_it_all(akhbar, tmp_path):
    from ingest.extract.dom import MAX_HTML_BYTES

    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(MAX_HTML_BYTES + 10)

    result = akhbar("extract", "--format", "jsonl", str(huge))

    assert result.code == 1
    assert "document too large" in result.stderr
    assert json.loads(result.stdout)["text"] == ""
