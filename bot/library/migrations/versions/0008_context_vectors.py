"""Context vectors: `embeddings.window_vector` and `turn_vector`, the sums of the vectors of a passage's window
(it and its neighbours in the turn) and of its whole turn, float16 (`halfvec` on PostgreSQL).

Ranking reads them for a search's candidates instead of reading their whole turns (bot/search/context.py). The
columns start empty; a partial index finds the rows still missing them, and opening the library fills those
from the stored vectors (`fill_contexts`, turn by turn), as the indexer does for every vector it adds.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from bot.library.models import HalfVectorBytes

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two columns and the index of rows without them."""
    op.add_column("embeddings", sa.Column("window_vector", HalfVectorBytes, nullable=True))
    op.add_column("embeddings", sa.Column("turn_vector", HalfVectorBytes, nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # kept in the row like the vector: no side-table lookups
        op.execute("ALTER TABLE embeddings ALTER COLUMN window_vector SET STORAGE MAIN")
        op.execute("ALTER TABLE embeddings ALTER COLUMN turn_vector SET STORAGE MAIN")
    op.create_index(
        "ix_embeddings_no_context",
        "embeddings",
        ["model"],
        postgresql_where=sa.text("window_vector IS NULL"),
        sqlite_where=sa.text("window_vector IS NULL"),
    )


def downgrade() -> None:
    """Drop them (the vectors themselves are kept)."""
    op.drop_index("ix_embeddings_no_context", table_name="embeddings")
    op.drop_column("embeddings", "turn_vector")
    op.drop_column("embeddings", "window_vector")
