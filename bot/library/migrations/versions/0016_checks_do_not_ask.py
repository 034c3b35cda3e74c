"""A check that the listener follows asks nothing: stored values that read questions, read again.

Stop 52 made `bot.text.sentences.is_question` read "Does that make sense?", "You know what I mean?" and the like as
statements, alone or as a tag: the speaker goes on explaining, and nothing answers them. A passage's
`question_share` and a turn's `asks` hold what the old rule read; this brings the rows stored before to today's
values, reading only texts that hold one of the checks' words (0013's way).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CHECKS = ("sense", "mean", "see", "follow", "明白", "懂")  # every text the new rule can read differently holds one


def upgrade() -> None:
    """Recompute the two values for the rows holding a check's word, and write the ones that changed."""
    reread_asking(op.get_bind(), CHECKS)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
