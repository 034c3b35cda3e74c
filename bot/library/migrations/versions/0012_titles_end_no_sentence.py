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

import sqlalchemy as sa
from alembic import op

from bot.text.passages import question_share
from bot.text.sentences import ends_asking

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TITLES = ("Dr. ", "Mr. ", "Ms. ", "Mrs. ", "Prof. ")  # the titles split_sentences no longer ends a sentence after


def upgrade() -> None:
    """Recompute the two values for the rows whose text holds a title, and write the ones that changed."""
    bind = op.get_bind()
    for name, column, rule in (("passages", "question_share", question_share), ("turns", "asks", ends_asking)):
        table = sa.table(name, sa.column("id"), sa.column("text"), sa.column(column))
        titled = sa.or_(*(table.c.text.contains(title, autoescape=True) for title in TITLES))
        rows = bind.execute(sa.select(table.c.id, table.c.text, table.c[column]).where(titled)).all()
        changed = [{"row": row_id, "value": value} for row_id, text, old in rows if (value := rule(text)) != old]
        if changed:
            update = table.update().where(table.c.id == sa.bindparam("row")).values({column: sa.bindparam("value")})
            bind.execute(update, changed)


def downgrade() -> None:
    """Nothing: older code reads the columns as they are."""
