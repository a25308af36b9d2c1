"""The `akhbar` command: global options here, each command group in its own module."""

from __future__ import annotations

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


# Command modules register themselves on `app` when imported.
from ingest.cli import archive, crawl, export, extract, fetches, reextract, scrape, search  # noqa: E402,F401
from ingest.cli import sources as sources_commands  # noqa: E402,F401
from ingest.cli import status as status_command  # noqa: E402,F401
from ingest.cli import worker as worker_command  # noqa: E402,F401


def main() -> None:
    debug = "--debug" in sys.argv[1:]
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
