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
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("description", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("description")
