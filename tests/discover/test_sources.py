"""sources.toml: reading, validating, writing back, and which URLs a source lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import (
    Source,
    SourcesError,
    add_source,
    default_sources_path,
    load_sources,
    resolve_sources_path,
)

FULL_ENTRY = """
[sources.alofoq]
base_url = "https://www.alofoq.example/"
feeds = ["https://www.alofoq.example/rss.xml"]
sitemaps = ["https://www.alofoq.example/sitemap.xml"]
sections = ["https://www.alofoq.example/politics/", "https://www.alofoq.example/economy/"]
allow = ['/\\d{4}/\\d{2}/\\d{2}/']
deny = ['/tag/', '/author/']
language = "ar"
delay = 0
user_agent = "akhbar-test/1.0"
date_locale = "ar-JO"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(SourcesError) as raised:
        load_sources(path)
    message = str(raised.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_every_setting_of_an_entry_is_read(tmp_path):
    [source] = load_sources(write(tmp_path, FULL_ENTRY))

    assert source == Source(
        name="alofoq",
        base_url="https://www.alofoq.example/",
        feeds=("https://www.alofoq.example/rss.xml",),
        sitemaps=("https://www.alofoq.example/sitemap.xml",),
        sections=("https://www.alofoq.example/politics/", "https://www.alofoq.example/economy/"),
        allow=(r"/\d{4}/\d{2}/\d{2}/",),
        deny=("/tag/", "/author/"),
        language="ar",
        delay=0.0,
        user_agent="akhbar-test/1.0",
        date_locale="ar-JO",
    )


def test_defaults_table_fills_settings_an_entry_leaves_out(tmp_path):
    text = """
[defaults]
delay = 5
user_agent = "archive-bot/2"

[sources.one]
base_url = "https://one.example/"

[sources.two]
base_url = "https://two.example/"
delay = 0.5
"""
    one, two = load_sources(write(tmp_path, text))

    assert (one.delay, one.user_agent) == (5.0, "archive-bot/2")
    assert (two.delay, two.user_agent) == (0.5, "archive-bot/2")
    assert one.language == "ar"


def test_a_missing_file_is_an_error_naming_it_unless_allowed(tmp_path):
    path = tmp_path / "nowhere" / "sources.toml"

    with pytest.raises(SourcesError, match="no such sources file") as raised:
        load_sources(path)

    assert str(path) in str(raised.value)
    assert load_sources(path, missing_ok=True) == []


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    message = load_error(tmp_path, '[sources.a]\nbase_url = "https://a.example/\n')

    assert "not valid TOML" in message and "line 2" in message


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('base_url = "https://a.example/"\nfeed = ["https://a.example/rss"]', "unknown key 'feed'"),
        ('feeds = ["https://a.example/rss"]', "base_url is missing"),
        ('base_url = "ftp://a.example/"', "unsupported URL scheme"),
        ('base_url = "a.example/news"', "base_url: 'a.example/news': malformed URL (no scheme"),
        ('base_url = "https://a.example/"\nsitemaps = "https://a.example/s.xml"', "sitemaps must be a list"),
        ('base_url = "https://a.example/"\ndelay = -1', "delay must be a number of seconds >= 0"),
        ('base_url = "https://a.example/"\ndelay = "fast"', "delay must be a number"),
        ('base_url = "https://a.example/"\nallow = ["/(unclosed"]', "bad regular expression '/(unclosed'"),
        ('base_url = "https://a.example/"\nlanguage = ""', "language must be a non-empty string"),
        ('base_url = "https://a.example/"\ndate_locale = "ar-XY"', "akhbar knows no time zone for region XY"),
        ('base_url = "https://a.example/"\ndate_locale = "arabic"', "date_locale must be a language"),
    ],
)
def test_a_bad_entry_is_one_error_naming_the_source_and_the_problem(tmp_path, entry, expected):
    message = load_error(tmp_path, f"[sources.broken]\n{entry}\n")

    assert "[sources.broken]" in message and expected in message


def test_two_sources_with_the_same_site_are_refused(tmp_path):
    text = '[sources.a]\nbase_url = "https://a.example/"\n[sources.b]\nbase_url = "https://A.example"\n'

    assert "same base_url as [sources.a]" in load_error(tmp_path, text)


def test_an_unknown_top_level_table_is_refused(tmp_path):
    assert "unknown top-level key 'source'" in load_error(
        tmp_path, '[source.a]\nbase_url = "https://a.example/"\n'
    )


def test_a_source_permits_only_http_urls_on_its_own_site():
    source = Source(name="a", base_url="https://www.alofoq.example/")

    assert source.permits("https://alofoq.example/politics/2026/01/02/x-1/")
    assert source.permits("http://m.alofoq.example/x")
    assert not source.permits("https://alofoq.example.evil.test/x")
    assert not source.permits("https://other.example/x")
    assert not source.permits("ftp://alofoq.example/x")


def test_deny_patterns_win_and_allow_patterns_restrict():
    source = Source(name="a", base_url="https://alofoq.example/", allow=(r"/\d{4}/\d{2}/",), deny=("/live/",))

    assert source.permits("https://alofoq.example/politics/2026/01/story/")
    assert not source.permits("https://alofoq.example/live/2026/01/blog/")
    assert not source.permits("https://alofoq.example/politics/story/")


def test_adding_a_source_keeps_the_users_comments_and_entries(tmp_path):
    path = write(tmp_path, '# my sites\n[sources.one]  # the first\nbase_url = "https://one.example/"\n')

    add_source(path, Source(name="two", base_url="https://two.example/", feeds=("https://two.example/rss",)))

    text = path.read_text(encoding="utf-8")
    assert "# my sites" in text and "# the first" in text
    assert [s.name for s in load_sources(path)] == ["one", "two"]
    assert load_sources(path)[1].feeds == ("https://two.example/rss",)


def test_an_added_source_still_takes_the_files_defaults(tmp_path):
    path = write(tmp_path, '[defaults]\ndelay = 4\nlanguage = "ar"\n')

    add_source(path, Source(name="one", base_url="https://one.example/", date_locale="ar-EG"))

    [source] = load_sources(path)
    assert (source.delay, source.language, source.date_locale) == (4.0, "ar", "ar-EG")


def test_adding_creates_the_file_and_its_directory(tmp_path):
    path = tmp_path / "config" / "akhbar" / "sources.toml"
    source = Source(name="one", base_url="https://one.example/", delay=0.0, date_locale="ar-EG")

    add_source(path, source)

    assert load_sources(path) == [source]


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (Source(name="one", base_url="https://elsewhere.example/"), "already exists"),
        (Source(name="again", base_url="https://one.example"), "already configured as 'one'"),
    ],
)
def test_adding_a_duplicate_name_or_site_is_refused_and_the_file_left_alone(tmp_path, other, expected):
    path = write(tmp_path, '[sources.one]\nbase_url = "https://one.example/"\n')
    before = path.read_text(encoding="utf-8")

    with pytest.raises(SourcesError, match=expected):
        add_source(path, other)

    assert path.read_text(encoding="utf-8") == before


def test_the_default_file_lives_in_the_user_config_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    assert default_sources_path() == tmp_path / "config" / "akhbar" / "sources.toml"
    assert resolve_sources_path(None) == default_sources_path()
    assert resolve_sources_path(str(tmp_path / "mine.toml")) == tmp_path / "mine.toml"
