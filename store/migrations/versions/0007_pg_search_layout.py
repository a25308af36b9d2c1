"""PostgreSQL search index: documents kept in the table's own pages, and site and language as facets.

A search ranks the newest RANK_WINDOW matches of a query, and ranking reads each one's tsvector.
A tsvector of a news article (3-4 kB) was moved out to the TOAST table, so each ranked article
cost a TOAST index look-up and two or three chunk reads: ranking cost twice as much as with the
document in the row. Documents up to a page now stay in the row (STORAGE MAIN; they hardly
compress, so pglz leaves them as they are), and only longer ones go to TOAST.

The site and the language become facet terms (those of SQLite's index, see 0006) in a second
tsvector of the same GIN index, so a site-filtered search is an intersection inside the index
instead of a join on every matching article.

The table is copied rather than updated in place: an UPDATE would leave every row's old version
behind and would keep each unchanged TOAST pointer. SQLite's index is unchanged.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.search import facet_terms

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# toast_tuple_target's largest value: a row is moved to TOAST only when it would not fit a page.
_ROW_TARGET = 8160


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE article_search_new (article_id INTEGER PRIMARY KEY"
        " REFERENCES articles(id) ON DELETE CASCADE, document TSVECTOR NOT NULL,"
        f" facets TSVECTOR NOT NULL) WITH (toast_tuple_target = {_ROW_TARGET})"
    )
    op.execute("ALTER TABLE article_search_new ALTER COLUMN document SET STORAGE MAIN")
    # A site has few (site, language) pairs: their facet terms are computed here, once per pair.
    op.execute("CREATE TEMPORARY TABLE facet_pairs (site TEXT, language TEXT, facets TEXT) ON COMMIT DROP")
    pairs = bind.execute(sa.text("SELECT DISTINCT site, COALESCE(language, '') FROM articles")).all()
    if pairs:
        bind.execute(
            sa.text("INSERT INTO facet_pairs VALUES (:site, :language, :facets)"),
            [{"site": site, "language": lang, "facets": facet_terms(site, lang)} for site, lang in pairs],
        )
    # `|| ''` makes a new value: an unchanged one would be copied as its TOAST pointer.
    op.execute(
        "INSERT INTO article_search_new (article_id, document, facets)"
        " SELECT s.article_id, s.document || ''::tsvector,"
        " array_to_tsvector(string_to_array(f.facets, ' '))"
        " FROM article_search s JOIN articles a ON a.id = s.article_id"
        " JOIN facet_pairs f ON f.site = a.site AND f.language = COALESCE(a.language, '')"
        " ORDER BY s.article_id"
    )
    op.execute("DROP TABLE article_search")
    op.execute("ALTER TABLE article_search_new RENAME TO article_search")
    op.execute("ALTER TABLE article_search RENAME CONSTRAINT article_search_new_pkey TO article_search_pkey")
    op.execute(
        "ALTER TABLE article_search RENAME CONSTRAINT article_search_new_article_id_fkey"
        " TO article_search_article_id_fkey"
    )
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING GIN (document, facets)")
    op.execute("ANALYZE article_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_article_search_document")
    op.execute("ALTER TABLE article_search DROP COLUMN facets")
    op.execute("ALTER TABLE article_search ALTER COLUMN document SET STORAGE EXTENDED")
    op.execute("ALTER TABLE article_search RESET (toast_tuple_target)")
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING GIN (document)")
