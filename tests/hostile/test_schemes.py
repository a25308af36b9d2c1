"""Only http and https are ever fetched, whatever the user or a page asks for."""

from __future__ import annotations

NOT_HTTP = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "ftp://127.0.0.1/x",
    "data:text/html,hi",
    "gopher://127.0.0.1/",
]


def test_scrape_refuses_every_other_scheme_with_one_line_each(akhbar, db_url):
    result = akhbar("--db", db_url, "scrape", *NOT_HTTP)

    assert result.code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == len(NOT_HTTP)
    for url, line in zip(NOT_HTTP, lines, strict=True):
        scheme = url.split(":", 1)[0]
        assert line == f"failed     {url}  unsupported URL scheme '{scheme}' (only http and https)"


def test_sources_add_refuses_a_file_url(akhbar, tmp_path):
    result = akhbar("--sources", str(tmp_path / "sources.toml"), "sources", "add", "file:///etc/passwd")

    assert result.code == 2
    assert (
        result.stderr.strip()
        == "akhbar: file:///etc/passwd: unsupported URL scheme 'file' (only http and https)"
    )
    assert not (tmp_path / "sources.toml").exists()
