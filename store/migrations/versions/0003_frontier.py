"""The crawl frontier (every discovered URL, when it is due, claims as leases) and crawl runs.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frontier",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("fetch_url", sa.String(2048), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("fetches", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(32)),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_fetched_at", sa.DateTime(timezone=True)),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("listing_title", sa.Text()),
        sa.Column("listing_published", sa.DateTime(timezone=True)),
        sa.Column("listing_modified", sa.DateTime(timezone=True)),
        sa.Column("claimed_by", sa.String(255)),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_frontier_due", "frontier", ["next_due_at", "source"])
    op.create_index("ix_frontier_source", "frontier", ["source"])
    op.create_index("ix_frontier_article_id", "frontier", ["article_id"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("discovered", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
    )
    op.create_index("ix_crawl_runs_source_started", "crawl_runs", ["source", "started_at"])


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_table("frontier")
