"""A passage keeps when its first words were said: `passages.start`.

A turn merged from timed cues or stamped paragraphs runs for minutes (in the corpus' timed files a fifth to two
thirds of the passages are in turns longer than a minute, the longest 5 minutes), and every quote of it showed the
turn's start: Hamel Husain's "…build evals for Nurture Boss", said at 00:11:40, read 00:10:06. Ingestion now stores
each passage's own start (bot.text.passages.passage_starts). Passages stored before get their turn's start, what
they showed until now: the cues' times are not stored, so only ingesting the file again gives them theirs. So every
reader takes the passage's start alone (NULL: the file has no times), with no fallback to the turn's.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column and fill it with each passage's turn's start (one statement; SQLite and PostgreSQL alike)."""
    op.add_column("passages", sa.Column("start", sa.Float(), nullable=True))
    op.execute(
        "UPDATE passages SET start = (SELECT turns.start FROM turns "
        "WHERE turns.interview_id = passages.interview_id AND turns.idx = passages.turn_idx)"
    )


def downgrade() -> None:
    """Drop it in place (older code shows the turn's start)."""
    op.drop_column("passages", "start")
