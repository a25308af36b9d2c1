"""Shared fixtures: a loopback HTTP server, a fresh SQLite file, the shared corpus, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.extract_pool import WORKERS_ENV
from tests.loopback import LoopbackServer

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CORPUS = Path(os.environ.get("AKHBAR_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus, read in place; tests using it skip when a clone stands alone."""
    if not (CORPUS / "gold").is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set AKHBAR_CORPUS to its path)")
    return CORPUS


def site_page(name: str) -> bytes:
    return (SITES / name).read_bytes()


@dataclass(slots=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def akhbar(tmp_path: Path):
    """Run the real `akhbar` console entry point in a subprocess, as a user's shell would."""

    def run(*args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None) -> CliResult:
        """`stdin` as bytes is piped in unchanged (binary input); output is read as UTF-8 text."""
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_") or k == "AKHBAR_CORPUS"
        }
        full_env = {
            **inherited,
            # One extraction process: a test crawls a few pages, and each process is a Python
            # start-up that imports the whole pipeline (tests of the pool set their own number).
            WORKERS_ENV: "1",
            "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            **(env or {}),
        }
        proc = subprocess.run(
            [sys.executable, "-m", "ingest", *args],
            input=stdin.encode() if isinstance(stdin, str) else stdin,
            capture_output=True,
            env=full_env,
            timeout=300,
            cwd=REPO,
        )
        return CliResult(proc.returncode, proc.stdout.decode(), proc.stderr.decode())

    return run
