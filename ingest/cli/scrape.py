"""`akhbar scrape`: URLs in, clean articles stored."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import typer

from ingest.cli import EXIT_CONFIG, EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import block_private_option, open_store
from ingest.fetch import FetchSettings
from ingest.pipeline import scrape as run_scrape


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
    if not wanted:
        err("akhbar: no URLs given (pass URLs, '-' for stdin, or --from-file)")
        return EXIT_CONFIG
    outcomes = run_scrape(
        wanted, open_store(ctx), FetchSettings(obey_robots=not ignore_robots, block_private=block_private)
    )
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
        lines.extend(sys.stdin.read().splitlines() if arg == "-" else [arg])
    if from_file is not None:
        text = sys.stdin.read() if str(from_file) == "-" else from_file.read_text(encoding="utf-8")
        lines.extend(text.splitlines())
    seen: dict[str, None] = {}
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            seen.setdefault(url, None)
    return list(seen)
