"""PostgreSQL search: pgvector embeddings and a full-text index over the passages' lexical tokens.

PostgreSQL only; a no-op on SQLite. `embeddings.vector` becomes a pgvector `vector` (existing vectors are converted),
and `passages.lexical_tsv` is a stored tsvector of the Chinese-aware tokens already in `passages.lexical` (used
as-is, no PostgreSQL parser), with a GIN index. The HNSW index depends on the embedding model's dimension, so it
is created per model at run time (bot/search/pgvector.py: `ensure_vector_index`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKENS = "array_remove(string_to_array(lexical, ' '), '')"
BATCH = 2000


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _copy_vectors(source: str, target: str, to_vector: bool) -> None:
    """Move every embedding from column `source` to `target`, converting between bytea and vector."""
    bind = op.get_bind()
    read = sa.text(f"SELECT passage_id, {source}{'' if to_vector else '::real[]'} AS v FROM embeddings")  # noqa: S608  # fixed column names
    write = sa.text(
        f"UPDATE embeddings SET {target} = "  # noqa: S608  # fixed column names
        + ("CAST(CAST(:v AS real[]) AS vector)" if to_vector else ":v")
        + " WHERE passage_id = :id"
    )
    rows = bind.execute(read)
    while batch := rows.fetchmany(BATCH):
        values = [
            {
                "id": pid,
                "v": np.frombuffer(v, dtype=np.float32).tolist()
                if to_vector
                else np.asarray(v, dtype=np.float32).tobytes(),
            }
            for pid, v in batch
        ]
        bind.execute(write, values)


def upgrade() -> None:
    if not _postgres():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("ALTER TABLE embeddings ADD COLUMN vector_new vector")
    _copy_vectors("vector", "vector_new", to_vector=True)
    op.execute("ALTER TABLE embeddings DROP COLUMN vector")
    op.execute("ALTER TABLE embeddings RENAME COLUMN vector_new TO vector")
    op.execute("ALTER TABLE embeddings ALTER COLUMN vector SET NOT NULL")
    # Kept in the row, not TOASTed out of line (896 dimensions are 3.6 kB): scans and re-scoring read no side table.
    op.execute("ALTER TABLE embeddings ALTER COLUMN vector SET STORAGE MAIN")
    op.execute(
        f"ALTER TABLE passages ADD COLUMN lexical_tsv tsvector GENERATED ALWAYS AS (array_to_tsvector({TOKENS})) STORED"
    )
    op.execute("CREATE INDEX ix_passages_lexical_tsv ON passages USING gin (lexical_tsv)")


def downgrade() -> None:
    if not _postgres():
        return
    op.execute("DROP INDEX IF EXISTS ix_passages_lexical_tsv")
    op.execute("ALTER TABLE passages DROP COLUMN lexical_tsv")
    op.execute("ALTER TABLE embeddings ADD COLUMN vector_old bytea")
    _copy_vectors("vector", "vector_old", to_vector=False)
    op.execute("ALTER TABLE embeddings DROP COLUMN vector")  # drops the per-model HNSW indexes with it
    op.execute("ALTER TABLE embeddings RENAME COLUMN vector_old TO vector")
    op.execute("ALTER TABLE embeddings ALTER COLUMN vector SET NOT NULL")
