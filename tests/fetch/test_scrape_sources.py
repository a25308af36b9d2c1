"""`akhbar scrape` fetches with sources.toml's settings: a followed site's URL with its source's
User-Agent and delay, any other URL with the file's [defaults], else akhbar's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.fetch import USER_AGENT
from tests.conftest import site_page
from tests.loopback import LoopbackServer

PAGE = site_page("wp-article.html")


@pytest.fixture
def followed() -> Iterator[LoopbackServer]:
    """A second site, on its own host: the one sources.toml follows."""
    srv = LoopbackServer("127.0.0.2").start()
    yield srv
    srv.stop()


def write_sources(path, followed: LoopbackServer, source: str, defaults: str = "") -> str:
    head = f"[defaults]\n{defaults}\n" if defaults else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{head}[sources.followed]\nbase_url = "{followed.base}/"\n{source}\n', encoding="utf-8")
    return str(path)


def user_agent_of(server: LoopbackServer, path: str) -> str:
    (request,) = server.requests_to(path)
    return next(value for name, value in request.headers.items() if name.lower() == "user-agent")


def test_a_followed_sites_url_is_fetched_with_its_sources_user_agent(followed, akhbar, db_url, tmp_path):
    url = followed.add("/2024/03/12/article/", PAGE)
    own = 'user_agent = "FollowedBot/2 (+x)"\ndelay = 0'
    sources = write_sources(tmp_path / "sources.toml", followed, own)

    result = akhbar("--db", db_url, "--sources", sources, "scrape", url)

    assert result.code == 0, result.stderr
    assert user_agent_of(followed, "/2024/03/12/article/") == "FollowedBot/2 (+x)"


def test_a_url_of_no_source_is_fetched_with_the_files_default_user_agent(
    server, followed, akhbar, db_url, tmp_path
):
    url = server.add("/2024/03/12/article/", PAGE)
    own, defaults = 'user_agent = "FollowedBot/2"', 'user_agent = "MyDefault/1"'
    sources = write_sources(tmp_path / "sources.toml", followed, own, defaults=defaults)

    result = akhbar("--db", db_url, "--sources", sources, "scrape", url)

    assert result.code == 0, result.stderr
    assert user_agent_of(server, "/2024/03/12/article/") == "MyDefault/1"


def test_a_url_of_no_source_and_no_defaults_is_fetched_as_akhbar(server, followed, akhbar, db_url, tmp_path):
    url = server.add("/2024/03/12/article/", PAGE)
    sources = write_sources(tmp_path / "sources.toml", followed, 'user_agent = "FollowedBot/2"')

    result = akhbar("--db", db_url, "--sources", sources, "scrape", url)

    assert result.code == 0, result.stderr
    assert user_agent_of(server, "/2024/03/12/article/") == USER_AGENT


def test_the_default_sources_file_applies_without_the_option(followed, akhbar, db_url, tmp_path):
    url = followed.add("/2024/03/12/article/", PAGE)
    write_sources(tmp_path / "config" / "akhbar" / "sources.toml", followed, 'user_agent = "FollowedBot/2"')

    result = akhbar("--db", db_url, "scrape", url)

    assert result.code == 0, result.stderr
    assert user_agent_of(followed, "/2024/03/12/article/") == "FollowedBot/2"


def test_a_sources_delay_of_zero_sends_its_urls_back_to_back_while_others_keep_one_second(
    server, followed, akhbar, db_url, tmp_path
):
    paths = ["/2024/03/12/one/", "/2024/03/12/two/"]
    quick = [followed.add(path, PAGE) for path in paths]
    spaced = [server.add(path, PAGE) for path in paths]
    sources = write_sources(tmp_path / "sources.toml", followed, "delay = 0")

    result = akhbar("--db", db_url, "--sources", sources, "scrape", *quick, *spaced)

    assert result.code == 0, result.stderr

    def gap(srv: LoopbackServer) -> float:
        first, second = sorted(srv.requests_to(path)[0].at for path in paths)
        return second - first

    assert gap(followed) < 0.5  # the source's delay 0 (the built-in 1 s would space them)
    assert gap(server) >= 0.9  # the built-in 1 s for a host no source names


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_named_sources_file_that_is_missing_is_a_configuration_error(server, akhbar, db_url, tmp_path, how):
    url = server.add("/2024/03/12/article/", PAGE)
    missing = str(tmp_path / "no-such.toml")
    if how == "option":
        result = akhbar("--db", db_url, "--sources", missing, "scrape", url)
    else:
        result = akhbar("--db", db_url, "scrape", url, env={"AKHBAR_SOURCES": missing})

    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"akhbar: {missing}: no such sources file (create one with `akhbar sources add URL`)"
    ]
    assert result.stdout == ""
    assert server.requests == []


def test_a_broken_sources_file_is_a_configuration_error_with_one_line(server, akhbar, db_url, tmp_path):
    url = server.add("/2024/03/12/article/", PAGE)
    broken = tmp_path / "sources.toml"
    broken.write_text('[sources.x]\nbase_url = "https://x.example/"\ndelay = -1\n', encoding="utf-8")

    result = akhbar("--db", db_url, "--sources", str(broken), "scrape", url)

    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"akhbar: {broken}: [sources.x]: delay must be a number of seconds >= 0, not -1"
    ]
    assert server.requests == []


def test_a_broken_default_sources_file_is_a_configuration_error(server, akhbar, db_url, tmp_path):
    url = server.add("/2024/03/12/article/", PAGE)
    broken = tmp_path / "config" / "akhbar" / "sources.toml"
    broken.parent.mkdir(parents=True)
    broken.write_text("[defaults]\ndelay = 'soon'\n", encoding="utf-8")

    result = akhbar("--db", db_url, "scrape", url)

    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"akhbar: {broken}: [defaults]: delay must be a number of seconds >= 0, not 'soon'"
    ]
    assert "Traceback" not in result.stderr


def test_without_any_sources_file_scrape_uses_akhbars_own_settings(server, akhbar, db_url):
    url = server.add("/2024/03/12/article/", PAGE)

    result = akhbar("--db", db_url, "scrape", url)

    assert result.code == 0, result.stderr
    assert user_agent_of(server, "/2024/03/12/article/") == USER_AGENT
