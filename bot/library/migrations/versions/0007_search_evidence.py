"""Search evidence: `turns.asks` (the turn ends asking) and passages' lexical tokens re-made with stemming.

Ranking weighs how often a speaker asks in an interview (interviewers ask, guests answer), which both backends
must read alike, so it is stored per turn. The tokenizer now folds English inflections and possessives
("DeepSeek's" → deepseek, "companies" → compani): every stored token list is rebuilt with it. Both use the
application's own text functions (bot/text), so the stored values equal what ingestion writes today.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from bot.text.sentences import ends_asking
from bot.text.tokens import tokenize, tokens_to_text

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 2000


def _rewrite(select: str, update: str, compute) -> None:  # type: ignore[no-untyped-def]  # a row → its new value
    """Recompute one column for every row, in batches (read everything first: SQLite cannot write mid-read)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(select)).all()
    for start in range(0, len(rows), BATCH):
        batch = [{"id": row[0], "value": compute(row)} for row in rows[start : start + BATCH]]
        if batch:
            bind.execute(sa.text(update), batch)


def upgrade() -> None:
    """Add and fill `turns.asks`; rebuild every passage's tokens."""
    op.add_column("turns", sa.Column("asks", sa.Boolean(), nullable=False, server_default=sa.false()))
    _rewrite("SELECT id, text FROM turns", "UPDATE turns SET asks = :value WHERE id = :id", lambda r: ends_asking(r[1]))
    _rewrite(
        "SELECT id, text, translation FROM passages",
        "UPDATE passages SET lexical = :value WHERE id = :id",
        lambda r: tokens_to_text(tokenize(f"{r[1]}\n{r[2] or ''}")),
    )


def downgrade() -> None:
    """Drop the column in place, as 0005 and 0006 do; the tokens stay stemmed (older code reads them as words)."""
    op.drop_column("turns", "asks")
