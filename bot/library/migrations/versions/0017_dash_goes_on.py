"""A dash and a lower-case word after words trailing off or an abbreviation end no sentence: stored values that
read sentences, read again.

Stop 53 made `bot.text.sentences.split_sentences` go on past an ellipsis, a quotation's closing full stop or an
abbreviation's when a dash and a lower-case word follow ('they said "Well..." - and I can probably say this now',
'around hit ratios etc. - we learned from that'). A passage's `question_share` and a turn's `asks` hold what the
old rule read; this brings the rows stored before to today's values, reading only texts holding such a mark, a
space and a dash (0015's way).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# a mark that ended a sentence whatever followed (with its closing quote), a space and a dash
GOES_ON = tuple(
    f"{mark} {dash}" for mark in (".", "…", ".”", '."', ".’", ".'", ".)", "…”", '…"') for dash in ("-", "–", "—")
)


def upgrade() -> None:
    """Recompute the two values for the rows holding such a mark and a dash, and write the ones that changed."""
    reread_asking(op.get_bind(), GOES_ON)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
