"""`akhbar export`: the archive as JSONL, CSV or WARC, streamed."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from ingest.cli import EXIT_CONFIG, EXIT_OK, app, err
from ingest.cli.archive import DATE_FORMATS, as_utc
from ingest.cli.common import open_store
from store.export import article_records, write_csv, write_jsonl, write_warc


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    WARC = "warc"


@app.command()
def export(
    ctx: typer.Context,
    output_format: ExportFormat = typer.Option(ExportFormat.JSONL, "--format", help="jsonl, csv or warc."),
    since: datetime | None = typer.Option(
        None, "--since", formats=DATE_FORMATS, help="Only articles (warc: pages) fetched on/after (UTC)."
    ),
    site: str | None = typer.Option(None, "--site", help="Only this host, e.g. www.youm7.com."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
) -> int:
    """Export one row per article (jsonl, csv) or the raw pages as fetched (warc, gzipped per record).

    jsonl/csv columns: the `akhbar extract --format jsonl` keys except `source` (`url` is the URL
    the article was last fetched from), then id, site, urls, first_seen, last_fetched,
    revision_count and cluster_id (articles sharing it are near-duplicates).
    """
    sessions = open_store(ctx)
    since = as_utc(since)
    with ExitStack() as stack:
        try:
            if output_format is ExportFormat.WARC:
                out = stack.enter_context(output.open("wb")) if output else sys.stdout.buffer
            else:
                out = (
                    stack.enter_context(output.open("w", encoding="utf-8", newline=""))
                    if output
                    else sys.stdout
                )
        except OSError as exc:
            err(f"akhbar: cannot write {output}: {exc.strerror or exc}")
            return EXIT_CONFIG
        session = stack.enter_context(sessions())
        if output_format is ExportFormat.WARC:
            gzip = output is None or not output.name.endswith(".warc")
            count = write_warc(session, out, since=since, site=site, gzip=gzip)
            noun = "pages"
        else:
            records = article_records(session, since=since, site=site)
            count = (write_jsonl if output_format is ExportFormat.JSONL else write_csv)(records, out)
            noun = "articles"
    if output is not None:
        err(f"{count} {noun} written to {output}")
    return EXIT_OK
