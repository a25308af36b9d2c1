"""Output paths come only from the user: a crawl and its exports write the archive, its lock, the
log and the export files named on the command line, and nothing named by a page."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.fakesite import FakeNewsSite

HOSTILE_TITLE = "../../../../tmp/akhbar-pwned <script>"


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`akhbar` run from an empty working folder, its home and XDG folders inside the test's own."""
    home = folder.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKHBAR_", "XDG_"))}
    env |= {
        "HOME": str(home / "home"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "ingest", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_a_crawl_and_its_exports_write_only_the_paths_given(server, tmp_path):
    site = FakeNewsSite(articles=8).mount(server)
    article = site.render(site.article_url(3).split(str(server.port), 1)[1])[2].decode()
    title = html.unescape(re.search(r'<h1 class="entry-title">([^<]*)', article)[1])
    titled = article.replace(html.escape(title), html.escape(HOSTILE_TITLE)).replace(title, HOSTILE_TITLE)
    hostile = server.add("/2026/01/05/hostile-title/", titled)
    (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    db = f"sqlite:///{tmp_path / 'archive.db'}"

    crawled = run_in(work, "--db", db, "--sources", "../sources.toml", "crawl", "--log-file", "../crawl.log")
    scraped = run_in(work, "--db", db, "scrape", hostile)
    for kind in ("jsonl", "csv", "warc"):
        exported = run_in(work, "--db", db, "export", "--format", kind, "-o", f"../out.{kind}")
        assert exported.returncode == 0, exported.stderr

    assert crawled.returncode in (0, 1), crawled.stderr
    assert "stored" in crawled.stdout
    assert scraped.returncode == 0, scraped.stderr
    assert HOSTILE_TITLE in scraped.stdout  # stored under the hostile title
    written = files_under(tmp_path) - {"sources.toml"}
    assert {name for name in written if not name.startswith("archive.db")} == {
        "crawl.log",
        "out.jsonl",
        "out.csv",
        "out.warc",
    }
    assert not Path("/tmp/akhbar-pwned <script>").exists()
