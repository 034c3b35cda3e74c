"""The daily digest: subscriptions, deliveries (exactly once per subscription and local date), quotes shown.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("speaker", sa.String(256)),
        sa.Column("topic", sa.String(256)),
        sa.Column("skip_when_nothing_new", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("paused_reason", sa.Text()),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("guild_id", "channel_id", name="uq_digest_subscriptions_guild_channel"),
    )
    op.create_index("ix_digest_subscriptions_guild_id", "digest_subscriptions", ["guild_id"])
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=False),
        sa.Column("nonce", sa.String(16), nullable=False),
        sa.Column("message_ids", sa.JSON(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inflight_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("covered_until", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("subscription_id", "local_date", name="uq_digest_deliveries_sub_date"),
    )
    op.create_index("ix_digest_deliveries_status", "digest_deliveries", ["status"])
    op.create_table(
        "digest_quotes_shown",
        sa.Column("channel_id", sa.BigInteger(), primary_key=True),
        sa.Column("passage_id", sa.Integer(), sa.ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("digest_quotes_shown")
    op.drop_table("digest_deliveries")
    op.drop_table("digest_subscriptions")
