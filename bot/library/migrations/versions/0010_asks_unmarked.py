"""`turns.asks` recomputed: a turn that ends with an indirect question or a request to speak now asks.

Hosts ask without a question mark ("I'd love to hear how…", "Talk about the perks.", "请您谈谈…") and transcripts
drop the mark; `bot.text.sentences.is_question` now reads those as asking, so ingestion stores `asks` true for such
a turn, and ranking hands its score over to the reply. This brings the turns stored before it to the same value
(it only ever turns false into true: every turn that asked before still does).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from bot.text.sentences import ends_asking

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Set `asks` on every turn that asks by today's rule and was not marked."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, text FROM turns WHERE NOT asks")).all()
    changed = [{"id": row[0]} for row in rows if ends_asking(row[1])]
    if changed:
        bind.execute(sa.text("UPDATE turns SET asks = true WHERE id = :id"), changed)


def downgrade() -> None:
    """Nothing: older code reads the column as it is."""
