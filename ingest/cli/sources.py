"""`akhbar sources add|list`: the sites `akhbar crawl` follows, kept in sources.toml."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from ingest.cli import EXIT_CONFIG, EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import block_private_option
from ingest.discover import SiteProfile, discover_site
from ingest.fetch import Fetcher, FetchSettings
from ingest.sources import (
    Source,
    SourcesError,
    add_source,
    default_source_name,
    load_sources,
    resolve_sources_path,
    source_as_toml,
    source_name_problem,
)
from ingest.urls import url_problem
from store.db import open_engine, resolve_url, session_factory
from store.frontier import source_stats

sources_app = typer.Typer(
    help="The sites `akhbar crawl` follows, kept in sources.toml.", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")


@dataclass(frozen=True, slots=True)
class CrawlStats:
    """What the archive knows about one source; None where nothing has been recorded."""

    articles: int | None = None
    last_crawl: datetime | None = None


def crawl_stats(sources: list[Source], db: str | None) -> Mapping[str, CrawlStats]:
    """Per-source article counts and last finished crawl, by source name, from the archive at `db`
    (the --db option). An archive not created yet has no stats; listing never creates one."""
    url = resolve_url(db)
    if not sources or not _archive_exists(url):
        return {}
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            known = source_stats(session)
    finally:
        engine.dispose()
    return {
        source.name: CrawlStats(articles=stats.articles, last_crawl=stats.last_crawl)
        for source in sources
        if (stats := known.get(source.name)) is not None
    }


def _archive_exists(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True  # a server database: opening it is the way to know
    return bool(parsed.database) and Path(parsed.database).expanduser().is_file()


@sources_app.command("add")
def add(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="The site's home page, e.g. https://www.example.com/"),
    name: str | None = typer.Option(None, "--name", help="Short name for the source (default: its host)."),
    delay: float | None = typer.Option(
        None, "--delay", help="Seconds between requests to this site (default: 1; 0 allowed)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the entry without writing it."),
    block_private: bool = block_private_option(),
) -> int:
    """Discover a site's feeds, sitemaps and sections and add it to sources.toml for review."""
    path = resolve_sources_path(ctx.obj.sources)
    home = url if "://" in url else f"https://{url}"
    problem = url_problem(home)
    if problem:
        err(f"akhbar: {url}: {problem}")
        return EXIT_CONFIG
    if delay is not None and delay < 0:
        err(f"akhbar: --delay {delay:g}: must be 0 or more seconds")
        return EXIT_CONFIG
    if name is not None and source_name_problem(name):
        err(f"akhbar: --name {name!r}: {source_name_problem(name)}")
        return EXIT_CONFIG
    try:
        existing = load_sources(path, missing_ok=True)  # a broken file is reported before any request
    except SourcesError as exc:
        err(f"akhbar: {exc}")
        return EXIT_CONFIG
    parts = urlsplit(home)
    site_root = f"{parts.scheme}://{parts.netloc}/".lower()
    for other in existing:
        if other.base_url.rstrip("/").lower() + "/" == site_root:
            err(f"akhbar: {path}: {site_root} is already configured as {other.name!r}")
            return EXIT_CONFIG
    profile = asyncio.run(_profile(home, delay, FetchSettings(block_private=block_private)))
    if profile.error:
        err(f"akhbar: {profile.error}")
        return EXIT_ITEMS_FAILED
    source = profile.to_source(name or default_source_name(profile.base_url))
    if delay is not None:
        source = dataclasses.replace(source, delay=delay)
    for warning in profile.problems:
        err(f"warning: {warning}")
    if dry_run:
        typer.echo(source_as_toml(source), nl=False)
        return EXIT_OK
    try:
        add_source(path, source)
    except SourcesError as exc:
        err(f"akhbar: {exc}")
        return EXIT_CONFIG
    typer.echo(source_as_toml(source), nl=False)
    typer.echo(
        f"added {source.name!r} to {path}: {len(source.feeds)} feeds, {len(source.sitemaps)} sitemaps, "
        f"{len(source.sections)} sections. Review it (allow/deny patterns, delay) before crawling."
    )
    if not (source.feeds or source.sitemaps or source.sections):
        err("warning: no feeds, sitemaps or sections found; add them to the entry by hand")
    return EXIT_OK


@sources_app.command("list")
def list_sources(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per source, one per line."),
) -> int:
    """Show each configured source with its last crawl and article count."""
    path = resolve_sources_path(ctx.obj.sources)
    try:
        sources = load_sources(path, missing_ok=True)
    except SourcesError as exc:
        err(f"akhbar: {exc}")
        return EXIT_CONFIG
    stats = crawl_stats(sources, ctx.obj.db)
    if as_json:
        for source in sources:
            typer.echo(
                json.dumps(_as_record(source, stats.get(source.name, CrawlStats())), ensure_ascii=False)
            )
        return EXIT_OK
    if not sources:
        err(f"no sources in {path} yet; add one with `akhbar sources add URL`")
        return EXIT_OK
    _print_table(sources, stats, path)
    return EXIT_OK


async def _profile(url: str, delay: float | None, settings: FetchSettings) -> SiteProfile:
    async with Fetcher(settings) as fetcher:
        # accept=None: discovery reads robots.txt, feeds and (gzip) sitemaps, not only HTML.
        return await discover_site(url, functools.partial(fetcher.fetch, accept=None, delay=delay))


def _as_record(source: Source, stats: CrawlStats) -> dict[str, object]:
    return {
        "name": source.name,
        **source.to_toml_table(),
        "articles": stats.articles,
        "last_crawl": stats.last_crawl.isoformat() if stats.last_crawl else None,
    }


def _print_table(sources: list[Source], stats: Mapping[str, CrawlStats], path: Path) -> None:
    table = Table(title=str(path))
    table.add_column("name", no_wrap=True)
    table.add_column("site", overflow="fold")
    table.add_column("feeds/sitemaps/sections", justify="center")
    table.add_column("delay", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("last crawl")
    for source in sources:
        known = stats.get(source.name, CrawlStats())
        table.add_row(
            source.name,
            source.base_url,
            f"{len(source.feeds)}/{len(source.sitemaps)}/{len(source.sections)}",
            f"{source.delay:g}s",
            "—" if known.articles is None else str(known.articles),
            known.last_crawl.strftime("%Y-%m-%d %H:%M") if known.last_crawl else "—",
        )
    Console().print(table)
