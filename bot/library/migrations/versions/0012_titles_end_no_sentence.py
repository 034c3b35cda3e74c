"""A title before a name ends no sentence: stored values that read sentences, read again.

Stop 42 made `bot.text.sentences.split_sentences` keep "Dr. Jane Goodall" in one sentence (it split after "Dr.").
Two stored values count sentences: a passage's `question_share` ("I met Dr. Smith. Was he kind?" was a third
asking, now a half) and a turn's `asks` (its last two sentences). Ingestion stores today's values; this brings the
rows stored before to the same, reading only texts with such a title (`passage_features` and `ends_asking`, the
functions ingestion uses; 0011's rule for its columns).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TITLES = ("Dr. ", "Mr. ", "Ms. ", "Mrs. ", "Prof. ")  # the titles split_sentences no longer ends a sentence after


def upgrade() -> None:
    """Recompute the two values for the rows whose text holds a title, and write the ones that changed."""
    reread_asking(op.get_bind(), TITLES)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
