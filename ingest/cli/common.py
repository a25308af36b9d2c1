"""What several commands share: opening the store from the global options."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session, sessionmaker

from ingest.cli import err
from ingest.sources import (
    Source,
    SourcesError,
    SourcesFile,
    load_sources,
    load_sources_file,
    resolve_sources_path,
    sources_named,
)
from store.db import open_engine, resolve_url, session_factory


def block_private_option() -> bool:
    """`--block-private`, alike on every command that fetches (crawl, scrape, worker, sources add)."""
    return typer.Option(
        False,
        "--block-private",
        help="Refuse URLs, links and redirects whose host resolves to a private, loopback or reserved"
        " address.",
    )


def open_store(ctx: typer.Context) -> sessionmaker[Session]:
    return session_factory(open_engine(resolve_url(ctx.obj.db)))


def chosen_sources(ctx: typer.Context, names: list[str] | None) -> list[Source] | None:
    """The sources in sources.toml (only those `names` when given), or None after a one-line error."""
    path = resolve_sources_path(ctx.obj.sources)
    try:
        sources = load_sources(path)
    except SourcesError as exc:
        err(f"akhbar: {exc}")
        return None
    if names:
        sources, unknown = sources_named(sources, names)
        if unknown:
            err(f"akhbar: {path}: no source named {', '.join(map(repr, unknown))}")
            return None
    if not sources:
        err(f"akhbar: {path}: no sources (add one with `akhbar sources add URL`)")
        return None
    return sources


def sources_settings(ctx: typer.Context) -> SourcesFile | None:
    """sources.toml for a command that can do without it, or None after a one-line error: a file
    named by --sources / AKHBAR_SOURCES must exist, the default one may be absent (no sources, no
    defaults); an unreadable or invalid file is an error either way."""
    path = resolve_sources_path(ctx.obj.sources)
    try:
        return load_sources_file(path, missing_ok=not ctx.obj.sources)
    except SourcesError as exc:
        err(f"akhbar: {exc}")
        return None


def extraction_workers_set_right() -> bool:
    """False after a one-line error when AKHBAR_EXTRACT_WORKERS is not a worker count: checked
    before a pass starts, so a bad value is a configuration error and not a pass that fails."""
    # Imported here: the extraction pool imports the whole pipeline, which the commands that share
    # this module without fetching (list, show, search, export) do without.
    from ingest.extract_pool import default_workers

    try:
        default_workers()
    except ValueError as exc:
        err(f"akhbar: {exc}")
        return False
    return True
