"""`akhbar scrape` end to end: a real loopback server, a real SQLite file, the real CLI."""

from __future__ import annotations

import json

import pytest

from tests.conftest import site_page


def test_seed_article_is_scraped_and_stored_with_title_date_and_body(server, corpus, akhbar, db_url):
    page = (corpus / "synthetic" / "alhal-seed-001.html").read_bytes()
    url = server.add("/2022/01/31/sdf-denies-isis-escape/", page)

    result = akhbar("--db", db_url, "scrape", url)

    assert result.code == 0, result.stderr
    assert result.stdout.startswith("stored")
    shown = akhbar("--db", db_url, "show", "--json", "https://7al.net/2022/01/31/sdf-denies-isis-escape/")
    article = json.loads(shown.stdout)
    assert article["title"] == "قسد تنفي هروب 200 عنصر من داعش خلال أحداث سجن الصناعة"
    assert article["published"].startswith("2022-01-31")
    assert article["text"].startswith("نفت القيادة العامة لـ”قوات سوريا الديمقراطية”")
    assert "وإجراء محاكمة ذات طابع دولي للمحتجزين لديها" in article["text"]


def test_scraping_the_same_page_again_reports_unchanged(server, akhbar, db_url):
    url = server.add("/culture/zarqa-library/", site_page("wp-article.html"))

    first = akhbar("--db", db_url, "scrape", url)
    second = akhbar("--db", db_url, "scrape", url)

    assert first.stdout.splitlines()[0].startswith("stored")
    assert second.stdout.splitlines()[0].startswith("unchanged")
    assert second.stdout.splitlines()[-1] == "1 URLs: 0 stored, 0 updated, 1 unchanged, 0 failed"


def test_a_changed_page_is_reported_updated(server, akhbar, db_url):
    original = site_page("wp-article.html")
    url = server.add("/culture/zarqa-library/", original)
    akhbar("--db", db_url, "scrape", url)
    server.add("/culture/zarqa-library/", original.replace("عشرين ألف".encode(), "ثلاثين ألف".encode()))

    result = akhbar("--db", db_url, "scrape", url)

    assert result.stdout.startswith("updated")


def test_bad_urls_fail_one_line_each_while_good_ones_are_stored(server, akhbar, db_url):
    good = server.add("/culture/zarqa-library/", site_page("wp-article.html"))
    missing = server.url("/no-such-page/")
    image = server.add("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    unreachable = "http://127.0.0.1:9/closed-port/"
    malformed = "http://[not-a-host/"

    result = akhbar("--db", db_url, "scrape", missing, image, good, unreachable, malformed)

    assert result.code == 1
    failed_lines = result.stderr.strip().splitlines()
    assert len(failed_lines) == 4
    for url, reason in [
        (missing, "404"),
        (image, "not an HTML page"),
        (unreachable, "connect"),
        (malformed, "URL"),
    ]:
        line = next(line for line in failed_lines if url in line)
        assert line.startswith("failed") and reason in line
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "5 URLs: 1 stored, 0 updated, 0 unchanged, 4 failed"
    listed = akhbar("--db", db_url, "list")
    assert "افتتاح مكتبة عامة جديدة" in listed.stdout


@pytest.mark.parametrize("how", ["stdin-dash", "from-file", "from-file-stdin"])
def test_urls_are_read_from_stdin_or_a_file(server, akhbar, db_url, tmp_path, how):
    url = server.add("/culture/zarqa-library/", site_page("wp-article.html"))
    listing = f"# my list\n{url}\n\n{url}\n"
    if how == "stdin-dash":
        result = akhbar("--db", db_url, "scrape", "-", stdin=listing)
    elif how == "from-file":
        (tmp_path / "urls.txt").write_text(listing, encoding="utf-8")
        result = akhbar("--db", db_url, "scrape", "--from-file", str(tmp_path / "urls.txt"))
    else:
        result = akhbar("--db", db_url, "scrape", "--from-file", "-", stdin=listing)

    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 URLs: 1 stored")


def test_database_location_comes_from_akhbar_db_environment(server, akhbar, tmp_path):
    url = server.add("/culture/zarqa-library/", site_page("wp-article.html"))
    env = {"AKHBAR_DB": f"sqlite:///{tmp_path / 'from-env.db'}"}

    akhbar("scrape", url, env=env)

    assert (tmp_path / "from-env.db").exists()
    assert "افتتاح مكتبة" in akhbar("list", env=env).stdout


def test_default_database_lives_in_the_user_data_dir(server, akhbar, tmp_path):
    url = server.add("/culture/zarqa-library/", site_page("wp-article.html"))

    result = akhbar("scrape", url)

    assert result.code == 0, result.stderr
    assert (tmp_path / "data" / "akhbar" / "akhbar.db").exists()


def test_no_urls_is_a_usage_error(akhbar, db_url):
    result = akhbar("--db", db_url, "scrape")

    assert result.code == 2
    assert "no URLs given" in result.stderr


@pytest.mark.parametrize("how", ["from-file", "stdin-dash"])
def test_a_url_list_that_is_not_utf8_text_is_a_one_line_usage_error(akhbar, db_url, tmp_path, how):
    binary = b"https://alwadi.example/a\n\xb4\x89PNG\r\n\x1a\n" + bytes(range(256))
    if how == "from-file":
        (tmp_path / "urls.txt").write_bytes(binary)
        result = akhbar("--db", db_url, "scrape", "--from-file", str(tmp_path / "urls.txt"))
        where = str(tmp_path / "urls.txt")
    else:
        result = akhbar("--db", db_url, "scrape", "-", stdin=binary)
        where = "stdin"

    assert result.code == 2
    assert (
        result.stderr == f"akhbar: cannot read URL list: {where}: not UTF-8 text (byte 0xb4 at offset 25)\n"
    )


def test_a_url_list_saved_with_a_byte_order_mark_is_read(server, akhbar, db_url, tmp_path):
    url = server.add("/culture/zarqa-library/", site_page("wp-article.html"))
    (tmp_path / "urls.txt").write_bytes(f"{url}\n".encode("utf-8-sig"))

    result = akhbar("--db", db_url, "scrape", "--from-file", str(tmp_path / "urls.txt"))

    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"stored     {url}")


def test_a_url_without_a_scheme_is_reported_malformed(akhbar, db_url):
    result = akhbar("--db", db_url, "scrape", "www.alwadi.example/culture/zarqa-library/")

    assert result.code == 1
    assert result.stderr == (
        "failed     www.alwadi.example/culture/zarqa-library/  "
        "malformed URL (no scheme: begin it with http:// or https://)\n"
    )
