"""`akhbar reextract`: rebuild stored articles from their raw pages with the current extractor."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import typer

from ingest.cli import EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.cli.archive import DATE_FORMATS, as_utc
from ingest.cli.common import open_store
from ingest.decode import decode_html
from ingest.extract import extract
from store.articles import save_article
from store.captures import StoredCapture, body_of, captures_query, iter_captures


@app.command()
def reextract(
    ctx: typer.Context,
    since: datetime | None = typer.Option(
        None, "--since", formats=DATE_FORMATS, help="Only pages fetched on/after (UTC)."
    ),
    site: str | None = typer.Option(None, "--site", help="Only this host, e.g. www.youm7.com."),
) -> int:
    """Run the extractor again on the newest stored page of every URL; changed text makes a revision."""
    sessions = open_store(ctx)
    counts: Counter[str] = Counter()
    query = captures_query(since=as_utc(since), site=site, latest_per_url=True)
    with sessions() as reader, sessions() as writer:
        for capture in iter_captures(reader, query):
            body = body_of(reader, capture)
            content_type = {k.lower(): v for k, v in capture.response_headers.items()}.get("content-type")
            extraction = extract(decode_html(body, content_type), capture.final_url)
            if extraction.article is None:
                counts["failed"] += 1
                err(f"failed     {capture.final_url}  no article: {extraction.reason}")
                continue
            outcome, row = save_article(
                writer,
                extraction.article,
                capture.final_url,
                stored_capture=StoredCapture(capture.id, capture.fetched_at),
            )
            counts[outcome.value] += 1
            if outcome.value != "unchanged":
                typer.echo(f"{outcome.value:<10} {capture.final_url}  {row.title or ''}".rstrip())
    summary = ", ".join(f"{counts[k]} {k}" for k in ("stored", "updated", "unchanged", "failed"))
    typer.echo(f"{counts.total()} pages re-extracted: {summary}")
    return EXIT_ITEMS_FAILED if counts["failed"] else EXIT_OK
