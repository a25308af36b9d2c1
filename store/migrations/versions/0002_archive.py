"""The archive: sites, URL aliases, revisions, raw pages (zstd), near-dup bands, Arabic search index.

Backfills what 0.1.0 databases lack: every article gets its URLs, revision 1, its folded-text
hash, MinHash bands, a cluster and a search-index entry.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from ingest.arabic import words
from ingest.urls import canonical_url
from store import dedup
from store.search import index_terms, terms_of_words

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("host", sa.String(255), primary_key=True),
        sa.Column("name", sa.Text()),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("text_hash", sa.String(64)))
        batch.add_column(sa.Column("minhash", sa.LargeBinary()))
        batch.add_column(sa.Column("cluster_id", sa.Integer()))
        batch.create_index("ix_articles_text_hash", ["text_hash"])
        batch.create_index("ix_articles_cluster_id", ["cluster_id"])
        # Nothing looks articles up by content_hash (revisions compare it row by row); the index
        # only cost a random page write per article.
        batch.drop_index("ix_articles_content_hash")
    op.create_table(
        "article_urls",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_article_urls_article_id", "article_urls", ["article_id"])
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("zstd", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("final_url", sa.String(2048), nullable=False),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("request_headers", sa.JSON(), nullable=False),
        sa.Column("response_headers", sa.JSON(), nullable=False),
        sa.Column("body_sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL")),
    )
    op.create_index("ix_captures_site", "captures", ["site"])
    op.create_index("ix_captures_fetched_at", "captures", ["fetched_at"])
    op.create_index("ix_captures_article_id", "captures", ["article_id"])
    op.create_index("ix_captures_final_url", "captures", ["final_url"])
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capture_id", sa.Integer(), sa.ForeignKey("captures.id", ondelete="SET NULL")),
        sa.UniqueConstraint("article_id", "number"),
    )
    op.create_table(
        "minhash_bands",
        sa.Column("band_key", sa.BigInteger(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_minhash_bands_article_id", "minhash_bands", ["article_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE article_search (article_id INTEGER PRIMARY KEY"
            " REFERENCES articles(id) ON DELETE CASCADE, document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_document ON article_search USING GIN (document)")
    else:
        # The terms are folded and stemmed before they reach FTS5, whose tokenizer then only splits on
        # spaces. Contentless: the text lives in `articles`, snippets are made from there.
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5(title, body, content = '', tokenize = 'ascii')"
        )
    _backfill()


def _backfill() -> None:
    """Give articles stored by 0.1.0 what 0002 adds. Written against the tables of this revision."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    articles = sa.table(
        "articles",
        sa.column("id"),
        sa.column("canonical_url"),
        sa.column("url"),
        sa.column("site"),
        sa.column("site_name"),
        sa.column("title"),
        sa.column("text"),
        sa.column("content_hash"),
        sa.column("first_seen"),
        sa.column("last_fetched"),
    )
    rows = bind.execute(sa.select(articles).order_by(articles.c.id)).all()
    seen_urls: set[str] = set()
    seen_sites: set[str] = set()
    signatures: dict[int, object] = {}
    bands: dict[int, int] = {}
    for row in rows:
        first_seen = row.first_seen or datetime.now(UTC)
        if row.site not in seen_sites:
            seen_sites.add(row.site)
            bind.execute(
                sa.text("INSERT INTO sites (host, name, first_seen) VALUES (:h, :n, :f)"),
                {"h": row.site, "n": row.site_name, "f": first_seen},
            )
        for url in {canonical_url(row.canonical_url), canonical_url(row.url)} - seen_urls:
            seen_urls.add(url)
            bind.execute(
                sa.text("INSERT INTO article_urls (url, article_id, first_seen) VALUES (:u, :a, :f)"),
                {"u": url, "a": row.id, "f": first_seen},
            )
        bind.execute(
            sa.text(
                "INSERT INTO article_revisions (article_id, number, title, text, content_hash, recorded_at)"
                " VALUES (:a, 1, :t, :x, :h, :r)"
            ),
            {"a": row.id, "t": row.title, "x": row.text, "h": row.content_hash, "r": row.last_fetched},
        )
        folded = words(row.text)
        signature = dedup.signature(folded)
        keys = dedup.band_keys(signature)
        cluster = None
        for key in keys:
            other = bands.get(key)
            if other is not None and dedup.similarity(signature, signatures[other]) >= dedup.NEAR_DUP_JACCARD:
                cluster = other
                break
        signatures[row.id] = signature
        for key in keys:
            bands.setdefault(key, cluster or row.id)
            bind.execute(
                sa.text("INSERT INTO minhash_bands (band_key, article_id) VALUES (:k, :a)"),
                {"k": key, "a": row.id},
            )
        bind.execute(
            sa.text("UPDATE articles SET text_hash = :h, minhash = :m, cluster_id = :c WHERE id = :a"),
            {
                "h": dedup.text_hash(folded),
                "m": dedup.signature_to_bytes(signature),
                "c": cluster,
                "a": row.id,
            },
        )
        title, body = " ".join(index_terms(row.title or "")), " ".join(terms_of_words(folded))
        if postgres:
            bind.execute(
                sa.text(
                    "INSERT INTO article_search (article_id, document) VALUES (:a,"
                    " setweight(to_tsvector('simple', :t), 'A') || to_tsvector('simple', :b))"
                ),
                {"a": row.id, "t": title, "b": body},
            )
        else:
            bind.execute(
                sa.text("INSERT INTO article_search (rowid, title, body) VALUES (:a, :t, :b)"),
                {"a": row.id, "t": title, "b": body},
            )


def downgrade() -> None:
    op.execute("DROP TABLE article_search")
    for table in ("minhash_bands", "article_revisions", "captures", "blobs", "article_urls", "sites"):
        op.drop_table(table)
    with op.batch_alter_table("articles") as batch:
        batch.create_index("ix_articles_content_hash", ["content_hash"])
        batch.drop_index("ix_articles_cluster_id")
        batch.drop_index("ix_articles_text_hash")
        batch.drop_column("cluster_id")
        batch.drop_column("minhash")
        batch.drop_column("text_hash")
