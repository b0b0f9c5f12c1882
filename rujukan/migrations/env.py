"""Alembic's entry: migrate on the connection (and inside the transaction) that
rujukan.database.Database.upgrade opened."""

from alembic import context

context.configure(connection=context.config.attributes["connection"], transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
