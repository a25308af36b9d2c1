"""A database password never reaches the terminal, whatever goes wrong with the URL it is in."""

from __future__ import annotations

import pytest

from store.db import StoreError, open_engine, redacted

SECRET = "Qx7-s3cret-Pw"

# Each URL fails in a different place: the URL parser, the driver lookup, name resolution, the
# connection, the server's authentication.
FAILING_URLS = [
    pytest.param(f"postgresql://archivist:{SECRET}@127.0.0.1:1/news", id="nothing-listening"),
    pytest.param(f"postgresql+psycopg://archivist:{SECRET}@no-such-host.invalid/news", id="unresolvable"),
    pytest.param(f"postgresql://archivist:{SECRET}@127.0.0.1:notaport/news", id="port-not-a-number"),
    pytest.param(f"postgresql://archivist:{SECRET}@127.0.0.1:99999/news", id="port-out-of-range"),
    pytest.param(f"mysql://archivist:{SECRET}@127.0.0.1/news", id="unsupported-backend"),
    pytest.param(f"postgresql://127.0.0.1:1/news?password={SECRET}", id="password-as-parameter"),
    pytest.param(f"postgresql://archivist:{SECRET}@127.0.0.1:1/news?sslpassword={SECRET}", id="sslpassword"),
    pytest.param(f"postgresql://archivist:{SECRET}@@127.0.0.1:1/news", id="doubled-at-sign"),
]


@pytest.mark.parametrize("url", FAILING_URLS)
def test_a_database_that_cannot_be_opened_is_reported_without_its_password(url):
    with pytest.raises(StoreError) as failure:
        open_engine(url)

    assert SECRET not in str(failure.value)


@pytest.mark.parametrize(
    "command",
    [
        ["scrape", "http://127.0.0.1:9/2026/01/05/story/"],
        ["search", "الانتخابات"],
        ["export", "--format", "jsonl"],
        ["db", "status"],
    ],
)
def test_every_command_shows_one_line_without_the_password(akhbar, command):
    result = akhbar("--db", f"postgresql://archivist:{SECRET}@127.0.0.1:1/news", *command)

    assert result.code == 2
    assert SECRET not in result.stdout + result.stderr
    assert result.stderr.startswith("akhbar: postgresql://archivist:***@127.0.0.1:1/news: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_password_given_as_a_url_parameter_is_hidden_from_the_user(akhbar):
    result = akhbar("--db", f"postgresql://127.0.0.1:1/news?password={SECRET}", "search", "غزة")

    assert result.code == 2
    assert SECRET not in result.stderr
    assert "password=" in result.stderr  # the parameter is named, its value is not


def test_an_unparsable_url_exits_as_a_configuration_error_without_echoing_it(akhbar):
    result = akhbar("--db", f"postgresql://archivist:{SECRET}@127.0.0.1:notaport/news", "search", "غزة")

    assert result.code == 2
    assert result.stderr.strip() == "akhbar: not a database URL: <unparsable database URL>"


@pytest.mark.postgres
def test_the_real_server_refusing_a_role_does_not_echo_the_password(akhbar, postgres_user):
    result = akhbar("--db", f"postgresql://no_such_role_x:{SECRET}@127.0.0.1:5432/test", "db", "status")

    assert result.code == 2
    assert SECRET not in result.stderr
    assert 'role "no_such_role_x" does not exist' in result.stderr


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql://u:{SECRET}@h/db", "postgresql://u:***@h/db"),
        (f"postgresql://h/db?password={SECRET}&sslmode=require", "postgresql://h/db?password="),
        ("sqlite:////var/lib/akhbar/archive.db", "sqlite:////var/lib/akhbar/archive.db"),
        (f"postgresql://u:{SECRET}@h:port/db", "<unparsable database URL>"),
    ],
)
def test_redacted_hides_passwords_and_keeps_the_rest(url, shown):
    assert redacted(url).startswith(shown)
    assert SECRET not in redacted(url)
