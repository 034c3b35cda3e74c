"""PostgreSQL: an index on the hash that picks a scope's sample of whole turns (bot/search/pgvector.py).

A search's first question in a scope reads a fixed pseudo-random sample of the scope's turns (about 2 000 vectors)
for its statistics: the turns whose hash of (interview, turn) falls under a cut. Without an index the server
computed that hash for every passage of the scope, a scan of the whole table at 1M passages; with it, the sample is
a range of the index. The expression must stay the one `_sampled(_turn_key(), …)` renders (a test asks the planner
to use this index for it). SQLite has nothing to do: the in-process index samples in memory.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TURN_SAMPLE_HASH = (
    "((CAST(((CAST(interview_id AS BIGINT) * 100003 + turn_idx) % 2147483647) AS BIGINT) * 2654435761) % 4294967296)"
)


def upgrade() -> None:
    """Create the expression index (PostgreSQL only)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_passages_turn_sample ON passages ({TURN_SAMPLE_HASH})")


def downgrade() -> None:
    """Drop it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_passages_turn_sample")
