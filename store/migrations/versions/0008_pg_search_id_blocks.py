"""PostgreSQL search index: each article's block of ids (1,024 ids per block) as a term of the index.

A search ranks the newest RANK_WINDOW matches of a query. Read as an intersection of the word
index with the primary key's range of recent ids, a range of a common word was a second bitmap as
large as the range, and PostgreSQL often walked the primary key through every article of the
range instead. With the block of ids as a third column of the same GIN index (an expression of
`article_id`, so no row is rewritten and nothing is written by akhbar), a range of recent blocks
is an intersection inside the index, like the site and language facets. SQLite's index is
unchanged: FTS5 reads its matches in id order.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Kept here as written when this migration was made; store.search holds the same expression.
_ID_BLOCK = "array_to_tsvector(ARRAY['r' || (article_id >> 10)::text])"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_article_search_document")
    op.execute(
        "CREATE INDEX ix_article_search_document ON article_search"
        f" USING GIN (document, facets, ({_ID_BLOCK}))"
    )
    # The planner's estimates for the new expression come from ANALYZE.
    op.execute("ANALYZE article_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_article_search_document")
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING GIN (document, facets)")
