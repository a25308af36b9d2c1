"""`akhbar crawl`: one incremental pass over the followed sites, made for cron."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import DBAPIError

from ingest.cli import EXIT_CONFIG, EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import block_private_option, chosen_sources, extraction_workers_set_right, open_store
from ingest.crawl import CrawlOptions, CrawlReport, SourceReport
from ingest.crawl import Progress as CrawlProgress
from ingest.crawl import crawl as run_crawl
from ingest.fetch import FetchSettings
from ingest.pipeline import PageOutcome
from store.db import describe_failure
from store.frontier import CrawlLocked, crawl_lock

log = logging.getLogger("ingest")
EXIT_INTERRUPTED = 130  # what a shell reports for Ctrl-C
_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


@app.command()
def crawl(
    ctx: typer.Context,
    source: list[str] = typer.Option(None, "--source", help="Crawl only this source (repeatable)."),
    max_pages: int | None = typer.Option(
        None, "--max-pages", min=1, help="Fetch at most this many pages in this pass."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Skip listed items dated before this: a date (2025-01-31) or an age (2d, 12h)."
    ),
    wait: bool = typer.Option(False, "--wait", help="If another crawl is running, wait for it to end."),
    log_file: Path | None = typer.Option(None, "--log-file", help="Write the log here instead of stderr."),
    discover_only: bool = typer.Option(
        False, "--discover-only", help="Only find new URLs and queue them; `akhbar worker`s fetch them."
    ),
    block_private: bool = block_private_option(),
) -> int:
    """Discover new and changed articles on every followed site and store them (for cron)."""
    try:
        since_moment = parse_since(since) if since else None
    except ValueError as exc:
        err(f"akhbar: --since {since!r}: {exc}")
        return EXIT_CONFIG
    sources = chosen_sources(ctx, source)
    if sources is None:
        return EXIT_CONFIG
    if not extraction_workers_set_right():
        return EXIT_CONFIG
    try:
        handler = _log_handler(log_file)
    except OSError as exc:
        err(f"akhbar: --log-file {log_file}: {exc.strerror or exc}")
        return EXIT_CONFIG
    sessions = open_store(ctx)
    engine = sessions.kw["bind"]
    interactive = log_file is None and sys.stderr.isatty()
    _configure_logging(handler)
    # cron and systemd stop a job with SIGTERM: wind down like Ctrl-C, handing claims back.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with crawl_lock(engine, wait=wait):
            options = CrawlOptions(
                max_pages=max_pages,
                since=since_moment,
                # With the lock held on SQLite no other crawler exists: claims left are a killed run's.
                reclaim_all=engine.dialect.name == "sqlite",
                discover_only=discover_only,
                shared_politeness=engine.dialect.name == "postgresql",
                fetch=FetchSettings(block_private=block_private),
            )
            report = _run(sources, sessions, options, interactive)
    except CrawlLocked as exc:
        typer.echo(f"akhbar: {exc}; not crawling (use --wait to wait for it)", err=True)
        return EXIT_OK
    except KeyboardInterrupt:
        err("akhbar: crawl interrupted; what was stored is kept, the next crawl resumes the rest")
        return EXIT_INTERRUPTED
    except DBAPIError as exc:
        # The disk filled up, the file system went read-only, the server went away for good: each
        # article is its own transaction, so what was stored is whole and the next run goes on.
        if ctx.obj.debug:
            raise
        err(f"akhbar: {describe_failure(engine, exc)}; crawl stopped, what was stored is kept")
        return EXIT_CONFIG
    finally:
        logging.getLogger("ingest").removeHandler(handler)
        handler.close()
    _print_summary(report)
    for name in report.unreadable:
        err(f"akhbar: {name}: none of its feeds, sitemaps or sections could be read")
    return EXIT_ITEMS_FAILED if report.failed or report.unreadable else EXIT_OK


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or an age: 12h, 2d, 1w."""
    text = value.strip()
    if relative := _RELATIVE.match(text):
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[relative[2]]: int(relative[1])})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date (2025-01-31, 2025-01-31T08:00+03:00) or an age (12h, 2d, 1w)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _log_handler(log_file: Path | None) -> logging.Handler:
    if log_file is not None:
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    elif sys.stderr.isatty():
        # Per-page lines would scroll the progress display away: only warnings on a terminal.
        handler = RichHandler(console=Console(stderr=True), show_path=False, level=logging.WARNING)
        return handler
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def _configure_logging(handler: logging.Handler) -> None:
    logger = logging.getLogger("ingest")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False


def _run(sources, sessions, options: CrawlOptions, interactive: bool) -> CrawlReport:
    if not interactive:
        return asyncio.run(run_crawl(sources, sessions, options))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        tasks = {s.name: bar.add_task(f"{s.name} (discovering)", total=None, counts="") for s in sources}
        counts: dict[str, dict[str, int]] = {s.name: {} for s in sources}

        def discovered(name: str, report: SourceReport) -> None:
            bar.update(tasks[name], description=f"{name} ({report.discovered} new URLs)", total=report.due)

        def page(name: str, outcome: PageOutcome) -> None:
            tally = counts[name]
            tally[outcome.outcome] = tally.get(outcome.outcome, 0) + 1
            bar.update(tasks[name], advance=1, counts=" ".join(f"{k} {v}" for k, v in sorted(tally.items())))

        return asyncio.run(run_crawl(sources, sessions, options, progress=CrawlProgress(discovered, page)))


def _print_summary(report: CrawlReport) -> None:
    for name, source in report.sources.items():
        for failure in source.failures:
            err(f"failed     {failure.url}  {failure.reason}")
        for problem in source.problems:
            err(f"warning: {name}: {problem}")
    table = Table(title="crawl summary", show_edge=False)
    for column in ("source", "new URLs", "stored", "updated", "unchanged", "failed"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for name, source in report.sources.items():
        table.add_row(name, str(source.discovered), *(str(source.outcomes[k]) for k in _KINDS))
    Console(width=100).print(table)
    totals = {k: sum(s.outcomes[k] for s in report.sources.values()) for k in _KINDS}
    typer.echo(f"{report.pages} pages: " + ", ".join(f"{totals[k]} {k}" for k in _KINDS))


_KINDS = ("stored", "updated", "unchanged", "failed")
