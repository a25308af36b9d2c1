"""`akhbar fetches`: the fetch log, to audit a run (`--failed` shows what went wrong and why)."""

from __future__ import annotations

import json

import typer

from ingest.cli import EXIT_OK, app, err
from ingest.cli.common import open_store
from store.fetchlog import recent_fetches
from store.schema import FetchRow


@app.command()
def fetches(
    ctx: typer.Context,
    failed: bool = typer.Option(
        False, "--failed", help="Only fetches that failed, were disallowed by robots.txt or deferred."
    ),
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="How many fetches to show, newest first."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> int:
    """Show the newest fetches: when, outcome, HTTP status, bytes, seconds, URL and the reason."""
    with open_store(ctx)() as session:
        rows = recent_fetches(session, failed_only=failed, limit=limit)
    if not rows and not as_json:
        err("akhbar: no failed fetches recorded" if failed else "akhbar: no fetches recorded")
    for row in rows:
        typer.echo(json.dumps(_record(row), ensure_ascii=False) if as_json else _line(row))
    return EXIT_OK


def _record(row: FetchRow) -> dict[str, object]:
    return {
        "fetched_at": row.fetched_at.isoformat(),
        "url": row.url,
        "final_url": row.final_url,
        "status": row.status,
        "bytes": row.bytes,
        "elapsed": row.elapsed,
        "outcome": row.outcome,
        "error": row.error,
    }


def _line(row: FetchRow) -> str:
    when = row.fetched_at.strftime("%Y-%m-%d %H:%M:%S")
    status = str(row.status) if row.status is not None else "—"
    moved = f" -> {row.final_url}" if row.final_url and row.final_url != row.url else ""
    reason = f"  {row.error}" if row.error else ""
    figures = f"{status:>3} {row.bytes:>9} B {row.elapsed:6.2f} s"
    return f"{when}  {row.outcome:<10} {figures}  {row.url}{moved}{reason}"
