"""A particle that asks asks: stored values that read questions, read again.

Stop 43 made `bot.text.sentences.is_question` read a Japanese sentence that asks with its particle instead of a
question mark ("…のですか。", "…でしょうか") or asks to be told ("教えてください。"), and Chinese speech-to-text's
"…吗。", as questions. A passage's `question_share` and a turn's `asks` hold what the old rule read; this brings the
rows stored before to today's values, reading only texts that hold such a particle (0012's way).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from alembic import op

from bot.library.reread import reread_asking

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

PARTICLES = ("か", "ください", "下さい", "吗", "嗎")  # every text the new rule can read differently holds one


def upgrade() -> None:
    """Recompute the two values for the rows holding a particle, and write the ones that changed."""
    reread_asking(op.get_bind(), PARTICLES)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
