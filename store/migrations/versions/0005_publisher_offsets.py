"""The publisher's UTC offset of published/modified, kept beside the UTC moment.

Dates are stored in UTC on every backend (store.types.UtcDateTime); these columns let the archive
give a date back as the publisher printed it (+03:00 stays +03:00), or naive when no zone was given.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_offset", sa.SmallInteger()))
        batch.add_column(sa.Column("modified_offset", sa.SmallInteger()))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("modified_offset")
        batch.drop_column("published_offset")
