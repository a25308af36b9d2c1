"""`akhbar list` and `akhbar show` read the archive back."""

from __future__ import annotations

import json

from tests.conftest import site_page


def test_list_shows_published_date_site_and_title(server, akhbar, db_url):
    akhbar("--db", db_url, "scrape", server.add("/a/", site_page("wp-article.html")))

    listed = akhbar("--db", db_url, "list", "--limit", "5")

    assert "2024-03-12" in listed.stdout
    assert "alwadi.example" in listed.stdout
    assert "افتتاح مكتبة عامة جديدة" in listed.stdout


def test_list_filters_by_site(server, akhbar, db_url):
    akhbar("--db", db_url, "scrape", server.add("/a/", site_page("wp-article.html")))

    listed = akhbar("--db", db_url, "list", "--site", "other.example")

    assert "افتتاح" not in listed.stdout


def test_show_by_id_prints_metadata_then_text(server, akhbar, db_url):
    akhbar("--db", db_url, "scrape", server.add("/a/", site_page("wp-article.html")))

    shown = akhbar("--db", db_url, "show", "1")

    assert shown.code == 0
    assert "title: افتتاح مكتبة عامة جديدة في مدينة الزرقاء بتمويل أهلي" in shown.stdout
    assert "افتتحت جمعية أصدقاء الكتاب" in shown.stdout


def test_show_json_carries_the_extract_contract_keys_and_archive_fields(server, akhbar, db_url):
    url = server.add("/a/", site_page("wp-article.html"))
    akhbar("--db", db_url, "scrape", url)

    record = json.loads(akhbar("--db", db_url, "show", "--json", url).stdout)

    assert record["id"] == 1
    assert record["url"] == url
    assert record["canonical_url"] == "https://alwadi.example/culture/2024/03/12/zarqa-library/"
    assert {"first_seen", "last_fetched", "text", "authors", "tags"} <= record.keys()


def test_show_unknown_article_fails_with_one_line(akhbar, db_url):
    shown = akhbar("--db", db_url, "show", "999")

    assert shown.code == 1
    assert shown.stderr.strip() == "akhbar: no stored article '999'"
