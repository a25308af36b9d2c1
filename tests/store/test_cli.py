"""The archive commands as a user runs them: search, show --revisions, export, reextract, db upgrade."""

from __future__ import annotations

import gzip
import json
import sqlite3

from warcio.archiveiterator import ArchiveIterator

from store.migrate import head_revision
from tests.conftest import site_page
from tests.store.test_migrations import make_first_release_database

LIBRARY_TITLE = "افتتاح مكتبة عامة جديدة في مدينة الزرقاء بتمويل أهلي"


def test_search_json_finds_any_spelling_and_marks_the_words(server, akhbar, db_url):
    akhbar("--db", db_url, "scrape", server.add("/a/", site_page("wp-article.html")))

    result = akhbar("--db", db_url, "search", "--json", "للمكتبة", "الزَّرقاء")

    assert result.code == 0, result.stderr
    (hit,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert hit["id"] == 1 and hit["title"] == LIBRARY_TITLE and hit["site"] == "alwadi.example"
    marked = {hit["snippet"][start:end] for start, end in hit["highlights"]}
    assert "الزرقاء" in marked
    assert marked & {"مكتبة", "المكتبة"}


def test_search_with_only_syntax_characters_is_a_one_line_usage_error(akhbar, db_url):
    result = akhbar("--db", db_url, "search", '"*"', "-")

    assert result.code == 2
    assert result.stderr.strip() == "akhbar: the query has no words to search for"


def test_show_revisions_prints_what_changed(server, akhbar, db_url, tmp_path):
    url = server.add("/a/", site_page("wp-article.html"))
    akhbar("--db", db_url, "scrape", url)
    server.add("/a/", site_page("wp-article.html").replace("لمئة قارئ".encode(), "لمئتي قارئ".encode()))
    akhbar("--db", db_url, "scrape", url)

    shown = akhbar("--db", db_url, "show", "--revisions", url)

    assert shown.code == 0, shown.stderr
    assert "revisions: 2" in shown.stdout
    assert "── revision 2" in shown.stdout
    removed = [line for line in shown.stdout.splitlines() if line.startswith("-")]
    added = [line for line in shown.stdout.splitlines() if line.startswith("+")]
    assert len(removed) == 1 and "لمئة قارئ" in removed[0]
    assert len(added) == 1 and "لمئتي قارئ" in added[0]


def test_export_writes_jsonl_csv_and_warc_files(server, akhbar, db_url, tmp_path):
    url = server.add("/a/", site_page("wp-article.html"))
    akhbar("--db", db_url, "scrape", url, url + "?utm_source=newsletter")

    jsonl = akhbar("--db", db_url, "export")
    as_csv = akhbar("--db", db_url, "export", "--format", "csv", "-o", str(tmp_path / "a.csv"))
    warc = akhbar("--db", db_url, "export", "--format", "warc", "-o", str(tmp_path / "a.warc.gz"))

    (row,) = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert row["title"] == LIBRARY_TITLE and row["url"].startswith(server.base)
    assert as_csv.code == 0 and as_csv.stderr.strip() == f"1 articles written to {tmp_path / 'a.csv'}"
    assert LIBRARY_TITLE in (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert warc.code == 0 and "2 pages written" in warc.stderr
    with gzip.open(tmp_path / "a.warc.gz") as stream:
        payloads = [r.content_stream().read() for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert payloads == [site_page("wp-article.html")] * 2


def test_export_to_an_unwritable_file_is_a_one_line_error(akhbar, db_url, tmp_path):
    result = akhbar("--db", db_url, "export", "-o", str(tmp_path / "missing" / "out.jsonl"))

    assert result.code == 2
    assert result.stderr.strip().startswith("akhbar: cannot write ")


def test_reextract_rebuilds_articles_from_the_stored_raw_page(server, akhbar, db_url, tmp_path):
    akhbar("--db", db_url, "scrape", server.add("/a/", site_page("wp-article.html")))
    server.add("/a/", b"<html><body>gone</body></html>")  # the page no longer exists as it was
    # What an older, worse extractor might have stored.
    with sqlite3.connect(tmp_path / "archive.db") as db:
        db.execute("UPDATE articles SET text = 'اشترك في النشرة البريدية', content_hash = 'old'")

    result = akhbar("--db", db_url, "reextract", "--site", "alwadi.example")
    shown = json.loads(akhbar("--db", db_url, "show", "--json", "--revisions", "1").stdout)

    assert result.code == 0, result.stderr
    assert (
        result.stdout.splitlines()[-1] == "1 pages re-extracted: 0 stored, 1 updated, 0 unchanged, 0 failed"
    )
    assert shown["text"].startswith("افتتحت جمعية أصدقاء الكتاب") and "هالة النجار" in shown["text"]
    assert [r["number"] for r in shown["revisions"]] == [1, 2]


def test_a_page_without_an_article_is_kept_for_a_later_reextract(server, akhbar, db_url, tmp_path):
    akhbar("--db", db_url, "scrape", server.add("/short/", "<html><body><p>قصير جدا</p></body></html>"))

    with sqlite3.connect(tmp_path / "archive.db") as db:
        assert db.execute("SELECT count(*), min(article_id) FROM captures").fetchone() == (1, None)
    result = akhbar("--db", db_url, "reextract")
    assert result.code == 1 and "no article" in result.stderr


def test_db_upgrade_upgrades_a_first_release_database_and_names_the_backup(akhbar, db_url, tmp_path):
    make_first_release_database(db_url, with_version_table=False)

    first = akhbar("--db", db_url, "db", "upgrade")
    second = akhbar("--db", db_url, "db", "upgrade")

    assert first.code == 0, first.stderr
    assert f"upgraded from schema 0001 to {head_revision()}" in first.stdout
    (backup,) = tmp_path.glob("archive.db.0001-*.bak")
    assert str(backup) in first.stdout
    assert second.stdout.strip().endswith(f"schema {head_revision()}, up to date")


def test_bad_databases_are_one_line_errors_with_exit_2(akhbar, tmp_path):
    (tmp_path / "notes.db").write_bytes(b"not a database at all " * 100)

    not_sqlite = akhbar("--db", f"sqlite:///{tmp_path / 'notes.db'}", "list")
    unreachable = akhbar("--db", "postgresql://reader:hunter2@127.0.0.1:1/news", "search", "خبر")

    assert not_sqlite.code == 2
    assert not_sqlite.stderr == f"akhbar: {tmp_path / 'notes.db'}: not an SQLite database\n"
    assert unreachable.code == 2 and len(unreachable.stderr.splitlines()) == 1
    assert "hunter2" not in unreachable.stderr and "reader:***@127.0.0.1:1/news" in unreachable.stderr


def test_a_database_other_than_sqlite_or_postgresql_is_refused_in_one_line(akhbar):
    result = akhbar("--db", "mysql://reader:hunter2@127.0.0.1/news", "list")

    assert result.code == 2
    assert result.stderr == (
        "akhbar: unsupported database 'mysql' in mysql://reader:***@127.0.0.1/news"
        " (use sqlite or postgresql)\n"
    )


def test_a_folder_given_as_the_sqlite_database_is_a_one_line_error(akhbar, tmp_path):
    (tmp_path / "archive").mkdir()

    result = akhbar("--db", f"sqlite:///{tmp_path / 'archive'}", "list")

    assert result.code == 2
    assert result.stderr == f"akhbar: {tmp_path / 'archive'}: is a folder, not a database file\n"
