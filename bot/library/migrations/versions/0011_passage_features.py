"""Passages keep what ranking reads from their own words: `question_share`, `text_weight` and `has_number`.

A search on PostgreSQL computed them for each of its ~750 candidates every time (5–9 ms of the 14 ms its candidates'
index took, README "Running at scale", stop 41), and the in-process index for every passage at start-up. Ingestion
now stores them (bot.text.passages.passage_features); this fills them, with that same function, for the passages
stored before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from bot.text.passages import passage_features

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 2000
COLUMNS = ("question_share", "text_weight", "has_number")


def upgrade() -> None:
    """Add the three columns and compute them for every stored passage, in batches (read first: SQLite cannot
    write mid-read)."""
    op.add_column("passages", sa.Column("question_share", sa.Float(), nullable=False, server_default="0"))
    op.add_column("passages", sa.Column("text_weight", sa.Float(), nullable=False, server_default="0"))
    op.add_column("passages", sa.Column("has_number", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, text FROM passages")).all()
    update = sa.text(
        "UPDATE passages SET question_share = :question_share, text_weight = :text_weight, has_number = :has_number "
        "WHERE id = :id"
    )
    for start in range(0, len(rows), BATCH):
        batch = [{"id": pid, **passage_features(text)} for pid, text in rows[start : start + BATCH]]
        if batch:
            bind.execute(update, batch)


def downgrade() -> None:
    """Drop the columns in place (older code computes the values itself)."""
    for column in COLUMNS:
        op.drop_column("passages", column)
