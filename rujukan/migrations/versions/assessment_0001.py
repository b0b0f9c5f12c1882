"""Self-assessments: the table of schema 1 (before Alembic). The dimensions and institutions are
written out here as they were then, so a later change of rujukan.vocabulary needs a new revision."""

import sqlalchemy as sa
from alembic import op

revision = "assessment_0001"
down_revision = None
branch_labels = ("assessment",)
depends_on = None

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
INSTITUTIONS = ("council", "team", "masterplan", "regulation", "quick_wins")


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("region_code", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        *(sa.Column(f"score_{d}", sa.Integer, sa.CheckConstraint(f"score_{d} BETWEEN 1 AND 4")) for d in DIMENSIONS),
        *(sa.Column(f"inst_{i}", sa.Text, sa.CheckConstraint(f"inst_{i} IN ('yes', 'in_progress', 'no')"), nullable=False)
          for i in INSTITUTIONS),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("region_code", "date"),
    )


def downgrade() -> None:
    op.drop_table("assessments")
