"""Alembic migrations of the state stores: one branch per store (feedback, assessment, visits),
revision ids `<store>_<nnnn>`. Run by rujukan.database.Database.upgrade, never by hand."""
