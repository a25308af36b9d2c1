"""`akhbar sources add` and `akhbar sources list`, run as a user would, against the fake site."""

from __future__ import annotations

import json
import tomllib

import pytest


def config_file(tmp_path):
    return tmp_path / "config" / "akhbar" / "sources.toml"


def test_add_writes_a_reviewable_entry_to_the_default_sources_file(site, akhbar, tmp_path):
    result = akhbar("sources", "add", site.base + "/")

    assert result.code == 0, result.stderr
    entry = tomllib.loads(config_file(tmp_path).read_text(encoding="utf-8"))["sources"]["127.0.0.1"]
    assert entry["base_url"] == site.base + "/"
    assert entry["sections"][:2] == [site.base + "/politics/", site.base + "/economy/"]
    assert (entry["language"], entry["date_locale"], entry["delay"]) == ("ar", "ar-JO", 1.0)
    assert f"added '127.0.0.1' to {config_file(tmp_path)}" in result.stdout


def test_add_finds_the_sites_feeds_and_sitemaps(site, akhbar, tmp_path):
    akhbar("sources", "add", "--delay", "0", site.base + "/")

    entry = tomllib.loads(config_file(tmp_path).read_text(encoding="utf-8"))["sources"]["127.0.0.1"]
    assert entry["feeds"] == [site.base + "/rss.xml", site.base + "/atom.xml"]
    assert entry["sitemaps"] == [site.base + "/sitemap.xml", site.base + "/news-sitemap.xml"]


def test_dry_run_prints_the_entry_and_writes_nothing(site, akhbar, tmp_path):
    result = akhbar("sources", "add", "--dry-run", "--name", "alofoq", "--delay", "0", site.base)

    assert result.code == 0, result.stderr
    entry = tomllib.loads(result.stdout)["sources"]["alofoq"]
    assert (entry["base_url"], entry["delay"]) == (site.base + "/", 0.0)
    assert not config_file(tmp_path).exists()


def test_adding_the_same_site_twice_is_refused(site, server, akhbar):
    akhbar("sources", "add", "--delay", "0", site.base + "/")

    again = akhbar("sources", "add", "--delay", "0", "--name", "other", site.base + "/")

    assert again.code == 2
    assert again.stderr.strip().endswith("is already configured as '127.0.0.1'")
    assert len(server.requests_to("/")) == 1  # refused before asking the site again


def test_the_sources_option_and_environment_choose_the_file(site, akhbar, tmp_path):
    by_option = tmp_path / "by-option.toml"
    by_env = tmp_path / "by-env.toml"

    akhbar("--sources", str(by_option), "sources", "add", "--delay", "0", "--name", "a", site.base)
    akhbar("sources", "add", "--delay", "0", "--name", "b", site.base, env={"AKHBAR_SOURCES": str(by_env)})

    assert list(tomllib.loads(by_option.read_text(encoding="utf-8"))["sources"]) == ["a"]
    assert list(tomllib.loads(by_env.read_text(encoding="utf-8"))["sources"]) == ["b"]
    assert not config_file(tmp_path).exists()


def test_an_unreachable_site_fails_with_one_line(akhbar, tmp_path):
    result = akhbar("sources", "add", "http://127.0.0.1:9/")

    assert result.code == 1
    assert result.stderr.startswith("akhbar: cannot read http://127.0.0.1:9/")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not config_file(tmp_path).exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sources", "add", "ftp://example.org/"), "unsupported URL scheme"),
        (("sources", "add", "--name", "two words", "http://127.0.0.1:9/"), "--name 'two words'"),
        (("sources", "add", "--delay", "-1", "http://127.0.0.1:9/"), "--delay"),
    ],
)
def test_bad_arguments_are_usage_errors(akhbar, args, expected):
    result = akhbar(*args)

    assert result.code == 2 and expected in result.stderr


def test_list_shows_each_source_with_a_place_for_crawl_figures(site, akhbar):
    akhbar("sources", "add", "--delay", "0", "--name", "alofoq", site.base + "/")

    listed = akhbar("sources", "list", "--json")
    table = akhbar("sources", "list")

    [record] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert record["name"] == "alofoq" and record["base_url"] == site.base + "/"
    assert len(record["sections"]) == 6
    assert (record["articles"], record["last_crawl"]) == (None, None)
    counts = f"{len(record.get('feeds', []))}/{len(record.get('sitemaps', []))}/6"
    assert table.code == 0 and "alofoq" in table.stdout and counts in table.stdout


def test_list_without_a_sources_file_says_how_to_add_one(akhbar):
    result = akhbar("sources", "list")

    assert result.code == 0
    assert "akhbar sources add URL" in result.stderr


@pytest.mark.parametrize("command", [("sources", "list"), ("sources", "add", "http://127.0.0.1:9/")])
def test_a_broken_sources_file_is_one_line_naming_it_and_exit_2(akhbar, tmp_path, command):
    path = tmp_path / "sources.toml"
    path.write_text('[sources.a]\nbase_url = "https://a.example/"\ndelay = -3\n', encoding="utf-8")

    result = akhbar("--sources", str(path), *command)

    assert result.code == 2
    assert result.stderr.strip() == (
        f"akhbar: {path}: [sources.a]: delay must be a number of seconds >= 0, not -3"
    )
