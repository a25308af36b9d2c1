"""Each command line imports only its own command's module; help and mistakes still see them all."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest
import typer

from ingest.cli import COMMAND_MODULES, app, named_command


def registered_command_names() -> set[str]:
    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(f"ingest.cli.{module}")
    group = typer.main.get_group(app)
    return set(group.commands)


def test_every_command_is_found_in_the_module_the_map_names():
    assert registered_command_names() == set(COMMAND_MODULES)


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["list"], "list"),
        (["--db", "sqlite:///a.db", "search", "غزة"], "search"),
        (["--db=sqlite:///a.db", "--debug", "show", "3"], "show"),
        (["--sources", "list", "crawl"], "crawl"),
        (["--help"], None),
        ([], None),
    ],
)
def test_the_command_is_the_first_word_after_the_global_options(args, command):
    assert named_command(args) == command


def test_help_lists_every_command(akhbar):
    result = akhbar("--help")

    assert result.code == 0
    # A row of the help's commands panel starts with the command's name ("--db" is no "db").
    listed = set(re.findall(r"^\W+ ([a-z]+)  ", result.stdout.split("Commands", 1)[1], re.MULTILINE))
    assert listed == set(COMMAND_MODULES)


def test_a_misspelt_command_is_a_usage_error(akhbar):
    result = akhbar("serach", "غزة")

    assert result.code == 2
    assert "No such command" in result.stderr


def test_a_command_line_imports_only_its_own_command(tmp_path):
    probe = "import sys, ingest.cli as c; c.register_commands(sys.argv[1:]); print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe, "--db", f"sqlite:///{tmp_path / 'a.db'}", "list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "ingest.cli.archive" in loaded
    assert "ingest.cli.crawl" not in loaded and "trafilatura" not in loaded
