"""Reading the archive back: `akhbar list` and `akhbar show`."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from ingest.cli import EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.common import open_store
from store.articles import find_article, latest_articles, row_to_article


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
) -> int:
    """Print one article's metadata and clean text."""
    sessions = open_store(ctx)
    with sessions() as session:
        row = find_article(session, id_or_url)
        if row is None:
            err(f"akhbar: no stored article {id_or_url!r}")
            return EXIT_ITEMS_FAILED
        article = row_to_article(row)
        article_id, site, first_seen, last_fetched = row.id, row.site, row.first_seen, row.last_fetched
    if as_json:
        record = {
            "id": article_id,
            **article.to_json(),
            "site": site,
            "first_seen": first_seen.isoformat(),
            "last_fetched": last_fetched.isoformat(),
        }
        typer.echo(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    fields = article.to_json()
    for key in (
        "title",
        "url",
        "canonical_url",
        "published",
        "modified",
        "authors",
        "section",
        "tags",
        "image",
        "language",
        "site_name",
    ):
        value = fields[key]
        if isinstance(value, list):
            value = "، ".join(value)
        typer.echo(f"{key:>13}: {value if value not in (None, '') else '—'}")
    typer.echo("")
    typer.echo(article.text)
    return EXIT_OK
