"""Questions, searches and feedback: the tables of schema 1 (before Alembic)."""

import sqlalchemy as sa
from alembic import op

revision = "feedback_0001"
down_revision = None
branch_labels = ("feedback",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, sa.CheckConstraint("kind IN ('search', 'ask')"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("result_count", sa.Integer, sa.CheckConstraint("result_count >= 0"), nullable=False),
        sa.Column("top_practice", sa.Text),
        sa.Column("top_score", sa.Float),
        sa.Column("declined", sa.Integer, sa.CheckConstraint("declined IN (0, 1)"), nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("events_session", "events", ["session", "id"])
    op.create_index("events_norm", "events", ["norm"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("session", sa.Text, nullable=False),
        sa.Column("practice_key", sa.Text, nullable=False),
        sa.Column("practice_id", sa.Text),
        sa.Column("helpful", sa.Integer, sa.CheckConstraint("helpful IN (0, 1)"), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sa.UniqueConstraint("event_id", "practice_key"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("events")
