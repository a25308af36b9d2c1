"""SQLite search index: site and language become facet terms of the FTS5 index.

A search filtered by site was one index look-up per article of the site; with the site indexed
it is an intersection inside FTS5. The index is contentless (it cannot be rebuilt from itself),
so every article's title and text are indexed again, which takes a while on a large archive.
PostgreSQL's index is unchanged.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ingest.arabic import words
from store.search import IndexedText

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rebuild_sqlite_index(with_facets=True)


def downgrade() -> None:
    _rebuild_sqlite_index(with_facets=False)


def _rebuild_sqlite_index(*, with_facets: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        return
    columns = "title, body, facets" if with_facets else "title, body"
    op.execute("DROP TABLE article_search")
    op.execute(f"CREATE VIRTUAL TABLE article_search USING fts5({columns}, content = '', tokenize = 'ascii')")
    values = ":id, :title, :body, :facets" if with_facets else ":id, :title, :body"
    insert = sa.text(f"INSERT INTO article_search (rowid, {columns}) VALUES ({values})")
    articles = sa.table(
        "articles",
        sa.column("id"),
        sa.column("site"),
        sa.column("language"),
        sa.column("title"),
        sa.column("text"),
    )
    for row in bind.execute(sa.select(articles).order_by(articles.c.id)):
        indexed = IndexedText.of(row.title, words(row.text)).with_facets(row.site, row.language)
        bind.execute(
            insert, {"id": row.id, "title": indexed.title, "body": indexed.body, "facets": indexed.facets}
        )
