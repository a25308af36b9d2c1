"""`akhbar extract --explain` lists each removed block with its rule, without touching stdout's contract."""

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
