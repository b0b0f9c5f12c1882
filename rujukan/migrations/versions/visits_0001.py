"""Visits recorded with briefing packs: the tables of schema 1 (before Alembic)."""

import sqlalchemy as sa
from alembic import op

revision = "visits_0001"
down_revision = None
branch_labels = ("visits",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region_code", sa.Text, nullable=False),
        sa.Column("visit_date", sa.Text, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "visit_practices",
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("practice_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("visit_id", "position"),
    )
    op.create_index("visits_region", "visits", ["region_code", "visit_date"])
    op.create_index("visit_practices_practice", "visit_practices", ["practice_id"])


def downgrade() -> None:
    op.drop_table("visit_practices")
    op.drop_table("visits")
