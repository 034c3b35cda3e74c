"""A mark a comma follows ends no sentence: stored values that read sentences, read again.

Stop 48 made `bot.text.sentences.split_sentences` go on past a question mark, exclamation mark, semicolon,
ellipsis or full stop that a comma or colon follows ('people ask "Did you go to school?", and the answer is no' is one
sentence, which states; it was a question and a "sentence" beginning ", and"). A passage's `question_share` and a
turn's `asks` hold what the old rule read; this brings the rows stored before to today's values, reading only
texts holding both such a mark and a comma or colon (0012's way).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MARKS = (".", "!", "?", ";", "…", "。", "！", "？", "；")  # the marks that ended a sentence whatever followed
FOLLOWERS = (",", ":", "，", "：", "、")  # what now keeps the sentence going after one


def upgrade() -> None:
    """Recompute the two values for the rows holding a mark and a comma or colon, and write the ones that changed."""
    reread_asking(op.get_bind(), MARKS, FOLLOWERS)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
