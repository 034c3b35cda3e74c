"""Alembic environment: always run on a connection handed in by bot.library.database.upgrade_database."""

from alembic import context

from bot.library.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
