"""The library: interviews, turns, passages, embeddings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("source_key", sa.String(1024), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.String(512)),
        sa.Column("source_url", sa.String(2048)),
        sa.Column("date", sa.String(10)),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("editor_summary", sa.Text()),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("guild_id", "source_key", name="uq_interviews_guild_source"),
    )
    op.create_index("ix_interviews_guild_id", "interviews", ["guild_id"])
    op.create_index("ix_interviews_content_hash", "interviews", ["content_hash"])
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("interview_id", sa.Integer(), sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(256), nullable=False),
        sa.Column("label", sa.String(256), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translation", sa.Text()),
        sa.Column("translation_lang", sa.String(16)),
        sa.Column("section", sa.String(512)),
        sa.Column("start", sa.Float()),
        sa.Column("end", sa.Float()),
        sa.UniqueConstraint("interview_id", "idx", name="uq_turns_interview_idx"),
    )
    op.create_index("ix_turns_speaker", "turns", ["speaker"])
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("interview_id", sa.Integer(), sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False),
        sa.Column("turn_idx", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(256), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translation", sa.Text()),
        sa.Column("lexical", sa.Text(), nullable=False),
        sa.Column("context", sa.Text()),
    )
    op.create_index("ix_passages_interview_turn", "passages", ["interview_id", "turn_idx", "position"])
    op.create_index("ix_passages_speaker", "passages", ["speaker"])
    op.create_table(
        "embeddings",
        sa.Column("passage_id", sa.Integer(), sa.ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_embeddings_model", "embeddings", ["model"])


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_table("passages")
    op.drop_table("turns")
    op.drop_table("interviews")
