"""The `akhbar` command: global options here, each command group in its own module."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import typer

from store.db import StoreError

app = typer.Typer(
    name="akhbar",
    help="Ingest and archive Arabic news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Exit codes (a contract): 0 all went well, 1 some items failed, 2 usage or configuration error.
EXIT_OK = 0
EXIT_ITEMS_FAILED = 1
EXIT_CONFIG = 2


@dataclass(slots=True)
class Settings:
    db: str | None
    sources: str | None
    debug: bool


@app.callback()
def global_options(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="AKHBAR_DB",
        help="SQLAlchemy database URL (default: SQLite in the user data dir).",
    ),
    sources: str | None = typer.Option(
        None, "--sources", envvar="AKHBAR_SOURCES", help="Path of sources.toml (default: user config dir)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
) -> None:
    ctx.obj = Settings(db=db, sources=sources, debug=debug)


def err(message: str) -> None:
    """One line on stderr for the user."""
    typer.echo(message, err=True)


# Command modules register themselves on `app` when imported. Importing all of them costs the
# whole pipeline (trafilatura, httpx, discovery): about a second before `akhbar list` can answer.
# So a command line naming a known command imports only that command's module.
COMMAND_MODULES = {
    "list": "archive",
    "show": "archive",
    "db": "archive",
    "crawl": "crawl",
    "export": "export",
    "extract": "extract",
    "fetches": "fetches",
    "reextract": "reextract",
    "scrape": "scrape",
    "search": "search",
    "sources": "sources",
    "status": "status",
    "worker": "worker",
}
GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--sources")


def named_command(args: list[str]) -> str | None:
    """The command a command line names after the global options, or None (none, or `--help`)."""
    args_iter = iter(args)
    for arg in args_iter:
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            next(args_iter, None)
        elif not arg.startswith("-"):
            return arg
    return None


def register_commands(args: list[str]) -> None:
    """Import the module of the command `args` name, or every command module when it names none
    that is known (so help and "no such command" see them all)."""
    command = named_command(args)
    modules = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else set(COMMAND_MODULES.values())
    for module in sorted(modules):
        importlib.import_module(f"ingest.cli.{module}")


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    register_commands(sys.argv[1:])
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument, bad value
        exc.show()
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err("akhbar: interrupted")
        sys.exit(130)
    except StoreError as exc:
        if debug:
            raise
        err(f"akhbar: {exc}")
        sys.exit(EXIT_CONFIG)
    except Exception as exc:
        if debug:
            raise
        err(f"akhbar: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        sys.exit(EXIT_ITEMS_FAILED)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
