"""Turns whose speaker was inferred from the text of an unlabelled transcript (bot/ingest/turns_from_text.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the flag, false for every turn stored so far (their files named their speakers, or said 'Unknown')."""
    op.add_column("turns", sa.Column("speaker_inferred", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Drop the column in place, as 0005 does (a batch copy of a table is never needed for one column)."""
    op.drop_column("turns", "speaker_inferred")
