"""Revisions of the practice records: who saved which full text, when and why."""

import sqlalchemy as sa
from alembic import op

revision = "revisions_0001"
down_revision = None
branch_labels = ("revisions",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("practice_id", sa.Text, nullable=False),
        sa.Column("number", sa.Integer, sa.CheckConstraint("number >= 1"), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sa.Column("digest", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("practice_id", "number"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("revisions")
