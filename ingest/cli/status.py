"""`akhbar status`: the shared frontier and the workers draining it, at a glance (or as JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import typer
from rich.console import Console
from rich.table import Table

from ingest.cli import EXIT_OK, app
from ingest.cli.common import open_store
from store.workers import QueueState, WorkerState, queue_state, throughput, workers

# Workers beat every 10 s at most; one silent for this long is presumed dead (its leases will end).
SILENT_AFTER = timedelta(seconds=60)
WINDOWS = (1, 5, 15)  # minutes of throughput shown


@app.command()
def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> int:
    """Queue depth, due URLs, workers with their last heartbeat, and pages per minute lately."""
    sessions = open_store(ctx)
    now = datetime.now(UTC)
    with sessions() as session:
        queue = queue_state(session, now)
        known = workers(session)
        rates = {minutes: throughput(session, now, minutes) for minutes in WINDOWS}
    if as_json:
        typer.echo(json.dumps(_as_json(queue, known, rates, now), ensure_ascii=False))
        return EXIT_OK
    console = Console(width=120)
    console.print(
        f"queue: {queue.urls} URLs, {queue.due} due now, {queue.claimed} claimed, "
        f"{queue.scheduled} scheduled later",
        highlight=False,
    )
    console.print(
        "throughput: "
        + ", ".join(
            f"{pages / minutes:.1f} pages/min over {minutes} min" for minutes, (pages, _) in rates.items()
        ),
        highlight=False,
    )
    running = [w for w in known if _state(w, now) != "stopped"]
    console.print(f"workers: {sum(_state(w, now) == 'running' for w in known)} running", highlight=False)
    if known:
        table = Table(show_edge=False)
        for column in ("worker", "state", "last heartbeat", "started", "pages", "failed", "claimed"):
            table.add_column(column, justify="left" if column in ("worker", "state") else "right")
        for w in running + [w for w in known if w not in running]:
            table.add_row(
                w.name,
                _state(w, now),
                f"{_seconds(now - w.heartbeat_at)} ago",
                f"{_seconds(now - w.started_at)} ago",
                str(w.pages),
                str(w.failed),
                str(w.claimed),
            )
        console.print(table)
    return EXIT_OK


def _state(worker: WorkerState, now: datetime) -> str:
    if worker.stopped_at is not None:
        return "stopped"
    return "running" if now - worker.heartbeat_at <= SILENT_AFTER else "silent"


def _seconds(span: timedelta) -> str:
    seconds = max(int(span.total_seconds()), 0)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _as_json(
    queue: QueueState, known: list[WorkerState], rates: dict[int, tuple[int, int]], now: datetime
) -> dict[str, object]:
    return {
        "at": now.isoformat(),
        "queue": {
            "urls": queue.urls,
            "due": queue.due,
            "claimed": queue.claimed,
            "scheduled": queue.scheduled,
        },
        "throughput": [
            {
                "minutes": minutes,
                "pages": pages,
                "failed": failed,
                "pages_per_minute": round(pages / minutes, 2),
            }
            for minutes, (pages, failed) in rates.items()
        ],
        "workers": [
            {
                "name": w.name,
                "hostname": w.hostname,
                "pid": w.pid,
                "state": _state(w, now),
                "started_at": w.started_at.isoformat(),
                "heartbeat_at": w.heartbeat_at.isoformat(),
                "stopped_at": w.stopped_at.isoformat() if w.stopped_at else None,
                "pages": w.pages,
                "failed": w.failed,
                "claimed": w.claimed,
            }
            for w in known
        ],
    }
