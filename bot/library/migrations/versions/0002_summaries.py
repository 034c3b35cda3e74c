"""The summary cache: summaries keyed by scope and parameters, valid while the interviews' content matches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summary_cache",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("params_key", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("interview_id", sa.Integer(), sa.ForeignKey("interviews.id", ondelete="CASCADE")),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("params_key", name="uq_summary_cache_params_key"),
    )
    op.create_index("ix_summary_cache_interview_id", "summary_cache", ["interview_id"])


def downgrade() -> None:
    op.drop_table("summary_cache")
