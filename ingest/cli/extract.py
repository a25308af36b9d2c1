"""`akhbar extract`: the extractor on saved HTML files, without network or database."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from ingest.article import Article
from ingest.cli import EXIT_ITEMS_FAILED, EXIT_OK, app, err
from ingest.decode import decode_html
from ingest.extract import RemovedBlock
from ingest.extract import extract as run_extract
from ingest.extract.dom import MAX_HTML_BYTES


class OutputFormat(StrEnum):
    JSONL = "jsonl"
    TEXT = "text"


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Saved HTML files (raw bytes, any encoding)."),
    url: str | None = typer.Option(None, "--url", help="The URL the page was served from."),
    output: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="jsonl: one object per file."),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="Also list each block the clean-up removed and the rule that removed it (on stderr).",
    ),
) -> int:
    """Extract the clean article from saved HTML files."""
    failures = 0
    for path in files:
        try:
            with path.open("rb") as handle:
                body = handle.read(MAX_HTML_BYTES + 1)
        except OSError as exc:
            err(f"akhbar: {path}: cannot read: {exc.strerror or exc}")
            failures += 1
            continue
        if len(body) > MAX_HTML_BYTES:
            # Not read any further: a file this size is not a web page, and decoding it costs seconds.
            err(f"akhbar: {path}: no article: document too large (over {MAX_HTML_BYTES:,} bytes)")
            failures += 1
            if output is OutputFormat.JSONL:
                typer.echo(json.dumps({"source": str(path), **Article(url=url, text="").to_json()}))
            continue
        extraction = run_extract(decode_html(body), url)
        if explain:
            _explain(path, extraction.removed)
        article = extraction.article
        if article is None:
            err(f"akhbar: {path}: no article: {extraction.reason}")
            failures += 1
            article = Article(url=url, text="")
        if output is OutputFormat.JSONL:
            typer.echo(json.dumps({"source": str(path), **article.to_json()}, ensure_ascii=False))
        elif extraction.article is not None:
            typer.echo(f"# {article.title or ''}\n\n{article.text}\n")
    return EXIT_ITEMS_FAILED if failures else EXIT_OK


def _explain(path: Path, removed: list[RemovedBlock]) -> None:
    # On stderr, so that --format jsonl stays one contract object per line on stdout.
    err(f"akhbar: {path}: removed {len(removed)} block(s)")
    for block in removed:
        err(f"  [{block.rule}] {block.text}")
