"""`akhbar worker`: drain the shared frontier beside other workers until stopped (PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import timedelta
from pathlib import Path

import typer

from ingest.cli import EXIT_CONFIG, EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import block_private_option, chosen_sources, extraction_workers_set_right, open_store
from ingest.fetch import FetchSettings
from ingest.worker import StopSignal, WorkerOptions, WorkerReport, run_worker

log = logging.getLogger("ingest")


@app.command()
def worker(
    ctx: typer.Context,
    source: list[str] = typer.Option(None, "--source", help="Fetch only this source's URLs (repeatable)."),
    concurrency: int = typer.Option(
        16, "--concurrency", min=1, help="Pages in flight at once in this worker."
    ),
    per_source: int = typer.Option(
        8,
        "--per-source",
        min=1,
        help="Claims of one source held at once (the rest is left to other workers).",
    ),
    lease: float = typer.Option(
        600.0,
        "--lease",
        min=1.0,
        help="Seconds a claim lasts unless renewed; a dead worker's URLs return after it.",
    ),
    exit_when_idle: bool = typer.Option(
        False, "--exit-when-idle", help="Exit once nothing is due or claimed instead of waiting for more."
    ),
    grace: float = typer.Option(
        30.0, "--grace", min=0.0, help="Seconds pages in flight get to finish after SIGTERM/SIGINT."
    ),
    poll: float = typer.Option(5.0, "--poll", min=0.1, help="Seconds between looks at an empty queue."),
    log_file: Path | None = typer.Option(None, "--log-file", help="Write the log here instead of stderr."),
    block_private: bool = block_private_option(),
) -> int:
    """Fetch and store due URLs from the shared frontier until stopped (many may run at once).

    Needs PostgreSQL; `akhbar crawl --discover-only` (from cron) keeps the frontier filled.
    """
    sessions = open_store(ctx)
    engine = sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        err(
            "akhbar: worker needs a PostgreSQL database shared by the workers (--db postgresql://…); "
            "on SQLite, `akhbar crawl` discovers and fetches in one process"
        )
        return EXIT_CONFIG
    sources = chosen_sources(ctx, source)
    if sources is None:
        return EXIT_CONFIG
    if not extraction_workers_set_right():
        return EXIT_CONFIG
    try:
        handler: logging.Handler = (
            logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
        )
    except OSError as exc:
        err(f"akhbar: --log-file {log_file}: {exc.strerror or exc}")
        return EXIT_CONFIG
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("ingest")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False
    options = WorkerOptions(
        concurrency=concurrency,
        per_source=per_source,
        lease=timedelta(seconds=lease),
        poll=poll,
        exit_when_idle=exit_when_idle,
        grace=grace,
        fetch=FetchSettings(block_private=block_private),
    )
    try:
        report = asyncio.run(_run(sources, sessions, options))
    finally:
        logger.removeHandler(handler)
        handler.close()
    pages = sum(report.outcomes.values())
    typer.echo(
        f"{pages} pages: "
        + ", ".join(f"{report.outcomes[k]} {k}" for k in ("stored", "updated", "unchanged", "failed"))
        + (f"; {report.released} claims handed back" if report.released else "")
    )
    # Stopped by a signal is how a service ends: 0. A batch run (--exit-when-idle) reports failures.
    return EXIT_ITEMS_FAILED if exit_when_idle and report.failed else EXIT_OK


async def _run(sources, sessions, options: WorkerOptions) -> WorkerReport:
    stop = StopSignal()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _on_signal, stop)
    return await run_worker(sources, sessions, options, signal=stop)


def _on_signal(stop: StopSignal) -> None:
    if stop.stop.is_set():
        log.warning("second signal: abandoning pages in flight, handing their claims back")
    else:
        log.warning("stopping: no new claims; pages in flight finish (signal again to stop at once)")
    stop.request()
