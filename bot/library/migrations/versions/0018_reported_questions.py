"""A question quoted after the speaker's own words is reported, not asked: stored values that read questions,
read again.

Stop 57 made `bot.text.sentences.asks_itself` pass over a sentence that ends in a quotation opening after words of
its own ('The question is always, "How many of this do you do?"', '他问我：「为什么？」'), for a passage's share of
asking sentences and a turn's `asks` (its last two sentences): ranking read such an answer as a question and held it
back. The stored values hold what the old rule read; this brings the rows stored before to today's values, reading
only texts holding a question mark before a closing quote (0013's way).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# a question mark and the quotation mark closing after it
REPORTED = tuple(f"{mark}{quote}" for mark in ("?", "？") for quote in ('"', "”", "’", "」", "』"))


def upgrade() -> None:
    """Recompute the two values for the rows holding such a pair, and write the ones that changed."""
    reread_asking(op.get_bind(), REPORTED)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
