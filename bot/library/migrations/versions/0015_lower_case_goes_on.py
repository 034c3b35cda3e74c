"""A full stop or an ellipsis that a lower-case word follows ends no sentence: stored values that read sentences,
read again.

Stop 50 made `bot.text.sentences.split_sentences` go on past a full stop or an ellipsis before a lower-case word
in text that writes capitals ('after about... what, ten years?' is one sentence, which asks; it was a statement and
a question). A passage's `question_share` and a turn's `asks` hold what the old rule read; this brings the rows
stored before to today's values, reading only texts holding such a mark, a space and a lower-case letter
(0014's way).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# a mark that ended a sentence whatever followed (with its closing quote), a space and a lower-case letter
GOES_ON = tuple(
    f"{mark} {letter}" for mark in (".", "…", ".”", '."', "…”", '…"') for letter in "abcdefghijklmnopqrstuvwxyz"
)


def upgrade() -> None:
    """Recompute the two values for the rows holding such a mark and a lower-case word, and write the ones that
    changed."""
    reread_asking(op.get_bind(), GOES_ON)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
