"""`akhbar scrape`: URLs in, clean articles stored."""

from __future__ import annotations

import codecs
import sys
from collections import Counter
from pathlib import Path

import typer

from ingest.cli import EXIT_CONFIG, EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import block_private_option, open_store, sources_settings
from ingest.fetch import USER_AGENT, FetchSettings, Politeness
from ingest.pipeline import scrape as run_scrape


class UrlListError(Exception):
    """A URL list that is not UTF-8 text."""


@app.command()
def scrape(
    ctx: typer.Context,
    urls: list[str] = typer.Argument(None, help="Article URLs; '-' reads URLs from stdin."),
    from_file: Path | None = typer.Option(
        None, "--from-file", help="A file with one URL per line ('-' for stdin)."
    ),
    ignore_robots: bool = typer.Option(
        False, "--ignore-robots", help="Do not obey robots.txt (says so on stderr; use with care)."
    ),
    block_private: bool = block_private_option(),
) -> int:
    """Fetch article pages, extract the clean article and store it."""
    try:
        wanted = _collect_urls(urls or [], from_file)
    except OSError as exc:
        err(f"akhbar: cannot read URL list: {exc.strerror or exc}: {exc.filename}")
        return EXIT_CONFIG
    except UrlListError as exc:
        err(f"akhbar: cannot read URL list: {exc}")
        return EXIT_CONFIG
    if not wanted:
        err("akhbar: no URLs given (pass URLs, '-' for stdin, or --from-file)")
        return EXIT_CONFIG
    config = sources_settings(ctx)
    if config is None:
        return EXIT_CONFIG
    # A URL of a followed site goes at its source's delay and User-Agent, any other at the defaults.
    settings = FetchSettings(
        user_agent=config.user_agent or USER_AGENT,
        host_delay=config.delay,
        obey_robots=not ignore_robots,
        block_private=block_private,
    )
    politeness = {
        url: Politeness(source.delay, source.user_agent)
        for url in wanted
        if (source := config.source_of(url)) is not None
    }
    outcomes = run_scrape(wanted, open_store(ctx), settings, politeness)
    for outcome in outcomes:
        if outcome.failed:
            err(f"failed     {outcome.url}  {outcome.reason}")
        else:
            typer.echo(f"{outcome.outcome:<10} {outcome.url}  {outcome.title or ''}".rstrip())
    counts = Counter(o.outcome for o in outcomes)
    summary = ", ".join(f"{counts[k]} {k}" for k in ("stored", "updated", "unchanged", "failed"))
    typer.echo(f"{len(outcomes)} URLs: {summary}")
    return EXIT_ITEMS_FAILED if counts["failed"] else EXIT_OK


def _collect_urls(args: list[str], from_file: Path | None) -> list[str]:
    lines: list[str] = []
    for arg in args:
        lines.extend(_read_list(None).splitlines() if arg == "-" else [arg])
    if from_file is not None:
        lines.extend(_read_list(None if str(from_file) == "-" else from_file).splitlines())
    seen: dict[str, None] = {}
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            seen.setdefault(url, None)
    return list(seen)


def _read_list(path: Path | None) -> str:
    """A URL list from `path` or stdin (None): UTF-8, a leading byte-order mark dropped.

    Read as bytes: text-mode stdin would smuggle undecodable bytes through as surrogates.
    """
    data = sys.stdin.buffer.read() if path is None else path.read_bytes()
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = "stdin" if path is None else str(path)
        raise UrlListError(
            f"{where}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None
