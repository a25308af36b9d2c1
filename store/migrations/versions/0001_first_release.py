"""The first release's schema (0.1.0): articles, the fetch log, cached robots.txt.

Databases created by 0.1.0 before migrations existed hold exactly these tables; store/migrate.py
stamps them with this revision and upgrades them from here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("canonical_url", sa.String(2048), nullable=False, unique=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True)),
        sa.Column("modified", sa.DateTime(timezone=True)),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("section", sa.Text()),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("image", sa.String(2048)),
        sa.Column("language", sa.String(16)),
        sa.Column("site_name", sa.Text()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_fetched", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_site", "articles", ["site"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("final_url", sa.String(2048)),
        sa.Column("status", sa.Integer()),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("elapsed", sa.Double(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_fetches_url", "fetches", ["url"])
    op.create_index("ix_fetches_outcome", "fetches", ["outcome"])
    op.create_index("ix_fetches_fetched_at", "fetches", ["fetched_at"])
    op.create_table(
        "robots",
        sa.Column("origin", sa.String(512), primary_key=True),
        sa.Column("status", sa.Integer()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("robots")
    op.drop_table("fetches")
    op.drop_table("articles")
