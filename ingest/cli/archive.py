"""Reading the archive back and looking after it: `akhbar list`, `akhbar show`, `akhbar db`."""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

from ingest.article import CONTRACT_KEYS
from ingest.cli import EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import open_store
from store.articles import (
    find_article,
    latest_articles,
    near_duplicates_of,
    revisions_of,
    row_to_article,
    urls_of,
)
from store.db import open_and_upgrade, redacted, resolve_url, schema_status
from store.schema import RevisionRow

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def as_utc(value: datetime | None) -> datetime | None:
    """Dates given on the command line are UTC unless they say otherwise."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@app.command("list")
def list_articles(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many articles to show."),
    site: str | None = typer.Option(None, "--site", help="Only this host, e.g. www.youm7.com."),
) -> int:
    """Show the latest stored articles."""
    sessions = open_store(ctx)
    with sessions() as session:
        rows = latest_articles(session, limit=limit, site=site)
    table = Table("id", "published", "site", "title")
    for row in rows:
        published = row.published.date().isoformat() if row.published else "—"
        table.add_row(str(row.id), published, row.site, row.title or "")
    Console().print(table)
    return EXIT_OK


@app.command()
def show(
    ctx: typer.Context,
    id_or_url: str = typer.Argument(..., help="Article id (from `akhbar list`) or any of its URLs."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    revisions: bool = typer.Option(
        False, "--revisions", help="Also show every stored revision and what changed between them."
    ),
) -> int:
    """Print one article's metadata and clean text."""
    sessions = open_store(ctx)
    with sessions() as session:
        row = find_article(session, id_or_url)
        if row is None:
            err(f"akhbar: no stored article {id_or_url!r}")
            return EXIT_ITEMS_FAILED
        article = row_to_article(row)
        urls = urls_of(session, row.id)
        history = revisions_of(session, row.id)
        siblings = [(other.id, other.site, other.url) for other in near_duplicates_of(session, row)]
        article_id, site, first_seen, last_fetched = row.id, row.site, row.first_seen, row.last_fetched
    if as_json:
        record = {
            "id": article_id,
            **article.to_json(),
            "site": site,
            "urls": urls,
            "first_seen": first_seen.isoformat(),
            "last_fetched": last_fetched.isoformat(),
            "revision_count": len(history),
            "near_duplicates": [{"id": i, "site": s, "url": u} for i, s, u in siblings],
        }
        if revisions:
            record["revisions"] = [_revision_json(revision) for revision in history]
        typer.echo(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    fields = article.to_json()
    for key in ("title", *(key for key in CONTRACT_KEYS if key not in ("title", "text"))):
        value = fields[key]
        if isinstance(value, list):
            value = "، ".join(value)
        typer.echo(f"{key:>13}: {value if value not in (None, '') else '—'}")
    typer.echo(f"{'first_seen':>13}: {first_seen.isoformat()}")
    typer.echo(f"{'last_fetched':>13}: {last_fetched.isoformat()}")
    typer.echo(f"{'revisions':>13}: {len(history)}")
    if len(urls) > 1:
        typer.echo(f"{'seen under':>13}: {urls[0]}")
        for url in urls[1:]:
            typer.echo(f"{'':>13}  {url}")
    for other_id, other_site, other_url in siblings:
        typer.echo(f"{'near-dup':>13}: #{other_id} {other_site} {other_url}")
    typer.echo("")
    typer.echo(article.text)
    if revisions:
        _print_revisions(history)
    return EXIT_OK


def _revision_json(revision: RevisionRow) -> dict[str, object]:
    return {
        "number": revision.number,
        "recorded_at": revision.recorded_at.isoformat(),
        "title": revision.title,
        "text": revision.text,
    }


def _print_revisions(history: list[RevisionRow]) -> None:
    previous: RevisionRow | None = None
    for revision in history:
        typer.echo("")
        typer.echo(
            f"── revision {revision.number}  {revision.recorded_at.isoformat()}  {revision.title or ''}"
        )
        if previous is not None:
            for line in revision_diff(previous, revision):
                colour = {"+": "green", "-": "red"}.get(line[:1])
                typer.echo(typer.style(line, fg=colour) if colour else line)
        previous = revision


def revision_diff(old: RevisionRow, new: RevisionRow) -> list[str]:
    """A unified diff of title and paragraphs, without the ---/+++ file header lines."""
    before = [f"# {old.title or ''}", *old.text.splitlines()]
    after = [f"# {new.title or ''}", *new.text.splitlines()]
    lines = difflib.unified_diff(
        before, after, f"revision {old.number}", f"revision {new.number}", lineterm=""
    )
    return [line for line in lines if not line.startswith(("---", "+++"))]


db_app = typer.Typer(
    help="Look after the archive database: schema version and upgrades.", no_args_is_help=True
)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> int:
    """Bring the database schema up to this version (SQLite databases are backed up first)."""
    url = resolve_url(ctx.obj.db)
    engine, report = open_and_upgrade(url)
    engine.dispose()
    where = redacted(url)
    if not report.changed:
        typer.echo(f"{where}: schema {report.after}, up to date")
    elif report.before is None:
        typer.echo(f"{where}: created at schema {report.after}")
    else:
        typer.echo(f"{where}: upgraded from schema {report.before} to {report.after}")
        if report.backup:
            typer.echo(f"backup of the old database: {report.backup}")
    return EXIT_OK


@db_app.command("status")
def db_status(ctx: typer.Context) -> int:
    """Show the database's schema version and this akhbar's, without changing anything."""
    url = resolve_url(ctx.obj.db)
    current, head = schema_status(url)
    state = "up to date" if current == head else "needs `akhbar db upgrade`" if current else "empty"
    typer.echo(f"{redacted(url)}: schema {current or '—'}, this akhbar {head}: {state}")
    return EXIT_OK
