"""`akhbar search`: Arabic-aware full-text search of the archive."""

from __future__ import annotations

import json
from datetime import datetime

import typer
from rich.console import Console
from rich.text import Text

from ingest.cli import EXIT_CONFIG, EXIT_OK, app, err
from ingest.cli.archive import DATE_FORMATS
from ingest.cli.common import open_store
from store.search import QueryError, SearchFilters, search


# Unknown options are query words: `akhbar search -مكتبة سينما` excludes a word, it is not an option.
@app.command("search", context_settings={"ignore_unknown_options": True})
def search_command(
    ctx: typer.Context,
    query: list[str] = typer.Argument(
        ..., help='Words to find (any spelling, with or without ال), "a phrase", -excluded.'
    ),
    site: str | None = typer.Option(None, "--site", help="Only this host, e.g. www.youm7.com."),
    since: datetime | None = typer.Option(None, "--since", formats=DATE_FORMATS, help="Published on/after."),
    until: datetime | None = typer.Option(None, "--until", formats=DATE_FORMATS, help="Published on/before."),
    language: str | None = typer.Option(None, "--language", help="Only this language code, e.g. ar."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per result (JSON lines)."),
) -> int:
    """Find articles by words or phrases, best matches first, with highlighted snippets."""
    filters = SearchFilters(
        site=site,
        since=since.date() if since else None,
        until=until.date() if until else None,
        language=language,
    )
    sessions = open_store(ctx)
    try:
        with sessions() as session:
            hits = search(session, " ".join(query), filters, limit=limit)
    except QueryError as exc:
        err(f"akhbar: {exc}")
        return EXIT_CONFIG
    if as_json:
        for hit in hits:
            typer.echo(json.dumps(hit.to_json(), ensure_ascii=False))
        return EXIT_OK
    if not hits:
        err("no matches")
        return EXIT_OK
    console = Console(highlight=False)
    for hit in hits:
        published = hit.published.date().isoformat() if hit.published else "—"
        console.print(Text(f"#{hit.article_id}  {published}  {hit.site}  {hit.title or ''}", style="bold"))
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        console.print(snippet)
        console.print(Text(hit.url, style="dim"))
        console.print()
    return EXIT_OK
