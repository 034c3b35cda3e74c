"""Interviews keep the page's lead sentence as `description` when it was too long to be the title.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable column; existing interviews keep their titles until they are ingested again."""
    op.add_column("interviews", sa.Column("description", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the column in place: a batch copy of `interviews` would drop the old table, and with it (ON DELETE
    CASCADE) every turn, passage and vector on SQLite."""
    op.drop_column("interviews", "description")
